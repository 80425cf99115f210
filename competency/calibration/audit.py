"""The append-only audit log: a hash chain, each row signed with a key kept outside the file.

Each row's `hash` is the SHA-256 of the canonical JSON of its fields (sorted
keys, no spaces, UTF-8, time as ISO text to the microsecond) including
`prev_hash`, the hash of the row before it (64 zeros for the first row). The
workspace's `meta` table keeps the head (`seq:hash` of the last row) so a
deletion at the end is caught too. `verify` names the first bad row.

A chain and its head can be recomputed by anyone who can write the file, so
each row also carries `mac`, an HMAC-SHA256 of its hash under the audit key
(`files.keys`), which the file does not hold. A row's hash covers every row
before it, so a valid MAC vouches for the whole log up to that row.

Workspaces from before keyed logs hold unkeyed rows. They are accepted only as
the start of the log and only once a keyed row follows them ("chain unkeyed
before seq N"): `calibrate log --anchor` adds that row after checking the
chain. A log whose last row is unkeyed is never extended (`chained` refuses),
and `verify` fails it: stripping every MAC must not pass for an old workspace.

Rows are only ever added (by `store.calibration.append_audit`) inside the
caller's transaction, together with the change they record.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from competency.errors import AuditKeyError, AuditLogBroken
from competency.files.keys import ENV_KEY_FILE, AuditKey, key_path

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
FIELDS = ("seq", "cycle_id", "logged_at", "actor", "action", "employee_id", "previous", "new", "reason", "kind", "prev_hash")
COLUMNS = (*FIELDS, "hash")  # what the log shows and exports; the MAC stays inside
STORED = (*COLUMNS, "mac")
_MAC_CONTEXT = b"competency audit log v1\x00"
_HEAD = re.compile(r"(\d+):([0-9a-f]{64})")
ANCHOR_HINT = "check it against a head kept elsewhere (`competency calibrate log --verify --head SEQ:HASH`), then anchor it: `competency calibrate log --anchor --by NAME`"


def canonical(row: dict[str, Any]) -> str:
    """The canonical JSON of a row's fields (everything but its own hash)."""
    fields = {name: row[name] for name in FIELDS}
    at = fields["logged_at"]
    fields["logged_at"] = at.isoformat(sep=" ", timespec="microseconds") if isinstance(at, datetime) else str(at)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(row).encode("utf-8")).hexdigest()


def row_mac(key: AuditKey, hash_: str) -> str:
    """The row's signature: HMAC-SHA256 of its hash under the audit key."""
    return hmac.new(key.secret, _MAC_CONTEXT + hash_.encode("utf-8"), hashlib.sha256).hexdigest()


def _signed(key: AuditKey, row: dict[str, Any]) -> bool:
    return row["mac"] is not None and hmac.compare_digest(row["mac"].encode("utf-8"), row_mac(key, row["hash"]).encode("ascii"))


@dataclass(frozen=True)
class Entry:
    """What one audit row records; chaining adds its seq and hashes."""

    cycle_id: str
    at: datetime
    actor: str
    action: str
    employee_id: str | None = None
    previous: str | None = None
    new: str | None = None
    reason: str | None = None
    kind: str | None = None


def chained(db: duckdb.DuckDBPyConnection, entry: Entry, key: AuditKey, *, anchoring: bool = False) -> dict[str, Any]:
    """The entry as the row after the current last one, with its hash and MAC (`store.calibration`
    writes it). A last row that is unsigned (unless `anchoring`) or signed with another key is
    never built on: the new row's MAC would vouch for it."""
    found = db.execute("SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    last = dict(zip(("seq", "hash", "mac"), found[0])) if found else None
    if last is not None and last["mac"] is None and not anchoring:
        raise AuditLogBroken(f"the audit log is not anchored to an audit key: its last row, seq {last['seq']}, carries no MAC; nothing is added to it", hint=ANCHOR_HINT)
    if last is not None and last["mac"] is not None and not _signed(key, last):
        raise AuditLogBroken(
            f"the audit log's last row, seq {last['seq']}, was not signed with the audit key {key.path}; nothing is added to it",
            hint=f"work on the computer that wrote it, or set {ENV_KEY_FILE} to its key file; `competency verify` says whether the log was tampered with",
        )
    seq, prev_hash = (last["seq"] + 1, last["hash"]) if last else (1, GENESIS)
    row = {
        "seq": seq,
        "cycle_id": entry.cycle_id,
        "logged_at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "employee_id": entry.employee_id,
        "previous": entry.previous,
        "new": entry.new,
        "reason": entry.reason,
        "kind": entry.kind,
        "prev_hash": prev_hash,
    }
    row["hash"] = row_hash(row)
    row["mac"] = row_mac(key, row["hash"])
    return row


def rows(db: duckdb.DuckDBPyConnection, cycle_id: str | None = None, *, signed: bool = False) -> list[dict[str, Any]]:
    """The log's rows, oldest first (with `signed`, each row's MAC too)."""
    columns = STORED if signed else COLUMNS
    where, params = ("WHERE cycle_id = ?", [cycle_id]) if cycle_id else ("", [])
    cursor = db.execute(f"SELECT {', '.join(columns)} FROM audit_log {where} ORDER BY seq", params)  # noqa: S608 - fixed column names
    return [dict(zip(columns, r)) for r in cursor.fetchall()]


@dataclass(frozen=True)
class Verification:
    rows: int
    ok: bool
    seq: int | None = None  # the first bad row
    problem: str | None = None  # hash mismatch, gap in seq, broken chain, missing rows at the end, no or a wrong MAC
    hint: str = ""
    unkeyed_before: int | None = None  # the first signed row, when unsigned rows come before it
    anchored: bool = True  # False: sound but unsigned throughout (a workspace from before keyed logs, or stripped)

    def message(self) -> str:
        if not self.anchored:
            return f"audit log not anchored: {self.problem}"
        if not self.ok:
            return f"audit log broken at seq {self.seq}: {self.problem}"
        if not self.rows:
            return "audit log intact: no rows yet"
        intact = f"audit log intact: {self.rows} row{'s' if self.rows != 1 else ''}, every hash, link and MAC checks out"
        if self.unkeyed_before is not None:
            return f"{intact}; chain unkeyed before row {self.unkeyed_before} (rows written before keyed logs, anchored by it)"
        return intact

    def raise_if_broken(self) -> None:
        if not self.ok:
            raise AuditLogBroken(self.message(), hint=self.hint)


_RESTORE = "restore the workspace from a backup taken before it was changed"


def verify(db: duckdb.DuckDBPyConnection, key: AuditKey | None) -> Verification:
    """Walk the whole chain; the first row that fails names what is wrong."""
    chain = rows(db, signed=True)
    expected_seq, prev_hash, first_signed = 1, GENESIS, None
    for row in chain:
        if row["seq"] < expected_seq:
            return _broken(chain, row["seq"], f"seq out of order — expected seq {expected_seq} next: the row's seq was changed")
        if row["seq"] != expected_seq:
            return _broken(chain, row["seq"], f"gap in seq — expected seq {expected_seq} next: {_missing(expected_seq, row['seq'] - 1)}")
        if row["prev_hash"] != prev_hash:
            return _broken(chain, row["seq"], f"broken chain — its prev_hash does not match the hash of seq {expected_seq - 1}")
        if row_hash(row) != row["hash"]:
            return _broken(chain, row["seq"], "hash mismatch — the row was changed after it was written")
        problem = _mac_problem(row, key, first_signed)
        if problem is not None:
            return _broken(chain, row["seq"], *problem)
        if row["mac"] is not None and first_signed is None:
            first_signed = row["seq"]
        expected_seq, prev_hash = expected_seq + 1, row["hash"]
    return _head_problem(db, chain, expected_seq - 1, prev_hash) or _anchored(chain, first_signed)


def _mac_problem(row: dict[str, Any], key: AuditKey | None, first_signed: int | None) -> tuple[str] | tuple[str, str] | None:
    """What is wrong with the row's MAC (and a hint, when not the usual one), or None."""
    if row["mac"] is None:
        return None if first_signed is None else (f"the row carries no MAC, though the log is signed from seq {first_signed} on — it was added without the tool",)
    if key is None:
        raise AuditKeyError(
            f"the audit log is signed, but there is no audit key at {key_path()} to check it with",
            hint=f"verify on the computer that wrote the log, or set {ENV_KEY_FILE} to its key file",
        )
    if _signed(key, row):
        return None
    if first_signed is None:
        problem = f"its MAC does not match the audit key {key.path} — the log was signed with another key, or rewritten without one"
        return problem, f"if the workspace was written on another computer, verify it there or set {ENV_KEY_FILE} to that computer's key file; otherwise {_RESTORE}"
    return ("its MAC does not match the audit key — the row was written or rewritten without the key, behind the tool's back",)


def _head_problem(db: duckdb.DuckDBPyConnection, chain: list[dict[str, Any]], last_seq: int, last_hash: str) -> Verification | None:
    head = db.execute("SELECT value FROM meta WHERE key = ?", [HEAD_KEY]).fetchone()
    if head is None:
        return _broken(chain, chain[-1]["seq"], "broken chain — the log has rows but no recorded head") if chain else None
    recorded = _HEAD.fullmatch(head[0])
    if recorded is None:
        return _broken(chain, last_seq, f"broken chain — the recorded head {head[0][:80]!r} is not SEQ:HASH, as the tool writes it")
    head_seq, head_hash = recorded[1], recorded[2]
    if int(head_seq) > last_seq:
        return _broken(chain, last_seq + 1, f"gap in seq — the log ends at seq {last_seq} but its head was recorded at seq {head_seq}: {_missing(last_seq + 1, int(head_seq))}")
    if int(head_seq) < last_seq:
        return _broken(chain, int(head_seq) + 1, f"broken chain — the head was recorded at seq {head_seq}; seq {int(head_seq) + 1} onwards were added without the tool")
    if head_hash != last_hash:
        return _broken(chain, last_seq, "broken chain — the last row's hash differs from the head recorded when it was written")
    return None


def _anchored(chain: list[dict[str, Any]], first_signed: int | None) -> Verification:
    if chain and first_signed is None:
        unsigned = "its one row carries no MAC" if len(chain) == 1 else f"none of its {len(chain)} rows carries a MAC"
        problem = f"{unsigned} of an audit key, so anyone who can write the file could have written {'it' if len(chain) == 1 else 'them'}"
        return Verification(len(chain), False, chain[0]["seq"], problem, f"if this workspace predates keyed audit logs, {ANCHOR_HINT}; otherwise {_RESTORE}", anchored=False)
    return Verification(len(chain), True, unkeyed_before=first_signed if first_signed and first_signed > 1 else None)


def _broken(chain: list[dict[str, Any]], seq: int, problem: str, hint: str = _RESTORE) -> Verification:
    return Verification(len(chain), False, seq, problem, hint)


def _missing(first: int, last: int) -> str:
    return f"row {first} was deleted" if first == last else f"rows {first}–{last} were deleted"


# --- the head kept elsewhere ------------------------------------------------------------


def head(chain: list[dict[str, Any]]) -> str:
    """The log's head as `SEQ:HASH`: kept outside the workspace, it shows later whether rows were rewritten or removed."""
    return f"{chain[-1]['seq']}:{chain[-1]['hash']}" if chain else f"0:{GENESIS}"


def parse_head(text: str) -> tuple[int, str]:
    """A head as `calibrate log --head` prints it; ValueError when it is not one."""
    found = _HEAD.fullmatch(text.strip().lower())
    if found is None:
        raise ValueError(f"'{text}' is not an audit log head: it looks like 12:3fa9… (the seq, a colon, 64 hex digits), as `competency calibrate log --head` prints it")
    return int(found[1]), found[2]


def check_head(chain: list[dict[str, Any]], kept: tuple[int, str]) -> None:
    """The head kept elsewhere must still be in the log: its row there, with its hash."""
    seq, hash_ = kept
    last = chain[-1]["seq"] if chain else 0
    if seq > last:
        where = "the log has no rows" if not chain else f"the log ends at seq {last}"
        raise AuditLogBroken(f"audit log broken at seq {last + 1}: {where}, but the head kept elsewhere is at seq {seq}: {_missing(last + 1, seq)}", hint=_RESTORE)
    found = GENESIS if seq == 0 else next((r["hash"] for r in chain if r["seq"] == seq), None)
    if found != hash_:
        raise AuditLogBroken(
            f"audit log broken at seq {seq}: its hash is {(found or '(none)')[:12]}…, the head kept elsewhere says {hash_[:12]}… — the log up to seq {seq} was rewritten",
            hint=_RESTORE,
        )
