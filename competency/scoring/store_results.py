"""Move a scoring run's temp tables into the workspace's result tables."""

from __future__ import annotations

import duckdb

RESULT_TABLES = ("group_scores", "competency_scores", "kpi_scores", "person_results")


def replace_results(db: duckdb.DuckDBPyConnection, cycle_id: str) -> None:
    """Replace the cycle's stored results with those of the `s_*` tables (inside the caller's transaction)."""
    for table in RESULT_TABLES:
        db.execute(f"DELETE FROM {table} WHERE cycle_id = ?", [cycle_id])  # noqa: S608 - fixed table names
    params = {"cycle": cycle_id}
    db.execute(
        """
        INSERT INTO group_scores
        SELECT $cycle, employee_id, competency_id, figure, raters, mean, publishable, reason, published_as, anonymous_n FROM s_figures
        """,
        params,
    )
    db.execute(
        """
        INSERT INTO competency_scores
        SELECT $cycle, employee_id, competency_id, score, self_score, level, required, required - level, weight, raters
        FROM s_competency
        """,
        params,
    )
    db.execute(
        "INSERT INTO kpi_scores SELECT $cycle, employee_id, kpi_id, actual, target, attainment, score, weight FROM s_kpis",
        params,
    )
    db.execute(
        """
        INSERT INTO person_results
        SELECT $cycle, employee_id, competency_index, kpi_index, ability, performance, potential, rating, nine_box, flags, trace
        FROM s_people
        """,
        params,
    )
