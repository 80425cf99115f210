"""The audit key lives outside the workspace; the head can be kept elsewhere too.

The key is made on first use in the user's config folder (or where
$COMPETENCY_AUDIT_KEY_FILE says) with mode 0600; rows signed with another key
or none are never built on; a workspace from before keyed logs is anchored on
purpose, after its chain checks out; `calibrate log --head` prints the head to
keep, and `--verify --head` holds the log to it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest

from competency.calibration import audit
from competency.files.keys import ENV_KEY_FILE, key_path
from tests.calibration.conftest import invoke, table

RESTORE = "restore the workspace from a backup taken before it was changed"
ANCHOR = "check it against a head kept elsewhere (`competency calibrate log --verify --head SEQ:HASH`), then anchor it: `competency calibrate log --anchor --by NAME`"


def _someone(path: Path, rating: str = "C", n: int = 0) -> str:
    return table(path, "SELECT employee_id FROM person_results WHERE rating = ? ORDER BY employee_id LIMIT 1 OFFSET ?", [rating, n])[0][0]


def _set(path: Path, n: int = 0) -> object:
    return invoke(path, "calibrate", "set", _someone(path, n=n), "B", "--reason", "evidence", "--by", "HR")


@pytest.fixture
def logged(workspace_path: Path) -> Path:
    """A demo copy with two signed audit rows."""
    for n in (0, 1):
        assert _set(workspace_path, n).exit_code == 0
    return workspace_path


def test_the_key_is_made_on_first_use_in_the_config_folder_readable_by_its_owner_only(workspace_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_KEY_FILE)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    key = tmp_path / "config" / "competency" / "audit.key"
    assert key_path() == key and not key.exists()
    assert _set(workspace_path).exit_code == 0
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    secret = key.read_text(encoding="ascii")
    assert len(secret) == 65 and secret.endswith("\n") and int(secret, 16) > 0
    assert _set(workspace_path, 1).exit_code == 0 and key.read_text(encoding="ascii") == secret  # made once, then reused


def test_without_xdg_the_key_is_in_dot_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_KEY_FILE)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert key_path() == tmp_path / ".config" / "competency" / "audit.key"


def test_the_environment_names_another_key_file(workspace_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "keys" / "team.key"))
    assert _set(workspace_path).exit_code == 0
    assert (tmp_path / "keys" / "team.key").is_file()
    assert invoke(workspace_path, "verify").exit_code == 0


def test_a_log_signed_with_another_key_fails_and_is_not_extended(logged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.key"
    monkeypatch.setenv(ENV_KEY_FILE, str(other))
    other.write_text("ab" * 32 + "\n", encoding="ascii")
    result = invoke(logged, "verify")
    assert (result.exit_code, result.stderr) == (1, (
        f"audit log broken at seq 1: its MAC does not match the audit key {other} — the log was signed with another key, or rewritten without one\n"
        f"  hint: if the workspace was written on another computer, verify it there or set {ENV_KEY_FILE} to that computer's key file; otherwise {RESTORE}\n"
    ))
    refused = _set(logged, 2)
    assert (refused.exit_code, refused.stderr) == (1, (
        f"the audit log's last row, seq 2, was not signed with the audit key {other}; nothing is added to it\n"
        f"  hint: work on the computer that wrote it, or set {ENV_KEY_FILE} to its key file; `competency verify` says whether the log was tampered with\n"
    ))
    assert table(logged, "SELECT count(*) FROM audit_log") == [(2,)] and table(logged, "SELECT count(*) FROM overrides") == [(2,)]


def test_a_signed_log_without_a_key_to_check_it_is_named(logged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_KEY_FILE, str(tmp_path / "nowhere.key"))
    result = invoke(logged, "verify")
    assert (result.exit_code, result.stderr) == (1, (
        f"the audit log is signed, but there is no audit key at {tmp_path / 'nowhere.key'} to check it with\n"
        f"  hint: verify on the computer that wrote the log, or set {ENV_KEY_FILE} to its key file\n"
    ))
    assert not (tmp_path / "nowhere.key").exists()  # checking never makes a key


def test_a_damaged_key_file_is_named(logged: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "audit.key"
    damaged.write_text("not a key\n", encoding="ascii")
    monkeypatch.setenv(ENV_KEY_FILE, str(damaged))
    for args in (["verify"], ["calibrate", "set", _someone(logged, n=2), "B", "--reason", "r", "--by", "HR"]):
        result = invoke(logged, *args)
        assert (result.exit_code, result.stderr) == (1, (
            f"{damaged} is not an audit key: it should hold 64 hex digits (0-9, a-f) on one line and nothing else\n"
            "  hint: restore the file from a backup: rows signed with a lost key can no longer be checked\n"
        ))


def _strip_macs(path: Path) -> None:
    """The log as a workspace from before keyed audit logs holds it (or as someone stripped it)."""
    db = duckdb.connect(str(path))
    db.execute("UPDATE audit_log SET mac = NULL")
    db.close()


def test_an_unsigned_log_fails_until_it_is_anchored_on_purpose(logged: Path) -> None:
    _strip_macs(logged)
    unanchored = invoke(logged, "verify")
    assert (unanchored.exit_code, unanchored.stderr) == (1, (
        "audit log not anchored: none of its 2 rows carries a MAC of an audit key, so anyone who can write the file could have written them\n"
        f"  hint: if this workspace predates keyed audit logs, {ANCHOR}; otherwise {RESTORE}\n"
    ))
    refused = _set(logged, 2)
    assert (refused.exit_code, refused.stderr) == (1, f"the audit log is not anchored to an audit key: its last row, seq 2, carries no MAC; nothing is added to it\n  hint: {ANCHOR}\n")
    anchored = invoke(logged, "calibrate", "log", "--anchor", "--by", "Li Na")
    assert (anchored.exit_code, anchored.stdout) == (0, "audit log anchored: seq 3 signs the 2 rows before it with the audit key\n")
    assert table(logged, "SELECT actor, action, reason FROM audit_log WHERE seq = 3") == [("Li Na", "anchor", "anchors the 2 rows written before keyed audit logs")]
    verified = invoke(logged, "verify")
    assert verified.exit_code == 0, verified.output
    assert verified.stdout.splitlines()[0] == "audit log intact: 3 rows, every hash, link and MAC checks out; chain unkeyed before row 3 (rows written before keyed logs, anchored by it)"
    assert _set(logged, 2).exit_code == 0


def test_anchoring_refuses_a_broken_or_an_anchored_log(logged: Path) -> None:
    again = invoke(logged, "calibrate", "log", "--anchor", "--by", "HR")
    assert (again.exit_code, again.stderr) == (1, "the audit log is already anchored to an audit key; nothing to anchor\n")
    _strip_macs(logged)
    db = duckdb.connect(str(logged))
    db.execute("UPDATE audit_log SET reason = 'edited' WHERE seq = 1")
    db.close()
    broken = invoke(logged, "calibrate", "log", "--anchor", "--by", "HR")
    assert (broken.exit_code, broken.stderr) == (1, f"audit log broken at seq 1: hash mismatch — the row was changed after it was written\n  hint: {RESTORE}\n")
    assert table(logged, "SELECT count(*) FROM audit_log") == [(2,)]


def test_an_unsigned_row_after_signed_ones_fails(logged: Path) -> None:
    db = duckdb.connect(str(logged))
    db.execute("UPDATE audit_log SET mac = NULL WHERE seq = 2")
    db.close()
    result = invoke(logged, "verify")
    assert (result.exit_code, result.stderr) == (1, f"audit log broken at seq 2: the row carries no MAC, though the log is signed from seq 1 on — it was added without the tool\n  hint: {RESTORE}\n")


def test_the_head_printed_to_keep_elsewhere_is_checked_later(logged: Path) -> None:
    head = invoke(logged, "calibrate", "log", "--head")
    last = table(logged, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
    assert (head.exit_code, head.stdout) == (0, f"{last[0]}:{last[1]}\n")
    assert _set(logged, 2).exit_code == 0  # the log grows: the kept head stays in it
    kept = invoke(logged, "calibrate", "log", "--verify", "--head", head.stdout.strip())
    assert kept.exit_code == 0 and kept.stdout.splitlines()[1] == f"head 2:{last[1][:12]}… kept elsewhere: still in the log"
    rewritten = f"2:{'f' * 64}"
    result = invoke(logged, "verify", "--head", rewritten)
    assert (result.exit_code, result.stderr) == (1, f"audit log broken at seq 2: its hash is {last[1][:12]}…, the head kept elsewhere says ffffffffffff… — the log up to seq 2 was rewritten\n  hint: {RESTORE}\n")


def test_the_head_of_an_empty_log_is_the_genesis(workspace_path: Path) -> None:
    head = invoke(workspace_path, "calibrate", "log", "--head")
    assert (head.exit_code, head.stdout) == (0, f"0:{audit.GENESIS}\n")
    assert invoke(workspace_path, "verify", "--head", head.stdout.strip()).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["calibrate", "log", "--verify", "--head"], "Error: --verify --head needs the head you kept: --head SEQ:HASH"),
        (["calibrate", "log", "--head", f"1:{'a' * 64}"], "Error: --head SEQ:HASH checks a kept head; add --verify (a bare --head prints the current one)"),
        (["calibrate", "log", "--anchor"], "Error: --anchor needs --by NAME: who vouches for the rows written before keyed audit logs"),
        (["calibrate", "log", "--anchor", "--verify", "--by", "HR"], "Error: --anchor signs the log; run --verify or --head separately"),
        (["calibrate", "log", "--by", "HR"], "Error: --by names who anchors the log; add --anchor"),
        (["verify", "--head", "3fa9"], "Error: Invalid value for '--head': '3fa9' is not an audit log head: it looks like 12:3fa9… (the seq, a colon, 64 hex digits), as `competency calibrate log --head` prints it"),
    ],
    ids=["verify head without value", "head value without verify", "anchor without by", "anchor with verify", "by without anchor", "not a head"],
)
def test_misused_options_are_usage_errors(workspace_path: Path, args: list[str], message: str) -> None:
    result = invoke(workspace_path, *args)
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (2, message)


def test_the_test_run_never_touches_the_real_config_folder() -> None:
    """tests/conftest.py points the key at a temporary file for the whole run."""
    named = Path(os.environ[ENV_KEY_FILE])
    assert named == key_path() and not named.is_relative_to(Path.home() / ".config")
