"""Reports for many people are loaded in bulk: a few queries a batch, never a query set per person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from competency.store.workspace import Workspace
from competency.workflow import reports as R


class _Counting:
    """The workspace's connection, counting the statements run through it."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.statements = 0

    def execute(self, *args: Any, **kwargs: Any) -> Any:
        self.statements += 1
        return self.db.execute(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def test_individual_reports_for_everyone_take_a_bounded_number_of_queries(demo: Path, tmp_path: Path) -> None:
    with Workspace(demo) as workspace:
        counting = _Counting(workspace.db)
        workspace.db = counting  # type: ignore[assignment]
        try:
            one = len(R.report_individual(workspace, None, ["E000005"], "html", "en", tmp_path / "one"))
            single = counting.statements
            counting.statements = 0
            everyone = len(R.report_individual(workspace, None, None, "html", "en", tmp_path / "all"))
        finally:
            workspace.db = counting.db
    assert one == 1 and everyone == 120
    assert counting.statements <= single + 40, f"{counting.statements} statements for {everyone} people"
