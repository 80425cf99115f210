"""Plans for everyone at once, over tables.

`build_plans` reads a scored cycle (roster, `final_results`, competency
scores, item figures) and leaves temp tables `p_*` behind, one statement per
step and no Python loop over people:

1. `p_people`, `p_comp`   — who, their final rating, each competency's score,
                            self score, level, gap, blind spot, hidden strength;
2. `p_decided`, `p_plan`  — the development decisions (rule language, compiled
                            to SQL) set the plan type and the focus count;
3. `p_candidates`, `p_focus` — focus competencies: from the sources the plan
                            type lists (gap × weight, blind spots, the next
                            post's requirements, stretch), the first N;
4. `p_item_figures`, `p_focus_items` — the lowest-scored behaviours of each
                            focus, from publishable behaviour figures only
                            (derived by `scoring.behaviours`);
5. `p_insights`           — strengths, strongest behaviours, hidden strengths
                            and blind spots;
6. `p_actions`            — actions from the library, mixed by type (chosen
                            once per competency × level × behaviours, in Python);
7. `p_partners`           — the manager and a colleague at the top level in that
                            competency, within the allowed scope, never the
                            person, their manager or their direct reports,
                            picked by a hash (deterministic, spreads the load).

`store_plans` then replaces the cycle's plans with them (in the caller's
transaction). Nothing here reads files, the clock or the environment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from competency.development.actions import ActionLibrary, library_for
from competency.development.calendar import PlanPeriod
from competency.development.rules import FOCUS_COUNT, PLAN_TYPE, DevelopmentRules
from competency.development.selection import choose_actions
from competency.files.bundle import ModelBundle
from competency.rules import Ruleset, to_sql
from competency.publication import gate
from competency.scoring.config import ScoringConfig
from competency._sql import quote_ident, quote_text

# Partner candidates tried per focus (after a hash picks the first): enough to
# step past the person, their manager and direct reports in all but freak cases.
PARTNER_TRIES = 8


@dataclass(frozen=True)
class PlanInputs:
    """What planning needs: the cycle's model, development rules and action library."""

    bundle: ModelBundle
    rules: DevelopmentRules
    decisions: Ruleset
    library: ActionLibrary


def _table(db: duckdb.DuckDBPyConnection, name: str, columns: str, rows: list[tuple]) -> None:
    """A temp table from Python rows, sent as one list per column (one statement, not one per row)."""
    db.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
    if rows:
        count = len(columns.split(","))
        lists = [list(column) for column in zip(*rows)]
        db.execute(f"INSERT INTO {name} SELECT {', '.join(f'unnest(${i + 1})' for i in range(count))}", lists)


def load_plan_tables(db: duckdb.DuckDBPyConnection, inputs: PlanInputs) -> None:
    """The model and rules as small lookup tables `d_*`."""
    model, roles, rules = inputs.bundle.model, inputs.bundle.roles, inputs.rules
    _table(db, "d_competencies", "competency_id VARCHAR, pos INTEGER", [(c.id, i) for i, c in enumerate(model.competencies)])
    _table(db, "d_items", "item_id VARCHAR, competency_id VARCHAR, pos INTEGER", [(b.id, c.id, i) for i, (c, b) in enumerate(model.behaviors())])
    _table(db, "d_roles", "role VARCHAR, next_role VARCHAR", [(r.id, r.reports_to) for r in roles.roles])
    _table(
        db,
        "d_role_needs",
        "role VARCHAR, competency_id VARCHAR, required INTEGER, weight DOUBLE",
        [(r.id, cid, need.required, need.weight) for r in roles.roles for cid, need in r.competencies.items()],
    )
    _table(
        db,
        "d_order",
        "plan_type VARCHAR, source VARCHAR, pos INTEGER",
        [(plan_type, source, i) for plan_type, sources in rules.focus.order.items() for i, source in enumerate(sources)],
    )


def _people_sql(scale_top: int, rules: DevelopmentRules) -> list[str]:
    blind_spot, hidden_strength = gate.self_view_sql("s.score", "s.self_score", rules.blind_spots.gap, rules.blind_spots.hidden_strength_gap)
    return [
        """
        CREATE OR REPLACE TEMP TABLE p_people AS
        SELECT r.employee_id, r.role, r.manager_id, r.department, r.region,
               f.final_rating, f.rating, f.potential, f.competency_index, f.kpi_index, f.ability, f.performance,
               ro.next_role
        FROM roster r
        LEFT JOIN final_results f ON f.cycle_id = r.cycle_id AND f.employee_id = r.employee_id
        LEFT JOIN d_roles ro ON ro.role = r.role
        WHERE r.cycle_id = $cycle
        """,
        f"""
        CREATE OR REPLACE TEMP TABLE p_comp AS
        SELECT s.employee_id, s.competency_id, s.score, s.self_score, s.level, s.required, s.gap,
               coalesce(s.weight, 0) AS weight, d.pos,
               {blind_spot} AS blind_spot,
               {hidden_strength} AS hidden_strength,
               s.level IS NOT NULL AND s.level < {scale_top} AS below_top
        FROM competency_scores s JOIN d_competencies d USING (competency_id)
        WHERE s.cycle_id = $cycle
        """,
    ]


def _inputs_sql(inputs: PlanInputs) -> str:
    pivots = ", ".join(
        f"max(score) FILTER (WHERE competency_id = {quote_text(c.id)}) AS {quote_ident('competency.' + c.id)}" for c in inputs.bundle.model.competencies
    )
    picks = ", ".join(f"c.{quote_ident('competency.' + c.id)}" for c in inputs.bundle.model.competencies)
    return f"""
    CREATE OR REPLACE TEMP TABLE p_inputs AS
    WITH c AS (
        SELECT employee_id,
               count(*) FILTER (WHERE gap > 0) AS gaps,
               count(*) FILTER (WHERE blind_spot AND below_top) AS blind_spots,
               count(*) FILTER (WHERE below_top) AS below_top,
               count(score) AS scored,
               {pivots}
        FROM p_comp GROUP BY employee_id
    )
    SELECT p.employee_id,
           p.final_rating AS "person.final_rating", p.rating AS "person.rating",
           p.potential AS "employee.potential", p.role AS "employee.role", p.department AS "employee.department",
           p.region AS "employee.region", p.employee_id AS "employee.id", p.manager_id AS "employee.manager_id",
           p.competency_index AS "score.competency_index", p.kpi_index AS "score.kpi_index",
           p.ability AS "score.ability", p.performance AS "score.performance",
           CAST(coalesce(c.gaps, 0) AS DOUBLE) AS "person.gaps",
           CAST(coalesce(c.blind_spots, 0) AS DOUBLE) AS "person.blind_spots",
           CAST(coalesce(c.below_top, 0) AS DOUBLE) AS "person.below_top",
           CAST(coalesce(c.scored, 0) AS DOUBLE) AS "person.scored",
           p.next_role IS NOT NULL AS "person.has_next_role",
           {picks}
    FROM p_people p LEFT JOIN c USING (employee_id)
    """


def _plan_sql(rules: DevelopmentRules) -> str:
    low, high = rules.focus.minimum, rules.focus.maximum
    return f"""
    CREATE OR REPLACE TEMP TABLE p_plan AS
    SELECT d.employee_id,
           coalesce(CAST(d.{quote_ident(PLAN_TYPE)} AS VARCHAR), {quote_text(rules.unrated_plan)}) AS plan_type,
           CAST(least(greatest(coalesce(round(d.{quote_ident(FOCUS_COUNT)}), {low}), {low}), {high}) AS INTEGER) AS focus_count,
           CAST(to_json(d) AS VARCHAR) AS decision
    FROM p_decided d
    """


def _focus_sql(scale_top: int, rules: DevelopmentRules) -> list[str]:
    step = rules.focus.target_step
    return [
        f"""
        CREATE OR REPLACE TEMP TABLE p_candidates AS
        WITH c AS (
            SELECT pc.*, pl.plan_type, p.next_role
            FROM p_comp pc JOIN p_plan pl USING (employee_id) JOIN p_people p USING (employee_id)
            WHERE pc.below_top AND pc.score IS NOT NULL
        ), raw AS (
            SELECT employee_id, plan_type, competency_id, pos AS cpos, score, self_score, level, required,
                   'gap' AS source, round(gap * weight, 6) AS priority, required AS goal
            FROM c WHERE gap > 0
            UNION ALL
            SELECT employee_id, plan_type, competency_id, pos, score, self_score, level, required,
                   'blind_spot', round((self_score - score) * weight, 6), level + 1
            FROM c WHERE blind_spot
            UNION ALL
            SELECT c.employee_id, c.plan_type, c.competency_id, c.pos, c.score, c.self_score, c.level, c.required,
                   'next_role', round((n.required - c.level) * n.weight, 6), n.required
            FROM c JOIN d_role_needs n ON n.role = c.next_role AND n.competency_id = c.competency_id
            WHERE n.required > c.level
            UNION ALL
            SELECT employee_id, plan_type, competency_id, pos, score, self_score, level, required,
                   'stretch', round(({scale_top} - score) * weight, 6), {scale_top}
            FROM c
        ), first_source AS (
            SELECT r.*, o.pos AS spos
            FROM raw r JOIN d_order o ON o.plan_type = r.plan_type AND o.source = r.source
            QUALIFY row_number() OVER (PARTITION BY r.employee_id, r.competency_id ORDER BY o.pos) = 1
        )
        SELECT *, row_number() OVER (PARTITION BY employee_id ORDER BY spos, priority DESC, cpos) AS rank
        FROM first_source
        """,
        f"""
        CREATE OR REPLACE TEMP TABLE p_focus AS
        SELECT c.employee_id, CAST(c.rank AS INTEGER) AS rank, c.competency_id, c.source, c.score, c.self_score,
               c.level, c.required, c.goal, CAST(least(c.goal, c.level + {step}) AS INTEGER) AS target_level, c.priority, c.cpos
        FROM p_candidates c JOIN p_plan p USING (employee_id)
        WHERE c.rank <= p.focus_count
        """,
    ]


def _items_sql(rules: DevelopmentRules, scores: str) -> list[str]:
    return [
        f"""
        -- Each behaviour's one 360 score (the gate's, as every report shows it).
        CREATE OR REPLACE TEMP TABLE p_item_figures AS
        SELECT b.employee_id, b.competency_id, b.item_id, 'score' AS figure, round(b.score, 6) AS mean, d.pos AS ipos
        FROM {scores} b JOIN d_items d USING (item_id)
        """,
        f"""
        CREATE OR REPLACE TEMP TABLE p_focus_items AS
        SELECT i.employee_id, i.competency_id, i.item_id, i.figure, i.mean,
               CAST(row_number() OVER (PARTITION BY i.employee_id, i.competency_id ORDER BY i.mean, i.ipos) AS INTEGER) AS rank
        FROM p_item_figures i SEMI JOIN p_focus f USING (employee_id, competency_id)
        QUALIFY row_number() OVER (PARTITION BY i.employee_id, i.competency_id ORDER BY i.mean, i.ipos) <= {rules.behaviours.per_focus}
        """,
    ]


def _insights_sql(rules: DevelopmentRules) -> str:
    return f"""
    CREATE OR REPLACE TEMP TABLE p_insights AS
    WITH open AS (
        SELECT c.* FROM p_comp c ANTI JOIN p_focus f USING (employee_id, competency_id)
    )
    SELECT employee_id, 'strength' AS kind, competency_id, NULL AS item_id, NULL AS figure, score, self_score,
           row_number() OVER (PARTITION BY employee_id ORDER BY score DESC, weight DESC, pos) AS rank
    FROM open WHERE score IS NOT NULL AND (required IS NULL OR level >= required)
    QUALIFY rank <= {rules.strengths.competencies}
    UNION ALL
    SELECT i.employee_id, 'strength_behaviour', i.competency_id, i.item_id, i.figure, i.mean, NULL,
           row_number() OVER (PARTITION BY i.employee_id ORDER BY i.mean DESC, i.ipos) AS rank
    FROM p_item_figures i ANTI JOIN p_focus f USING (employee_id, competency_id)
    QUALIFY rank <= {rules.strengths.behaviours}
    UNION ALL
    SELECT employee_id, 'hidden_strength', competency_id, NULL, NULL, score, self_score,
           row_number() OVER (PARTITION BY employee_id ORDER BY round(score - self_score, 6) DESC, pos)
    FROM p_comp WHERE hidden_strength
    UNION ALL
    SELECT employee_id, 'blind_spot', competency_id, NULL, NULL, score, self_score,
           row_number() OVER (PARTITION BY employee_id ORDER BY round(self_score - score, 6) DESC, pos)
    FROM p_comp WHERE blind_spot
    """


def _choose_all_actions(db: duckdb.DuckDBPyConnection, inputs: PlanInputs) -> None:
    """`p_actions`: per focus, the library's actions for its competency and level, mixed by type."""
    keys = db.execute(
        """
        SELECT DISTINCT f.competency_id, f.level, coalesce(list_sort(list(i.item_id) FILTER (WHERE i.item_id IS NOT NULL)), []) AS items
        FROM p_focus f LEFT JOIN p_focus_items i USING (employee_id, competency_id)
        GROUP BY f.employee_id, f.competency_id, f.level
        """
    ).fetchall()
    suits = library_for(inputs.bundle.model, inputs.library)
    rules = inputs.rules.actions
    rows = []
    for competency_id, level, items in sorted(keys, key=lambda k: (k[0], k[1], list(k[2]))):
        chosen = choose_actions(suits.get((competency_id, level), []), items, rules.mix.as_dict(), rules.hours_per_focus, rules.max_per_type, rules.mix_tolerance)
        key = ",".join(items)
        rows += [(competency_id, level, key, a.id, a.type, a.weeks, a.hours, rank) for rank, a in enumerate(chosen.actions, start=1)]
    _table(db, "p_action_choice", "competency_id VARCHAR, level INTEGER, items VARCHAR, action_id VARCHAR, action_type VARCHAR, weeks INTEGER, hours DOUBLE, rank INTEGER", rows)
    db.execute(
        """
        CREATE OR REPLACE TEMP TABLE p_actions AS
        WITH keyed AS (
            SELECT f.employee_id, f.competency_id, f.level,
                   array_to_string(coalesce(list_sort(list(i.item_id) FILTER (WHERE i.item_id IS NOT NULL)), []), ',') AS items
            FROM p_focus f LEFT JOIN p_focus_items i USING (employee_id, competency_id)
            GROUP BY f.employee_id, f.competency_id, f.level
        )
        SELECT k.employee_id, k.competency_id, a.action_id, a.action_type, a.weeks, a.hours, a.rank
        FROM keyed k JOIN p_action_choice a USING (competency_id, level, items)
        """
    )


_NONE = "NULL::VARCHAR AS employee_id, NULL::VARCHAR AS competency_id, NULL::VARCHAR AS partner_id, NULL::VARCHAR AS partner_kind, NULL::INTEGER AS pos"


def _partners_sql(inputs: PlanInputs) -> str:
    partners = inputs.rules.partners
    scale = inputs.bundle.model.scale
    level = scale.by_key(partners.level)
    minimum = level.value if level is not None else scale.maximum
    scope = {"department": "department", "region": "region", "team": "manager_id"}[partners.scope]
    manager = (
        """
        SELECT f.employee_id, f.competency_id, p.manager_id AS partner_id, 'manager' AS partner_kind, 0 AS pos
        FROM p_focus f JOIN p_people p USING (employee_id)
        WHERE p.manager_id IS NOT NULL AND p.manager_id <> f.employee_id
        """
        if partners.manager
        else f"SELECT {_NONE} WHERE false"
    )
    colleague = f"""
        , scoped AS (
            SELECT employee_id, manager_id, {scope} AS scope FROM p_people WHERE {scope} IS NOT NULL
        ), pool AS (
            SELECT c.competency_id, s.scope, c.employee_id AS partner_id, s.manager_id AS partner_manager,
                   row_number() OVER (PARTITION BY c.competency_id, s.scope ORDER BY md5_number(c.employee_id || '|' || c.competency_id), c.employee_id) - 1 AS rn,
                   count(*) OVER (PARTITION BY c.competency_id, s.scope) AS n
            FROM p_comp c JOIN scoped s USING (employee_id)
            WHERE c.level >= {minimum}
        ), sizes AS (
            SELECT DISTINCT competency_id, scope, n FROM pool
        ), tries AS (
            SELECT f.employee_id, f.competency_id, s.scope, s.manager_id, z.n, t.j,
                   CAST((md5_number(f.employee_id || '|' || f.competency_id) % z.n + t.j) % z.n AS BIGINT) AS rn
            FROM p_focus f JOIN scoped s USING (employee_id)
            JOIN sizes z ON z.competency_id = f.competency_id AND z.scope = s.scope
            JOIN range(0, {PARTNER_TRIES}) t(j) ON t.j < z.n
        ), colleague AS (
            SELECT t.employee_id, t.competency_id, p.partner_id, 'colleague' AS partner_kind, 1 AS pos
            FROM tries t JOIN pool p ON p.competency_id = t.competency_id AND p.scope = t.scope AND p.rn = t.rn
            WHERE p.partner_id <> t.employee_id
              AND p.partner_id IS DISTINCT FROM t.manager_id
              AND p.partner_manager IS DISTINCT FROM t.employee_id
            QUALIFY row_number() OVER (PARTITION BY t.employee_id, t.competency_id ORDER BY t.j) = 1
        )
    """ if partners.colleagues else f", colleague AS (SELECT {_NONE} WHERE false)"
    return f"""
    CREATE OR REPLACE TEMP TABLE p_partners AS
    WITH manager AS ({manager}) {colleague}
    SELECT employee_id, competency_id, partner_id, partner_kind FROM manager
    UNION ALL
    SELECT employee_id, competency_id, partner_id, partner_kind FROM colleague
    """


def build_plans(db: duckdb.DuckDBPyConnection, cycle_id: str, inputs: PlanInputs, scoring: ScoringConfig) -> None:
    """Everyone's plan as temp tables `p_*` (see the module's docstring)."""
    load_plan_tables(db, inputs)
    top = inputs.bundle.model.scale.maximum
    params = {"cycle": cycle_id}
    for sql in _people_sql(top, inputs.rules):
        db.execute(sql, params if "$cycle" in sql else None)
    db.execute(_inputs_sql(inputs))
    columns = [row[0] for row in db.execute("DESCRIBE p_inputs").fetchall()]
    db.execute(f"CREATE OR REPLACE TEMP TABLE p_decided AS {to_sql(inputs.decisions, 'p_inputs', keep=['employee_id'], columns=columns)}")
    db.execute(_plan_sql(inputs.rules))
    for sql in _focus_sql(top, inputs.rules):
        db.execute(sql)
    # Everyone's behaviour figures (see scoring.behaviours): the focus competencies' weakest
    # behaviours and the other competencies' strongest.
    derived = gate.behaviours(db, cycle_id, inputs.bundle, scoring)
    for sql in _items_sql(inputs.rules, derived.scores):
        db.execute(sql)
    db.execute(_insights_sql(inputs.rules))
    _choose_all_actions(db, inputs)
    db.execute(_partners_sql(inputs))


PLAN_TABLES = ("plans", "plan_focus", "plan_behaviours", "plan_actions", "plan_partners", "plan_insights")


def store_plans(db: duckdb.DuckDBPyConnection, cycle_id: str, period: PlanPeriod, review_month: int, employees: list[str] | None, generated_at: datetime) -> int:
    """Replace the cycle's plans (or only those of `employees`) with the `p_*` tables; returns how many."""
    _table(db, "p_selected", "employee_id VARCHAR", [(e,) for e in employees] if employees is not None else [])
    if employees is None:
        db.execute("INSERT INTO p_selected SELECT employee_id FROM p_people")
    for table in PLAN_TABLES:
        db.execute(f"DELETE FROM {table} WHERE cycle_id = $cycle AND employee_id IN (SELECT employee_id FROM p_selected)", {"cycle": cycle_id})  # noqa: S608
    params = {"cycle": cycle_id}
    db.execute(
        """
        INSERT INTO plans
        WITH counts AS (SELECT employee_id, count(*) AS n FROM p_focus GROUP BY ALL)
        SELECT $cycle, p.employee_id, pl.plan_type, p.final_rating, p.role,
               CASE WHEN pl.plan_type = 'growth' THEN p.next_role END, p.manager_id, pl.focus_count,
               CASE WHEN coalesce(c.n, 0) >= pl.focus_count THEN NULL
                    WHEN pl.focus_count = 0 THEN 'rules_no_focus'
                    WHEN i."person.scored" = 0 THEN 'not_scored'
                    WHEN i."person.below_top" = 0 THEN 'all_top'
                    WHEN coalesce(c.n, 0) = 0 THEN 'no_candidates'
                    ELSE 'fewer_candidates' END,
               $quarter, $starts, $due, CASE WHEN pl.plan_type = 'improvement' THEN $review END,
               pl.decision, $at
        FROM p_people p JOIN p_plan pl USING (employee_id) JOIN p_inputs i USING (employee_id)
        LEFT JOIN counts c USING (employee_id)
        SEMI JOIN p_selected s USING (employee_id)
        """,
        {**params, "quarter": period.quarter, "starts": period.starts, "due": period.due, "review": period.month_end(review_month), "at": generated_at},
    )
    statements = {
        "plan_focus": "SELECT $cycle, employee_id, rank, competency_id, source, score, self_score, level, required, goal, target_level, priority FROM p_focus",
        "plan_behaviours": "SELECT $cycle, employee_id, competency_id, item_id, figure, mean, rank FROM p_focus_items",
        "plan_actions": "SELECT $cycle, employee_id, competency_id, action_id, action_type, weeks, hours, rank FROM p_actions",
        "plan_partners": "SELECT $cycle, employee_id, competency_id, partner_id, partner_kind FROM p_partners",
        "plan_insights": "SELECT $cycle, employee_id, kind, competency_id, item_id, figure, score, self_score, rank FROM p_insights",
    }
    for table, select in statements.items():
        db.execute(f"INSERT INTO {table} {select} SEMI JOIN p_selected USING (employee_id)", params)  # noqa: S608
    return db.execute("SELECT count(*) FROM p_selected SEMI JOIN p_people USING (employee_id)").fetchone()[0]
