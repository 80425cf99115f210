"""The shipped rule set rules/sales/rating.yaml: what the seed asks of a rating."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency.rules import Ruleset, Schema, check_rule_file, evaluate_one, load_ruleset, load_schema, trace_from_row
from tests.examples import examples
from tests.rules.support import RULES_DIR, run_sql

RATING = RULES_DIR / "rating.yaml"
_CONNECTION = duckdb.connect()  # hypothesis examples share it: a connection per example is slow
MODEL_DIR = RULES_DIR.parents[1] / "models" / "sales"

STRONG = {
    "score.competency_index": 3.4,
    "score.kpi_index": 3.6,
    "competency.execution": 3.8,
    "competency.integrity": 3.5,
    "kpi.sales_attainment": 1.1,
    "employee.potential": "high",
    "employee.role": "sales_supervisor",
}


@pytest.fixture(scope="module")
def rating(schema: Schema) -> Ruleset:
    return load_ruleset(RATING, schema)


def test_it_checks_clean_against_the_shipped_model() -> None:
    assert check_rule_file(RATING, load_schema(MODEL_DIR)) == []


def test_a_strong_performer_is_an_a(rating: Ruleset) -> None:
    outputs, trace = evaluate_one(rating, STRONG)
    assert (outputs["score.ability"], outputs["score.performance"], outputs["rating"]) == (3.4, 3.66, "A")
    assert next(e for e in trace if e.step == "rating").rows == ("a",)


def test_integrity_below_2_caps_the_rating_at_c_with_the_reason_in_the_trace(rating: Ruleset) -> None:
    outputs, trace = evaluate_one(rating, {**STRONG, "competency.integrity": 1.5})
    assert outputs["rating"] == "C" and outputs["flag.integrity_concern"] is True
    cap = next(e for e in trace if e.step == "integrity_cap")
    assert (cap.fired, cap.changed, cap.before, cap.value) == (True, True, "A", "C")
    assert cap.note.zh == "个人品德低于2分:评级最高为C"
    assert cap.note.en == "Integrity below 2 — the rating is at most C"


def test_missing_the_sales_target_rules_out_an_a(rating: Ruleset) -> None:
    outputs, trace = evaluate_one(rating, {**STRONG, "kpi.sales_attainment": 0.95})
    assert outputs["rating"] == "B" and outputs["flag.a_withheld_for_sales_target"] is True
    assert next(e for e in trace if e.step == "no_a_below_sales_target").changed is True


def test_the_nine_box_has_bilingual_cells(rating: Ruleset) -> None:
    outputs, trace = evaluate_one(rating, STRONG)
    assert outputs["nine_box"] == "star"
    table = rating.step("nine_box")
    assert (table.labels["star"].zh, table.labels["core_player"].zh, table.labels["core_player"].en) == ("明星", "中坚力量", "Core player")
    assert next(e for e in trace if e.step == "nine_box").note.en.startswith("Star")


def test_without_data_there_is_no_rating_and_a_flag_says_so(rating: Ruleset) -> None:
    outputs, _ = evaluate_one(rating, {"employee.potential": "medium"})
    assert outputs["rating"] is None and outputs["nine_box"] is None and outputs["flag.not_enough_data"] is True


def test_the_rating_never_reads_potential(rating: Ruleset) -> None:
    """The seed: being an A employee is about contribution, independent of potential."""
    for step in rating.steps:
        if step.id in ("ability", "performance", "rating", "integrity_cap", "no_a_below_sales_target"):
            assert "employee.potential" not in step.reads


scores = st.one_of(st.none(), st.floats(1.0, 4.0).map(lambda x: round(x, 2)))
people = st.fixed_dictionaries(
    {
        "score.competency_index": scores,
        "score.kpi_index": scores,
        "competency.execution": scores,
        "competency.integrity": scores,
        "kpi.sales_attainment": st.one_of(st.none(), st.floats(0.0, 2.0).map(lambda x: round(x, 3))),
    }
)


@settings(max_examples=examples(200), deadline=None)
@given(person=people)
def test_potential_never_changes_the_rating(rating: Ruleset, person: dict) -> None:
    ratings = {evaluate_one(rating, {**person, "employee.potential": p})[0]["rating"] for p in (None, "low", "medium", "high")}
    assert len(ratings) == 1


@settings(max_examples=examples(20), deadline=None)
@given(batch=st.lists(people, min_size=1, max_size=20), potential=st.sampled_from([None, "low", "medium", "high"]))
def test_sql_and_python_agree_on_the_shipped_rules(rating: Ruleset, batch: list[dict], potential: str | None) -> None:
    batch = [{**person, "employee.potential": potential} for person in batch]
    rows = run_sql(_CONNECTION, rating, batch)
    for person, row in zip(batch, rows):
        outputs, trace = evaluate_one(rating, person)
        assert {name: row[name] for name in outputs} == outputs
        assert trace_from_row(rating, row) == trace


def test_rule_files_are_utf8_yaml_with_kind() -> None:
    for path in Path(RULES_DIR).glob("*.yaml"):
        assert path.read_text(encoding="utf-8").count("\nkind: ") == 1
