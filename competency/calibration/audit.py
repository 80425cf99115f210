"""The append-only audit log, chained by hashes.

Each row's `hash` is the SHA-256 of the canonical JSON of its fields (sorted
keys, no spaces, UTF-8, time as ISO text to the microsecond) including
`prev_hash`, the hash of the row before it (64 zeros for the first row). The
workspace's `meta` table keeps the head (`seq:hash` of the last row) so a
deletion at the end is caught too. `verify` names the first bad row.

Rows are only ever added (by `store.calibration.append_audit`) inside the
caller's transaction, together with the change they record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

GENESIS = "0" * 64
HEAD_KEY = "audit_head"
FIELDS = ("seq", "cycle_id", "logged_at", "actor", "action", "employee_id", "previous", "new", "reason", "kind", "prev_hash")
COLUMNS = (*FIELDS, "hash")


def canonical(row: dict[str, Any]) -> str:
    """The canonical JSON of a row's fields (everything but its own hash)."""
    fields = {name: row[name] for name in FIELDS}
    at = fields["logged_at"]
    fields["logged_at"] = at.isoformat(sep=" ", timespec="microseconds") if isinstance(at, datetime) else str(at)
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(row: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(row).encode("utf-8")).hexdigest()


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


def chained(db: duckdb.DuckDBPyConnection, entry: Entry) -> dict[str, Any]:
    """The entry as the row after the current last one, with its hash (`store.calibration` writes it)."""
    last = db.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
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
    return row



def rows(db: duckdb.DuckDBPyConnection, cycle_id: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE cycle_id = ?", [cycle_id]) if cycle_id else ("", [])
    cursor = db.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_log {where} ORDER BY seq", params)  # noqa: S608 - fixed column names
    return [dict(zip(COLUMNS, r)) for r in cursor.fetchall()]


@dataclass(frozen=True)
class Verification:
    rows: int
    ok: bool
    seq: int | None = None  # the first bad row
    problem: str | None = None  # hash mismatch, gap in seq, broken chain, missing rows at the end

    def message(self) -> str:
        if self.ok:
            return f"audit log intact: {self.rows} rows, every hash and link checks out"
        return f"audit log broken at seq {self.seq}: {self.problem}"


def verify(db: duckdb.DuckDBPyConnection) -> Verification:
    """Walk the whole chain; the first row that fails names what is wrong."""
    chain = rows(db)
    expected_seq, prev_hash = 1, GENESIS
    for row in chain:
        if row["seq"] != expected_seq:
            return Verification(len(chain), False, row["seq"], f"gap in seq — expected seq {expected_seq} next: {_missing(expected_seq, row['seq'] - 1)}")
        if row["prev_hash"] != prev_hash:
            return Verification(len(chain), False, row["seq"], f"broken chain — its prev_hash does not match the hash of seq {expected_seq - 1}")
        if row_hash(row) != row["hash"]:
            return Verification(len(chain), False, row["seq"], "hash mismatch — the row was changed after it was written")
        expected_seq, prev_hash = expected_seq + 1, row["hash"]
    head = db.execute("SELECT value FROM meta WHERE key = ?", [HEAD_KEY]).fetchone()
    if head is not None:
        head_seq, _, head_hash = head[0].partition(":")
        last_seq = expected_seq - 1
        if int(head_seq) > last_seq:
            return Verification(len(chain), False, last_seq + 1, f"gap in seq — the log ends at seq {last_seq} but its head was recorded at seq {head_seq}: {_missing(last_seq + 1, int(head_seq))}")
        if int(head_seq) < last_seq:
            return Verification(len(chain), False, int(head_seq) + 1, f"broken chain — the head was recorded at seq {head_seq}; seq {int(head_seq) + 1} onwards were added without the tool")
        if head_hash != prev_hash:
            return Verification(len(chain), False, last_seq, "broken chain — the last row's hash differs from the head recorded when it was written")
    elif chain:
        return Verification(len(chain), False, chain[-1]["seq"], "broken chain — the log has rows but no recorded head")
    return Verification(len(chain), True)


def _missing(first: int, last: int) -> str:
    return f"row {first} was deleted" if first == last else f"rows {first}–{last} were deleted"
