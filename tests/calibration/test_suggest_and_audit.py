"""`calibrate suggest` brings the demo within its guidelines; the audit log's hash
chain catches rows edited or deleted behind the tool's back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from competency.calibration import audit
from tests.calibration.conftest import CYCLE, invoke, opened, snapshot, table


def _off(path: Path) -> list[str]:
    found = json.loads(invoke(path, "calibrate", "status", "--format", "json").stdout)
    return [f"{s['kind']} {s['scope']}" for s in found["scopes"] if s["off"]]


def test_suggest_without_apply_explains_moves_and_changes_nothing(workspace_path: Path) -> None:
    before = snapshot(workspace_path)
    result = invoke(workspace_path, "calibrate", "suggest", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("moves bring the scopes within their guidelines (at least 13 are needed):")
    assert lines[-1] == "Nothing changed: add --apply --by NAME to make these moves, each recorded in the audit log."
    assert "A → B  suggested: performance" in result.output and "department 天津办事处 A " in result.output
    assert snapshot(workspace_path) == before


def test_suggested_moves_go_to_the_people_nearest_the_boundary(workspace_path: Path) -> None:
    found = json.loads(invoke(workspace_path, "calibrate", "suggest", "--format", "json").stdout)
    moves = found["moves"]
    assert moves and found["minimal"] is True and len(moves) == found["lower_bound"]
    for move in moves:
        assert move["distance"] >= 0 and move["fixes"]
    first_down_a = next(m for m in moves if (m["rating"], m["to"]) == ("A", "B"))
    tianjin_a = table(
        workspace_path,
        "SELECT min(performance) FROM final_results JOIN roster USING (cycle_id, employee_id) WHERE department = '天津办事处' AND final_rating = 'A'",
    )[0][0]
    assert first_down_a["score"] == pytest.approx(tianjin_a)


def test_suggest_apply_brings_every_scope_within_its_guideline(workspace_path: Path) -> None:
    assert _off(workspace_path)
    planned = json.loads(invoke(workspace_path, "calibrate", "suggest", "--format", "json").stdout)["moves"]
    result = invoke(workspace_path, "calibrate", "suggest", "--apply", "--by", "Li Na", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == f"Applied {len(planned)} moves, each recorded in the audit log."
    assert _off(workspace_path) == []
    assert table(workspace_path, "SELECT count(*), min(kind), max(kind), min(changed_by) FROM overrides") == [(len(planned), "suggested", "suggested", "Li Na")]
    assert table(workspace_path, "SELECT count(*) FROM audit_log WHERE action = 'override' AND kind = 'suggested'") == [(len(planned),)]
    reasons = [r[0] for r in table(workspace_path, "SELECT reason FROM overrides ORDER BY override_id")]
    assert all(r.startswith("suggested: performance ") and "brings" in r for r in reasons)
    assert table(workspace_path, "SELECT status FROM cycles") == [("calibrating",)]
    again = invoke(workspace_path, "calibrate", "suggest", "--lang", "en")
    assert again.output == "Every scope is within its guideline: no moves needed.\n"
    verified = invoke(workspace_path, "calibrate", "log", "--verify")
    assert (verified.exit_code, verified.output) == (0, (
        f"audit log intact: {len(planned)} rows, every hash, link and MAC checks out\n"
        f"overrides: {len(planned)}, each as its audit row records it\n"
        f"cycle {CYCLE} (calibrating): 6365 stored result rows equal a re-computation from its frozen inputs\n"
    ))


def test_suggest_apply_needs_who(workspace_path: Path) -> None:
    result = invoke(workspace_path, "calibrate", "suggest", "--apply")
    assert result.exit_code == 2 and "--apply needs --by NAME: who applies the moves" in result.output


def test_suggest_can_be_limited_to_one_kind_of_scope(workspace_path: Path) -> None:
    found = json.loads(invoke(workspace_path, "calibrate", "suggest", "--scope", "manager", "--format", "json").stdout)
    assert {f["kind"] for m in found["moves"] for f in m["fixes"]} == {"manager"}


RESTORE = "\n  hint: restore the workspace from a backup taken before it was changed\n"


@pytest.fixture
def logged(workspace_path: Path) -> Path:
    """A workspace with four audit rows."""
    people = [r[0] for r in table(workspace_path, "SELECT employee_id FROM person_results WHERE rating = 'C' ORDER BY employee_id LIMIT 3")]
    for person in people:
        assert invoke(workspace_path, "calibrate", "set", person, "B", "--reason", f"reason for {person}", "--by", "HR").exit_code == 0
    assert invoke(workspace_path, "calibrate", "undo", "--reason", "taken back", "--by", "HR").exit_code == 0
    return workspace_path


def test_each_row_hashes_its_canonical_json_and_the_previous_hash(logged: Path) -> None:
    with opened(logged) as workspace:
        rows = audit.rows(workspace.db)
    assert [r["seq"] for r in rows] == [1, 2, 3, 4] and rows[0]["prev_hash"] == "0" * 64
    for before, row in zip(rows, rows[1:]):
        assert row["prev_hash"] == before["hash"]
    assert all(audit.row_hash(r) == r["hash"] for r in rows)
    assert audit.canonical(rows[0]).startswith('{"action":"override","actor":"HR","cycle_id":"2026-Q4","employee_id":')


def test_verify_names_an_edited_row(logged: Path) -> None:
    with opened(logged) as workspace:
        workspace.db.execute("UPDATE audit_log SET reason = 'nobody will notice' WHERE seq = 2")
    result = invoke(logged, "calibrate", "log", "--verify")
    assert (result.exit_code, result.stderr) == (1, "audit log broken at seq 2: hash mismatch — the row was changed after it was written" + RESTORE)


def test_verify_names_a_deleted_row(logged: Path) -> None:
    with opened(logged) as workspace:
        workspace.db.execute("DELETE FROM audit_log WHERE seq = 2")
    result = invoke(logged, "calibrate", "log", "--verify")
    assert (result.exit_code, result.stderr) == (1, "audit log broken at seq 3: gap in seq — expected seq 2 next: row 2 was deleted" + RESTORE)


def test_verify_notices_the_last_rows_deleted(logged: Path) -> None:
    with opened(logged) as workspace:
        workspace.db.execute("DELETE FROM audit_log WHERE seq >= 3")
    result = invoke(logged, "calibrate", "log", "--verify")
    assert result.exit_code == 1
    assert result.stderr == "audit log broken at seq 3: gap in seq — the log ends at seq 2 but its head was recorded at seq 4: rows 3–4 were deleted" + RESTORE


def test_verify_notices_a_rewritten_hash_by_its_mac(logged: Path) -> None:
    """Editing a row and recomputing its hash leaves its MAC, made with the key, behind."""
    with opened(logged) as workspace:
        workspace.db.execute("UPDATE audit_log SET reason = 'rewritten' WHERE seq = 2")
        row = audit.rows(workspace.db)[1]
        workspace.db.execute("UPDATE audit_log SET hash = ? WHERE seq = 2", [audit.row_hash(row)])
    result = invoke(logged, "calibrate", "log", "--verify")
    assert (result.exit_code, result.stderr) == (1, "audit log broken at seq 2: its MAC does not match the audit key — the row was written or rewritten without the key, behind the tool's back" + RESTORE)


def test_log_lists_the_rows_in_every_format(logged: Path) -> None:
    text = invoke(logged, "calibrate", "log", "--lang", "en")
    assert text.exit_code == 0 and text.output.splitlines()[0].split() == ["seq", "when", "who", "action", "employee", "change", "reason"]
    assert "undo" in text.output.splitlines()[-1] and "taken back" in text.output
    rows = list(csv.DictReader(io.StringIO(invoke(logged, "calibrate", "log", "--format", "csv").output.lstrip("\ufeff"))))
    assert [r["seq"] for r in rows] == ["1", "2", "3", "4"] and rows[3]["action"] == "undo"
    as_json = json.loads(invoke(logged, "calibrate", "log", "--format", "json", "--cycle", CYCLE).stdout)
    assert [r["hash"] for r in as_json] == [r["hash"] for r in rows]
