"""The publication gate (DESIGN §7a): the one reader of raw answers and stored
figures for anything that leaves the tool.

Scoring decides, per figure, whether it is published and stores the decision
(`group_scores.published_as`, a reason code from `reasons.REASONS`). Every
output — explain, results, exports, reports, plans, calibration tables,
agreement — reads figures through the functions here, which hand out a
published figure with its value and a withheld one as (figure, reason code)
with no value and no rater count. No other module selects from `group_scores`
or `responses` for an output.
"""

from __future__ import annotations

from typing import Any

import duckdb

from competency.store.rows import dicts

# Withheld figures leave as (competency, figure, reason): never their mean or rater count.
_PERSON_FIGURES_SQL = """
SELECT employee_id, competency_id, rater_group AS figure,
       CASE WHEN publishable THEN raters END AS raters,
       CASE WHEN publishable THEN mean END AS mean,
       publishable, reason
FROM group_scores WHERE cycle_id = $cycle AND employee_id IN (SELECT unnest($ids))
ORDER BY employee_id, competency_id, rater_group
"""


def person_figures(db: duckdb.DuckDBPyConnection, cycle_id: str, employee_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Competency-level figures of these people: published ones with mean and raters,
    withheld ones with their reason code only (mean and raters None)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in dicts(db, _PERSON_FIGURES_SQL, {"cycle": cycle_id, "ids": employee_ids}):
        out.setdefault(row.pop("employee_id"), []).append(row)
    return out


def published_group_figures(db: duckdb.DuckDBPyConnection, cycle_id: str) -> list[dict[str, Any]]:
    """Every published competency-level group figure ('all except self' left out), with the person's manager."""
    return dicts(
        db,
        """SELECT g.employee_id, r.manager_id, g.competency_id, g.rater_group, g.mean FROM group_scores g
           JOIN roster r ON r.cycle_id = g.cycle_id AND r.employee_id = g.employee_id
           WHERE g.cycle_id = ? AND g.publishable AND g.mean IS NOT NULL AND g.rater_group <> 'all_others'
           ORDER BY g.employee_id, g.competency_id, g.rater_group""",
        [cycle_id],
    )


# Comments of raters whose group figure for that competency was published itself
# or inside the pool 'others' — never of a withheld group. A rater's repeated
# text counts once; rater and group stay in the database.
_COMMENTS_SQL = """
SELECT employee_id, comment FROM (
    SELECT DISTINCT r.employee_id, r.rater_id, trim(r.comment) AS comment
    FROM responses r
    JOIN group_scores g ON g.cycle_id = r.cycle_id AND g.employee_id = r.employee_id AND g.competency_id = r.competency_id
                       AND g.rater_group = r.relationship
    WHERE r.cycle_id = $cycle AND r.employee_id IN (SELECT unnest($ids)) AND r.comment IS NOT NULL AND trim(r.comment) <> ''
      AND g.published_as IS NOT NULL
)"""


def comments(db: duckdb.DuckDBPyConnection, cycle_id: str, employee_ids: list[str]) -> dict[str, list[str]]:
    """The comments each person may see, unattributed (callers order them by a keyed hash)."""
    out: dict[str, list[str]] = {}
    for employee_id, comment in db.execute(_COMMENTS_SQL, {"cycle": cycle_id, "ids": employee_ids}).fetchall():
        out.setdefault(employee_id, []).append(comment)
    return out
