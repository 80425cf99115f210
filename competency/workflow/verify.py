"""`competency verify` and `calibrate log --verify`: nothing lost, nothing forged.

1. The audit log: hashes, links and head, each row's MAC under the audit key
   (which lives outside the workspace), and a head kept elsewhere when given.
2. Per cycle: its overrides as the log records them, its status as its last
   audited change left it (`calibration.verify`).
3. Per scored cycle: its frozen files as they were when it was opened, and its
   results re-computed by the scoring steps from those files and the stored
   answers, KPIs and roster, held to every stored result (`scoring.compare`).

Nothing is written: the re-computation lives in temp relations, which DuckDB
allows on a read-only connection too, and they are dropped afterwards.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from competency._sql import drop
from competency.calibration import audit
from competency.calibration.verify import check_overrides, check_status, verified_log
from competency.calibration.requests import actor_named
from competency.errors import CalibrationError, ResultsDiffer
from competency.files.keys import read_key
from competency.scoring.compare import first_difference
from competency.store import calibration as store
from competency.store.workspace import Workspace, now
from competency.workflow.cycles import Cycle, cycle_inputs, list_cycles, resolve_cycle
from competency.workflow.scoring import compute_run


@dataclass(frozen=True)
class CycleVerified:
    cycle_id: str
    status: str
    results: int | None  # stored result rows a re-computation reproduced; None: not compared (the cycle is open)


@dataclass(frozen=True)
class Verified:
    log: audit.Verification
    head: tuple[int, str] | None  # the head kept elsewhere, found in the log
    overrides: int
    cycles: list[CycleVerified]


def verify(workspace: Workspace, cycle_id: str | None = None, *, head: tuple[int, str] | None = None) -> Verified:
    """Check the log, then the overrides, status and results of the cycle (default: every cycle);
    raises on the first fault, naming it."""
    db = workspace.db
    checked, log = verified_log(db, read_key(), head)
    cycles = [resolve_cycle(workspace, cycle_id)] if cycle_id else list_cycles(workspace)
    overrides = check_overrides(db, log, cycle_id)
    done = []
    for cycle in cycles:
        check_status(log, cycle.cycle_id, cycle.status)
        done.append(CycleVerified(cycle.cycle_id, cycle.status, None if cycle.status == "open" else recompute(workspace, cycle)))
    return Verified(checked, head, overrides, done)


def _check_frozen_files(workspace: Workspace, cycle_id: str) -> None:
    for name, sha, text in workspace.db.execute("SELECT name, sha256, text FROM cycle_files WHERE cycle_id = ? ORDER BY name", [cycle_id]).fetchall():
        if hashlib.sha256(text.encode()).hexdigest() != sha:
            raise ResultsDiffer(
                f"cycle {cycle_id}'s frozen file {name} is not the file the cycle was opened with: its text no longer has the sha256 recorded then",
                hint="the cycle's model or rules were changed behind the tool's back; restore the workspace from a backup taken before it was changed",
            )


def recompute(workspace: Workspace, cycle: Cycle) -> int:
    """Re-compute the cycle's results into temp relations and hold the stored ones to them;
    returns how many stored rows were compared. The figures are held to the releases before
    the run that made the stored results, as that run was."""
    db, cid = workspace.db, cycle.cycle_id
    _check_frozen_files(workspace, cid)
    run, made = compute_run(db, cid, cycle_inputs(workspace, cid), derived=True)
    try:
        difference, rows = first_difference(db, cid, run)
    finally:
        drop(db, *made)
    if difference is not None:
        raise ResultsDiffer(
            f"results of cycle {cid} differ from a re-computation from its frozen inputs: {difference.message()}",
            hint=f"they were changed behind the tool's back, or written by another version of competency; re-score the cycle (`competency score --cycle {cid}`; "
            "a final cycle is reopened first) or restore the workspace from a backup",
        )
    return rows


# --- the head kept elsewhere, and anchoring an old log ------------------------------------


def log_head(workspace: Workspace) -> str:
    """The head of the audit log (`SEQ:HASH`) to keep elsewhere, once its chain checks out."""
    checked = audit.verify(workspace.db, read_key())
    if checked.anchored:
        checked.raise_if_broken()
    return audit.head(audit.rows(workspace.db))


def anchor(workspace: Workspace, *, by: str | None, cycle_id: str | None = None) -> dict[str, Any]:
    """Sign the log of a workspace from before keyed audit logs: once its hashes and links
    check out, add a row signed with the audit key after its unsigned rows."""
    actor = actor_named(by)
    cycle = resolve_cycle(workspace, cycle_id)
    checked = audit.verify(workspace.db, read_key())
    if checked.ok:
        whose = "has no rows" if not checked.rows else "is already anchored to an audit key"
        raise CalibrationError(f"the audit log {whose}; nothing to anchor")
    if checked.anchored:
        checked.raise_if_broken()
    reason = f"anchors the {checked.rows} rows written before keyed audit logs"
    with workspace.transaction() as db:
        return store.append_audit(db, audit.Entry(cycle.cycle_id, now(), actor, "anchor", reason=reason), anchoring=True)
