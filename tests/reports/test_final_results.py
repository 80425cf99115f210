"""`final_results` carries the latest override's reason, the one copy reports and exports read."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
from click.testing import CliRunner

from competency.cli import main
from competency.store.migrations import MIGRATIONS
from competency.store.workspace import Workspace
from competency.workflow.exports import export_table

def _latest_reasons(db: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """Each person's latest override's reason when it set a rating (an undo sets none), read from the log itself."""
    rows = db.execute(
        """SELECT p.employee_id, CASE WHEN o.rating IS NOT NULL THEN o.reason END
           FROM person_results p LEFT JOIN (
               SELECT * FROM overrides QUALIFY row_number() OVER (PARTITION BY cycle_id, employee_id ORDER BY override_id DESC) = 1
           ) o USING (cycle_id, employee_id)"""
    ).fetchall()
    return dict(rows)


def test_a_workspace_of_an_earlier_version_gets_the_reason_in_place(tmp_path: Path) -> None:
    """Migration 0009 recreates the view with `override_reason`: the latest override's reason,
    NULL without an override or when the latest is an undo; every stored row is kept."""
    path = tmp_path / "old.duckdb"
    db = duckdb.connect(str(path))
    db.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    earlier = [(name, sql) for name, sql in MIGRATIONS if name < "0009"]
    for name, sql in earlier:
        db.execute(sql)
        db.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    for person in ("E1", "E2", "E3", "E4"):
        db.execute("INSERT INTO person_results VALUES ('Q', ?, 3.5, 2.5, 3.5, 2.5, 'high', 'B', '2-3', [], '{}')", [person])
    db.execute(
        """INSERT INTO overrides VALUES
           (1, 'Q', 'E1', 'B', 'A', 'first look', NULL, 'HR', now(), 'manual'),
           (2, 'Q', 'E1', 'A', 'C', 'second look', NULL, 'HR', now(), 'manual'),
           (3, 'Q', 'E2', 'B', 'A', 'set', NULL, 'HR', now(), 'manual'),
           (4, 'Q', 'E2', 'A', NULL, 'entered for the wrong person', NULL, 'HR', now(), 'undo'),
           (5, 'Q', 'E4', 'B', 'D', 'suggested move', 'context', 'HR', now(), 'suggested')"""
    )
    before = db.execute("SELECT * FROM person_results ORDER BY employee_id").fetchall()
    assert "override_reason" not in [d[0] for d in db.execute("SELECT * FROM final_results LIMIT 0").description]
    db.close()
    with Workspace(path) as workspace:
        assert workspace.migrations()[len(earlier)] == "0009_final_results_with_override_reason"  # later migrations may follow
        view = workspace.db.execute("SELECT employee_id, final_rating, overridden, override_reason FROM final_results ORDER BY employee_id").fetchall()
        assert view == [("E1", "C", True, "second look"), ("E2", "B", False, None), ("E3", "B", False, None), ("E4", "D", True, "suggested move")]
        assert workspace.db.execute("SELECT * FROM person_results ORDER BY employee_id").fetchall() == before


def test_the_view_s_reason_is_the_latest_override_s(demo: Path, tmp_path: Path) -> None:
    """Overrides made through `calibrate`: set twice, set then undone, untouched — the view, the
    ratings export and the override log agree on every person's reason."""
    path = tmp_path / "competency.duckdb"
    shutil.copy(demo, path)
    with Workspace(path) as workspace:
        twice, undone = [r[0] for r in workspace.db.execute("SELECT employee_id FROM person_results WHERE rating = 'B' ORDER BY employee_id LIMIT 2").fetchall()]
    steps = [
        ("set", twice, "A", "--reason", "key-account evidence", "--code", "evidence"),
        ("set", twice, "C", "--reason", "evidence withdrawn", "--code", "evidence"),
        ("set", undone, "A", "--reason", "key-account evidence", "--code", "evidence"),
        ("undo", undone, "--reason", "entered for the wrong person"),
    ]
    for step in steps:
        result = CliRunner().invoke(main, ["--workspace", str(path), "calibrate", *step, "--by", "Li Na"])
        assert result.exit_code == 0, result.output
    with Workspace(path) as workspace:
        view = dict(workspace.db.execute("SELECT employee_id, override_reason FROM final_results").fetchall())
        assert view == _latest_reasons(workspace.db)
        assert (view[twice], view[undone]) == ("evidence withdrawn", None)
        assert sum(reason is not None for reason in view.values()) == 1
        _, _, rows = export_table(workspace, "ratings", None)
    assert {row["employee_id"]: row["override_reason"] for row in rows} == view
