"""Shared fixtures: the demo quarter with plans, built once, and copies to change."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from competency.store.workspace import Workspace
from competency.workflow.demo import DEMO_CYCLE, run_demo
from competency.workflow.plans import generate_plans


@pytest.fixture(scope="package")
def demo_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's workspace (120 people, scored) with everyone's plan generated. Read only."""
    out = tmp_path_factory.mktemp("plans") / "demo"
    run_demo(out, "en")
    with Workspace(out / "competency.duckdb") as workspace:
        generate_plans(workspace, DEMO_CYCLE)
    return out / "competency.duckdb"


@pytest.fixture
def demo_copy(demo_workspace: Path, tmp_path: Path) -> Path:
    """A writable copy of the demo workspace."""
    target = tmp_path / "competency.duckdb"
    shutil.copy(demo_workspace, target)
    return target


@pytest.fixture
def demo(demo_workspace: Path) -> Iterator[Workspace]:
    """The demo workspace, open (tests must not change it)."""
    with Workspace(demo_workspace) as workspace:
        yield workspace
