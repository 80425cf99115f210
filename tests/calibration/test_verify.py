"""`competency verify` and `calibrate log --verify`: the final ratings are covered.

An untouched cycle verifies. Whatever someone with the workspace file but not
the audit key changes behind the tool's back — a forged audit row with the
chain and head recomputed, the log deleted with its head, an edited or
inserted override, an edited result — fails, naming what is wrong. Nothing is
written while verifying.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from competency.calibration import audit
from competency.workflow.verify import verify
from tests.calibration.conftest import CYCLE, invoke, opened, table

RESTORE = "restore the workspace from a backup taken before it was changed"
FINAL_HINT = f"\n  hint: final ratings are then not what calibration decided; {RESTORE}\n"
RESULTS_HINT = (
    "\n  hint: they were changed behind the tool's back, or written by another version of competency; "
    f"re-score the cycle (`competency score --cycle {CYCLE}`; a final cycle is reopened first) or restore the workspace from a backup\n"
)
RESULT_ROWS = 6365  # the demo's stored result rows: people, competency and KPI scores, figures


def _people(path: Path, rating: str, n: int) -> list[str]:
    return [r[0] for r in table(path, "SELECT employee_id FROM person_results WHERE rating = ? ORDER BY employee_id LIMIT ?", [rating, n])]


@pytest.fixture
def calibrated(workspace_path: Path) -> Path:
    """Three audit rows: C → B for one person, B → A for another, that one undone."""
    first, second = _people(workspace_path, "C", 1)[0], _people(workspace_path, "B", 1)[0]
    for person, rating in ((first, "B"), (second, "A")):
        assert invoke(workspace_path, "calibrate", "set", person, rating, "--reason", f"evidence for {person}", "--by", "HR").exit_code == 0
    assert invoke(workspace_path, "calibrate", "undo", second, "--reason", "taken back", "--by", "HR").exit_code == 0
    return workspace_path


def _verify(path: Path, *args: str) -> tuple[int, str]:
    result = invoke(path, "verify", *args)
    return result.exit_code, result.stdout if result.exit_code == 0 else result.stderr


def _sql(path: Path, *statements: str, params: list | None = None) -> None:
    """Change the file as someone without the tool would."""
    db = duckdb.connect(str(path))
    for statement in statements:
        db.execute(statement, params or [])
    db.close()


def forge(path: Path, employee_id: str, *, mac: str | None = None) -> int:
    """Append an override and its audit row as the tool would, the chain and head recomputed,
    but without the audit key; returns the forged row's seq."""
    db = duckdb.connect(str(path))
    seq, prev_hash = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    at = datetime(2026, 12, 20, 9, 30)
    row = {
        "seq": seq + 1, "cycle_id": CYCLE, "logged_at": at, "actor": "HR", "action": "override", "employee_id": employee_id,
        "previous": "C", "new": "A", "reason": "forged", "kind": "manual", "prev_hash": prev_hash,
    }
    row["hash"] = audit.row_hash(row)
    db.execute(f"INSERT INTO audit_log ({', '.join(audit.STORED)}) VALUES ({', '.join('?' * len(audit.STORED))})", [*row.values(), mac])
    db.execute("UPDATE meta SET value = ? WHERE key = ?", [f"{row['seq']}:{row['hash']}", audit.HEAD_KEY])
    override_id = db.execute("SELECT max(override_id) + 1 FROM overrides").fetchone()[0]
    db.execute("INSERT INTO overrides VALUES (?, ?, ?, 'C', 'A', 'forged', NULL, 'HR', ?, 'manual')", [override_id, CYCLE, employee_id, at])
    db.close()
    return row["seq"]


def test_an_untouched_scored_cycle_verifies(workspace_path: Path) -> None:
    assert _verify(workspace_path) == (0, (
        "audit log intact: no rows yet\n"
        "overrides: 0, each as its audit row records it\n"
        f"cycle {CYCLE} (scored): {RESULT_ROWS} stored result rows equal a re-computation from its frozen inputs\n"
    ))


def test_an_untouched_calibrated_cycle_verifies_with_either_command(calibrated: Path) -> None:
    expected = (
        "audit log intact: 3 rows, every hash, link and MAC checks out\n"
        "overrides: 3, each as its audit row records it\n"
        f"cycle {CYCLE} (calibrating): {RESULT_ROWS} stored result rows equal a re-computation from its frozen inputs\n"
    )
    assert _verify(calibrated) == (0, expected)
    assert _verify(calibrated, "--cycle", CYCLE) == (0, expected)
    logged = invoke(calibrated, "calibrate", "log", "--verify")
    assert (logged.exit_code, logged.stdout) == (0, expected)


def test_a_locked_and_reopened_cycle_verifies(calibrated: Path) -> None:
    assert invoke(calibrated, "calibrate", "lock", "--by", "HR").exit_code == 0
    assert _verify(calibrated)[1].splitlines()[-1] == f"cycle {CYCLE} (final): {RESULT_ROWS} stored result rows equal a re-computation from its frozen inputs"
    assert invoke(calibrated, "calibrate", "reopen", "--reason", "appeal", "--by", "HR").exit_code == 0
    assert _verify(calibrated)[0] == 0


@pytest.mark.parametrize(
    ("mac", "problem"),
    [
        (None, "the row carries no MAC, though the log is signed from seq 1 on — it was added without the tool"),
        ("0" * 64, "its MAC does not match the audit key — the row was written or rewritten without the key, behind the tool's back"),
    ],
    ids=["without a MAC", "with a made-up MAC"],
)
def test_a_forged_row_appended_with_the_chain_and_head_recomputed_fails(calibrated: Path, mac: str | None, problem: str) -> None:
    seq = forge(calibrated, _people(calibrated, "C", 2)[1], mac=mac)
    assert _verify(calibrated) == (1, f"audit log broken at seq {seq}: {problem}\n  hint: {RESTORE}\n")
    logged = invoke(calibrated, "calibrate", "log", "--verify")
    assert (logged.exit_code, logged.stderr) == (1, f"audit log broken at seq {seq}: {problem}\n  hint: {RESTORE}\n")


def test_the_log_deleted_with_its_head_fails_by_the_overrides_it_recorded(calibrated: Path) -> None:
    first = _people(calibrated, "C", 1)[0]
    _sql(calibrated, "DELETE FROM audit_log", f"DELETE FROM meta WHERE key = '{audit.HEAD_KEY}'")
    assert _verify(calibrated) == (1, f"override 1 ({first} → 'B', by HR) has no row in the audit log: it was added behind the tool's back" + FINAL_HINT)


def test_everything_calibration_wrote_deleted_fails_against_the_head_kept_elsewhere(calibrated: Path) -> None:
    """The log, its head and the overrides deleted and the status set back leave a workspace
    like a freshly scored one: only a head kept outside it shows what is gone."""
    kept = invoke(calibrated, "calibrate", "log", "--head").stdout.strip()
    _sql(calibrated, "DELETE FROM audit_log", "DELETE FROM overrides", f"DELETE FROM meta WHERE key = '{audit.HEAD_KEY}'", "UPDATE cycles SET status = 'scored'")
    assert _verify(calibrated)[0] == 0
    assert _verify(calibrated, "--head", kept) == (1, f"audit log broken at seq 1: the log has no rows, but the head kept elsewhere is at seq 3: rows 1–3 were deleted\n  hint: {RESTORE}\n")


def test_update_overrides_fails(calibrated: Path) -> None:
    first = _people(calibrated, "C", 1)[0]
    _sql(calibrated, "UPDATE overrides SET rating = 'A' WHERE override_id = 1")
    assert _verify(calibrated) == (1, f"override 1 of {first} does not match its audit row, seq 1: its rating is 'A', the log says 'B'" + FINAL_HINT)


def test_an_undo_made_to_restore_another_rating_fails(calibrated: Path) -> None:
    """An undo's rating is not in its audit row (which shows the final rating); the log's replay decides it."""
    second = _people(calibrated, "B", 1)[0]
    _sql(calibrated, "UPDATE overrides SET rating = 'A' WHERE override_id = 3")
    assert _verify(calibrated) == (1, f"override 3 of {second} does not match its audit row, seq 3: its rating is 'A', the log says NULL" + FINAL_HINT)


def test_update_person_results_fails(calibrated: Path) -> None:
    person = _people(calibrated, "D", 1)[0]
    _sql(calibrated, "UPDATE person_results SET rating = 'A' WHERE employee_id = ?", params=[person])
    assert _verify(calibrated) == (
        1, f"results of cycle {CYCLE} differ from a re-computation from its frozen inputs: person_results of {person}, column rating: stored 'A', re-computed 'D'" + RESULTS_HINT
    )


def test_an_override_inserted_without_a_log_row_fails(calibrated: Path) -> None:
    person = _people(calibrated, "D", 1)[0]
    _sql(calibrated, "INSERT INTO overrides VALUES (4, ?, ?, 'D', 'A', 'quietly', NULL, 'someone', now(), 'manual')", params=[CYCLE, person])
    assert table(calibrated, "SELECT final_rating FROM final_results WHERE employee_id = ?", [person]) == [("A",)]
    assert _verify(calibrated) == (1, f"override 4 ({person} → 'A', by someone) has no row in the audit log: it was added behind the tool's back" + FINAL_HINT)


def test_an_override_deleted_fails(calibrated: Path) -> None:
    second = _people(calibrated, "B", 1)[0]
    _sql(calibrated, "DELETE FROM overrides WHERE override_id = 3")
    assert _verify(calibrated) == (1, f"audit seq 3 records an override of {second} ('A' → 'B') that is missing from the overrides: it was deleted behind the tool's back" + FINAL_HINT)


def test_a_final_cycle_unlocked_behind_the_tools_back_fails(calibrated: Path) -> None:
    assert invoke(calibrated, "calibrate", "lock", "--by", "HR").exit_code == 0
    _sql(calibrated, "UPDATE cycles SET status = 'calibrating'")
    assert _verify(calibrated) == (1, f"cycle {CYCLE} is calibrating, but its last audited change (seq 4, lock) left it final: its status was changed behind the tool's back" + FINAL_HINT)


def test_an_open_cycle_is_not_compared(workspace_path: Path) -> None:
    """New data after scoring makes the stored results stale (the cycle is open again): there is nothing to compare."""
    _sql(workspace_path, "UPDATE cycles SET status = 'open'")
    assert _verify(workspace_path)[1].splitlines()[-1] == f"cycle {CYCLE} (open): results not compared — the cycle has not been scored since its last import"


def test_verify_names_an_unknown_cycle(workspace_path: Path) -> None:
    code, message = _verify(workspace_path, "--cycle", "2026-Q5")
    assert (code, message) == (1, f"no cycle '2026-Q5' in workspace {workspace_path}\n  hint: did you mean '{CYCLE}'?\n")


def test_verify_writes_nothing(calibrated: Path) -> None:
    """The file is byte-identical afterwards, and the checks run on a read-only connection."""
    before = hashlib.sha256(calibrated.read_bytes()).hexdigest()
    assert _verify(calibrated)[0] == 0
    assert hashlib.sha256(calibrated.read_bytes()).hexdigest() == before

    class ReadOnly:
        path = calibrated
        db = duckdb.connect(str(calibrated), read_only=True)

    found = verify(ReadOnly())  # type: ignore[arg-type]
    ReadOnly.db.close()
    assert (found.overrides, [(c.cycle_id, c.results) for c in found.cycles]) == (3, [(CYCLE, RESULT_ROWS)])


def test_the_recomputation_leaves_no_temp_relation_behind(calibrated: Path) -> None:
    with opened(calibrated) as workspace:
        before = workspace.db.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone()
        verify(workspace)
        assert workspace.db.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchone() == before
