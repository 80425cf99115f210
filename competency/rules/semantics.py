"""What the rule language means: null and number semantics, defined once.

Both back ends (`sql.py` for DuckDB, `python.py` for one person) follow this
page; `tests/property/test_rules_backends.py` checks that they agree.

Values
    number (an IEEE double; integers are doubles too), text, true/false, null.
    Inputs that are NaN or ±infinity are read as null.

Arithmetic `+ - * /`
    - any operand null → null;
    - division by zero → null;
    - every result is rounded to 6 decimals, half away from zero, on the exact
      binary value — so `(3.3 + 4.3 + 3.8) / 3 >= 3.8` is true and float noise
      never decides a comparison. This is DuckDB's `round(x, 6)` for DOUBLE;
      `round_half_away` below reproduces it bit for bit (exact decimal rounding
      while |x·10ⁿ| < 2⁵², beyond that the double `x·10ⁿ` is already whole).
    - unary minus, `abs`, `min`, `max` and comparisons are exact (no rounding).
    - numbers are meant to be scores and ratios: results beyond ±1e300 (overflow
      to infinity) are outside the language and not guaranteed to agree.

Comparisons `< <= > >= == !=` and `in`
    - any operand null → null (SQL), except comparing with the literal `null`:
      `x == null` is true exactly when x is null, `x != null` the opposite;
    - `in [..]` with a null operand → null (the list itself may not hold null);
    - numbers compare numerically, text by equality only; an *ordered* choice
      (rating A > B > C > D, potential high > medium > low) also compares by
      rank: `rating >= "B"` is true for A and B. A value outside the choice has
      no rank, and comparing it by rank gives null.

Logic `and or not`
    three-valued, as in SQL: `false and null` is false, `true or null` is true,
    `true and null`, `false or null` and `not null` are null.
    Wherever a rule needs a decision — a step's `when`, the condition of
    `x if cond else y`, a table row — null counts as false.

Functions
    - `min(a, …)`, `max(a, …)`: ignore nulls; null only when all are null
      (DuckDB's LEAST/GREATEST do the same — verified);
    - `mean(a, …)`: mean of the non-null values (summed left to right), rounded
      to 6 decimals; null when all are null;
    - `coalesce(a, …)`: the first non-null value;
    - `abs(x)`; `round(x)`, `round(x, n)` for 0 ≤ n ≤ 6: half away from zero,
      as above (`round(2.5)` is 3, `round(-2.5)` is -3).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

DECIMALS = 6
_TWO_52 = 2.0**52
_CONTEXT = Context(prec=60, rounding=ROUND_HALF_UP)  # HALF_UP is "half away from zero" in decimal
_QUANTUM = {n: Decimal((0, (1,), -n)) for n in range(DECIMALS + 1)}


def round_half_away(x: float, digits: int = DECIMALS) -> float:
    """Round like DuckDB's `round(DOUBLE, digits)`: half away from zero, exactly."""
    scaled = x * 10.0**digits
    if not math.isfinite(scaled):
        return x
    if abs(scaled) >= _TWO_52:
        # Every double this large is whole: nothing to round, only to rescale.
        return scaled / 10.0**digits
    rounded = float(Decimal(x).quantize(_QUANTUM[digits], context=_CONTEXT))
    return rounded if rounded != 0 else math.copysign(0.0, x)


def clean_number(value: object) -> float | None:
    """An input number as the language sees it: a float, or None for NaN/∞/None."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None
