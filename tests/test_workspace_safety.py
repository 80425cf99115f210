"""A killed import or scoring run changes nothing; a busy workspace says so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from competency.cli import main
from competency.sample import generate
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.imports import run_import
from competency.workflow.scoring import score_cycle

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("imports", "rejected_rows", "roster", "responses", "kpi_actuals", "group_scores", "competency_scores", "person_results", "cycles")


def _snapshot(path: Path) -> dict[str, object]:
    with Workspace(path) as workspace:
        counts = {t: workspace.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608
        counts["status"] = workspace.db.execute("SELECT list(status ORDER BY cycle_id) FROM cycles").fetchone()[0]
        counts["scores"] = workspace.db.execute("SELECT sum(score) FROM competency_scores").fetchone()[0]
    return counts


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files of a 3,000-person organisation: big enough to be killed midway."""
    folder = tmp_path_factory.mktemp("org")
    generate(folder, 3000, flaws=False)
    return folder


def _start(code: str, workspace: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-c", code, str(workspace)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_when(process: subprocess.Popen, marker: str) -> None:
    """Wait for the child to say it has begun, give it a moment into the work, then SIGKILL it."""
    line = process.stdout.readline()
    assert line.strip() == marker, process.stderr.read()
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)  # waits, and closes the pipes
    assert process.returncode == -signal.SIGKILL, "the work finished before it could be killed; make the organisation bigger"


def test_killed_import_leaves_the_workspace_unchanged(org: Path, tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Workspace(path) as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        run_import(workspace, "roster", org / "roster.csv")
    before = _snapshot(path)
    code = (
        "import sys; from pathlib import Path\n"
        "from competency.store.workspace import Workspace\n"
        "from competency.workflow.imports import run_import\n"
        "w = Workspace(Path(sys.argv[1])); print('begin', flush=True)\n"
        f"run_import(w, 'responses', Path({str(org / 'responses.csv')!r}))\n"
        "print('done', flush=True)\n"
    )
    _kill_when(_start(code, path), "begin")
    assert _snapshot(path) == before


def test_killed_scoring_run_leaves_the_workspace_unchanged(org: Path, tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with Workspace(path) as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        for kind in ("roster", "responses", "kpis", "potential"):
            run_import(workspace, kind, org / f"{kind if kind != 'kpis' else 'kpis'}.csv")
        score_cycle(workspace)
        workspace.db.execute("UPDATE responses SET score = 5 - score WHERE score IS NOT NULL")  # so a re-score would change results
    before = _snapshot(path)
    code = (
        "import sys; from pathlib import Path\n"
        "from competency.store.workspace import Workspace\n"
        "from competency.workflow.scoring import score_cycle\n"
        "w = Workspace(Path(sys.argv[1])); print('begin', flush=True)\n"
        "score_cycle(w)\n"
        "print('done', flush=True)\n"
    )
    _kill_when(_start(code, path), "begin")
    assert _snapshot(path) == before


def test_second_process_gets_the_in_use_message(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    holder = _start("import sys, time; from pathlib import Path\nfrom competency.store.workspace import Workspace\n"
                    "w = Workspace(Path(sys.argv[1])); print('holding', flush=True); time.sleep(60)\n", path)
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = CliRunner().invoke(main, ["--workspace", str(path), "cycle", "open", "2027-Q1"])
        assert result.exit_code == 1
        assert result.output == (
            f"workspace {path} is in use by another process\n"
            "  hint: wait for the other competency command to finish, or close the program holding the file\n"
        )
    finally:
        holder.kill()
        holder.communicate()


def test_a_workspace_of_an_earlier_version_is_upgraded_in_place(tmp_path: Path) -> None:
    """Migration 0006 drops stored behaviour figures (they are derived now), 0007 the key indexes
    of the tables written in bulk, 0008 turns the stored English reasons into reason codes and
    says where each group is published; every other row is kept."""
    import duckdb

    from competency.store.migrations import BULK_TABLES, MIGRATIONS

    path = tmp_path / "old.duckdb"
    db = duckdb.connect(str(path))
    db.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    for name, sql in MIGRATIONS[:5]:
        db.execute(sql)
        db.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    db.execute("INSERT INTO group_scores VALUES ('Q', 'E1', 'execution', NULL, 'peer', 3, 3.5, true, NULL), ('Q', 'E1', 'execution', 'exe_a', 'peer', 3, 3.0, true, NULL)")
    # The English sentences stored before 0008, one per reason.
    db.execute(
        """INSERT INTO group_scores VALUES
           ('Q', 'E2', 'execution', NULL, 'customer', 2, 2.0, false, 'pooled into others: fewer than 3 raters'),
           ('Q', 'E2', 'execution', NULL, 'direct_report', 2, 2.0, false, 'suppressed: fewer than 3 raters, too few to pool'),
           ('Q', 'E2', 'execution', NULL, 'manager', 1, 3.0, true, NULL),
           ('Q', 'E3', 'execution', NULL, 'all_others', 3, 2.0, false, 'suppressed: fewer than 4 raters'),
           ('Q', 'E4', 'execution', NULL, 'all_others', 5, 2.0, false, 'suppressed: would reveal a suppressed group by difference'),
           ('Q', 'E5', 'execution', NULL, 'all_others', 5, 2.0, false, 'suppressed: fewer than 3 anonymous raters')"""
    )
    db.execute("INSERT INTO competency_scores VALUES ('Q', 'E1', 'execution', 3.5, 3.0, 3, 3, 0, 1.0, 4)")
    db.execute("INSERT INTO kpi_scores VALUES ('Q', 'E1', 'sales', 90, 100, 0.9, 2.5, 1.0)")
    db.execute("INSERT INTO person_results VALUES ('Q', 'E1', 3.5, 2.5, 3.5, 2.5, 'high', 'B', '2-3', ['f'], '{}')")
    before = {table: db.execute(f"SELECT * FROM {table}").fetchall() for table in ("competency_scores", "kpi_scores", "person_results")}  # noqa: S608
    db.close()
    with Workspace(path) as workspace:
        assert workspace.migrations()[5:8] == ["0006_behaviour_figures_on_demand", "0007_bulk_tables_without_key_indexes", "0008_publication_decisions_and_releases"]
        assert workspace.migrations() == [name for name, _ in MIGRATIONS]
        assert workspace.db.execute("SELECT * FROM group_scores ORDER BY employee_id, rater_group").fetchall() == [
            ("Q", "E1", "execution", "peer", 3, 3.5, True, None, "peer", 3),
            ("Q", "E2", "execution", "customer", 2, 2.0, False, "pooled", "others", 2),
            ("Q", "E2", "execution", "direct_report", 2, 2.0, False, "group_minimum", None, 2),
            ("Q", "E2", "execution", "manager", 1, 3.0, True, None, "manager", 0),
            ("Q", "E3", "execution", "all_others", 3, 2.0, False, "all_minimum", None, None),
            ("Q", "E4", "execution", "all_others", 5, 2.0, False, "differencing", None, None),
            ("Q", "E5", "execution", "all_others", 5, 2.0, False, "anonymous_minimum", None, None),
        ]
        for table, rows in before.items():
            assert workspace.db.execute(f"SELECT * FROM {table}").fetchall() == rows  # noqa: S608
        keyed = {row[0] for row in workspace.db.execute("SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
        assert keyed.isdisjoint(BULK_TABLES) and {"cycles", "imports", "overrides", "audit_log"} <= keyed
        assert workspace.db.execute("SELECT count(*) FROM final_results").fetchone() == (1,)


def test_a_quote_in_the_temporary_folder_name_is_only_a_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The spill folder and the memory limit are quoted into their SET statements,
    so a TMPDIR such as /tmp/o'brien neither breaks a command nor changes the statement."""
    import tempfile

    odd = tmp_path / "o'brien's tmp"
    odd.mkdir()
    monkeypatch.setenv("TMPDIR", str(odd))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile caches the folder; read TMPDIR again
    result = CliRunner().invoke(main, ["--workspace", str(tmp_path / "w.duckdb"), "cycle", "open", "2026-Q4"])
    assert result.exit_code == 0, result.output
    with Workspace(tmp_path / "w.duckdb") as workspace:
        (spill,) = workspace.db.execute("SELECT current_setting('temp_directory')").fetchone()
    assert spill == (odd / "competency-spill").as_posix()


def test_read_only_needs_an_existing_workspace(tmp_path: Path) -> None:
    """A reader never creates a file."""
    from competency.errors import WorkspaceError

    with pytest.raises(WorkspaceError) as caught:
        Workspace(tmp_path / "none.duckdb", read_only=True)
    assert caught.value.message == f"no workspace at {tmp_path / 'none.duckdb'}"
    assert not (tmp_path / "none.duckdb").exists()


def test_only_a_full_disk_or_damage_is_said_as_such() -> None:
    """Other DuckDB failures stay bugs (exit 3), not a guess at a cause."""
    import duckdb

    from competency.store.workspace import database_failure

    path = Path("w.duckdb")
    assert database_failure(duckdb.IOException("IO Error: No space left on device"), path).message.startswith("the disk is full: workspace w.duckdb")
    assert database_failure(duckdb.Error("Corrupt database file: computed checksum 1 does not match"), path).message.startswith("workspace w.duckdb is damaged: ")
    assert database_failure(duckdb.CatalogException("Catalog Error: Table with name x does not exist!"), path) is None


def test_a_failed_rollback_does_not_hide_the_failure(tmp_path: Path) -> None:
    """When the failure itself ended the transaction, ROLLBACK fails too; the user sees the first error."""
    with Workspace(tmp_path / "w.duckdb") as workspace:
        with pytest.raises(ValueError, match="the real failure"):
            with workspace.transaction() as db:
                db.execute("ROLLBACK")
                raise ValueError("the real failure")
        assert workspace.db.execute("SELECT 1").fetchone() == (1,)
