"""Move a scoring run's temp tables into the workspace's result tables."""

from __future__ import annotations

from datetime import datetime

import duckdb

RESULT_TABLES = ("group_scores", "competency_scores", "kpi_scores", "person_results")


def replace_results(db: duckdb.DuckDBPyConnection, cycle_id: str, released_at: datetime) -> None:
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
    record_release(db, cycle_id, released_at)


def record_release(db: duckdb.DuckDBPyConnection, cycle_id: str, released_at: datetime) -> None:
    """Count the run's published figures as released (DESIGN §7a): per person, competency and
    published figure, the anonymous raters behind it and the behaviours each answered.

    Every completed scoring run counts, so reading commands stay readers; later runs are
    held to these sets (`aggregate.releases_in_force_sql`).
    """
    release_id = db.execute("SELECT coalesce(max(release_id), 0) + 1 FROM releases").fetchone()[0]
    db.execute("INSERT INTO releases VALUES (?, ?, ?)", [release_id, cycle_id, released_at])
    db.execute(
        """
        INSERT INTO released_raters
        SELECT $release, m.employee_id, m.competency_id, g.published_as, m.rater_id, m.items
        FROM s_raters m JOIN s_groups g USING (employee_id, competency_id, rater_group)
        WHERE m.counted AND g.anonymous AND g.published_as IS NOT NULL
        UNION ALL
        SELECT $release, m.employee_id, m.competency_id, 'all_others', m.rater_id, m.items
        FROM s_raters m JOIN s_groups g USING (employee_id, competency_id, rater_group)
        JOIN s_figures f ON f.employee_id = m.employee_id AND f.competency_id = m.competency_id AND f.figure = 'all_others'
        WHERE m.counted AND g.anonymous AND f.publishable
        """,
        {"release": release_id},
    )


def withdraw_releases(db: duckdb.DuckDBPyConnection, cycle_id: str) -> int:
    """Take back the cycle's releases (HR corrects a data error before anything was handed out); returns how many."""
    ids = [row[0] for row in db.execute("SELECT release_id FROM releases WHERE cycle_id = ?", [cycle_id]).fetchall()]
    db.execute("DELETE FROM released_raters WHERE release_id IN (SELECT unnest(?::INTEGER[]))", [ids])
    db.execute("DELETE FROM releases WHERE cycle_id = ?", [cycle_id])
    return len(ids)
