"""The shipped sales model is complete and faithful to the source document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from competency.domain import Text
from competency.files.bundle import load_bundle
from competency.files.shipped import default_model_folder

SEED = (Path(__file__).parent / "data" / "seed.txt").read_text(encoding="utf-8")
BUNDLE = load_bundle(default_model_folder())


def _texts(value: object) -> list[Text]:
    """Every Text anywhere inside a model object."""
    if isinstance(value, Text):
        return [value]
    if isinstance(value, (list, tuple)):
        return [t for item in value for t in _texts(item)]
    if isinstance(value, dict):
        return [t for item in value.values() for t in _texts(item)]
    if isinstance(value, BaseModel):
        return [t for name in type(value).model_fields for t in _texts(getattr(value, name))]
    return []


ALL_TEXTS = _texts(BUNDLE.model) + _texts(BUNDLE.kpis) + _texts(BUNDLE.roles)


def test_required_competencies_are_present() -> None:
    ids = {c.id for c in BUNDLE.model.competencies}
    assert {"execution", "relationships", "influence", "integrity", "team_management", "leadership", "market_insight"} <= ids


def test_every_competency_has_behaviours_and_four_bilingual_anchors() -> None:
    keys = [level.key for level in BUNDLE.model.scale.ordered()]
    assert keys == ["poor", "average", "good", "excellent"]
    assert [level.label.zh for level in BUNDLE.model.scale.ordered()] == ["差", "一般", "良好", "优秀"]
    for competency in BUNDLE.model.competencies:
        assert len(competency.behaviors) >= 3, competency.id
        assert sorted(competency.anchors) == sorted(keys), competency.id
        assert all(a.zh != a.en for a in competency.anchors.values()), competency.id


def test_integrity_has_the_four_traits() -> None:
    integrity = BUNDLE.model.competency("integrity")
    assert [t.name.zh for t in integrity.traits] == ["诚实", "坚韧", "负责", "乐观"]


def test_roles_and_kpis_of_the_domain() -> None:
    assert {r.id for r in BUNDLE.roles.roles} >= {"sales_representative", "sales_supervisor", "regional_sales_manager"}
    kpis = {k.id: k for k in BUNDLE.kpis.kpis}
    assert set(kpis) == {
        "sales_attainment", "receivables_collection", "distribution", "new_customers",
        "customer_satisfaction", "complaint_resolution", "expense_ratio", "report_timeliness",
    }
    assert kpis["expense_ratio"].direction == "lower_is_better"


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("text", [t for t in ALL_TEXTS if t.origin == "seed"], ids=lambda t: t.en[:40])
def test_seed_quotes_are_verbatim(text: Text) -> None:
    """Text marked `origin: seed` is the source document's own wording."""
    assert _squeeze(text.zh) in _squeeze(SEED)


def test_the_seed_is_quoted_where_it_gives_text() -> None:
    """Execution's definition and key behaviours come from the seed, word for word."""
    execution = BUNDLE.model.competency("execution")
    assert execution.definition.origin == "seed"
    assert "正确理解公司、上级的政策指令" in execution.definition.zh
    assert sum(b.text.origin == "seed" for b in execution.behaviors) >= 3
    assert sum(t.origin == "seed" for t in ALL_TEXTS) >= 100
