"""Behaviour (item-level) figures, derived when a report or a plan asks for them.

Scoring stores the competency-level figures only. The item-level ones are four
times as many rows (person × behaviour × rater group) and no rating depends on
them, so writing them on every scoring run cost more than all the scoring SQL
together at 100,000 people. They are derived here from the cycle's answers
with the same SQL and the cycle's frozen configuration, so they are exactly
the figures scoring would have stored — as long as the answers are still the
ones that were scored. A new import sets the cycle back to `open`, and the
readers require a current score (`workflow.reports.cycle_frame` refuses an `open` cycle).
"""

from __future__ import annotations

from typing import Any

import duckdb

from competency._sql import drop, new_relation, relations
from competency.files.bundle import ModelBundle
from competency.scoring.aggregate import figures
from competency.scoring.config import ScoringConfig
from competency.scoring.contracts import BehaviourFigures, Figures
from competency.scoring.item_figures import item_figures
from competency.scoring.model_tables import ModelTables, load_model_tables, max_items
from competency.scoring.scores import behaviour_scores


def behaviours_of(db: duckdb.DuckDBPyConnection, config: ScoringConfig, model: ModelTables, made: Figures) -> BehaviourFigures:
    """The behaviour figures and scores of the people of `made` (competency-level figures)."""
    items = item_figures(db, config, model, made, max_items(db, model))
    return BehaviourFigures(items, behaviour_scores(db, model, made.groups, items))


def behaviour_figures(
    db: duckdb.DuckDBPyConnection,
    cycle_id: str,
    bundle: ModelBundle,
    config: ScoringConfig,
    people_sql: str | None = None,
    params: dict[str, Any] | None = None,
) -> BehaviourFigures:
    """Behaviour figures and scores of the people `people_sql` selects (a query with an
    `employee_id` column; None: everyone), held to the releases before the cycle's last
    run. Outputs read them through `competency.publication.gate.behaviours`, never directly;
    the competency-level relations they were made from are dropped."""
    model = load_model_tables(db, bundle, config)
    scope = None
    if people_sql is not None:
        scope = new_relation("s_scope", ("employee_id",))
        db.execute(f"CREATE TEMP TABLE {scope} AS SELECT DISTINCT employee_id FROM ({people_sql})", params)
    made = figures(db, cycle_id, config, model, scope, derived=True)
    derived = behaviours_of(db, config, model, made)
    drop(db, *relations(made), *relations(model), *([scope] if scope else []))
    return derived
