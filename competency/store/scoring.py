"""The stored side of a scoring run: its results, the releases of its published figures,
and the cycle's status once it is scored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from competency._sql import Relation, quote_ident


@dataclass(frozen=True)
class ScoringRun:
    """The temp relations of a scoring run that are stored (columns as `scoring.contracts` declares them):
    figures (FIGURES), competency (COMPETENCY), kpis (KPIS), people (PEOPLE), and the
    raters (RATERS) and group decisions (GROUPS) behind the published figures."""

    figures: Relation
    competency: Relation
    kpis: Relation
    people: Relation
    raters: Relation
    groups: Relation


@dataclass(frozen=True)
class ResultTable:
    """A stored result table (besides its cycle_id): its key and other columns, the ScoringRun
    relation its rows come from, and how a column is made where the relation names it otherwise.
    The store writes the results and `competency verify` compares them with this one table."""

    name: str
    run: str  # the ScoringRun field
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    made_as: dict[str, str] = field(default_factory=dict)  # stored column → the run's SQL for it, when not its own name


RESULT_TABLES = (
    ResultTable("person_results", "people", ("employee_id",), ("rating", "nine_box", "competency_index", "kpi_index", "ability", "performance", "potential", "flags", "trace")),
    ResultTable("competency_scores", "competency", ("employee_id", "competency_id"), ("score", "self_score", "level", "required", "gap", "weight", "raters"),
                {"gap": "required - level"}),
    ResultTable("kpi_scores", "kpis", ("employee_id", "kpi_id"), ("actual", "target", "attainment", "score", "weight")),
    ResultTable("group_scores", "figures", ("employee_id", "competency_id", "rater_group"), ("raters", "mean", "publishable", "reason", "published_as", "anonymous_raters"),
                {"rater_group": "figure", "anonymous_raters": "anonymous_n"}),
)


def replace_results(db: duckdb.DuckDBPyConnection, cycle_id: str, run: ScoringRun) -> None:
    """Replace the cycle's stored results with the run's (inside the caller's transaction)."""
    for table in RESULT_TABLES:
        columns = (*table.keys, *table.columns)
        made = ", ".join(table.made_as.get(column, quote_ident(column)) for column in columns)
        db.execute(f"DELETE FROM {quote_ident(table.name)} WHERE cycle_id = ?", [cycle_id])
        db.execute(
            f"INSERT INTO {quote_ident(table.name)} (cycle_id, {', '.join(map(quote_ident, columns))}) SELECT ?, {made} FROM {getattr(run, table.run)}",
            [cycle_id],
        )


def record_release(db: duckdb.DuckDBPyConnection, cycle_id: str, released_at: datetime, raters: Relation, groups: Relation, figures: Relation) -> int:
    """Count a run's published figures as released (DESIGN §7a): per person, competency and
    published figure, the anonymous raters behind it and the behaviours each answered
    (`raters`, `groups` and `figures` of the run). Returns the release's id.

    Every completed scoring run counts, so reading commands stay readers; later runs are
    held to these sets (`scoring.releases.releases_in_force`).
    """
    release_id = db.execute("SELECT coalesce(max(release_id), 0) + 1 FROM releases").fetchone()[0]
    db.execute("INSERT INTO releases VALUES (?, ?, ?)", [release_id, cycle_id, released_at])
    db.execute(
        f"""
        INSERT INTO released_raters
        SELECT $release, m.employee_id, m.competency_id, g.published_as, m.rater_id, m.items
        FROM {raters} m JOIN {groups} g USING (employee_id, competency_id, rater_group)
        WHERE m.counted AND g.anonymous AND g.published_as IS NOT NULL
        UNION ALL
        SELECT $release, m.employee_id, m.competency_id, 'all_others', m.rater_id, m.items
        FROM {raters} m JOIN {groups} g USING (employee_id, competency_id, rater_group)
        JOIN {figures} f ON f.employee_id = m.employee_id AND f.competency_id = m.competency_id AND f.figure = 'all_others'
        WHERE m.counted AND g.anonymous AND f.publishable
        """,
        {"release": release_id},
    )
    return release_id


def withdraw_releases(db: duckdb.DuckDBPyConnection, cycle_id: str) -> int:
    """Take back the cycle's releases (HR corrects a data error before anything was handed out); returns how many."""
    ids = [row[0] for row in db.execute("SELECT release_id FROM releases WHERE cycle_id = ?", [cycle_id]).fetchall()]
    db.execute("DELETE FROM released_raters WHERE release_id IN (SELECT unnest(?::INTEGER[]))", [ids])
    db.execute("DELETE FROM releases WHERE cycle_id = ?", [cycle_id])
    return len(ids)


def save_run(db: duckdb.DuckDBPyConnection, cycle_id: str, run: ScoringRun, status: str, scored_at: datetime) -> None:
    """Store a scoring run: its results replace the cycle's, its published figures count as
    released at `scored_at`, and the cycle takes `status` and the time it was scored."""
    replace_results(db, cycle_id, run)
    record_release(db, cycle_id, scored_at, run.raters, run.groups, run.figures)
    db.execute("UPDATE cycles SET status = ?, scored_at = ? WHERE cycle_id = ?", [status, scored_at, cycle_id])
