"""`competency import`: read one file into a cycle, all or nothing."""

from __future__ import annotations

from pathlib import Path

from competency.errors import OutputError
from competency.files.outputs import OutputFile, workspace_files
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
    force: bool = False,
    sheet: str | None = None,
) -> ImportSummary:
    """Import `path` as `kind` into the cycle in one transaction; rejected rows go to `rejects_path`
    (default: FILE.rejected.csv beside the file), replacing an existing file only with `force`.

    The rejects file is never the workspace, the file imported or its mapping, nor a link; when
    it cannot be written the whole import is rolled back.
    """
    cycle = resolve_cycle(workspace, cycle_id)
    require_status(cycle, ("open", "scored"), f"import into cycle {cycle.cycle_id}")
    bundle = cycle_inputs(workspace, cycle.cycle_id).bundle
    if rejects_path is None:
        rejects_path = path.with_name(f"{path.stem}.rejected.csv")
    rejects = OutputFile(Path(rejects_path), force=force, protected=workspace_files(workspace.path), elsewhere="name another file with --rejects")
    try:
        with workspace.transaction() as db:
            summary = import_file(db, cycle.cycle_id, kind, path, bundle, mapping=mapping, replace=replace, strict=strict, rejects_path=rejects, sheet=sheet)
            if cycle.status == "scored" and not summary.skipped_as_duplicate_file:
                # New data makes the stored results stale: the cycle must be scored again.
                mark_unscored(db, cycle.cycle_id)
    except OutputError as error:
        raise OutputError(f"{error.message}; nothing was imported", hint=error.hint) from None
    return summary
