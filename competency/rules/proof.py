"""The UNIQUE proof: no overlap and no gap over the inputs' declared domains.

Exact, not sampled: each input's domain is cut at every bound any row
mentions, giving points and open intervals on which every test is constant;
the cartesian product of those pieces is checked cell by cell with one
representative value each (exact fractions), so an overlap or a gap is
reported with a concrete counter-example such as
`rows 1 and 4 both match performance=2, potential=low`.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

from competency.rules.tables import DecisionTable, TableInput
from competency.rules.unary import UnaryTest, show_number

MAX_PROOF_CELLS = 1_000_000
MAX_OVERLAPS_SHOWN = 5


def prove_unique(table: DecisionTable) -> list[tuple[str, int | None]]:
    """Overlaps and the first gap over the inputs' domains: (message, row index or None)."""
    pieces = [_pieces(item, [row.tests[i] for row in table.rows]) for i, item in enumerate(table.inputs)]
    cells = math.prod(len(p) for p in pieces)
    if cells > MAX_PROOF_CELLS:
        return [(f"too many input combinations to prove this UNIQUE table ({cells:,})", None)]
    masks = [
        [sum(1 << r for r, row in enumerate(table.rows) if row.tests[i].matches(value)) for value, _ in piece_list]
        for i, piece_list in enumerate(pieces)
    ]
    everything = (1 << len(table.rows)) - 1
    problems: list[tuple[str, int | None]] = []
    overlaps: set[tuple[int, int]] = set()
    gap = None
    for combination in itertools.product(*(range(len(p)) for p in pieces)):
        mask = everything
        for i, index in enumerate(combination):
            mask &= masks[i][index]
            if not mask:
                break
        if not mask:
            if gap is None:
                gap = combination
            continue
        if mask & (mask - 1):  # two or more rows
            first = (mask & -mask).bit_length() - 1
            rest = mask & ~(1 << first)
            second = (rest & -rest).bit_length() - 1
            if (first, second) not in overlaps and len(overlaps) < MAX_OVERLAPS_SHOWN:
                overlaps.add((first, second))
                where = _describe(table, pieces, combination)
                problems.append((f"rows {table.rows[first].id} and {table.rows[second].id} both match {where}", second))
    if gap is not None:
        problems.append((f"no row matches {_describe(table, pieces, gap)}", None))
    return problems


def _describe(table: DecisionTable, pieces: list[list[tuple[Any, str]]], combination: tuple[int, ...]) -> str:
    return ", ".join(f"{item.name}={pieces[i][index][1]}" for i, (item, index) in enumerate(zip(table.inputs, combination)))


def _pieces(item: TableInput, tests: list[UnaryTest]) -> list[tuple[Any, str]]:
    """(representative, how to show it) for each piece of the input's domain."""
    domain = item.domain
    if domain.interval is None:
        return [(value, value) for value in domain.values]
    bounds = domain.interval
    cuts = {Fraction(x) for test in tests for part in test.items for x in (part.interval.low, part.interval.high) if x is not None}  # type: ignore[union-attr]
    cuts |= {Fraction(x) for x in (bounds.low, bounds.high) if x is not None}
    points = sorted(
        p for p in cuts if (bounds.low is None or p >= Fraction(bounds.low)) and (bounds.high is None or p <= Fraction(bounds.high))
    )
    pieces: list[tuple[Any, str]] = []
    if bounds.low is None:
        below = (math.ceil(points[0]) - 1) if points else 0
        pieces.append((Fraction(below), _show(Fraction(below))))
    for index, point in enumerate(points):
        if bounds.contains(point):
            pieces.append((point, show_number(float(point))))
        if index + 1 < len(points):
            inside = _between(point, points[index + 1])
            pieces.append((inside, _show(inside)))
    if bounds.high is None and points:
        above = Fraction(math.floor(points[-1]) + 1)
        pieces.append((above, _show(above)))
    return pieces


def _between(low: Fraction, high: Fraction) -> Fraction:
    """The value with the fewest decimals strictly between two numbers."""
    for digits in range(13):
        step = Fraction(1, 10**digits)
        candidate = (math.floor(low / step) + 1) * step
        if candidate < high:
            return candidate
    return (low + high) / 2


def _show(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    if denominator == 1:
        return str(Decimal(value.numerator) / Decimal(value.denominator))
    return repr(float(value))
