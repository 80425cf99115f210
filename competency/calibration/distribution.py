"""Final ratings per scope against the guidelines, and the 9-box counts.

Counting is one DuckDB statement (GROUPING SETS over the final ratings);
comparing each scope's counts with its bounds is exact arithmetic on that
small aggregated table (a handful of rows per scope).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from competency._sql import quote_ident, quote_text
from competency.calibration.guidelines import SCOPE_KINDS, Bound, Guidelines, Scope, rounded_share

# The rated people of a cycle with their final rating and where they belong.
PEOPLE_SQL = """
    SELECT f.employee_id, r.name, r.role, r.department, r.region, r.manager_id, r.attributes, f.final_rating, f.rating AS computed_rating,
           f.overridden, f.performance, f.ability, f.competency_index, f.nine_box
    FROM final_results f JOIN roster r ON r.cycle_id = f.cycle_id AND r.employee_id = f.employee_id
    WHERE f.cycle_id = $cycle
"""
_COLUMN = {"department": "department", "region": "region", "manager": "manager_id"}


@dataclass(frozen=True)
class BoundCheck:
    """One bound in one scope: how many hold the ratings, their share, and the verdict."""

    ratings: str  # "A" or "A+B"
    share: str  # the bound as written, "<= 15%"
    count: int
    percent: float  # the rounded share compared with the bound
    allowed: tuple[int, int] | None  # head counts that meet the bound (None: none can)
    within: bool
    deviation: float  # percentage points beyond the bound; 0 within
    excess: int  # people too many (> 0) or too few (< 0) for the bound; 0 within


@dataclass(frozen=True)
class ScopeCheck:
    kind: str  # organisation, region, department, manager
    scope: str | None
    label: str
    size: int  # rated people
    checked: bool  # large enough and with bounds
    counts: dict[str, int]
    percents: dict[str, float]
    bounds: list[BoundCheck] = field(default_factory=list)

    @property
    def off(self) -> bool:
        return self.checked and any(not b.within for b in self.bounds)


def check_bound(bound: Bound, counts: dict[str, int], size: int, decimals: int, tolerance: float) -> BoundCheck:
    count = sum(counts.get(r, 0) for r in bound.ratings)
    share = rounded_share(count, size, decimals)
    allowed = bound.allowed_counts(size, decimals, tolerance)
    within = allowed is not None and allowed[0] <= count <= allowed[1]
    excess = 0
    if allowed is not None and not within:
        excess = count - allowed[1] if count > allowed[1] else count - allowed[0]
    deviation = 0.0 if within else float(bound.deviation(share))
    return BoundCheck(bound.label, bound.share, count, float(share), allowed, within, deviation, excess)


def check_scope(guidelines: Guidelines, scope: Scope | None, kind: str, name: str | None, label: str, counts: dict[str, int]) -> ScopeCheck:
    size = sum(counts.values())
    percents = {r: float(rounded_share(c, size, guidelines.share_decimals)) for r, c in counts.items()} if size else {}
    bounds = guidelines.bounds_for(scope) if scope is not None else []
    checked = scope is not None and bool(bounds) and size >= scope.minimum_size
    checks = [check_bound(b, counts, size, guidelines.share_decimals, guidelines.tolerance) for b in bounds] if checked else []
    return ScopeCheck(kind, name, label, size, checked, counts, percents, checks)


def scope_counts(db: duckdb.DuckDBPyConnection, cycle_id: str, kinds: list[str]) -> dict[tuple[str, str | None], dict[str, int]]:
    """Final-rating counts per scope of the kinds asked: {(kind, scope): {rating: count}}."""
    columns = {k: quote_ident(_COLUMN[k]) for k in kinds if k != "organisation"}
    sets = ["(final_rating)"] + [f"({column}, final_rating)" for column in columns.values()]
    kind_case = " ".join(f"WHEN grouping({column}) = 0 THEN {quote_text(k)}" for k, column in columns.items())
    scope_expr = "coalesce(" + ", ".join([*columns.values(), "NULL"]) + ")"
    rows = db.execute(
        f"""
        WITH p AS ({PEOPLE_SQL})
        SELECT CASE {kind_case + ' ' if kind_case else ''}ELSE 'organisation' END AS kind, {scope_expr}::VARCHAR AS scope, final_rating, count(*)
        FROM p WHERE final_rating IS NOT NULL
        GROUP BY GROUPING SETS ({', '.join(sets)})
        """,
        {"cycle": cycle_id},
    ).fetchall()
    counts: dict[tuple[str, str | None], dict[str, int]] = {}
    for kind, scope, rating, count in rows:
        if kind == "organisation" and "organisation" not in kinds:
            continue
        if kind != "organisation" and scope is None:
            continue  # people without a department / region / manager belong to no such scope
        counts.setdefault((kind, scope), {})[rating] = count
    return counts


def manager_names(db: duckdb.DuckDBPyConnection, cycle_id: str) -> dict[str, str]:
    rows = db.execute(
        "SELECT employee_id, coalesce(name, employee_id) FROM roster WHERE cycle_id = $cycle AND employee_id IN (SELECT manager_id FROM roster WHERE cycle_id = $cycle)",
        {"cycle": cycle_id},
    ).fetchall()
    return dict(rows)


def check_scopes(db: duckdb.DuckDBPyConnection, cycle_id: str, guidelines: Guidelines, kinds: list[str], scale: tuple[str, ...]) -> list[ScopeCheck]:
    """Every scope of the kinds asked, checked against its bounds; ordered by kind, then scope."""
    counts = scope_counts(db, cycle_id, kinds)
    names = manager_names(db, cycle_id) if "manager" in kinds else {}
    checks = []
    for (kind, name), by_rating in counts.items():
        ordered = {r: by_rating.get(r, 0) for r in scale}
        ordered.update({r: c for r, c in by_rating.items() if r not in ordered})
        label = "organisation" if kind == "organisation" else (f"{name} {names[name]}" if kind == "manager" and name in names else str(name))
        checks.append(check_scope(guidelines, guidelines.scope(kind), kind, name, label, ordered))
    order = {k: i for i, k in enumerate(SCOPE_KINDS)}
    return sorted(checks, key=lambda c: (order[c.kind], c.scope or ""))


def nine_box(db: duckdb.DuckDBPyConnection, cycle_id: str, names: bool) -> list[dict[str, Any]]:
    """People per 9-box cell (with their names, sorted, when asked)."""
    listing = ", list(coalesce(name, employee_id) ORDER BY employee_id) AS names" if names else ""
    rows = db.execute(
        f"WITH p AS ({PEOPLE_SQL}) SELECT coalesce(nine_box, 'unplaced') AS box, count(*) AS people{listing} FROM p GROUP BY ALL ORDER BY people DESC, box",
        {"cycle": cycle_id},
    ).fetchall()
    return [{"box": r[0], "people": r[1], **({"names": r[2]} if names else {})} for r in rows]
