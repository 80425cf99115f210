"""SQL for averages that come out the same on every run, rounded exactly.

Summed as doubles, a total's last bits follow the order in which DuckDB's
threads add the rows, so a figure rounded to 6 decimals can differ by a
millionth from one run of the same data to the next (at 100,000 people about
900 competency indices did). Here the sums are exact decimals (values rounded
to 9 decimals first, far below what any figure shows), and the quotient is
rounded half away from zero in integer arithmetic: a double quotient would
round a tie such as 2.7814815 whichever way its binary fraction happens to fall.
"""

from __future__ import annotations

EXACT = "DECIMAL(38, 9)"
_TO_INTEGER = 10**9  # EXACT's scale
_DIGITS = 6


def _rounded_ratio(numerator: str, denominator: str) -> str:
    """SQL: numerator / denominator (exact decimals; the denominator positive, or NULL
    for no result) rounded half away from zero to 6 decimals."""
    n = f"(({numerator}) * {_TO_INTEGER})::HUGEINT"
    d = f"(({denominator}) * {_TO_INTEGER})::HUGEINT"
    unit = 10**_DIGITS
    return f"(sign({n}) * ((abs({n}) * {2 * unit} + {d}) // (2 * {d})))::DOUBLE / {unit}"


def mean_sql(value: str) -> str:
    """SQL: the mean of `value` over the group, rounded to 6 decimals."""
    return _rounded_ratio(f"sum({value}::{EXACT})", f"nullif(count({value}), 0)")


def weighted_mean_sql(value: str, weight: str, weight_filter: str = "") -> str:
    """SQL: Σ weight·value / Σ weight over the group (the weights of the rows
    `weight_filter` keeps, when given), rounded to 6 decimals."""
    weights = f"sum({weight}::{EXACT}){f' FILTER (WHERE {weight_filter})' if weight_filter else ''}"
    return _rounded_ratio(f"sum(({weight} * {value})::{EXACT})", f"nullif({weights}, 0)")
