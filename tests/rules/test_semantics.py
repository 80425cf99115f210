"""Null and number semantics (semantics.py), each checked in both back ends.

Every case runs the expression through DuckDB and through the Python closure
and requires the same, stated answer.
"""

from __future__ import annotations

import math

import duckdb
import pytest

from competency.rules._parse import parse_expression
from competency.rules.check import check_expression
from competency.rules.expr import BOOL, NUMBER, STRING, enum
from competency.rules.python import to_python
from competency.rules.schema import Schema
from competency.rules.semantics import round_half_away
from competency.rules.sql import to_sql

SCHEMA = Schema(
    {
        "a": NUMBER,
        "b": NUMBER,
        "c": NUMBER,
        "t": STRING,
        "ok": BOOL,
        "rating": enum(("A", "B", "C", "D"), ordered=True),
        "role": enum(("sales_representative", "sales_supervisor")),
    }
)
COLUMNS = {"a": "DOUBLE", "b": "DOUBLE", "c": "DOUBLE", "t": "VARCHAR", "ok": "BOOLEAN", "rating": "VARCHAR", "role": "VARCHAR"}


def both(text: str, values: dict | None = None) -> object:
    """The value of `text` for one row of `values`; asserts both back ends agree."""
    values = values or {}
    typed, errors = check_expression(parse_expression(text), SCHEMA, text)
    assert not errors, [e.message for e in errors]
    con = duckdb.connect()
    con.execute("CREATE TABLE v (" + ", ".join(f'"{n}" {t}' for n, t in COLUMNS.items()) + ")")
    con.execute("INSERT INTO v VALUES (" + ", ".join("?" for _ in COLUMNS) + ")", [values.get(n) for n in COLUMNS])
    in_sql = con.execute(f"SELECT {to_sql(typed)} FROM v").fetchone()[0]
    in_python = to_python(typed)({n: values.get(n) for n in COLUMNS})
    assert in_sql == in_python or (isinstance(in_sql, float) and math.isnan(in_sql) and math.isnan(in_python)), (in_sql, in_python)
    return in_python


def test_arithmetic_is_rounded_to_six_decimals_before_comparing() -> None:
    """(3.3 + 4.3 + 3.8) / 3 is 3.8000000000000003 in floats, 3.8 here."""
    assert both("(3.3 + 4.3 + 3.8) / 3 >= 3.8") is True
    assert both("0.1 + 0.2 == 0.3") is True
    assert both("a * 3", {"a": 1.1}) == 3.3


def test_null_propagates_through_arithmetic_and_comparison() -> None:
    assert both("a + 1", {}) is None
    assert both("-a", {}) is None
    assert both("a > 1", {}) is None
    assert both("a == b", {}) is None
    assert both("t in ['x']", {}) is None


def test_division_by_zero_is_null() -> None:
    assert both("a / 0", {"a": 1.0}) is None
    assert both("a / b", {"a": 1.0, "b": -0.0}) is None
    assert both("0 / 0") is None


def test_comparing_with_null_tests_for_null() -> None:
    assert both("a == null", {}) is True
    assert both("a != null", {"a": 1.0}) is True
    assert both("null == null") is True


def test_three_valued_logic() -> None:
    assert both("ok and false", {}) is False
    assert both("ok or true", {}) is True
    assert both("ok and true", {}) is None
    assert both("ok or false", {}) is None
    assert both("not ok", {}) is None


def test_if_else_treats_a_null_condition_as_false() -> None:
    assert both("1 if ok else 2", {}) == 2.0
    assert both("1 if a > 3 else 2", {"a": 4.0}) == 1.0


def test_min_max_mean_ignore_nulls_and_coalesce_takes_the_first() -> None:
    assert both("min(a, b, c)", {"a": 3.0, "c": 1.0}) == 1.0
    assert both("max(a, b)", {}) is None
    assert both("mean(a, b, c)", {"a": 3.3, "b": 4.3, "c": 3.8}) == 3.8
    assert both("mean(a, b, c)", {"a": 3.0, "c": 4.0}) == 3.5
    assert both("mean(a, b)", {}) is None
    assert both("coalesce(a, b, 7)", {"b": 2.0}) == 2.0
    assert both("coalesce(t, 'none')", {}) == "none"


def test_round_is_half_away_from_zero() -> None:
    assert both("round(2.5)") == 3.0
    assert both("round(-2.5)") == -3.0
    assert both("round(a, 2)", {"a": 2.675}) == 2.67  # 2.675 is 2.67499999… in binary
    assert both("round(a, 1)", {"a": 0.25}) == 0.3
    assert both("abs(a)", {"a": -1.5}) == 1.5


def test_ordered_choices_compare_by_rank() -> None:
    """rating A > B > C > D: `rating >= "B"` holds for A and B."""
    assert [both("rating >= 'B'", {"rating": r}) for r in "ABCD"] == [True, True, False, False]
    assert both("rating < 'A'", {}) is None
    assert both("rating == 'C'", {"rating": "C"}) is True


def test_text_equality_and_lists() -> None:
    assert both('t == "it\'s"', {"t": "it's"}) is True
    assert both("role not in ['sales_supervisor']", {"role": "sales_representative"}) is True
    assert both("a in [1, 2.5]", {"a": 2.5}) is True


@pytest.mark.parametrize(
    ("x", "digits", "expected"),
    [
        (2.5, 0, 3.0),
        (-2.5, 0, -3.0),
        (0.125, 2, 0.13),
        (1.0000005, 6, 1.000001),
        (1.1593155, 6, 1.159315),
        (1e300, 6, 1e300),
        (-0.0000001, 6, -0.0),
    ],
)
def test_round_half_away_matches_duckdb(x: float, digits: int, expected: float) -> None:
    """The Python rounding reproduces DuckDB's round(DOUBLE, n) bit for bit."""
    got = round_half_away(x, digits)
    duck = duckdb.connect().execute(f"SELECT round(CAST('{x!r}' AS DOUBLE), {digits})").fetchone()[0]
    assert got == expected == duck and math.copysign(1, got) == math.copysign(1, duck)
