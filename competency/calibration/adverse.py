"""Adverse impact on a roster attribute: the four-fifths rule.

For each group of the attribute (gender F / M, a region, …) the rate is the
share of its rated people with a favourable final rating (A or B by default);
the impact ratio is that rate over the highest group's rate. A ratio under
0.8 (US EEOC Uniform Guidelines, 29 CFR 1607.4(D)) is flagged, for groups
large enough to judge.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency._sql import quote_ident
from competency._text import did_you_mean
from competency.calibration.distribution import PEOPLE_SQL
from competency.errors import NotFound
from competency.store.roster import roster_attributes

# Roster columns people can be grouped by directly (other attributes live in `attributes`).
GROUPING_COLUMNS = ("department", "region", "role", "manager_id")


@dataclass(frozen=True)
class GroupImpact:
    group: str
    people: int
    favourable: int
    rate: float
    ratio: float | None  # rate / highest rate
    judged: bool  # large enough to judge
    flagged: bool


def adverse_impact(
    db: duckdb.DuckDBPyConnection, cycle_id: str, attribute: str, favourable: list[str], ratio: float, minimum_group: int
) -> list[GroupImpact]:
    """Per group of `attribute`: people rated, favourable outcomes, rate and impact ratio."""
    known = [*GROUPING_COLUMNS, *roster_attributes(db, cycle_id)]
    if attribute not in known:
        raise NotFound(f"the roster of cycle {cycle_id} has no attribute '{attribute}'", hint=did_you_mean(attribute, known))
    column = quote_ident(attribute) if attribute in GROUPING_COLUMNS else "attributes ->> $attribute"
    rows = db.execute(
        f"""
        WITH p AS ({PEOPLE_SQL})
        SELECT coalesce(({column})::VARCHAR, '(blank)') AS grp, count(*) AS people,
               count(*) FILTER (WHERE list_contains($favourable, final_rating)) AS favourable
        FROM p WHERE final_rating IS NOT NULL GROUP BY ALL ORDER BY grp
        """,
        {"cycle": cycle_id, "favourable": favourable, **({"attribute": attribute} if attribute not in GROUPING_COLUMNS else {})},
    ).fetchall()
    judged_rates = [fav / n for _, n, fav in rows if n >= minimum_group]
    best = max(judged_rates, default=0.0)
    found = []
    for group, people, fav in rows:
        rate = fav / people
        judged = people >= minimum_group
        impact = rate / best if best > 0 else None
        found.append(GroupImpact(group, people, fav, rate, impact, judged, judged and impact is not None and impact < ratio))
    return found
