"""Hostile workspaces: files that are not ours, newer or damaged ones, a full disk,
and readers that run side by side. Each case gives one exact message, and a file
that is not ours is never changed by a byte."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from competency import __version__
from competency.cli import main
from competency.errors import WorkspaceError, WorkspaceNeedsUpgrade
from competency.store.migrations import MIGRATIONS
from competency.store.workspace import Workspace
from tests.hostile._scored import scored_workspace

ROOT = Path(__file__).resolve().parents[2]
BLOCK_START, BLOCK_SIZE = 3 * 4096, 262_144  # DuckDB: three header blocks, then 256 KiB blocks
NOT_DUCKDB_HINT = (
    "  hint: name the workspace with --workspace (e.g. competency.duckdb); data files are read by `competency import`. "
    "If it was a workspace, it is damaged: restore it from a backup. The file was not changed.\n"
)
DAMAGED_HINT = "  hint: restore it from a backup copy (competency cannot repair it); copy the damaged file away before trying anything else\n"


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return scored_workspace(tmp_path_factory.mktemp("scored"))


def run(workspace: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy(scored: Path, tmp_path: Path) -> Path:
    target = tmp_path / "w.duckdb"
    shutil.copy(scored, target)
    return target


@pytest.mark.parametrize("command", [("results",), ("cycle", "open", "2026-Q4")])
def test_a_csv_named_as_the_workspace_is_refused_and_kept(command: tuple[str, ...], tmp_path: Path) -> None:
    """DuckDB would open a CSV as a view and the command would store nothing and exit 0."""
    data = tmp_path / "data.csv"
    data.write_text("employee_id,name\nE1,Li\n", encoding="utf-8")
    result = run(data, *command)
    assert (result.exit_code, result.output) == (1, f"{data} is not a competency workspace: it is not a DuckDB database file\n" + NOT_DUCKDB_HINT)
    assert data.read_text(encoding="utf-8") == "employee_id,name\nE1,Li\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.csv"]


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "competency.duckdb"
    empty.touch()
    result = run(empty, "results")
    assert (result.exit_code, result.output) == (
        1,
        f"{empty} is an empty file, not a competency workspace\n"
        "  hint: delete it, or name another file with --workspace: `competency cycle open` starts a new workspace\n",
    )


@pytest.mark.parametrize("command", [("results",), ("explain", "E1"), ("cycle", "list"), ("cycle", "open", "2026-Q4")])
def test_a_duckdb_file_that_is_not_ours_is_never_modified(command: tuple[str, ...], tmp_path: Path) -> None:
    """Neither a reader nor a writer adds a table to someone else's database."""
    theirs = tmp_path / "sales.duckdb"
    db = duckdb.connect(str(theirs))
    db.execute("CREATE TABLE orders AS SELECT range AS id FROM range(1000)")
    db.close()
    before = digest(theirs)
    result = run(theirs, *command)
    assert (result.exit_code, result.output) == (
        1,
        f"{theirs} is a DuckDB database but not a competency workspace (it has no schema_migrations table)\n"
        "  hint: name your competency workspace with --workspace, or a new file to start one; the file was not changed\n",
    )
    assert digest(theirs) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales.duckdb"]


@pytest.mark.parametrize("command", [("results",), ("cycle", "open", "2027-Q1")])
def test_a_workspace_of_a_newer_schema_is_refused_naming_its_version(command: tuple[str, ...], scored: Path, tmp_path: Path) -> None:
    path = copy(scored, tmp_path)
    with Workspace(path) as workspace:
        workspace.db.execute("INSERT INTO schema_migrations VALUES ('9001_from_the_future', now())")
    before = digest(path)
    result = run(path, *command)
    assert (result.exit_code, result.output) == (
        1,
        f"workspace {path} was written by a newer version of competency: its schema is at 9001_from_the_future, "
        f"and this version ({__version__}) knows the schema up to {MIGRATIONS[-1][0]}\n"
        "  hint: upgrade competency to open it (pip install --upgrade competency); the file was not changed\n",
    )
    assert digest(path) == before


def _corrupt(path: Path, block: int) -> None:
    with path.open("r+b") as file:
        file.seek(BLOCK_START + block * BLOCK_SIZE + 100)
        file.write(b"\xff" * 64)


def _checksums_as_n(output: str) -> str:
    return re.sub(r"checksum \d+", "checksum N", output)


def test_a_damaged_catalogue_block_is_named_with_what_to_do(scored: Path, tmp_path: Path) -> None:
    """Block 0 holds the catalogue: the workspace cannot even be opened."""
    path = copy(scored, tmp_path)
    _corrupt(path, 0)
    result = run(path, "results")
    assert result.exit_code == 1
    assert _checksums_as_n(result.output) == (
        f"workspace {path} is damaged: Corrupt database file: computed checksum N does not match stored checksum N in block at location {BLOCK_START}\n" + DAMAGED_HINT
    )


def test_a_damaged_data_block_met_midway_is_named_with_what_to_do(scored: Path, tmp_path: Path) -> None:
    """The file opens, and the damage is met when a command reads the block (the frozen files)."""
    path = copy(scored, tmp_path)
    with Workspace(path, read_only=True) as workspace:
        (block,) = workspace.db.execute("SELECT min(block_id) FROM pragma_storage_info('cycle_files') WHERE block_id >= 0").fetchone()
    _corrupt(path, block)
    result = run(path, "cycle", "show")
    assert result.exit_code == 1
    location = BLOCK_START + block * BLOCK_SIZE
    assert _checksums_as_n(result.output) == (
        f"workspace {path} is damaged: Corrupt database file: computed checksum N does not match stored checksum N in block at location {location}\n" + DAMAGED_HINT
    )


DISK_FULL = 'IO Error: Could not write file "w.duckdb.wal": No space left on device'


def _full_disk_message(path: Path) -> str:
    import tempfile

    return (
        f"the disk is full: workspace {path} could not be written, so the command stopped and its changes were not saved\n"
        f"  hint: free some space on the disk of the workspace and of the temporary folder ({tempfile.gettempdir()}), then run the command again"
    )


class _DiskFullAtCommit:
    """A connection whose COMMIT fails as DuckDB's does when the disk is full."""

    def __init__(self, db: duckdb.DuckDBPyConnection) -> None:
        self.db = db

    def execute(self, sql: str, *args: object) -> object:
        if sql == "COMMIT":
            raise duckdb.IOException(DISK_FULL)
        return self.db.execute(sql, *args)

    def close(self) -> None:
        self.db.close()


def test_a_full_disk_at_commit_is_named_and_nothing_is_kept(scored: Path, tmp_path: Path) -> None:
    path = copy(scored, tmp_path)
    workspace = Workspace(path)
    real = workspace.db
    workspace.db = _DiskFullAtCommit(real)  # type: ignore[assignment]
    with pytest.raises(WorkspaceError) as caught:
        with workspace.transaction() as db:
            db.execute("DELETE FROM person_results")
    assert str(caught.value) == _full_disk_message(path)
    real.execute("ROLLBACK")  # the fake refused COMMIT; DuckDB's own would have ended the transaction
    assert real.execute("SELECT count(*) FROM person_results").fetchone() == (30,)
    workspace.close()


def test_a_full_disk_met_by_a_command_exits_1_with_what_to_do(scored: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Any DuckDB 'No space left on device' a command meets is said the same way, not as a bug."""
    import competency.cli.score_cmds as score_cmds

    def full(*_: object) -> None:
        raise duckdb.IOException(DISK_FULL)

    monkeypatch.setattr(score_cmds, "cycle_results", full)
    path = copy(scored, tmp_path)
    result = run(path, "results")
    assert (result.exit_code, result.output) == (1, _full_disk_message(path) + "\n")


def _python(*args: str) -> list[str]:
    return [sys.executable, "-m", "competency", *args]


def test_four_parallel_explain_runs_all_succeed(scored: Path) -> None:
    """Readers open the workspace read-only and share it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    people = ["E000001", "E000002", "E000003", "E000004"]
    runs = [subprocess.Popen(_python("--workspace", str(scored), "explain", person, "--lang", "en"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for person in people]
    finished = [(run.communicate(timeout=60), run.returncode) for run in runs]
    assert [(code, err) for (_, err), code in finished] == [(0, "")] * 4
    assert [re.search(r"\((E\d+)\) · ", out).group(1) for (out, _), _ in finished] == people


def test_a_reader_says_a_writer_holds_the_workspace(scored: Path, tmp_path: Path) -> None:
    path = copy(scored, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = "import sys, time; from competency.store.workspace import Workspace\nw = Workspace(sys.argv[1]); print('holding', flush=True); time.sleep(60)\n"
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        result = run(path, "results")
        assert (result.exit_code, result.output) == (
            1,
            f"workspace {path} is being written by another competency command; try again when it has finished\n"
            "  hint: if no competency command is running, close the program holding the file\n",
        )
    finally:
        holder.kill()
        holder.communicate()


@pytest.mark.parametrize("command", [("results", "--format", "json"), ("explain", "E000002"), ("history", "E000002")])
def test_a_read_only_command_changes_no_byte(command: tuple[str, ...], scored: Path, tmp_path: Path) -> None:
    path = copy(scored, tmp_path)
    before = digest(path)
    result = run(path, *command)
    assert result.exit_code == 0, result.output
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb"]


def _earlier_version(path: Path) -> None:
    db = duckdb.connect(str(path))
    db.execute("CREATE TABLE schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
    for name, sql in MIGRATIONS[:5]:
        db.execute(sql)
        db.execute("INSERT INTO schema_migrations VALUES (?, now())", [name])
    db.close()


def test_read_only_never_migrates_and_the_command_line_upgrades_first(tmp_path: Path) -> None:
    """The library refuses to read an old schema read-only; a reading command upgrades it once, then reads."""
    path = tmp_path / "old.duckdb"
    _earlier_version(path)
    with pytest.raises(WorkspaceNeedsUpgrade) as caught:
        Workspace(path, read_only=True)
    assert str(caught.value) == (
        f"workspace {path} was written by an earlier version of competency and must be upgraded before it is read\n"
        "  hint: run any command that changes it once (or read it with the command line, which upgrades it first)"
    )
    result = run(path, "results")
    assert (result.exit_code, result.output) == (1, f"no cycle in workspace {path}\n  hint: open one with `competency cycle open 2026-Q4`\n")
    with Workspace(path, read_only=True) as workspace:
        assert workspace.migrations() == [name for name, _ in MIGRATIONS]
