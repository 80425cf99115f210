"""`competency import`: read one file into a cycle, all or nothing."""

from __future__ import annotations

from pathlib import Path

from competency.ingest import ImportSummary, import_file
from competency.store.cycles import mark_unscored
from competency.store.workspace import Workspace
from competency.workflow.cycles import cycle_inputs, require_status, resolve_cycle

IMPORT_KINDS = ("roster", "responses", "kpis", "potential")


def run_import(
    workspace: Workspace,
    kind: str,
    path: Path,
    *,
    cycle_id: str | None = None,
    mapping: Path | None = None,
    replace: bool = False,
    strict: bool = False,
    rejects_path: Path | None = None,
) -> ImportSummary:
    """Import `path` as `kind` into the cycle in one transaction; rejected rows go to `rejects_path`."""
    cycle = resolve_cycle(workspace, cycle_id)
    require_status(cycle, ("open", "scored"), f"import into cycle {cycle.cycle_id}")
    bundle = cycle_inputs(workspace, cycle.cycle_id).bundle
    if rejects_path is None:
        rejects_path = path.with_name(f"{path.stem}.rejected.csv")
    with workspace.transaction() as db:
        summary = import_file(db, cycle.cycle_id, kind, path, bundle, mapping=mapping, replace=replace, strict=strict, rejects_path=rejects_path)
        if cycle.status == "scored" and not summary.skipped_as_duplicate_file:
            # New data makes the stored results stale: the cycle must be scored again.
            mark_unscored(db, cycle.cycle_id)
    return summary
