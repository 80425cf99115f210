"""SQL for averages that come out the same on every run.

Summed as doubles, a total's last bits follow the order in which DuckDB's
threads add the rows, so a figure rounded to 6 decimals can differ by a
millionth from one run of the same data to the next (at 100,000 people about
900 competency indices did). Decimal sums are exact, so the order does not
matter. Values are rounded to 9 decimals first, far below what any figure shows.
"""

from __future__ import annotations

EXACT = "DECIMAL(18, 9)"


def mean_sql(value: str) -> str:
    """SQL: the mean of `value` over the group, rounded to 6 decimals."""
    return f"round(avg({value}::{EXACT}), 6)"


def weighted_mean_sql(value: str, weight: str, weight_filter: str = "") -> str:
    """SQL: Σ weight·value / Σ weight over the group (the weights of the rows
    `weight_filter` keeps, when given), rounded to 6 decimals."""
    denominator = f"sum({weight}::{EXACT}){f' FILTER (WHERE {weight_filter})' if weight_filter else ''}"
    return f"round(sum(({weight} * {value})::{EXACT}) / nullif({denominator}, 0), 6)"
