"""Leniency and severity: managers whose teams stand out, and how many raters rate high.

Managers (identified by design, shown by employee id). Three standardised
differences of the team against the whole organisation (`stats.standardised_difference`):
- `rating`: the team's mean final rating on the scale's ranks (A=4 … D=1);
- `score`: the team's mean 360 competency index;
- `answers`: the manager's own answers on the team relative to what the other
  raters of the same people are published as — per team member, the mean over
  competencies of (the manager's published figure − the mean of the person's
  published anonymous figures: peers, direct reports, customers, the pool
  'others') — which separates a lenient manager from a team that is simply
  strong. Published figures only: 'all raters but the manager' taken from the
  answers would hand back a withheld group's mean by subtraction.
Each is d = (team mean − organisation mean) / organisation SD, with its
standard error, z and 95 % interval. A difference is flagged when it
`stands_out`: |z| beyond the guidelines' threshold (sure it is not chance) and
|d| at least their minimum effect (large enough to matter: with thousands of
managers, small real differences are "significant" too). That one rule, with
the guidelines' `leniency` thresholds, judges managers and raters for every
output (`calibrate status` and the calibration report alike). A team of fewer
than `people_k` people (and a mean over fewer than `people_k` of its people)
shows no average: withheld as `people_minimum`, like any aggregate of people
(DESIGN §7a).

360 raters (anonymous): no row describes one of them. Per rater the mean gap
of their answers to the other raters' of the same people (through the gate,
answers behind published figures only), d = index / s and
z = index / (s / √people), s the pooled SD of all per-person gaps; what leaves
is, per rater group, how many raters are lenient, severe, within, or rated too
few people to judge. A group of 1 to k − 1 raters is withheld
(`anonymous_minimum`): its counts would describe each of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from competency._sql import Relation, quote_number, quote_text
from competency.calibration.distribution import PEOPLE_SQL
from competency.calibration.guidelines import Leniency
from competency.calibration.stats import Difference, standardised_difference
from competency.publication.reasons import ANONYMOUS_MINIMUM, PEOPLE_MINIMUM, too_few_people

PARTS = ("rating", "score", "answers")


@dataclass(frozen=True)
class ManagerLeniency:
    manager_id: str
    name: str
    team: int  # rated people in the team
    counts: dict[str, int]
    rating: Difference
    score: Difference
    answers: Difference
    flag: str | None  # lenient, severe, mixed
    flagged_on: tuple[str, ...]
    withheld: dict[str, str] = field(default_factory=dict)  # part → reason code, for means over fewer than people_k people

    def flag_among(self, parts: Iterable[str]) -> str | None:
        """The flag on these parts alone (those an output shows), from the same verdict as `flag`."""
        shown = set(parts)
        return _direction({part: getattr(self, part) for part in self.flagged_on if part in shown})[0]


@dataclass(frozen=True)
class RaterGroupLeniency:
    """How one rater group's raters compare with the other raters of the same people:
    counts only. All counts are None when the group is withheld."""

    group: str
    raters: int | None
    lenient: int | None
    severe: int | None
    within: int | None
    not_judged: int | None  # rated fewer than `minimum_people` people: no z
    withheld: str | None = None  # reason code

    @property
    def flagged(self) -> int:
        return (self.lenient or 0) + (self.severe or 0)


def stands_out(d: float, z: float, thresholds: Leniency) -> bool:
    """The one rule for managers and raters: |z| beyond the z threshold and |d| at least the minimum effect."""
    return abs(z) > thresholds.z_threshold and abs(d) >= thresholds.minimum_effect


def verdict(differences: dict[str, Difference], thresholds: Leniency) -> tuple[str | None, tuple[str, ...]]:
    """Lenient (severe) on each difference that stands out above (below) the organisation."""
    return _direction(
        {name: d for name, d in differences.items() if d.z is not None and d.d is not None and stands_out(d.d, d.z, thresholds)}
    )


def _direction(flagged: dict[str, Difference]) -> tuple[str | None, tuple[str, ...]]:
    """lenient, severe or mixed by the signs of the flagged differences, and on which parts."""
    high = tuple(name for name, d in flagged.items() if d.z is not None and d.z > 0)
    low = tuple(name for name, d in flagged.items() if d.z is not None and d.z < 0)
    if high and low:
        return "mixed", high + low
    if high:
        return "lenient", high
    if low:
        return "severe", low
    return None, ()


def _rank_case(scale: tuple[str, ...], column: str) -> str:
    whens = " ".join(f"WHEN {quote_text(r)} THEN {quote_number(len(scale) - i)}" for i, r in enumerate(scale))
    return f"CASE {column} {whens} END"


def _part(n: int, mean: float | None, population: tuple[int, float, float], judged: bool, people_k: int) -> tuple[Difference, bool]:
    """One standardised difference (when `judged`: the team is large enough for an index),
    and whether it is withheld: a mean over 1 to people_k − 1 people is no mean, d or z at all."""
    if too_few_people(n, people_k):
        return Difference(n, None, None, None, None, None, None), True
    if not judged or mean is None:
        return Difference(n, mean, None, None, None, None, None), False
    return standardised_difference(n, mean, *population), False


def _teams_sql(scale: tuple[str, ...], gaps: Relation) -> str:
    """Per manager: the team's rating counts, means and gap, beside the organisation's."""
    counts = ", ".join(f"count(*) FILTER (WHERE final_rating = {quote_text(r)})" for r in scale)
    return f"""
        WITH p AS (SELECT *, {_rank_case(scale, 'final_rating')} AS value FROM ({PEOPLE_SQL}) WHERE final_rating IS NOT NULL),
        org AS (SELECT count(value) AS n, avg(value) AS m, stddev_pop(value) AS sd,
                       count(competency_index) AS n_ci, avg(competency_index) AS m_ci, stddev_pop(competency_index) AS sd_ci FROM p),
        mgr_gaps AS (SELECT g.manager_id, g.gap FROM {gaps} g SEMI JOIN p USING (employee_id)),
        gap_org AS (SELECT count(*) AS n, avg(gap) AS m, stddev_pop(gap) AS sd FROM mgr_gaps),
        team AS (SELECT manager_id, count(*) AS n, avg(value) AS m, count(competency_index) AS n_ci, avg(competency_index) AS m_ci, [{counts}] AS counts
                 FROM p WHERE manager_id IS NOT NULL GROUP BY manager_id),
        team_gap AS (SELECT manager_id, count(*) AS n, avg(gap) AS m FROM mgr_gaps GROUP BY manager_id)
        SELECT t.manager_id, coalesce(r.name, t.manager_id), t.n, t.counts, t.m, t.n_ci, t.m_ci, coalesce(g.n, 0), g.m,
               org.n, org.m, org.sd, org.n_ci, org.m_ci, org.sd_ci, gap_org.n, gap_org.m, gap_org.sd
        FROM team t CROSS JOIN org CROSS JOIN gap_org
        LEFT JOIN team_gap g USING (manager_id)
        LEFT JOIN roster r ON r.cycle_id = $cycle AND r.employee_id = t.manager_id
        ORDER BY t.manager_id
        """


def manager_leniency(
    db: duckdb.DuckDBPyConnection, cycle_id: str, gaps: Relation, scale: tuple[str, ...], thresholds: Leniency, people_k: int = 3
) -> list[ManagerLeniency]:
    """Every manager's team against the organisation. `gaps`: the gate's manager gaps
    (`gate.stage_manager_gaps`: manager_id, employee_id, competencies, gap)."""
    teams = db.execute(_teams_sql(scale, gaps), {"cycle": cycle_id}).fetchall()
    minimum_team = thresholds.minimum_team
    found = []
    for (manager, name, n, team_counts, mean, n_ci, mean_ci, n_gap, mean_gap, org_n, org_m, org_sd, org_n_ci, org_m_ci, org_sd_ci, gap_n, gap_m, gap_sd) in teams:
        parts = {
            "rating": _part(n, mean, (org_n, org_m, org_sd), n >= minimum_team, people_k),
            "score": _part(n_ci, mean_ci, (org_n_ci, org_m_ci, org_sd_ci), n >= minimum_team and n_ci > 0, people_k),
            "answers": _part(n_gap, mean_gap, (gap_n, gap_m, gap_sd), n_gap >= minimum_team, people_k),
        }
        withheld = {part: PEOPLE_MINIMUM for part, (_, held) in parts.items() if held}
        flag, on = verdict({part: d for part, (d, _) in parts.items()}, thresholds)
        rating, score, answers = (d for d, _ in parts.values())
        found.append(ManagerLeniency(manager, name, n, dict(zip(scale, team_counts)), rating, score, answers, flag, on, withheld))
    return found


def judge_rater(row: dict[str, Any], thresholds: Leniency) -> str:
    """`lenient`, `severe`, `within`, or `not_judged` (too few people for a z) for one
    rater's row from `gate.rater_gaps`: d = index / s, z = index / (s / √people)."""
    s, people, index = row["s"], row["people"], row["index"]
    if not s or people < thresholds.minimum_people:
        return "not_judged"
    d, z = index / s, index / (s / people**0.5)
    if not stands_out(d, z, thresholds):
        return "within"
    return "lenient" if z > 0 else "severe"


def rater_leniency(rows: list[dict[str, Any]], groups: list[str], group_minimum: int, thresholds: Leniency) -> list[RaterGroupLeniency]:
    """Per anonymous rater group, in the order given: how many of its raters are
    lenient, severe, within or not judged. A group of 1 to k − 1 raters is withheld."""
    verdicts: dict[str, dict[str, int]] = {g: {"lenient": 0, "severe": 0, "within": 0, "not_judged": 0} for g in groups}
    for row in rows:
        verdicts[row["rater_group"]][judge_rater(row, thresholds)] += 1
    found = []
    for group in groups:
        counted = verdicts[group]
        raters = sum(counted.values())
        if 0 < raters < group_minimum:
            found.append(RaterGroupLeniency(group, None, None, None, None, None, ANONYMOUS_MINIMUM))
        else:
            found.append(RaterGroupLeniency(group, raters, counted["lenient"], counted["severe"], counted["within"], counted["not_judged"]))
    return found
