"""`calibrate set` and `calibrate undo`: the final rating, the audit row, and
refusals that write nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.calibration.conftest import CYCLE, invoke, opened, snapshot, table


def _person(path: Path, rating: str) -> str:
    return table(path, f"SELECT employee_id FROM person_results WHERE cycle_id = '{CYCLE}' AND rating = ? ORDER BY employee_id LIMIT 1", [rating])[0][0]


def _final(path: Path, employee_id: str) -> tuple:
    return table(path, "SELECT rating, final_rating, overridden FROM final_results WHERE employee_id = ?", [employee_id])[0]


def test_set_overrides_the_final_rating_and_records_who_why_and_what(workspace_path: Path) -> None:
    person = _person(workspace_path, "C")
    result = invoke(workspace_path, "calibrate", "set", person, "B", "--reason", "led the key-account merger", "--code", "evidence", "--by", "Li Na")
    assert result.exit_code == 0, result.output
    name = table(workspace_path, "SELECT name FROM roster WHERE employee_id = ?", [person])[0][0]
    assert result.output == f"set {person} {name}: C → B in cycle {CYCLE} (audit seq 1)\n"
    assert _final(workspace_path, person) == ("C", "B", True)
    assert table(workspace_path, "SELECT employee_id, previous, rating, reason, reason_code, changed_by, kind FROM overrides") == [
        (person, "C", "B", "led the key-account merger", "evidence", "Li Na", "manual")
    ]
    assert table(workspace_path, "SELECT seq, cycle_id, actor, action, employee_id, previous, new, reason, kind, prev_hash FROM audit_log") == [
        (1, CYCLE, "Li Na", "override", person, "C", "B", "[evidence] led the key-account merger", "manual", "0" * 64)
    ]
    assert table(workspace_path, "SELECT status FROM cycles") == [("calibrating",)]


def test_undo_goes_back_one_override_at_a_time(workspace_path: Path) -> None:
    """Overrides stack per person: undo restores the rating before the latest one,
    and the computed rating (NULL override) once none is left."""
    person = _person(workspace_path, "C")
    for rating in ("B", "A"):
        assert invoke(workspace_path, "calibrate", "set", person, rating, "--reason", "meeting", "--by", "HR").exit_code == 0
    assert _final(workspace_path, person) == ("C", "A", True)
    first = invoke(workspace_path, "calibrate", "undo", person, "--reason", "too generous", "--by", "HR", "--format", "json")
    assert first.exit_code == 0, first.output
    assert (json.loads(first.stdout)["previous"], json.loads(first.stdout)["final"]) == ("A", "B")
    assert _final(workspace_path, person) == ("C", "B", True)
    second = invoke(workspace_path, "calibrate", "undo", person, "--reason", "keep the computed rating", "--by", "HR")
    assert second.exit_code == 0, second.output
    assert second.output.endswith(f": B → computed (C) in cycle {CYCLE} (audit seq 4)\n")
    assert _final(workspace_path, person) == ("C", "C", False)
    assert table(workspace_path, "SELECT rating, kind FROM overrides ORDER BY override_id") == [("B", "manual"), ("A", "manual"), ("B", "undo"), (None, "undo")]
    nothing = invoke(workspace_path, "calibrate", "undo", person, "--reason", "again", "--by", "HR")
    assert (nothing.exit_code, nothing.stderr) == (1, f"{person} has no override to undo in cycle {CYCLE}\n")


def test_undo_without_a_person_takes_back_the_latest_override_of_anyone(workspace_path: Path) -> None:
    first, second = _person(workspace_path, "C"), _person(workspace_path, "B")
    invoke(workspace_path, "calibrate", "set", first, "B", "--reason", "r", "--by", "HR")
    invoke(workspace_path, "calibrate", "set", second, "A", "--reason", "r", "--by", "HR")
    result = invoke(workspace_path, "calibrate", "undo", "--reason", "the meeting changed its mind", "--by", "HR")
    assert result.exit_code == 0, result.output
    assert _final(workspace_path, second) == ("B", "B", False) and _final(workspace_path, first) == ("C", "B", True)
    again = invoke(workspace_path, "calibrate", "undo", "--reason", "and this one", "--by", "HR")
    assert again.exit_code == 0 and _final(workspace_path, first) == ("C", "C", False)
    none_left = invoke(workspace_path, "calibrate", "undo", "--reason", "nothing", "--by", "HR")
    assert (none_left.exit_code, none_left.stderr) == (1, f"nobody has an override to undo in cycle {CYCLE}\n")


REFUSALS = [
    (["B", "--by", "HR"], "an override needs a reason\n  hint: say why with --reason \"…\", e.g. --reason \"led the team through the merger; KPIs understate it\"\n"),
    (["B", "--reason", "   ", "--by", "HR"], "an override needs a reason\n  hint: say why with --reason \"…\", e.g. --reason \"led the team through the merger; KPIs understate it\"\n"),
    (["E", "--reason", "r", "--by", "HR"], "'E' is not on the rating scale (A, B, C, D)\n  hint: use one of A, B, C, D\n"),
    (["b", "--reason", "r", "--by", "HR"], "'b' is not on the rating scale (A, B, C, D)\n  hint: did you mean 'B'?\n"),
    (["B", "--reason", "r", "--by", "HR", "--code", "evidnce"], "unknown reason code 'evidnce'\n  hint: did you mean 'evidence'?\n"),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=["no reason", "blank reason", "off the scale", "lower case", "unknown code"])
def test_a_refused_override_says_why_and_writes_nothing(workspace_path: Path, args: list[str], message: str) -> None:
    person = _person(workspace_path, "C")
    before = snapshot(workspace_path)
    result = invoke(workspace_path, "calibrate", "set", person, *args)
    assert (result.exit_code, result.stderr) == (1, message)
    assert snapshot(workspace_path) == before


def test_an_unknown_person_is_refused_with_a_suggestion(workspace_path: Path) -> None:
    before = snapshot(workspace_path)
    result = invoke(workspace_path, "calibrate", "set", "E00012", "B", "--reason", "r", "--by", "HR")
    assert result.exit_code == 1
    assert result.stderr == f"no employee 'E00012' in cycle {CYCLE}\n  hint: did you mean 'E000120'?\n"
    assert snapshot(workspace_path) == before


def test_setting_the_rating_a_person_already_has_changes_nothing(workspace_path: Path) -> None:
    person = _person(workspace_path, "C")
    before = snapshot(workspace_path)
    result = invoke(workspace_path, "calibrate", "set", person, "C", "--reason", "r", "--by", "HR")
    assert (result.exit_code, result.stderr) == (1, f"{person} is already rated C in cycle {CYCLE}; nothing to change\n")
    assert snapshot(workspace_path) == before


def test_who_is_a_usage_error(workspace_path: Path) -> None:
    result = invoke(workspace_path, "calibrate", "set", _person(workspace_path, "C"), "B", "--reason", "r")
    assert result.exit_code == 2 and "Missing option '--by'" in result.output


def test_an_open_cycle_cannot_be_calibrated(workspace_path: Path) -> None:
    """After a new import the results are stale (status open): score first."""
    with opened(workspace_path) as workspace:
        workspace.db.execute("UPDATE cycles SET status = 'open'")
    before = snapshot(workspace_path)
    result = invoke(workspace_path, "calibrate", "set", _person(workspace_path, "C"), "B", "--reason", "r", "--by", "HR")
    assert result.exit_code == 1
    assert result.stderr == f"cannot change ratings: cycle {CYCLE} has no current results (status open)\n  hint: run `competency score --cycle {CYCLE}` first\n"
    assert snapshot(workspace_path) == before


def test_final_results_view_is_what_everything_downstream_reads(workspace_path: Path) -> None:
    from competency.workflow.results import cycle_results

    person = _person(workspace_path, "D")
    invoke(workspace_path, "calibrate", "set", person, "C", "--reason", "sick leave for two months", "--code", "context", "--by", "HR")
    with opened(workspace_path) as workspace:
        cycle_id, rows = cycle_results(workspace)
    row = next(r for r in rows if r["employee_id"] == person)
    assert (row["rating"], row["final_rating"], row["overridden"]) == ("D", "C", True)
    assert list(row).index("final_rating") == list(row).index("rating") + 1
