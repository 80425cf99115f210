"""Hostile audit logs, audit keys and final ratings.

Each case changes a calibrated workspace (or the audit key) as someone who
holds the file but not the key would, and `competency verify` exits 1 with one
exact message naming what is wrong — never "intact", never a traceback.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from competency.calibration import audit
from competency.cli import main
from competency.files.keys import ENV_KEY_FILE
from tests.hostile._scored import scored_workspace

DATA = Path(__file__).parent / "data" / "audit"
CYCLE = "2026-Q4"
RESTORE = "restore the workspace from a backup taken before it was changed"
BROKEN = f"\n  hint: {RESTORE}\n"
FINAL = f"\n  hint: final ratings are then not what calibration decided; {RESTORE}\n"
RESULTS = (
    "\n  hint: they were changed behind the tool's back, or written by another version of competency; "
    f"re-score the cycle (`competency score --cycle {CYCLE}`; a final cycle is reopened first) or restore the workspace from a backup\n"
)
DIFFER = f"results of cycle {CYCLE} differ from a re-computation from its frozen inputs: "
# The scored sample (30 people, seed 5): E000001 is rated C and calibrated to B; E000005 is rated B,
# set to A and that undone. Audit rows: 1 (E000001 C → B), 2 (E000005 B → A), 3 (the undo).
RAISED, UNDONE = "E000001", "E000005"


def run(workspace: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args])


@pytest.fixture(scope="module")
def calibrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = scored_workspace(tmp_path_factory.mktemp("audit"))
    for args in (
        ("set", RAISED, "B", "--reason", "led the merger", "--code", "evidence"),
        ("set", UNDONE, "A", "--reason", "meeting"),
        ("undo", UNDONE, "--reason", "taken back"),
    ):
        assert run(path, "calibrate", *args, "--by", "HR").exit_code == 0
    return path


@pytest.fixture
def workspace(calibrated: Path, tmp_path: Path) -> Path:
    target = tmp_path / "w.duckdb"
    shutil.copyfile(calibrated, target)
    return target


def sql(path: Path, *statements: str) -> None:
    db = duckdb.connect(str(path))
    for statement in statements:
        db.execute(statement)
    db.close()


def refused(path: Path, message: str, *args: str) -> None:
    result = run(path, "verify", *args)
    assert (result.exit_code, result.stderr) == (1, message)


@dataclass(frozen=True)
class Case:
    name: str
    statements: tuple[str, ...]
    message: str


CASES = [
    # the audit log itself
    Case("row edited", ("UPDATE audit_log SET new = 'A' WHERE seq = 1",), "audit log broken at seq 1: hash mismatch — the row was changed after it was written" + BROKEN),
    Case("row edited, hash recomputed", ("UPDATE audit_log SET reason = 'x', hash = '{rehash2}' WHERE seq = 2",),
         "audit log broken at seq 2: its MAC does not match the audit key — the row was written or rewritten without the key, behind the tool's back" + BROKEN),
    Case("row deleted", ("DELETE FROM audit_log WHERE seq = 2",), "audit log broken at seq 3: gap in seq — expected seq 2 next: row 2 was deleted" + BROKEN),
    Case("seq made negative", ("UPDATE audit_log SET seq = -1 WHERE seq = 1",), "audit log broken at seq -1: seq out of order — expected seq 1 next: the row's seq was changed" + BROKEN),
    Case("every MAC stripped", ("UPDATE audit_log SET mac = NULL",),
         "audit log not anchored: none of its 3 rows carries a MAC of an audit key, so anyone who can write the file could have written them\n"
         f"  hint: if this workspace predates keyed audit logs, {audit.ANCHOR_HINT}; otherwise {RESTORE}\n"),
    Case("MAC of non-ASCII text", ("UPDATE audit_log SET mac = repeat('ü', 64) WHERE seq = 2",),
         "audit log broken at seq 2: its MAC does not match the audit key — the row was written or rewritten without the key, behind the tool's back" + BROKEN),
    Case("head not SEQ:HASH", ("UPDATE meta SET value = 'not-a-head' WHERE key = 'audit_head'",),
         "audit log broken at seq 3: broken chain — the recorded head 'not-a-head' is not SEQ:HASH, as the tool writes it" + BROKEN),
    Case("last rows and head cut back", ("DELETE FROM audit_log WHERE seq > 1", "UPDATE meta SET value = '1:{hash1}' WHERE key = 'audit_head'"),
         f"override 2 ({UNDONE} → 'A', by HR) has no row in the audit log: it was added behind the tool's back" + FINAL),
    # final ratings and states against the log
    Case("override rating edited", ("UPDATE overrides SET rating = 'A' WHERE override_id = 1",),
         f"override 1 of {RAISED} does not match its audit row, seq 1: its rating is 'A', the log says 'B'" + FINAL),
    Case("override reason code edited", ("UPDATE overrides SET reason_code = 'guideline' WHERE override_id = 1",),
         f"override 1 of {RAISED} does not match its audit row, seq 1: its reason is '[guideline] led the merger', the log says '[evidence] led the merger'" + FINAL),
    Case("override author edited", ("UPDATE overrides SET changed_by = 'CEO' WHERE override_id = 2",),
         f"override 2 of {UNDONE} does not match its audit row, seq 2: its changed_by is 'CEO', the log says 'HR'" + FINAL),
    Case("undo turned into a manual override", ("UPDATE overrides SET kind = 'manual', rating = 'A' WHERE override_id = 3",),
         f"override 3 of {UNDONE} does not match its audit row, seq 3: its rating is 'A', the log says NULL" + FINAL),
    Case("overrides reordered", ("UPDATE overrides SET override_id = override_id + 10", "UPDATE overrides SET override_id = 14 - override_id"),
         f"override 1 of {UNDONE} does not match its audit row, seq 1: its employee_id is '{UNDONE}', the log says '{RAISED}'" + FINAL),
    Case("override inserted", (f"INSERT INTO overrides VALUES (4, '{CYCLE}', 'E000021', 'D', 'A', 'quietly', NULL, 'someone', now(), 'manual')",),
         "override 4 (E000021 → 'A', by someone) has no row in the audit log: it was added behind the tool's back" + FINAL),
    Case("override deleted", ("DELETE FROM overrides WHERE override_id = 1",),
         f"audit seq 1 records an override of {RAISED} ('C' → 'B') that is missing from the overrides: it was deleted behind the tool's back" + FINAL),
    Case("override inserted before the others", (f"INSERT INTO overrides VALUES (0, '{CYCLE}', 'E000021', 'D', 'A', 'first', NULL, 'someone', now(), 'manual')",),
         "override 0 (E000021 → 'A', by someone) has no row in the audit log: it was added behind the tool's back" + FINAL),
    Case("cycle unlocked by hand", ("UPDATE cycles SET status = 'scored'",),
         f"cycle {CYCLE} is scored, but its last audited change (seq 3, undo) left it calibrating: its status was changed behind the tool's back" + FINAL),
    Case("cycle status unknown", ("UPDATE cycles SET status = 'approved'",),
         f"cycle {CYCLE} has the status 'approved', which the tool never writes (it writes open, scored, calibrating, final)" + FINAL),
    # stored results against a re-computation
    Case("rating edited", (f"UPDATE person_results SET rating = 'A' WHERE employee_id = '{RAISED}'",),
         DIFFER + f"person_results of {RAISED}, column rating: stored 'A', re-computed 'C'" + RESULTS),
    Case("flags cleared", ("UPDATE person_results SET flags = [] WHERE len(flags) > 0",),
         DIFFER + "person_results of {flagged}, column flags: stored [], re-computed {flags}" + RESULTS),
    Case("stranger added", (f"INSERT INTO person_results SELECT cycle_id, 'E999999', competency_index, kpi_index, ability, performance, potential, rating, nine_box, flags, trace FROM person_results WHERE employee_id = '{RAISED}'",),
         DIFFER + "person_results has a row for E999999 that a re-computation does not make" + RESULTS),
    Case("competency score nudged", (f"UPDATE competency_scores SET score = score + 0.000001 WHERE employee_id = '{RAISED}' AND competency_id = 'decision_making'",),
         DIFFER + f"competency_scores of {RAISED} / decision_making, column score: stored {{nudged}}, re-computed {{score}}" + RESULTS),
    Case("KPI score deleted", (f"DELETE FROM kpi_scores WHERE employee_id = '{RAISED}' AND kpi_id = 'complaint_resolution'",),
         DIFFER + f"kpi_scores has no row for {RAISED} / complaint_resolution, which a re-computation makes" + RESULTS),
    Case("withheld figure published", ("UPDATE group_scores SET publishable = true, reason = NULL WHERE employee_id = '{withheld}' AND NOT publishable",),
         DIFFER + "group_scores of {withheld} / {withheld_competency} / {withheld_group}, column publishable: stored True, re-computed False" + RESULTS),
    Case("frozen rules edited", ("UPDATE cycle_files SET text = replace(text, 'A', 'B') WHERE name = 'rules/rating.yaml'",),
         f"cycle {CYCLE}'s frozen file rules/rating.yaml is not the file the cycle was opened with: its text no longer has the sha256 recorded then\n"
         "  hint: the cycle's model or rules were changed behind the tool's back; restore the workspace from a backup taken before it was changed\n"),
]


def _facts(path: Path) -> dict[str, str]:
    """Values a case's statements or message need, read from the untouched workspace."""
    db = duckdb.connect(str(path), read_only=True)
    first, second = audit.rows(db)[:2]
    flagged, flags = db.execute("SELECT employee_id, flags FROM person_results WHERE len(flags) > 0 ORDER BY employee_id LIMIT 1").fetchone()
    score = db.execute(f"SELECT score FROM competency_scores WHERE employee_id = '{RAISED}' AND competency_id = 'decision_making'").fetchone()[0]
    withheld = db.execute("SELECT employee_id, competency_id, rater_group FROM group_scores WHERE NOT publishable ORDER BY ALL LIMIT 1").fetchone()
    db.close()
    return {
        "hash1": first["hash"], "rehash2": audit.row_hash({**second, "reason": "x"}), "flagged": flagged, "flags": str(flags), "score": str(score), "nudged": str(score + 0.000001),
        "withheld": withheld[0], "withheld_competency": withheld[1], "withheld_group": withheld[2],
    }


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_hostile_change_is_named(workspace: Path, case: Case) -> None:
    facts = _facts(workspace)
    sql(workspace, *(s.format(**facts) for s in case.statements))
    refused(workspace, case.message.format(**facts))


def test_a_forged_row_with_chain_head_and_override_recomputed(workspace: Path) -> None:
    db = duckdb.connect(str(workspace))
    last = audit.rows(db)[-1]
    at = datetime(2026, 12, 24, 23, 59)
    row = {**last, "seq": 4, "logged_at": at, "action": "override", "employee_id": "E000021", "previous": "D", "new": "A", "reason": "forged", "kind": "manual", "prev_hash": last["hash"]}
    row["hash"] = audit.row_hash(row)
    db.execute(f"INSERT INTO audit_log ({', '.join(audit.STORED)}) VALUES ({', '.join('?' * len(audit.STORED))})", [*(row[c] for c in audit.COLUMNS), "f" * 64])
    db.execute("UPDATE meta SET value = ? WHERE key = 'audit_head'", [f"4:{row['hash']}"])
    db.execute(f"INSERT INTO overrides VALUES (4, '{CYCLE}', 'E000021', 'D', 'A', 'forged', NULL, 'HR', ?, 'manual')", [at])
    db.close()
    refused(workspace, "audit log broken at seq 4: its MAC does not match the audit key — the row was written or rewritten without the key, behind the tool's back" + BROKEN)


def test_everything_calibration_wrote_wiped_against_a_kept_head(workspace: Path) -> None:
    kept = run(workspace, "calibrate", "log", "--head").stdout.strip()
    sql(workspace, "DELETE FROM audit_log", "DELETE FROM overrides", "DELETE FROM meta WHERE key = 'audit_head'", "UPDATE cycles SET status = 'scored'")
    refused(workspace, "audit log broken at seq 1: the log has no rows, but the head kept elsewhere is at seq 3: rows 1–3 were deleted" + BROKEN, "--head", kept)


@pytest.mark.parametrize("name", ["not_hex.key", "empty.key", "short.key"])
def test_a_damaged_key_file_is_named(workspace: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY_FILE, str(DATA / name))
    refused(workspace, f"{DATA / name} is not an audit key: it should hold 64 hex digits (0-9, a-f) on one line and nothing else\n"
            "  hint: restore the file from a backup: rows signed with a lost key can no longer be checked\n")


def test_a_folder_named_as_the_key_is_named(workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path))
    refused(workspace, f"cannot read the audit key {tmp_path}: [Errno 21] Is a directory: '{tmp_path}'\n"
            f"  hint: the key lives outside the workspace; set {ENV_KEY_FILE} to a file you can read and write, e.g. {ENV_KEY_FILE}=~/keys/competency-audit.key\n")


def test_another_computers_key_is_named(workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.key"
    other.write_text("0123456789abcdef" * 4, encoding="ascii")
    monkeypatch.setenv(ENV_KEY_FILE, str(other))
    refused(workspace, f"audit log broken at seq 1: its MAC does not match the audit key {other} — the log was signed with another key, or rewritten without one\n"
            f"  hint: if the workspace was written on another computer, verify it there or set {ENV_KEY_FILE} to that computer's key file; otherwise {RESTORE}\n")


@pytest.mark.parametrize("head", ["3", "3:xyz", f"3:{'a' * 63}", f"-1:{'a' * 64}", "3:" + "é" * 64])
def test_a_head_that_is_not_one_is_a_usage_error(workspace: Path, head: str) -> None:
    result = run(workspace, "verify", "--head", head)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"Error: Invalid value for '--head': '{head}' is not an audit log head: it looks like 12:3fa9… (the seq, a colon, 64 hex digits), as `competency calibrate log --head` prints it"
    )


def test_a_kept_head_beyond_the_log_is_named(workspace: Path) -> None:
    refused(workspace, f"audit log broken at seq 4: the log ends at seq 3, but the head kept elsewhere is at seq 9: rows 4–9 were deleted" + BROKEN, "--head", f"9:{'a' * 64}")
