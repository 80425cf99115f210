"""Focus competencies, the behaviours to work on, and what the plan names as strengths.

Focus comes from the sources the plan type lists, in order (gap × weight,
blind spots, the next post's requirements, stretch), the first N decided;
each focus's weakest behaviours are read from their one 360 score (derived by
`scoring.behaviours`, published figures only), as every report shows it.
"""

from __future__ import annotations

import duckdb

from competency._sql import Relation, drop, new_relation, quote_number
from competency.development.inputs import PlanInputs
from competency.development.lookups import Lookups
from competency.development.people import Planned
from competency.development.tables import BEHAVIOUR_COLUMNS, FOCUS_COLUMNS, INSIGHT_COLUMNS
from competency.publication import gate

CANDIDATE_COLUMNS = (
    "employee_id", "plan_type", "competency_id", "cpos", "score", "self_score", "level", "required",
    "source", "priority", "goal", "spos", "rank",
)
ITEM_COLUMNS = ("employee_id", "competency_id", "item_id", "figure", "mean", "ipos")


def _candidates(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, planned: Planned, lookups: Lookups) -> Relation:
    """Every competency below the top that a source of the person's plan type names, ranked."""
    top = quote_number(inputs.bundle.model.scale.maximum)
    candidates = new_relation("plan_candidates", CANDIDATE_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {candidates} AS
        WITH c AS (
            SELECT pc.*, pl.plan_type, p.next_role
            FROM {planned.competencies} pc JOIN {planned.decided} pl USING (employee_id) JOIN {planned.people} p USING (employee_id)
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
            FROM c JOIN {lookups.role_needs} n ON n.role = c.next_role AND n.competency_id = c.competency_id
            WHERE n.required > c.level
            UNION ALL
            SELECT employee_id, plan_type, competency_id, pos, score, self_score, level, required,
                   'stretch', round(({top} - score) * weight, 6), {top}
            FROM c
        ), first_source AS (
            SELECT r.*, o.pos AS spos
            FROM raw r JOIN {lookups.focus_order} o ON o.plan_type = r.plan_type AND o.source = r.source
            QUALIFY row_number() OVER (PARTITION BY r.employee_id, r.competency_id ORDER BY o.pos) = 1
        )
        SELECT *, row_number() OVER (PARTITION BY employee_id ORDER BY spos, priority DESC, cpos) AS rank
        FROM first_source
        """
    )
    return candidates.check(db)


def choose_focus(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, planned: Planned, lookups: Lookups) -> Relation:
    """The first `focus_count` candidates of each person, each with this quarter's target level."""
    candidates = _candidates(db, inputs, planned, lookups)
    step = quote_number(inputs.rules.focus.target_step)
    focus = new_relation("plan_focus_chosen", FOCUS_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {focus} AS
        SELECT c.employee_id, CAST(c.rank AS INTEGER) AS rank, c.competency_id, c.source, c.score, c.self_score,
               c.level, c.required, c.goal, CAST(least(c.goal, c.level + {step}) AS INTEGER) AS target_level, c.priority
        FROM {candidates} c JOIN {planned.decided} p USING (employee_id)
        WHERE c.rank <= p.focus_count
        """
    )
    drop(db, candidates)
    return focus.check(db)


def behaviour_scores(db: duckdb.DuckDBPyConnection, derived: gate.Behaviours, lookups: Lookups) -> Relation:
    """Each behaviour's one 360 score (the gate's, as every report shows it), with its place in the model."""
    items = new_relation("plan_item_scores", ITEM_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {items} AS
        SELECT b.employee_id, b.competency_id, b.item_id, 'score' AS figure, round(b.score, 6) AS mean, d.pos AS ipos
        FROM {derived.scores} b JOIN {lookups.items} d USING (item_id)
        """
    )
    return items.check(db)


def focus_behaviours(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, items: Relation, focus: Relation) -> Relation:
    """The lowest-scored behaviours of each focus competency, as many as the rules ask for."""
    per_focus = quote_number(inputs.rules.behaviours.per_focus)
    behaviours = new_relation("plan_focus_behaviours", BEHAVIOUR_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {behaviours} AS
        SELECT i.employee_id, i.competency_id, i.item_id, i.figure, i.mean,
               CAST(row_number() OVER (PARTITION BY i.employee_id, i.competency_id ORDER BY i.mean, i.ipos) AS INTEGER) AS rank
        FROM {items} i SEMI JOIN {focus} f USING (employee_id, competency_id)
        QUALIFY row_number() OVER (PARTITION BY i.employee_id, i.competency_id ORDER BY i.mean, i.ipos) <= {per_focus}
        """
    )
    return behaviours.check(db)


def insights(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, planned: Planned, items: Relation, focus: Relation) -> Relation:
    """Strengths (competencies and behaviours outside the focus), hidden strengths and blind spots."""
    strengths = inputs.rules.strengths
    found = new_relation("plan_insights_found", INSIGHT_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {found} AS
        WITH open AS (
            SELECT c.* FROM {planned.competencies} c ANTI JOIN {focus} f USING (employee_id, competency_id)
        )
        SELECT employee_id, 'strength' AS kind, competency_id, NULL AS item_id, NULL AS figure, score, self_score,
               row_number() OVER (PARTITION BY employee_id ORDER BY score DESC, weight DESC, pos) AS rank
        FROM open WHERE score IS NOT NULL AND (required IS NULL OR level >= required)
        QUALIFY rank <= {quote_number(strengths.competencies)}
        UNION ALL
        SELECT i.employee_id, 'strength_behaviour', i.competency_id, i.item_id, i.figure, i.mean, NULL,
               row_number() OVER (PARTITION BY i.employee_id ORDER BY i.mean DESC, i.ipos) AS rank
        FROM {items} i ANTI JOIN {focus} f USING (employee_id, competency_id)
        QUALIFY rank <= {quote_number(strengths.behaviours)}
        UNION ALL
        SELECT employee_id, 'hidden_strength', competency_id, NULL, NULL, score, self_score,
               row_number() OVER (PARTITION BY employee_id ORDER BY round(score - self_score, 6) DESC, pos)
        FROM {planned.competencies} WHERE hidden_strength
        UNION ALL
        SELECT employee_id, 'blind_spot', competency_id, NULL, NULL, score, self_score,
               row_number() OVER (PARTITION BY employee_id ORDER BY round(self_score - score, 6) DESC, pos)
        FROM {planned.competencies} WHERE blind_spot
        """
    )
    return found.check(db)
