"""The two back ends of the rule language agree, and the parser cannot be broken.

- For random well-typed expressions over random data with nulls, the DuckDB
  SQL and the Python closure give the same value.
- Any text at all into the parser (or the table-cell parser) raises nothing
  but RuleError; whatever it accepts and the checker types also runs
  identically in both back ends.
- A UNIQUE table whose rows tile the domain is proven, and for any input in
  the domain exactly one row fires, in both back ends; drop a row and the
  proof finds the gap.
"""

from __future__ import annotations

import math

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competency.errors import RuleError
from competency.files.yaml_loader import parse_yaml
from competency.rules import evaluate_one, single_table, to_sql
from competency.rules._parse import parse_expression
from competency.rules.check import check_expression
from competency.rules.loading import parse_table
from competency.rules.python import to_python
from competency.rules.sql import quote_ident, sql_type
from competency.rules.sql import to_sql as expression_sql
from competency.rules.unary import parse_test
from tests.examples import examples
from tests.property.strategies_rules import SCHEMA, TABLE_SCHEMA, any_text, expressions, partition_tables, rows

SETTINGS = settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
_CONNECTION = duckdb.connect()
_CONNECTION.execute(
    "CREATE TABLE data (row_id INTEGER, " + ", ".join(f"{quote_ident(n)} {sql_type(t)}" for n, t in SCHEMA.types.items()) + ")"
)


def load(data: list[dict]) -> None:
    _CONNECTION.execute("DELETE FROM data")
    columns = list(SCHEMA.types)
    _CONNECTION.executemany(
        f"INSERT INTO data VALUES (?, {', '.join('?' for _ in columns)})", [[i, *(row[n] for n in columns)] for i, row in enumerate(data)]
    )


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b and type(a) is type(b)


def assert_backends_agree(text: str, data: list[dict]) -> None:
    typed, errors = check_expression(parse_expression(text), SCHEMA, text)
    assert not errors, [str(e) for e in errors]
    closure = to_python(typed)
    load(data)
    in_sql = [row[0] for row in _CONNECTION.execute(f"SELECT {expression_sql(typed)} FROM data ORDER BY row_id").fetchall()]
    in_python = [closure(row) for row in data]
    for sql_value, python_value, row in zip(in_sql, in_python, data):
        assert same(sql_value, python_value), f"{text}\n  row {row}\n  sql {sql_value!r} != python {python_value!r}"


@SETTINGS
@given(expression=expressions(), data=st.lists(rows, min_size=1, max_size=5))
def test_sql_and_python_agree_on_random_expressions(expression: tuple[str, str], data: list[dict]) -> None:
    assert_backends_agree(expression[0], data)


@pytest.mark.parametrize(
    "text",
    [
        "(3.3 + 4.3 + 3.8) / 3 >= 3.8",
        "n1 / 0",
        "mean(n1, n2, n3)",
        "min(n1, n2) if b else max(n2, n3)",
        "c >= 'B' or t1 in ['a', 'b']",
        "round(n1 * 1.005, 2)",
    ],
)
def test_sql_and_python_agree_on_known_hard_cases(text: str) -> None:
    data = [{"n1": 1.0000005, "n2": 2.675, "n3": None, "t1": "a", "t2": None, "c": "B", "b": None}, {n: None for n in SCHEMA.types}]
    assert_backends_agree(text, data)


@SETTINGS
@given(text=any_text)
def test_random_text_raises_only_rule_errors(text: str) -> None:
    """Whatever the text, the parser and checker fail only with RuleError;
    what they accept runs the same in both back ends."""
    try:
        node = parse_expression(text)
    except RuleError:
        return
    typed, errors = check_expression(node, SCHEMA, text)
    if errors or typed.type is None or typed.type.kind in ("error", "null"):
        return
    assert_backends_agree(text, [{"n1": 2.5, "n2": None, "n3": -1.0, "t1": "a", "t2": None, "c": "C", "b": True}])


@SETTINGS
@given(text=any_text)
def test_random_text_into_a_table_cell_raises_only_rule_errors(text: str) -> None:
    try:
        test = parse_test(text)
    except RuleError:
        return
    assert test.source == text


@SETTINGS
@given(
    table=partition_tables(),
    people=st.lists(
        st.tuples(
            st.one_of(st.floats(1.0, 4.0), st.sampled_from([1.0, 4.0, 1.1, 2.0, 2.5, 3.9])), st.sampled_from(["low", "medium", "high"])
        ),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_a_proven_unique_table_fires_exactly_one_row_in_both_back_ends(
    table: tuple[str, list[float]], people: list, data: st.DataObject
) -> None:
    text, cuts = table
    parsed, problems = parse_table(parse_yaml(text, "tiles.yaml"), TABLE_SCHEMA)
    assert problems == [], problems
    assert parsed is not None
    people = [(data.draw(st.sampled_from(cuts)) if cuts and x == 2.0 else x, p) for x, p in people]  # hit the cut points too
    ruleset = single_table(parsed, TABLE_SCHEMA)
    con = _CONNECTION
    con.execute('CREATE OR REPLACE TABLE inputs (row_id INTEGER, "n1" DOUBLE, "p" VARCHAR)')
    con.executemany("INSERT INTO inputs VALUES (?, ?, ?)", [[i, x, p] for i, (x, p) in enumerate(people)])
    fired = [
        row[0]
        for row in con.execute(f'SELECT "trace.tiles.row" FROM ({to_sql(ruleset, "inputs", keep=["row_id"])}) ORDER BY row_id').fetchall()
    ]
    for (x, p), sql_row in zip(people, fired):
        _, trace = evaluate_one(ruleset, {"n1": x, "p": p})
        assert len(trace[0].rows) == 1 and sql_row == trace[0].rows[0]
        matching = [row.id for row in parsed.rows if all(test.matches(v) for test, v in zip(row.tests, (x, p)))]
        assert matching == [sql_row]


@SETTINGS
@given(table=partition_tables(), data=st.data())
def test_dropping_a_row_of_a_tiling_leaves_a_gap_the_proof_finds(table: tuple[str, list[float]], data: st.DataObject) -> None:
    text, _ = table
    lines = text.splitlines()
    row_lines = [i for i, line in enumerate(lines) if line.startswith("  - {id:")]
    if len(row_lines) < 2:
        return
    drop = data.draw(st.sampled_from(row_lines))
    _, problems = parse_table(parse_yaml("\n".join(lines[:drop] + lines[drop + 1 :]) + "\n", "tiles.yaml"), TABLE_SCHEMA)
    assert [p.message.split(" performance=")[0] for p in problems] == ["no row matches"]
