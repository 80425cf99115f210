"""The demo organisation, built once for the calibration tests and copied for
each test that writes; a CLI runner that re-reads the workspace afterwards."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from competency.cli import main
from competency.store.workspace import Workspace
from competency.workflow.demo import DEMO_CYCLE, run_demo

CYCLE = DEMO_CYCLE


@pytest.fixture(scope="session")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo (cycle 2026-Q4, scored), built once; never write to it — copy it."""
    out = tmp_path_factory.mktemp("demo")
    run = run_demo(out / "demo", "en")
    return run.workspace


@pytest.fixture
def workspace_path(demo_workspace: Path, tmp_path: Path) -> Path:
    """A private copy of the demo workspace to change."""
    target = tmp_path / "competency.duckdb"
    shutil.copyfile(demo_workspace, target)
    return target


@contextmanager
def opened(path: Path) -> Iterator[Workspace]:
    with Workspace(path, create=False) as workspace:
        yield workspace


def invoke(path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(path), *args])


def table(path: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Re-read the workspace: the rows of one query."""
    with opened(path) as workspace:
        return workspace.db.execute(sql, params or []).fetchall()


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Everything calibration may write, to compare before and after a refused command."""
    return {
        "overrides": table(path, "SELECT * FROM overrides ORDER BY override_id"),
        "audit_log": table(path, "SELECT * FROM audit_log ORDER BY seq"),
        "cycles": table(path, "SELECT cycle_id, status FROM cycles ORDER BY cycle_id"),
        "meta": table(path, "SELECT * FROM meta WHERE key <> 'rater_label_key' ORDER BY key"),
    }
