"""The same cycle scored again gives the same stored figures, byte for byte,
whatever order DuckDB's threads happen to add numbers in."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency._sql import quote_ident, quote_number
from competency.store.workspace import Workspace
from competency.workflow.demo import DEMO_CYCLE, run_demo
from competency.workflow.scoring import score_cycle

RESULTS = ("group_scores", "competency_scores", "kpi_scores", "person_results")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_demo(tmp_path_factory.mktemp("demo"), "en").workspace


def _stored(workspace: Workspace) -> dict[str, list[tuple]]:
    return {table: workspace.db.execute(f"SELECT * EXCLUDE (cycle_id) FROM {quote_ident(table)} ORDER BY ALL").fetchall() for table in RESULTS}


@pytest.mark.parametrize("threads", [1, 3, 8])
def test_scoring_again_on_any_thread_count_stores_the_same_figures(demo: Path, tmp_path: Path, threads: int) -> None:
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(demo.read_bytes())
    with Workspace(copy) as workspace:
        before = _stored(workspace)
        workspace.db.execute(f"SET threads = {quote_number(threads)}")
        score_cycle(workspace, DEMO_CYCLE)
        assert _stored(workspace) == before
