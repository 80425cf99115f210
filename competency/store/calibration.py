"""Calibration's writes to the stored tables: overrides, the hash-chained audit
log (each row signed with the audit key) with its head in `meta`, and a cycle's
status on a change, a lock or a reopening.

Every function runs inside the caller's transaction, so a change and the audit
row that records it are written together or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from competency.calibration import audit
from competency.calibration.overrides import Change, Person
from competency.files.keys import audit_key

_AUDIT_INSERT = f"INSERT INTO audit_log ({', '.join(audit.STORED)}) VALUES ({', '.join('?' * len(audit.STORED))})"


def append_audit(db: duckdb.DuckDBPyConnection, entry: audit.Entry, *, anchoring: bool = False) -> dict[str, Any]:
    """Add the entry after the log's last row, signed with the audit key (made on first use), and
    move the head to it; returns the row with its hash. `anchoring`: the row may follow unsigned
    rows of a workspace from before keyed logs (`calibrate log --anchor`)."""
    row = audit.chained(db, entry, audit_key(), anchoring=anchoring)
    db.execute(_AUDIT_INSERT, [row[c] for c in audit.STORED])
    db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [audit.HEAD_KEY, f"{row['seq']}:{row['hash']}"])
    return row


def record_override(
    db: duckdb.DuckDBPyConnection,
    *,
    cycle_id: str,
    who: Person,
    rating: str | None,
    reason: str,
    code: str | None,
    by: str,
    at: datetime,
    kind: str,
) -> Change:
    """Append an override of `who`'s final rating (`rating` None: back to the computed one) and its audit row."""
    override_id = db.execute("SELECT coalesce(max(override_id), 0) + 1 FROM overrides").fetchone()[0]
    db.execute(
        "INSERT INTO overrides VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [override_id, cycle_id, who.employee_id, who.final, rating, reason, code, by, at, kind],
    )
    final = rating if rating is not None else who.computed
    action = "undo" if kind == "undo" else "override"
    logged_reason = f"[{code}] {reason}" if code else reason
    logged = append_audit(db, audit.Entry(cycle_id, at, by, action, who.employee_id, who.final, final, logged_reason, kind))
    return Change(cycle_id, who.employee_id, who.name, who.final, rating, final, kind, reason, code, by, at, override_id, logged["seq"])


def mark_calibrating(db: duckdb.DuckDBPyConnection, cycle_id: str) -> None:
    """A cycle whose ratings were changed is being calibrated."""
    db.execute("UPDATE cycles SET status = 'calibrating' WHERE cycle_id = ?", [cycle_id])


def change_status(
    db: duckdb.DuckDBPyConnection, cycle_id: str, previous: str, new: str, *, action: str, by: str, reason: str | None, at: datetime
) -> dict[str, Any]:
    """Move a cycle from `previous` to `new` status (a lock, a reopening) and log it; returns the audit row."""
    db.execute("UPDATE cycles SET status = ? WHERE cycle_id = ?", [new, cycle_id])
    return append_audit(db, audit.Entry(cycle_id, at, by, action, previous=previous, new=new, reason=reason))
