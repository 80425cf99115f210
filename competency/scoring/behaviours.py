"""Behaviour (item-level) figures, derived when a report or a plan asks for them.

Scoring stores the competency-level figures only. The item-level ones are four
times as many rows (person × behaviour × rater group) and no rating depends on
them, so writing them on every scoring run cost more than all the scoring SQL
together at 100,000 people. They are derived here from the cycle's answers
with the same SQL and the cycle's frozen configuration, so they are exactly
the figures scoring would have stored — as long as the answers are still the
ones that were scored. A new import sets the cycle back to `open`, and the
readers require a current score (`require_current_results`).
"""

from __future__ import annotations

from typing import Any

import duckdb

from competency.files.bundle import ModelBundle
from competency.scoring.aggregate import behaviour_scores_sql, figure_steps, item_figures_sql, max_items, run_steps
from competency.scoring.config import ScoringConfig
from competency.scoring.model_tables import load_model_tables

TABLE = "s_item_figures"
_SCOPE = "s_scope"


def behaviour_figures(
    db: duckdb.DuckDBPyConnection,
    cycle_id: str,
    bundle: ModelBundle,
    config: ScoringConfig,
    people_sql: str | None = None,
    params: dict[str, Any] | None = None,
) -> str:
    """Create the temp table `s_item_figures` for the people `people_sql` selects
    (a query with an `employee_id` column; None: everyone) and return its name.

    Columns: employee_id, competency_id, item_id, figure, raters, mean,
    publishable, reason. It also leaves `s_behaviour_scores` (each behaviour's one 360
    score), `s_raters`, `s_groups` and `s_figures` for the same people. Outputs read
    them through `competency.publication.gate.behaviours`, never directly.
    """
    load_model_tables(db, bundle, config)
    scope = None
    if people_sql is not None:
        db.execute(f"CREATE OR REPLACE TEMP TABLE {_SCOPE} AS SELECT DISTINCT employee_id FROM ({people_sql})", params)
        scope = _SCOPE
    items = max_items(db)
    run_steps(db, [*figure_steps(config, items, scope, derived=True), item_figures_sql(config, items), behaviour_scores_sql()], cycle_id)
    return TABLE
