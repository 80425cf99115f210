"""Rule sets: steps in order, caps and floors, flags, and the per-person trace."""

from __future__ import annotations

import math

import duckdb
import pytest

from competency.rules import Schema, TraceEntry, evaluate_one, to_sql, trace_from_row
from tests.rules.support import ruleset_from, ruleset_problems, run_sql

RULES = """
kind: ruleset
id: demo
version: "1"
name: {zh: 示例, en: demo}
steps:
  - id: performance
    kind: compute
    name: score.performance
    expr: mean(score.kpi_index, competency.execution)
  - id: rating
    kind: table
    hit: FIRST
    inputs:
      - {name: performance, expr: score.performance, domain: "[1..4]"}
    output: {name: rating, order: [A, B, C, D]}
    rows:
      - {id: a, when: {performance: ">= 3.5"}, then: A}
      - {id: b, when: {performance: ">= 3"}, then: B}
      - {id: c, when: {performance: ">= 2"}, then: C}
      - {id: d, then: D}
  - id: integrity_cap
    kind: cap
    target: rating
    when: competency.integrity < 2
    at_most: C
    reason: {zh: 品德低于2分，最高C, en: integrity below 2 caps at C}
  - id: sales_floor
    kind: floor
    target: rating
    when: kpi.sales_attainment >= 1.5
    at_least: B
    reason: {zh: 销售达成150%以上，至少B, en: attainment of 150% or more floors at B}
  - id: bonus
    kind: compute
    name: score.bonus
    expr: 2 if rating == "A" else (1 if rating in ["B", "C"] else 0)
  - id: bonus_cap
    kind: cap
    target: score.bonus
    when: flag.x == null or true
    at_most: 1.5
    reason: bonus at most 1.5
  - id: integrity_concern
    kind: flag
    when: competency.integrity < 2
    message: {zh: 品德需复核, en: review integrity}
"""


VALID = RULES.replace("flag.x == null or true", "score.bonus > 1")


@pytest.fixture(scope="module")
def ruleset(schema: Schema):
    return ruleset_from(VALID, schema)


def test_steps_run_in_order_and_define_names_for_later_steps(ruleset) -> None:
    outputs, trace = evaluate_one(ruleset, {"score.kpi_index": 3.6, "competency.execution": 3.8, "competency.integrity": 3.0})
    assert outputs == {"score.performance": 3.7, "rating": "A", "score.bonus": 1.5, "flag.integrity_concern": False}
    assert [entry.step for entry in trace] == [
        "performance",
        "rating",
        "integrity_cap",
        "sales_floor",
        "bonus",
        "bonus_cap",
        "integrity_concern",
    ]
    assert ruleset.inputs == ("score.kpi_index", "competency.execution", "competency.integrity", "kpi.sales_attainment")


def test_a_cap_lowers_the_value_and_says_why(ruleset) -> None:
    outputs, trace = evaluate_one(ruleset, {"score.kpi_index": 4.0, "competency.execution": 4.0, "competency.integrity": 1.5})
    assert outputs["rating"] == "C"
    cap = trace[2]
    assert cap == TraceEntry(
        "integrity_cap",
        "cap",
        {"competency.integrity": 1.5, "rating": "A"},
        "rating",
        "C",
        fired=True,
        changed=True,
        before="A",
        note=cap.note,
    )
    assert cap.note.en == "integrity below 2 caps at C"
    assert trace[4].read == {"rating": "C"}  # later steps see the capped value


def test_a_cap_that_holds_but_is_not_exceeded_changes_nothing(ruleset) -> None:
    _, trace = evaluate_one(ruleset, {"score.kpi_index": 1.0, "competency.execution": 1.0, "competency.integrity": 1.0})
    assert (trace[2].fired, trace[2].changed, trace[2].value) == (True, False, "D")


def test_a_floor_raises_the_value(ruleset) -> None:
    outputs, trace = evaluate_one(ruleset, {"score.kpi_index": 2.0, "competency.execution": 2.0, "kpi.sales_attainment": 1.6})
    assert outputs["rating"] == "B"
    assert (trace[3].kind, trace[3].before, trace[3].value, trace[3].changed) == ("floor", "C", "B", True)


def test_a_null_condition_counts_as_false(ruleset) -> None:
    _, trace = evaluate_one(ruleset, {"score.kpi_index": 4.0, "competency.execution": 4.0})
    assert (trace[2].fired, trace[2].value) == (False, "A")
    assert trace[-1].value is False


def test_a_cap_on_a_number(ruleset) -> None:
    outputs, trace = evaluate_one(ruleset, {"score.kpi_index": 4.0, "competency.execution": 4.0})
    assert outputs["score.bonus"] == 1.5 and trace[5].before == 2.0


def test_missing_inputs_are_null_and_nan_is_null(ruleset) -> None:
    outputs, trace = evaluate_one(ruleset, {"score.kpi_index": math.nan, "competency.execution": 3.0})
    assert outputs["score.performance"] == 3.0
    assert trace[0].read == {"score.kpi_index": None, "competency.execution": 3.0}


def test_wrong_python_types_are_refused(ruleset) -> None:
    with pytest.raises(TypeError, match="score.kpi_index must be a number"):
        evaluate_one(ruleset, {"score.kpi_index": "3"})


PEOPLE = [
    {"score.kpi_index": 3.6, "competency.execution": 3.8, "competency.integrity": 3.0, "kpi.sales_attainment": 1.1},
    {"score.kpi_index": 4.0, "competency.execution": 4.0, "competency.integrity": 1.5},
    {"score.kpi_index": 2.0, "competency.execution": 2.0, "kpi.sales_attainment": 1.6},
    {"score.kpi_index": None, "competency.execution": None},
    {"score.kpi_index": 1.0, "competency.execution": 1.0, "competency.integrity": 1.0},
]


def test_sql_gives_the_same_outputs_and_traces(ruleset, con: duckdb.DuckDBPyConnection) -> None:
    """The bulk SQL agrees with the Python loop, and its trace columns rebuild the trace."""
    rows = run_sql(con, ruleset, PEOPLE)
    for person, row in zip(PEOPLE, rows):
        outputs, trace = evaluate_one(ruleset, person)
        assert {name: row[name] for name in outputs} == outputs
        assert trace_from_row(ruleset, row) == trace
    assert rows[1]["trace.integrity_cap.before"] == "A" and rows[1]["trace.integrity_cap.changed"] is True
    assert rows[0]["trace.rating.row"] == "a" and rows[0]["trace.rating.in.performance"] == 3.7


def test_sql_reads_missing_columns_as_null_and_keeps_ids(ruleset, con: duckdb.DuckDBPyConnection) -> None:
    con.execute('CREATE TABLE people ("employee.id" VARCHAR, "score.kpi_index" DOUBLE)')
    con.execute("INSERT INTO people VALUES ('E1', 3.0), ('E2', 'NaN')")
    sql = to_sql(ruleset, "people", keep=["employee.id"], columns=["employee.id", "score.kpi_index"])
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    assert [(r["employee.id"], r["score.kpi_index"], r["score.performance"], r["rating"]) for r in rows] == [
        ("E1", 3.0, 3.0, "B"),
        ("E2", None, None, None),
    ]


def test_mistakes_in_steps(schema: Schema) -> None:
    assert "duplicate step id 'rating'" in ruleset_problems(VALID.replace("id: sales_floor", "id: rating"), schema)
    assert "'score.performance' is already defined by step 'performance'" in ruleset_problems(
        VALID.replace("name: score.bonus", "name: score.performance"), schema
    )
    assert "a cap can only bound a value of an earlier step; 'competency.integrity' is an input" in ruleset_problems(
        VALID.replace("target: rating\n    when: competency.integrity", "target: competency.integrity\n    when: competency.integrity"),
        schema,
    )
    assert "names starting with 'flag.' are reserved" in ruleset_problems(VALID.replace("name: score.bonus", "name: flag.bonus"), schema)
    assert "'score.bonus' is a number, so at_most must be a number, not 'high'" in ruleset_problems(
        VALID.replace("at_most: 1.5", "at_most: high"), schema
    )


def test_a_step_that_fails_does_not_cascade(schema: Schema) -> None:
    """A broken compute still defines its name (as 'error'), so later steps are quiet."""
    text = RULES.replace("flag.x == null or true", "score.bonus > 1").replace(
        "mean(score.kpi_index, competency.execution)", "mean(score.kpi_indx, competency.execution)"
    )
    rendered = ruleset_problems(text, schema)
    assert rendered.endswith("1 error in 1 file.") and "score.kpi_indx" in rendered


def test_flags_define_names_later_steps_can_read(schema: Schema) -> None:
    """A flag writes flag.<id> (true/false, never null) for the steps after it."""
    ruleset = ruleset_from(
        """
kind: ruleset
id: flags
version: "1"
name: flags
steps:
  - {id: integrity_concern, kind: flag, when: competency.integrity < 2, message: review}
  - {id: penalty, kind: compute, name: score.penalty, expr: 1 if flag.integrity_concern else 0}
""",
        schema,
    )
    assert evaluate_one(ruleset, {"competency.integrity": 1.0})[0] == {"flag.integrity_concern": True, "score.penalty": 1.0}
    assert evaluate_one(ruleset, {})[0] == {"flag.integrity_concern": False, "score.penalty": 0.0}
