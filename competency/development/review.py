"""Plans of one cycle against the scores of a later one: did the focus improve?

For each focus competency (and each behaviour worked on) of the earlier
cycle's plans, the change of its 360 score (others, self excluded) to the
later cycle; a behaviour is compared in the same publishable figure it was
planned from. Status: `improved` (change ≥ threshold), `declined` (≤ −threshold),
`unchanged`, or `not_remeasured` (no publishable score in one of the cycles, or
the person is not in the later cycle). Then, over everyone, the mean change
of the targeted competencies by action type (plain, and weighted by the hours
of that type), beside the mean change of the competencies not targeted.
"""

from __future__ import annotations

from typing import Any

import duckdb

from competency._sql import Relation, dicts, drop, mean_sql, new_relation, quote_number, weighted_mean_sql
from competency.publication.gate import Behaviours

STATUSES = ("improved", "unchanged", "declined", "not_remeasured")
FOCUS_COLUMNS = (
    "employee_id", "rank", "competency_id", "source", "before", "level_before", "target_level",
    "after", "level_after", "change", "status", "target_met",
)


def _status(delta: str, threshold: float) -> str:
    limit = quote_number(threshold)
    return f"""CASE WHEN {delta} IS NULL THEN 'not_remeasured'
                    WHEN {delta} >= {limit} - 1e-9 THEN 'improved'
                    WHEN {delta} <= -{limit} + 1e-9 THEN 'declined'
                    ELSE 'unchanged' END"""


def _focus_changes(db: duckdb.DuckDBPyConnection, planned: str, measured: str, threshold: float) -> Relation:
    """Each planned focus competency's score then and now, its change and status."""
    changes = new_relation("review_focus", FOCUS_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {changes} AS
        SELECT f.employee_id, f.rank, f.competency_id, f.source, f.score AS before, f.level AS level_before, f.target_level,
               s.score AS after, s.level AS level_after,
               round(s.score - f.score, 6) AS change,
               {_status('round(s.score - f.score, 6)', threshold)} AS status,
               s.level >= f.target_level AS target_met
        FROM plan_focus f
        LEFT JOIN competency_scores s ON s.cycle_id = $now AND s.employee_id = f.employee_id AND s.competency_id = f.competency_id
        WHERE f.cycle_id = $then
        """,
        {"then": planned, "now": measured},
    )
    return changes.check(db)


def _behaviour_changes(db: duckdb.DuckDBPyConnection, planned: str, threshold: float, behaviours: Behaviours) -> list[dict[str, Any]]:
    return dicts(
        db,
        f"""
        SELECT b.employee_id, b.competency_id, b.item_id, b.figure, b.mean AS before, g.mean AS after,
               round(g.mean - b.mean, 6) AS change, {_status('round(g.mean - b.mean, 6)', threshold)} AS status
        FROM plan_behaviours b
        LEFT JOIN (
            SELECT employee_id, item_id, figure, mean FROM {behaviours.figures}
            UNION ALL SELECT employee_id, item_id, 'score', score FROM {behaviours.scores}
        ) g ON g.employee_id = b.employee_id AND g.item_id = b.item_id AND g.figure = b.figure
        WHERE b.cycle_id = $then
        ORDER BY b.employee_id, b.competency_id, b.rank
        """,
        {"then": planned},
    )


def _by_action_type(db: duckdb.DuckDBPyConnection, planned: str, changes: Relation) -> list[dict[str, Any]]:
    return dicts(
        db,
        f"""
        WITH typed AS (
            SELECT employee_id, competency_id, action_type, sum(hours) AS hours
            FROM plan_actions WHERE cycle_id = $then GROUP BY ALL
        )
        SELECT t.action_type, count(*) AS focuses, count(f.change) AS remeasured,
               {mean_sql("f.change")} AS mean_change,
               {weighted_mean_sql("f.change", "t.hours", "f.change IS NOT NULL")} AS hours_weighted_change,
               count(*) FILTER (WHERE f.status = 'improved') AS improved
        FROM typed t JOIN {changes} f USING (employee_id, competency_id)
        GROUP BY t.action_type ORDER BY t.action_type
        """,
        {"then": planned},
    )


def _baseline(db: duckdb.DuckDBPyConnection, planned: str, measured: str) -> list[dict[str, Any]]:
    """The mean change of the planned people's competencies that were not a focus."""
    return dicts(
        db,
        f"""
        SELECT count(*) AS competencies, count(round(s2.score - s1.score, 6)) AS remeasured,
               {mean_sql("round(s2.score - s1.score, 6)")} AS mean_change
        FROM competency_scores s1
        JOIN competency_scores s2 ON s2.cycle_id = $now AND s2.employee_id = s1.employee_id AND s2.competency_id = s1.competency_id
        WHERE s1.cycle_id = $then
          AND s1.employee_id IN (SELECT employee_id FROM plans WHERE cycle_id = $then)
          AND NOT EXISTS (SELECT 1 FROM plan_focus f WHERE f.cycle_id = $then AND f.employee_id = s1.employee_id AND f.competency_id = s1.competency_id)
        """,
        {"then": planned, "now": measured},
    )


def review_rows(db: duckdb.DuckDBPyConnection, planned: str, measured: str, threshold: float, behaviours: Behaviours) -> dict[str, list[dict[str, Any]]]:
    """Focus, behaviour and action-type rows of the review (see the module's docstring).

    `behaviours`: the measured cycle's published behaviour figures and scores, from the gate
    (so a figure the cross-release guard withholds is not re-measured). A planned behaviour
    is compared with the same measure: its 360 score, or (plans made before behaviours had
    one score) the same published figure.
    """
    changes = _focus_changes(db, planned, measured, threshold)
    rows = {
        "focus": dicts(db, f"SELECT * FROM {changes} ORDER BY employee_id, rank", {}),
        "behaviours": _behaviour_changes(db, planned, threshold, behaviours),
        "by_action_type": _by_action_type(db, planned, changes),
        "baseline": _baseline(db, planned, measured),
    }
    drop(db, changes)
    return rows
