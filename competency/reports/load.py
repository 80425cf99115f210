"""Reading a cycle's stored results for the reports, in bulk.

Every function takes the workspace's DuckDB connection and returns plain rows.
People are read a batch at a time with one query per table, so reports for
10,000 people run a few dozen queries, never a query set per person. Only
figures the scoring stage marked publishable leave the database, apart from
the competency-level rows whose reason a report puts into words.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import duckdb

from competency._sql import dicts, drop, relations
from competency.publication import gate
from competency.reports.data import CycleFrame, PersonData

BATCH = 2000
RESULT_KEYS = ("competency_index", "kpi_index", "ability", "performance", "potential", "rating", "final_rating", "overridden", "nine_box", "flags", "override_reason")


_BATCH_FILTER = "employee_id IN (SELECT unnest($ids))"

_PEOPLE_SQL = f"""
SELECT r.employee_id, r.name, r.role, r.manager_id, m.name AS manager_name, r.department, r.region,
       f.competency_index, f.kpi_index, f.ability, f.performance, f.potential, f.rating, f.final_rating,
       f.overridden, f.nine_box, f.flags, f.trace, f.override_reason
FROM roster r
LEFT JOIN final_results f ON f.cycle_id = r.cycle_id AND f.employee_id = r.employee_id
LEFT JOIN roster m ON m.cycle_id = r.cycle_id AND m.employee_id = r.manager_id
WHERE r.cycle_id = $cycle AND r.{_BATCH_FILTER}
"""
_KPIS_SQL = f"""SELECT employee_id, kpi_id, actual, target, attainment, score, weight
FROM kpi_scores WHERE cycle_id = $cycle AND {_BATCH_FILTER} ORDER BY employee_id, kpi_id"""


def _grouped(db: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    out: dict[str, list[dict[str, Any]]] = {}
    for row in cursor.fetchall():
        record = dict(zip(names, row))
        out.setdefault(record.pop("employee_id"), []).append(record)
    return out


def _grouped_tuples(db: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """Like `_grouped`, rows as tuples (the many behaviour figures: no dict per row)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for employee_id, *rest in db.execute(sql, params).fetchall():
        out.setdefault(employee_id, []).append(tuple(rest))
    return out


def people(db: duckdb.DuckDBPyConnection, frame: CycleFrame, employee_ids: list[str], *, batch: int = BATCH) -> Iterator[PersonData]:
    """People's stored results, `batch` people per round of queries, in the order given."""
    order = {c.id: i for i, c in enumerate(frame.bundle.model.competencies)}
    kpi_order = {k.id: i for i, k in enumerate(frame.bundle.kpis.kpis)}
    # Comments are few: one query for everyone (it reads the answers table, the largest).
    comments = gate.comments(db, frame.cycle_id, employee_ids)
    for start in range(0, len(employee_ids), batch):
        ids = employee_ids[start : start + batch]
        params = {"cycle": frame.cycle_id, "ids": ids}
        found = {row["employee_id"]: row for row in dicts(db, _PEOPLE_SQL, params)}
        competencies = gate.person_competencies(db, frame.cycle_id, ids, (frame.blind_spot_gap, frame.hidden_strength_gap))
        figures = gate.person_figures(db, frame.cycle_id, ids)
        derived = gate.behaviours(db, frame.cycle_id, frame.bundle, frame.scoring, "SELECT unnest($ids) AS employee_id", {"ids": ids})
        items = _grouped_tuples(db, f"SELECT employee_id, item_id, figure, mean FROM {derived.figures}", {})
        behaviour_scores = _grouped_tuples(db, f"SELECT employee_id, item_id, score FROM {derived.scores}", {})
        drop(db, *relations(derived))
        kpis = _grouped(db, _KPIS_SQL, params)
        for employee_id in ids:
            row = found[employee_id]
            trace = row.pop("trace")
            result = {k: row.pop(k) for k in RESULT_KEYS}
            if result["rating"] is None and trace is None:
                result = None
            scores = sorted(competencies.get(employee_id, []), key=lambda c: order.get(c["competency_id"], 99))
            yield PersonData(
                employee=row,
                result=result,
                competencies=scores,
                figures=figures.get(employee_id, []),
                items=items.get(employee_id, []),
                behaviour_scores=dict(behaviour_scores.get(employee_id, [])),
                kpis=sorted(kpis.get(employee_id, []), key=lambda k: kpi_order.get(k["kpi_id"], 99)),
                comments=comments.get(employee_id, []),
                trace_row=json.loads(trace) if trace else None,
            )


def team_rows(db: duckdb.DuckDBPyConnection, cycle_id: str) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """Everyone on the roster with their results, and everyone's competency scores by person."""
    people = dicts(
        db,
        """SELECT r.employee_id, r.name, r.role, r.manager_id, r.department, r.region, f.competency_index, f.kpi_index,
                  f.ability, f.performance, f.potential, f.rating, f.final_rating, f.overridden, f.nine_box, f.flags
           FROM roster r LEFT JOIN final_results f ON f.cycle_id = r.cycle_id AND f.employee_id = r.employee_id
           WHERE r.cycle_id = ? ORDER BY r.employee_id""",
        [cycle_id],
    )
    scores = _grouped(db, "SELECT employee_id, competency_id, score, self_score, level, required, gap FROM competency_scores WHERE cycle_id = $cycle", {"cycle": cycle_id})
    return people, scores


def audit_rows(db: duckdb.DuckDBPyConnection, cycle_id: str) -> list[dict[str, Any]]:
    return dicts(db, "SELECT seq, logged_at, actor, action, employee_id, previous, new, reason, kind FROM audit_log WHERE cycle_id = ? ORDER BY seq", [cycle_id])


_ORG_AVERAGES_SQL = """WITH people AS (
    SELECT coalesce(r.department, '—') AS department, coalesce(r.region, '—') AS region, s.competency_id, s.score
    FROM competency_scores s JOIN roster r USING (cycle_id, employee_id) WHERE s.cycle_id = $cycle
), departments AS (
    SELECT department AS scope, competency_id, avg(score) AS score, count(score) AS people,
           count(DISTINCT region) FILTER (WHERE score IS NOT NULL) AS regions, any_value(region) AS region
    FROM people GROUP BY ALL
), regions AS (
    SELECT region AS scope, competency_id, avg(score) AS score, count(score) AS people FROM people GROUP BY ALL
), covered AS (
    -- the people of a region behind the shown averages of departments inside it
    SELECT region, competency_id, sum(people) AS people FROM departments WHERE regions = 1 AND people >= $k GROUP BY ALL
)
SELECT 'department' AS scope_kind, scope, competency_id, people,
       CASE WHEN people >= $k THEN score END AS score,
       CASE WHEN people BETWEEN 1 AND $k - 1 THEN 'people_minimum' END AS reason
FROM departments
UNION ALL
-- A region whose shown departments leave 1 to k - 1 of its people: region × people less
-- the departments' sums would give the rest's average, so the region is withheld.
SELECT 'region', r.scope, r.competency_id, r.people,
       CASE WHEN r.people >= $k AND NOT r.people - coalesce(c.people, 0) BETWEEN 1 AND $k - 1 THEN r.score END,
       CASE WHEN r.people BETWEEN 1 AND $k - 1 THEN 'people_minimum'
            WHEN r.people - coalesce(c.people, 0) BETWEEN 1 AND $k - 1 THEN 'differencing' END
FROM regions r LEFT JOIN covered c ON c.region = r.scope AND c.competency_id = r.competency_id
ORDER BY scope_kind, scope, competency_id"""

# One row per cycle. Rating counts are a distribution over the cycle's rated people:
# withheld as a whole, like each index mean, when fewer than k people are behind it.
_ORG_TREND_SQL = """WITH results AS (
    SELECT c.cycle_id, c.opened_at, f.final_rating, f.competency_index, f.kpi_index
    FROM cycles c JOIN final_results f USING (cycle_id)
    WHERE c.opened_at <= (SELECT opened_at FROM cycles WHERE cycle_id = $cycle)
), counts AS (
    SELECT cycle_id, list({'rating': final_rating, 'people': people} ORDER BY final_rating) AS ratings
    FROM (SELECT cycle_id, final_rating, count(*) AS people FROM results WHERE final_rating IS NOT NULL GROUP BY ALL)
    GROUP BY cycle_id
), cycle_figures AS (
    SELECT cycle_id, opened_at, count(*) AS people, count(final_rating) AS rated,
           avg(competency_index) AS competency_index, count(competency_index) AS ci_people,
           avg(kpi_index) AS kpi_index, count(kpi_index) AS kpi_people
    FROM results GROUP BY cycle_id, opened_at
)
SELECT f.cycle_id, f.people, f.rated,
       CASE WHEN f.rated >= $k THEN c.ratings END AS ratings,
       CASE WHEN f.ci_people >= $k THEN f.competency_index END AS competency_index,
       CASE WHEN f.kpi_people >= $k THEN f.kpi_index END AS kpi_index,
       CASE WHEN f.rated BETWEEN 1 AND $k - 1 OR f.ci_people BETWEEN 1 AND $k - 1 OR f.kpi_people BETWEEN 1 AND $k - 1
            THEN 'people_minimum' END AS reason
FROM cycle_figures f LEFT JOIN counts c USING (cycle_id)
ORDER BY f.opened_at, f.cycle_id"""


def org_rows(db: duckdb.DuckDBPyConnection, cycle_id: str, people_k: int = 3) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Competency averages by department and by region; per cycle up to this one, its rating counts and index means.

    An aggregate of fewer than `people_k` people (the cycle's `anonymity.people_k`;
    3 is the shipped default) is withheld here, in the database (DESIGN §7a): its
    row carries NULL and the reason code `people_minimum`, so a department of one
    never shows its one person's score. A region whose shown departments cover all
    but 1 to k - 1 of its people is withheld too (`differencing`): subtracting their
    sums from the region's would give the rest's average. Head counts are not withheld.
    A cell that nobody was scored in has no value and no reason.
    """
    params = {"cycle": cycle_id, "k": people_k}
    return dicts(db, _ORG_AVERAGES_SQL, params), dicts(db, _ORG_TREND_SQL, params)


EXPORT_SQL = {
    "ratings": """
        SELECT r.employee_id, r.name, r.role, r.manager_id, r.department, r.region,
               f.competency_index, f.kpi_index, f.ability, f.performance, f.potential,
               f.rating AS computed_rating, f.final_rating, f.overridden, f.override_reason, f.nine_box, f.flags
        FROM roster r JOIN final_results f ON f.cycle_id = r.cycle_id AND f.employee_id = r.employee_id
        WHERE r.cycle_id = $cycle ORDER BY r.employee_id""",
    "scores": gate.SCORES_EXPORT_SQL,
    "plans": """
        SELECT p.employee_id, r.name, p.plan_type, p.final_rating, p.role, p.next_role, p.manager_id, p.quarter, p.starts, p.due, p.review_date,
               f.rank AS focus_rank, f.competency_id, f.source, f.score, f.self_score, f.level, f.required, f.target_level,
               a.rank AS action_rank, a.action_id, a.action_type, a.weeks, a.hours
        FROM plans p
        JOIN roster r ON r.cycle_id = p.cycle_id AND r.employee_id = p.employee_id
        LEFT JOIN plan_focus f ON f.cycle_id = p.cycle_id AND f.employee_id = p.employee_id
        LEFT JOIN plan_actions a ON a.cycle_id = f.cycle_id AND a.employee_id = f.employee_id AND a.competency_id = f.competency_id
        WHERE p.cycle_id = $cycle ORDER BY p.employee_id, f.rank NULLS LAST, a.rank NULLS LAST""",
    "audit": """
        SELECT seq, cycle_id, logged_at, actor, action, employee_id, previous, new, reason, kind, prev_hash, hash
        FROM audit_log WHERE cycle_id = $cycle ORDER BY seq""",
}


def export_rows(db: duckdb.DuckDBPyConnection, kind: str, cycle_id: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns and rows of an export (ratings, scores, plans or audit) of the cycle."""
    cursor = db.execute(EXPORT_SQL[kind], {"cycle": cycle_id})
    columns = [d[0] for d in cursor.description]
    return columns, [dict(zip(columns, row)) for row in cursor.fetchall()]
