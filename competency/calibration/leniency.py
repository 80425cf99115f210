"""Leniency and severity: managers whose teams stand out, raters who rate high.

Managers (identified by design, shown by employee id). Three standardised
differences of the team against the whole organisation (`stats.standardised_difference`):
- `rating`: the team's mean final rating on the scale's ranks (A=4 … D=1);
- `score`: the team's mean 360 competency index;
- `answers`: the manager's own 360 answers on the team relative to the other
  raters of the same people — per team member, the mean over items of
  (manager's answer − mean of the other non-self raters on that item) — which
  separates a lenient manager from a team that is simply strong.
Each is d = (team mean − organisation mean) / organisation SD, with its
standard error, z and 95 % interval. A difference is flagged when |z| is beyond
the threshold (sure it is not chance) and |d| is at least the minimum effect
(large enough to matter: with thousands of managers, small real differences
are "significant" too).

360 raters (anonymous, shown by a pseudonymous label `R-xxxxxxxx`, a keyed
hash of the rater id that only this workspace can reproduce): per rater the
mean over the people they rated of the same relative gap, with the number of
people and answers; d = index / s and z = index / (s / √people), s the pooled
SD of the per-person gaps of all raters, flagged as above. No answer and no
rater id is ever shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency.calibration.distribution import PEOPLE_SQL
from competency.calibration.stats import Difference, standardised_difference

# Per rater and ratee: the mean relative gap of the rater's answers against the
# other non-self raters of the same person on the same item (leave-one-out).
GAPS_SQL = """
    CREATE OR REPLACE TEMP TABLE c_gaps AS
    WITH a AS (
        SELECT employee_id, rater_id, relationship, item_id, score,
               sum(score) OVER (PARTITION BY employee_id, item_id) AS total, count(*) OVER (PARTITION BY employee_id, item_id) AS n
        FROM responses WHERE cycle_id = $cycle AND score IS NOT NULL AND relationship <> 'self'
    )
    SELECT rater_id, relationship, employee_id, count(*) AS answers, avg(score - (total - score) / (n - 1)) AS gap
    FROM a WHERE n > 1
    GROUP BY ALL
"""


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


@dataclass(frozen=True)
class RaterLeniency:
    label: str  # R-xxxxxxxx, or the employee id for a manager's answers
    identified: bool
    people: int
    answers: int
    index: float
    d: float | None  # index / s, in standard deviations of the per-person gaps
    se: float | None
    z: float | None
    flag: str | None


def _rank_case(scale: tuple[str, ...], column: str) -> str:
    whens = " ".join(f"WHEN '{r.replace(chr(39), chr(39) * 2)}' THEN {len(scale) - i}" for i, r in enumerate(scale))
    return f"CASE {column} {whens} END"


def _flag(differences: dict[str, Difference], threshold: float, effect: float) -> tuple[str | None, tuple[str, ...]]:
    """Lenient (severe) on each difference with z beyond +threshold (−threshold) and |d| ≥ effect."""
    sure = {name: d for name, d in differences.items() if d.z is not None and d.d is not None and abs(d.z) > threshold and abs(d.d) >= effect}
    high = tuple(name for name, d in sure.items() if d.z > 0)
    low = tuple(name for name, d in sure.items() if d.z < 0)
    if high and low:
        return "mixed", high + low
    if high:
        return "lenient", high
    if low:
        return "severe", low
    return None, ()


def make_gaps(db: duckdb.DuckDBPyConnection, cycle_id: str) -> None:
    db.execute(GAPS_SQL, {"cycle": cycle_id})


def manager_leniency(
    db: duckdb.DuckDBPyConnection,
    cycle_id: str,
    scale: tuple[str, ...],
    threshold: float,
    minimum_team: int,
    minimum_effect: float = 0.0,
    manager_relationship: str = "manager",
) -> list[ManagerLeniency]:
    """Every manager's team against the organisation (needs `c_gaps`, see `make_gaps`)."""
    counts = ", ".join(f"count(*) FILTER (WHERE final_rating = '{r.replace(chr(39), chr(39) * 2)}')" for r in scale)
    teams = db.execute(
        f"""
        WITH p AS (SELECT *, {_rank_case(scale, 'final_rating')} AS value FROM ({PEOPLE_SQL}) WHERE final_rating IS NOT NULL),
        org AS (SELECT count(value) AS n, avg(value) AS m, stddev_pop(value) AS sd,
                       count(competency_index) AS n_ci, avg(competency_index) AS m_ci, stddev_pop(competency_index) AS sd_ci FROM p),
        mgr_gaps AS (SELECT g.rater_id AS manager_id, g.employee_id, g.gap FROM c_gaps g
                     JOIN roster r ON r.cycle_id = $cycle AND r.employee_id = g.employee_id AND r.manager_id = g.rater_id
                     WHERE g.relationship = $relationship),
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
        """,
        {"cycle": cycle_id, "relationship": manager_relationship},
    ).fetchall()
    found = []
    for (manager, name, n, team_counts, mean, n_ci, mean_ci, n_gap, mean_gap, org_n, org_m, org_sd, org_n_ci, org_m_ci, org_sd_ci, gap_n, gap_m, gap_sd) in teams:
        empty = Difference(n, mean, None, None, None, None, None)
        big_enough = n >= minimum_team
        rating = standardised_difference(n, mean, org_n, org_m, org_sd) if big_enough else empty
        score = standardised_difference(n_ci, mean_ci, org_n_ci, org_m_ci, org_sd_ci) if big_enough and n_ci else Difference(n_ci, mean_ci, None, None, None, None, None)
        answers = (
            standardised_difference(n_gap, mean_gap, gap_n, gap_m, gap_sd)
            if n_gap >= minimum_team and mean_gap is not None
            else Difference(n_gap, mean_gap, None, None, None, None, None)
        )
        flag, on = _flag({"rating": rating, "score": score, "answers": answers}, threshold, minimum_effect)
        found.append(ManagerLeniency(manager, name, n, dict(zip(scale, team_counts)), rating, score, answers, flag, on))
    return found


def rater_leniency(
    db: duckdb.DuckDBPyConnection, key: str, identified_groups: list[str], threshold: float, minimum_people: int, minimum_effect: float = 0.0
) -> list[RaterLeniency]:
    """Every 360 rater's mean gap to the other raters of the same people (needs `c_gaps`).

    Answers given in an identified role other than self (the manager) are shown
    under the rater's employee id; all others under a keyed pseudonym."""
    identified = [g for g in identified_groups if g != "self"]
    rows = db.execute(
        """
        WITH g AS (
            SELECT *, list_contains($identified, relationship) AS identified FROM c_gaps
        ), pooled AS (SELECT stddev_samp(gap) AS s FROM g)
        SELECT CASE WHEN identified THEN rater_id ELSE 'R-' || left(sha256($key || '|' || rater_id), 8) END AS label,
               identified, count(*) AS people, sum(answers)::BIGINT AS answers, avg(gap) AS index, any_value(pooled.s) AS s
        FROM g CROSS JOIN pooled
        GROUP BY rater_id, identified
        ORDER BY abs(avg(gap)) / nullif(any_value(pooled.s), 0) * sqrt(count(*)) DESC NULLS LAST, label
        """,
        {"identified": identified, "key": key},
    ).fetchall()
    found = []
    for label, is_identified, people, answers, index, s in rows:
        se = s / people**0.5 if s else None
        d = index / s if s else None
        z = index / se if se and people >= minimum_people else None
        flag = None if z is None or d is None or abs(z) <= threshold or abs(d) < minimum_effect else ("lenient" if z > 0 else "severe")
        found.append(RaterLeniency(label, is_identified, people, answers, index, d, se, z, flag))
    return found
