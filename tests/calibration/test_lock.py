"""`calibrate lock` makes a cycle final — no overrides, imports or scoring — and
`calibrate reopen` records why it is opened again."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.errors import CycleError
from competency.workflow.imports import run_import
from competency.workflow.scoring import score_cycle
from tests.calibration.conftest import CYCLE, invoke, opened, snapshot, table

LOCKED = (
    f"cannot change ratings: cycle {CYCLE} is final (locked)\n"
    f"  hint: `competency calibrate reopen --cycle {CYCLE} --reason \"…\" --by NAME` opens it again, with the reason recorded\n"
)


@pytest.fixture
def locked(workspace_path: Path) -> Path:
    person = table(workspace_path, "SELECT employee_id FROM person_results WHERE rating = 'C' ORDER BY employee_id LIMIT 1")[0][0]
    assert invoke(workspace_path, "calibrate", "set", person, "B", "--reason", "meeting", "--by", "HR").exit_code == 0
    result = invoke(workspace_path, "calibrate", "lock", "--by", "Li Na")
    assert result.exit_code == 0, result.output
    assert result.output == f"cycle {CYCLE} is final (was calibrating); audit seq 2\n"
    return workspace_path


def test_lock_makes_the_cycle_final_and_is_logged(locked: Path) -> None:
    assert table(locked, "SELECT status FROM cycles") == [("final",)]
    assert table(locked, "SELECT seq, actor, action, previous, new, employee_id FROM audit_log WHERE seq = 2") == [(2, "Li Na", "lock", "calibrating", "final", None)]
    again = invoke(locked, "calibrate", "lock", "--by", "Li Na")
    assert (again.exit_code, again.stderr) == (1, f"cycle {CYCLE} is already final\n")


@pytest.mark.parametrize(
    "args",
    [
        ["set", "E000005", "A", "--reason", "r", "--by", "HR"],
        ["undo", "--reason", "r", "--by", "HR"],
        ["suggest", "--apply", "--by", "HR"],
    ],
    ids=["set", "undo", "suggest --apply"],
)
def test_a_final_cycle_takes_no_more_overrides(locked: Path, args: list[str]) -> None:
    before = snapshot(locked)
    result = invoke(locked, "calibrate", *args)
    assert (result.exit_code, result.stderr) == (1, LOCKED)
    assert snapshot(locked) == before


def test_a_final_cycle_takes_no_imports_or_scoring(locked: Path, demo_workspace: Path) -> None:
    roster = demo_workspace.parent / "input" / "roster.csv"
    with opened(locked) as workspace:
        with pytest.raises(CycleError) as refused_import:
            run_import(workspace, "roster", roster, replace=True)
        with pytest.raises(CycleError) as refused_scoring:
            score_cycle(workspace)
    assert str(refused_import.value).startswith(f"cannot import into cycle {CYCLE}: cycle {CYCLE} is final\n")
    assert str(refused_scoring.value).startswith(f"cannot score cycle {CYCLE}: cycle {CYCLE} is final\n")
    assert table(locked, "SELECT status FROM cycles") == [("final",)]


def test_reopen_needs_a_reason_and_records_it(locked: Path) -> None:
    before = snapshot(locked)
    refused = invoke(locked, "calibrate", "reopen", "--by", "Li Na")
    assert refused.exit_code == 1
    assert refused.stderr == 'reopening a final cycle needs a reason\n  hint: say why with --reason "…", e.g. --reason "led the team through the merger; KPIs understate it"\n'
    assert snapshot(locked) == before
    result = invoke(locked, "calibrate", "reopen", "--reason", "appeal upheld for E000005", "--by", "Li Na")
    assert (result.exit_code, result.output) == (0, f"cycle {CYCLE} is calibrating again (was final); audit seq 3\n")
    assert table(locked, "SELECT status FROM cycles") == [("calibrating",)]
    assert table(locked, "SELECT action, previous, new, reason FROM audit_log WHERE seq = 3") == [("reopen", "final", "calibrating", "appeal upheld for E000005")]
    person = table(locked, "SELECT employee_id FROM final_results WHERE final_rating = 'D' ORDER BY employee_id LIMIT 1")[0][0]
    assert invoke(locked, "calibrate", "set", person, "C", "--reason", "appeal", "--by", "HR").exit_code == 0
    assert invoke(locked, "calibrate", "log", "--verify").exit_code == 0


def test_only_a_final_cycle_can_be_reopened(workspace_path: Path) -> None:
    result = invoke(workspace_path, "calibrate", "reopen", "--reason", "why not", "--by", "HR")
    assert (result.exit_code, result.stderr) == (1, f"cycle {CYCLE} is not final (it is scored); there is nothing to reopen\n")
