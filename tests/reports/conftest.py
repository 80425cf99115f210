"""The demo organisation, scored (and planned, when plans exist), shared by the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.store.workspace import Workspace
from competency.workflow.demo import run_demo


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace (cycle 2026-Q4, scored, with everyone's development plan). Read only."""
    return run_demo(tmp_path_factory.mktemp("demo"), "en").workspace


@pytest.fixture
def workspace(demo: Path):
    with Workspace(demo) as opened:
        yield opened


@pytest.fixture(scope="session")
def report_set(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every report of the demo cycle as HTML (English), with its index.html."""
    from competency.workflow.reports import write_report_set

    out = tmp_path_factory.mktemp("reports")
    with Workspace(demo) as workspace:
        return write_report_set(workspace, None, out, "en").parent
