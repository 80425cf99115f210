"""Scores made from published figures: 360 scores of competencies and behaviours, KPI
scores on the curve, and each person's indices."""

from __future__ import annotations

import duckdb

from competency._sql import EXACT, Relation, new_relation, quote_number, weighted_mean_sql
from competency.scoring.config import ScoringConfig
from competency.scoring.contracts import BEHAVIOUR_SCORES, COMPETENCY, INDICES, KPIS
from competency.scoring.model_tables import ModelTables
from competency.scoring.raters import run


def weighted_score_sql(figures: Relation, groups: Relation, model: ModelTables, keys: tuple[str, ...]) -> str:
    """CTEs ending in `scored` (employee_id, competency_id, *keys, score, raters): the weighted
    mean of the published figures in `figures` — manager, shown groups, the pool with its
    members' weights (the groups in `groups` pooled into 'others') — re-normalised over those
    present. One definition for a competency's 360 score and a behaviour's, so a behaviour
    has one value in every output."""
    by = ", ".join(("employee_id", "competency_id", *keys))
    return f"""pool_weights AS (
        SELECT employee_id, competency_id, sum(w.weight::{EXACT})::DOUBLE AS weight
        FROM (SELECT employee_id, competency_id, rater_group FROM {groups} WHERE published_as = 'others') g
        JOIN {model.group_weights} w USING (rater_group) GROUP BY ALL
    ), weighted AS (
        SELECT f.*, CASE WHEN f.figure = 'others' THEN p.weight ELSE w.weight END AS weight
        FROM {figures} f
        LEFT JOIN {model.group_weights} w ON w.rater_group = f.figure
        LEFT JOIN pool_weights p ON f.figure = 'others' AND p.employee_id = f.employee_id AND p.competency_id = f.competency_id
        WHERE f.publishable AND f.figure NOT IN ('all_others', 'self')
    ), scored AS (
        SELECT {by}, {weighted_mean_sql('mean', 'weight')} AS score, sum(raters) FILTER (WHERE weight > 0) AS raters
        FROM weighted WHERE weight > 0 GROUP BY {by}
    )"""


def behaviour_scores(db: duckdb.DuckDBPyConnection, model: ModelTables, groups: Relation, item_figures: Relation) -> Relation:
    """Per person and behaviour its 360 score (`BEHAVIOUR_SCORES`), made as the competency's
    (`weighted_score_sql`), else its published 'all except self' figure."""
    made = new_relation("s_behaviour_scores", BEHAVIOUR_SCORES)
    db.execute(f"""
    CREATE TEMP TABLE {made} AS
    WITH {weighted_score_sql(item_figures, groups, model, ("item_id",))}, everyone AS (
        SELECT employee_id, competency_id, item_id, round(mean, 6) AS mean FROM {item_figures} WHERE publishable AND figure = 'all_others'
    )
    SELECT employee_id, competency_id, item_id, coalesce(s.score, e.mean) AS score
    FROM scored s FULL JOIN everyone e USING (employee_id, competency_id, item_id)
    """)
    return made


def competency_scores(db: duckdb.DuckDBPyConnection, cycle_id: str, model: ModelTables, groups: Relation, figures: Relation) -> Relation:
    """Weighted 360 score per person × role competency, self, level and need (`COMPETENCY`)."""
    made = new_relation("s_competency", COMPETENCY)
    run(db, f"""
    CREATE TEMP TABLE {made} AS
    WITH {weighted_score_sql(figures, groups, model, ())}, selfs AS (
        SELECT employee_id, competency_id, mean AS self_score FROM {figures} WHERE figure = 'self'
    ), people AS (
        SELECT ro.employee_id, rc.competency_id, rc.required, rc.weight
        FROM roster ro JOIN {model.role_competencies} rc ON rc.role = ro.role
        WHERE ro.cycle_id = $cycle
    )
    SELECT p.employee_id, p.competency_id, s.score, se.self_score,
           (SELECT max(level) FROM {model.bands} b WHERE s.score >= b.minimum - 1e-9) AS level,
           p.required, p.weight, coalesce(s.raters, 0) AS raters
    FROM people p
    LEFT JOIN scored s USING (employee_id, competency_id)
    LEFT JOIN selfs se USING (employee_id, competency_id)
    """, cycle_id)
    return made


def kpi_scores(db: duckdb.DuckDBPyConnection, cycle_id: str, config: ScoringConfig, model: ModelTables) -> Relation:
    """KPI attainment (actual/target, or target/actual when lower is better) on the curve (`KPIS`)."""
    low, mid, high = (quote_number(level) for level in (config.kpi_levels.threshold, config.kpi_levels.target, config.kpi_levels.stretch))
    made = new_relation("s_kpis", KPIS)
    run(db, f"""
    CREATE TEMP TABLE {made} AS
    WITH base AS (
        SELECT a.employee_id, a.kpi_id, a.actual, a.target, rk.weight, k.threshold, k.curve_target, k.stretch,
               CASE WHEN NOT k.lower_is_better THEN a.actual / a.target
                    WHEN a.actual <= 0 THEN k.stretch
                    ELSE a.target / a.actual END AS attainment
        FROM kpi_actuals a
        JOIN roster ro ON ro.cycle_id = a.cycle_id AND ro.employee_id = a.employee_id
        JOIN {model.role_kpis} rk ON rk.role = ro.role AND rk.kpi_id = a.kpi_id
        JOIN {model.kpis} k ON k.kpi_id = a.kpi_id
        WHERE a.cycle_id = $cycle
    )
    SELECT employee_id, kpi_id, actual, target, round(attainment, 6) AS attainment, weight,
        round(CASE
            WHEN attainment <= threshold THEN {low}
            WHEN attainment >= stretch THEN {high}
            WHEN attainment < curve_target THEN {low} + (attainment - threshold) / (curve_target - threshold) * ({mid} - {low})
            ELSE {mid} + (attainment - curve_target) / (stretch - curve_target) * ({high} - {mid})
        END, 6) AS score
    FROM base
    """, cycle_id)
    return made


def indices(db: duckdb.DuckDBPyConnection, cycle_id: str, competency: Relation, kpis: Relation) -> Relation:
    """Per person (`INDICES`): role-weighted competency index and KPI index, re-normalised over what is present."""
    made = new_relation("s_indices", INDICES)
    run(db, f"""
    CREATE TEMP TABLE {made} AS
    WITH c AS (
        SELECT employee_id, {weighted_mean_sql('score', 'weight', 'score IS NOT NULL')} AS competency_index
        FROM {competency} GROUP BY ALL
    ), k AS (
        SELECT employee_id, {weighted_mean_sql('score', 'weight')} AS kpi_index
        FROM {kpis} GROUP BY ALL
    )
    SELECT ro.employee_id, ro.role, c.competency_index, k.kpi_index
    FROM roster ro LEFT JOIN c USING (employee_id) LEFT JOIN k USING (employee_id)
    WHERE ro.cycle_id = $cycle
    """, cycle_id)
    return made
