"""Plan texts in both languages: catalogue messages, model names by id, the learning cycle.

Every text of a plan document is bilingual (`{"zh": …, "en": …}`) so that
reports can render either language.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from competency.development.inputs import PlanInputs
from competency.domain import Text
from competency.i18n import CATALOGUE

Bilingual = dict[str, str]
PHASES = ("plan", "act", "reflect")


def bilingual(text: Text | None) -> Bilingual | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


def message(key: str, **values: Any) -> Bilingual:
    """A catalogue text in both languages; bilingual values are filled in per language."""
    return {lang: CATALOGUE[key][lang].format(**{k: (v[lang] if isinstance(v, dict) else v) for k, v in values.items()}) for lang in ("zh", "en")}


def iso(value: Any) -> str | None:
    """A stored date as ISO text (None stays None)."""
    return value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)


class PlanNames:
    """The model's, roles' and library's texts by id, in both languages."""

    def __init__(self, inputs: PlanInputs) -> None:
        model = inputs.bundle.model
        self.model = model
        self.competencies = {c.id: c for c in model.competencies}
        self.behaviours = {b.id: (c.id, b) for c, b in model.behaviors()}
        self.roles = {r.id: r for r in inputs.bundle.roles.roles}
        self.actions = {a.id: (c, a) for c, a in inputs.library.actions()}

    def competency(self, competency_id: str) -> dict[str, Any]:
        found = self.competencies.get(competency_id)
        return {"id": competency_id, "name": bilingual(found.name) if found else {"zh": competency_id, "en": competency_id}}

    def level(self, value: int | None) -> dict[str, Any] | None:
        if value is None:
            return None
        level = self.model.scale.by_value(value)
        return {"value": value, "label": bilingual(level.label) if level else {"zh": str(value), "en": str(value)}}

    def behaviour(self, item_id: str) -> dict[str, Any]:
        found = self.behaviours.get(item_id)
        return {"id": item_id, "text": bilingual(found[1].text) if found else {"zh": item_id, "en": item_id}}

    def role(self, role_id: str | None) -> dict[str, Any] | None:
        if role_id is None:
            return None
        found = self.roles.get(role_id)
        return {"id": role_id, "name": bilingual(found.name) if found else {"zh": role_id, "en": role_id}}


def learning_cycle(inputs: PlanInputs, quarter: str) -> dict[str, Any]:
    """The plan / act / reflect titles and questions of the rules, for the quarter."""
    cycle = inputs.rules.learning_cycle
    return {
        "quarter": quarter,
        **{
            phase: {"title": bilingual(getattr(cycle, phase).title), "questions": [bilingual(q) for q in getattr(cycle, phase).questions]}
            for phase in PHASES
        },
    }
