"""Decision tables: hit policies, COLLECT aggregations, the UNIQUE proof, both back ends."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from competency.files.yaml_loader import parse_yaml
from competency.rules import Schema, evaluate_one, load_table, single_table, trace_from_row
from competency.rules.loading import parse_table
from tests.rules.support import ruleset_from, ruleset_problems, run_sql, table_problems


def table_rules(table: str) -> str:
    """A one-step rule set around an indented table body."""
    return (
        "kind: ruleset\nid: t\nversion: '1'\nname: t\nsteps:\n  - id: tab\n    kind: table\n"
        + "\n".join("    " + line for line in table.strip().splitlines())
        + "\n"
    )


def decide(ruleset, people: list[dict], con: duckdb.DuckDBPyConnection, output: str) -> list:
    """The output for each person, asserting SQL, Python and both traces agree."""
    python = [evaluate_one(ruleset, person) for person in people]
    rows = run_sql(con, ruleset, people)
    for (outputs, trace), row in zip(python, rows):
        assert row[output] == outputs[output]
        assert trace_from_row(ruleset, row) == trace
    return [outputs[output] for outputs, _ in python]


BANDS = """
hit: {hit}
inputs:
  - name: performance
    expr: score.kpi_index
    domain: "[1..4]"
output:
  name: band
  order: [high, mid, low]
rows:
  - id: low
    when: {{performance: "< 2.5"}}
    then: low
  - id: mid
    when: {{performance: "[2..3.5)"}}
    then: mid
  - id: high
    when: {{performance: ">= 3"}}
    then: high
"""


def test_first_takes_the_first_matching_row(schema: Schema, con: duckdb.DuckDBPyConnection) -> None:
    ruleset = ruleset_from(table_rules(BANDS.format(hit="FIRST")), schema)
    people = [{"score.kpi_index": x} for x in (1.0, 2.2, 3.2, 4.0)]
    assert decide(ruleset, people, con, "band") == ["low", "low", "mid", "high"]


def test_priority_takes_the_best_output_whatever_the_row_order(schema: Schema, con: duckdb.DuckDBPyConnection) -> None:
    ruleset = ruleset_from(table_rules(BANDS.format(hit="PRIORITY")), schema)
    people = [{"score.kpi_index": x} for x in (1.0, 2.2, 3.2, 4.0)]
    assert decide(ruleset, people, con, "band") == ["low", "mid", "high", "high"]
    _, trace = evaluate_one(ruleset, {"score.kpi_index": 3.2})
    assert trace[0].rows == ("high",)


def test_a_table_decides_only_inside_its_domain(schema: Schema, con: duckdb.DuckDBPyConnection) -> None:
    """Null or out-of-domain inputs: null output, no row fired."""
    ruleset = ruleset_from(table_rules(BANDS.format(hit="FIRST")), schema)
    people = [{"score.kpi_index": None}, {"score.kpi_index": 0.5}, {"score.kpi_index": 4.5}]
    assert decide(ruleset, people, con, "band") == [None, None, None]
    assert evaluate_one(ruleset, {})[1][0].rows == ()


COLLECT = """
hit: COLLECT
aggregation: {aggregation}
inputs:
  - name: execution
    expr: competency.execution
    domain: "[1..4]"
  - name: role
    expr: employee.role
output:
  name: points
  type: number
rows:
  - when: {{execution: ">= 3"}}
    then: 1.5
  - when: {{execution: ">= 3.5", role: "sales_supervisor, regional_sales_manager"}}
    then: 2.25
  - when: {{role: not(sales_representative)}}
    then: 0.1
"""


@pytest.mark.parametrize(
    ("aggregation", "expected"),
    [
        ("sum", [3.85, 1.5, None, 0.1]),
        ("min", [0.1, 1.5, None, 0.1]),
        ("max", [2.25, 1.5, None, 0.1]),
        ("count", [3.0, 1.0, 0.0, 1.0]),
        ("list", [[1.5, 2.25, 0.1], [1.5], [], [0.1]]),
    ],
)
def test_collect_aggregations(aggregation: str, expected: list, schema: Schema, con: duckdb.DuckDBPyConnection) -> None:
    """COLLECT: every matching row, summed, minimised, maximised, counted or listed."""
    ruleset = ruleset_from(table_rules(COLLECT.format(aggregation=aggregation)), schema)
    people = [
        {"competency.execution": 3.8, "employee.role": "sales_supervisor"},
        {"competency.execution": 3.8, "employee.role": "sales_representative"},
        {"competency.execution": 1.0, "employee.role": "sales_representative"},
        {"competency.execution": 2.0, "employee.role": "regional_sales_manager"},
    ]
    assert decide(ruleset, people, con, "points") == expected
    assert evaluate_one(ruleset, people[0])[1][0].rows == ("1", "2", "3")


NINE_BOX = """
hit: UNIQUE
inputs:
  - name: performance
    expr: score.kpi_index
    domain: "[1..4]"
  - name: potential
    expr: employee.potential
output:
  name: box
  values: [b1, b2, b3, b4, b5, b6, b7, b8, b9]
rows:
  - {when: {performance: "[1..2.5)", potential: low}, then: b1}
  - {when: {performance: "[2.5..3.5)", potential: low}, then: b2}
  - {when: {performance: "[3.5..4]", potential: low}, then: b3}
  - {when: {performance: "[1..2.5)", potential: medium}, then: b4}
  - {when: {performance: "[2.5..3.5)", potential: medium}, then: b5}
  - {when: {performance: "[3.5..4]", potential: medium}, then: b6}
  - {when: {performance: "[1..2.5)", potential: high}, then: b7}
  - {when: {performance: "[2.5..3.5)", potential: high}, then: b8}
  - {when: {performance: "[3.5..4]", potential: high}, then: b9}
"""


def test_a_proven_unique_table_decides(schema: Schema, con: duckdb.DuckDBPyConnection) -> None:
    ruleset = ruleset_from(table_rules(NINE_BOX), schema)
    people = [{"score.kpi_index": p, "employee.potential": q} for p in (1.0, 2.5, 3.49, 3.5, 4.0) for q in ("low", "medium", "high")]
    assert decide(ruleset, people, con, "box") == ["b1", "b4", "b7", "b2", "b5", "b8", "b2", "b5", "b8", "b3", "b6", "b9", "b3", "b6", "b9"]


def test_overlaps_are_reported_with_a_counter_example(schema: Schema) -> None:
    text = table_rules(NINE_BOX.replace('"[2.5..3.5)", potential: low', '"[2..3.5)", potential: low'))
    assert ruleset_problems(text, schema) == (
        "rules.yaml:20:9: rows 1 and 2 both match performance=2, potential=low\n"
        '          - {when: {performance: "[2..3.5)", potential: low}, then: b2}\n'
        "            " + "^" * len('{when: {performance: "[2..3.5)", potential: low}, then: b2}') + "\n"
        "  hint: change the tests so that every combination of inputs matches exactly one row\n\n"
        "1 error in 1 file."
    )


def test_gaps_are_reported_with_a_counter_example(schema: Schema) -> None:
    text = table_rules(NINE_BOX.replace('"[3.5..4]", potential: high', '"[3.6..4]", potential: high'))
    assert ruleset_problems(text, schema).splitlines()[0] == "rules.yaml:18:5: no row matches performance=3.5, potential=high"


@pytest.mark.parametrize(
    ("tests", "message"),
    [
        (["< 2", "> 2"], "no row matches x=2"),
        (["<= 2", ">= 2"], "rows 1 and 2 both match x=2"),
        (["(1..2)", "[2..4]", "1"], None),
        (["[1..1.5]", "(1.5..4]"], None),
        (["[1..1.5]", "(1.6..4]"], "no row matches x=1.6"),
        (["[1..3.9)", "[3.91..4]"], "no row matches x=3.9"),
        (["not(< 2)", "< 2"], None),
        (["not(< 2)", "<= 2"], "rows 1 and 2 both match x=2"),
        (["-", "= 3"], "rows 1 and 2 both match x=3"),
    ],
)
def test_the_unique_proof_is_exact(tests: list[str], message: str | None, schema: Schema) -> None:
    """Points and open pieces between bounds are all tried: no sampling."""
    rows = "\n".join(f'  - {{when: {{x: "{t}"}}, then: 1}}' for t in tests)
    text = f'kind: decision_table\nid: t\nhit: UNIQUE\ninputs:\n  - {{name: x, expr: score.kpi_index, domain: "[1..4]"}}\noutput: {{name: out, type: number}}\nrows:\n{rows}\n'
    if message is None:
        assert parse_table(parse_yaml(text, "t.yaml"), schema)[1] == []
    else:
        assert message in table_problems(text, schema)


def test_the_proof_covers_unbounded_domains(schema: Schema) -> None:
    text = 'kind: decision_table\nid: t\nhit: UNIQUE\ninputs:\n  - {name: a, expr: kpi.sales_attainment, domain: ">= 0"}\noutput: {name: out, type: number}\nrows:\n  - {when: {a: "< 1"}, then: 1}\n  - {when: {a: "[1..1.2]"}, then: 2}\n'
    assert table_problems(text, schema).splitlines()[0] == "table.yaml:7:1: no row matches a=2"


def test_priority_without_an_order_and_other_table_mistakes(schema: Schema) -> None:
    text = table_rules(BANDS.format(hit="PRIORITY").replace("order: [high, mid, low]", "values: [high, mid, low]"))
    assert "a PRIORITY table needs an ordered output" in ruleset_problems(text, schema)
    assert "'aggregation' is only for COLLECT tables, not FIRST" in ruleset_problems(
        table_rules("aggregation: sum\n" + BANDS.format(hit="FIRST")), schema
    )
    assert "unknown aggregation 'avg'" in ruleset_problems(table_rules(COLLECT.format(aggregation="avg")), schema)


def test_load_table_from_a_file(schema: Schema, tmp_path: Path, con: duckdb.DuckDBPyConnection) -> None:
    """A `kind: decision_table` file loads on its own and runs as a one-step rule set."""
    path = tmp_path / "nine_box.yaml"
    path.write_text("kind: decision_table\nid: nine_box\n" + NINE_BOX.strip() + "\n", encoding="utf-8")
    table = load_table(path, schema)
    assert (table.hit, table.output, len(table.rows)) == ("UNIQUE", "box", 9)
    ruleset = single_table(table, schema)
    assert decide(ruleset, [{"score.kpi_index": 3.7, "employee.potential": "high"}], con, "box") == ["b9"]


def test_row_annotations_and_labels_reach_the_trace(schema: Schema) -> None:
    text = table_rules(BANDS.format(hit="FIRST").replace("    then: low", "    then: low\n    annotation: {zh: 低, en: low band}"))
    ruleset = ruleset_from(text, schema)
    entry = evaluate_one(ruleset, {"score.kpi_index": 1.2})[1][0]
    assert (entry.step, entry.rows, entry.read, entry.value, entry.note.en) == ("tab", ("low",), {"performance": 1.2}, "low", "low band")
