"""Final ratings and cycle states held to the audit log, row by row.

A final rating is read from `overrides`, and a cycle's lock from `cycles`, not
from the log; so each override must be what its audit row records, and each
cycle's status what its last audited change left it in. The log itself is
checked (hashes, links, MACs) by `audit.verify` first: what it says can then
be trusted, and anything else that disagrees with it was changed behind the
tool's back.

Overrides and their audit rows are written together, in the same order
(`store.calibration.record_override`), so the n-th override pairs with the n-th
override or undo row. An undo's rating is derived from the log by replaying
the stack of overrides per person (as `overrides.active_overrides` does).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from competency.calibration import audit
from competency.errors import AuditLogBroken
from competency.files.keys import AuditKey
from competency.store.cycles import STATUSES

CHANGES = ("override", "undo")
_STATUS_ACTIONS = (*CHANGES, "lock", "reopen")
_OVERRIDE_COLUMNS = ("override_id", "cycle_id", "employee_id", "previous", "rating", "reason", "reason_code", "changed_by", "changed_at", "kind")
_HINT = "final ratings are then not what calibration decided; restore the workspace from a backup taken before it was changed"


def _shown(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return repr(value) if isinstance(value, str) else str(value)


def _overrides(db: duckdb.DuckDBPyConnection, cycle_id: str | None) -> list[dict[str, Any]]:
    where, params = ("WHERE cycle_id = ?", [cycle_id]) if cycle_id else ("", [])
    cursor = db.execute(f"SELECT {', '.join(_OVERRIDE_COLUMNS)} FROM overrides {where} ORDER BY override_id", params)  # noqa: S608 - fixed names
    return [dict(zip(_OVERRIDE_COLUMNS, row)) for row in cursor.fetchall()]


def expected_overrides(log: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Per override or undo row of the log (oldest first): the row, and the override it records
    (the fields `overrides` holds, the reason as the log writes it: `[code] reason`)."""
    stacks: dict[tuple[str, str], list[str | None]] = {}
    found = []
    for row in log:
        if row["action"] not in CHANGES:
            continue
        stack = stacks.setdefault((row["cycle_id"], row["employee_id"]), [])
        if row["action"] == "undo":
            if stack:
                stack.pop()
            rating = stack[-1] if stack else None
        else:
            rating = row["new"]
            stack.append(rating)
        fields = {
            "cycle_id": row["cycle_id"], "employee_id": row["employee_id"], "previous": row["previous"], "rating": rating,
            "reason": row["reason"], "changed_by": row["actor"], "changed_at": row["logged_at"], "kind": row["kind"],
        }
        found.append((row, fields))
    return found


def _differs(override: dict[str, Any], fields: dict[str, Any]) -> tuple[str, Any, Any] | None:
    """The first field in which the stored override differs from what its audit row records."""
    reason = f"[{override['reason_code']}] {override['reason']}" if override["reason_code"] else override["reason"]
    actual = {**override, "reason": reason}
    return next(((name, actual[name], logged) for name, logged in fields.items() if actual[name] != logged), None)


def check_overrides(db: duckdb.DuckDBPyConnection, log: list[dict[str, Any]], cycle_id: str | None = None) -> int:
    """Every override (of `cycle_id`, or of every cycle) as its audit row records it, and no
    audit row without its override; returns how many were checked. `log`: the verified rows.
    Where the two part, a row that only one side holds is named as such (the rest still pairs)."""
    stored = _overrides(db, cycle_id)
    expected = expected_overrides([r for r in log if cycle_id is None or r["cycle_id"] == cycle_id])
    index = next((i for i, (o, (_, f)) in enumerate(zip(stored, expected)) if _differs(o, f)), min(len(stored), len(expected)))
    if index == len(stored) == len(expected):
        return len(stored)
    extra = len(stored) > len(expected) and (index == len(expected) or not _differs(stored[index + 1], expected[index][1]))
    missing = len(expected) > len(stored) and (index == len(stored) or not _differs(stored[index], expected[index + 1][1]))
    if extra:
        override = stored[index]
        raise AuditLogBroken(
            f"override {override['override_id']} ({override['employee_id']} → {_shown(override['rating'])}, by {override['changed_by']}) has no row in the audit log: "
            "it was added behind the tool's back",
            hint=_HINT,
        )
    row, fields = expected[index]
    if missing:
        raise AuditLogBroken(
            f"audit seq {row['seq']} records an override of {fields['employee_id']} ({_shown(fields['previous'])} → {_shown(row['new'])}) that is missing from the overrides: "
            "it was deleted behind the tool's back",
            hint=_HINT,
        )
    override = stored[index]
    name, actual, logged = _differs(override, fields) or ("", None, None)
    raise AuditLogBroken(
        f"override {override['override_id']} of {override['employee_id']} does not match its audit row, seq {row['seq']}: its {name} is {_shown(actual)}, the log says {_shown(logged)}",
        hint=_HINT,
    )


def check_status(log: list[dict[str, Any]], cycle_id: str, status: str) -> None:
    """A cycle's status as its last audited change left it: `calibrating` after an override,
    an undo or a reopening, `final` after a lock; never either without one."""
    if status not in STATUSES:
        raise AuditLogBroken(f"cycle {cycle_id} has the status {status!r}, which the tool never writes (it writes {', '.join(STATUSES)})", hint=_HINT)
    changes = [r for r in log if r["cycle_id"] == cycle_id and r["action"] in _STATUS_ACTIONS]
    if not changes:
        if status in ("calibrating", "final"):
            raise AuditLogBroken(
                f"cycle {cycle_id} is {status}, but its audit log records no override, lock or reopening: its status was changed behind the tool's back",
                hint=_HINT,
            )
        return
    last = changes[-1]
    expected = "final" if last["action"] == "lock" else "calibrating"
    if status != expected:
        raise AuditLogBroken(
            f"cycle {cycle_id} is {status}, but its last audited change (seq {last['seq']}, {last['action']}) left it {expected}: its status was changed behind the tool's back",
            hint=_HINT,
        )


def verified_log(db: duckdb.DuckDBPyConnection, key: AuditKey | None, kept_head: tuple[int, str] | None) -> tuple[audit.Verification, list[dict[str, Any]]]:
    """The chain checked (and against a head kept elsewhere), and its rows: raises on the first fault."""
    checked = audit.verify(db, key)
    checked.raise_if_broken()
    log = audit.rows(db)
    if kept_head is not None:
        audit.check_head(log, kept_head)
    return checked, log
