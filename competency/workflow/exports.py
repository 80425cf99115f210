"""`export`: a cycle's ratings, scores, plans or audit log as a table for HR systems and Excel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from competency._text import did_you_mean
from competency.errors import NotScored, ReportError
from competency.files.outputs import OutputFile, workspace_files
from competency.reports import load
from competency.reports.exports import render_table
from competency.store.workspace import Workspace
from competency.workflow.cycles import resolve_cycle

EXPORTS = ("ratings", "scores", "plans", "audit")



def export_table(workspace: Workspace, kind: str, cycle_id: str | None) -> tuple[str, list[str], list[dict[str, Any]]]:
    """(cycle id, columns, rows) of an export: ratings, scores, plans or audit."""
    if kind not in EXPORTS:
        raise ReportError(f"unknown export '{kind}'", hint=did_you_mean(kind, EXPORTS))
    cycle = resolve_cycle(workspace, cycle_id)
    if kind in ("ratings", "scores") and not workspace.db.execute("SELECT count(*) FROM person_results WHERE cycle_id = ?", [cycle.cycle_id]).fetchone()[0]:
        raise NotScored(f"cycle {cycle.cycle_id} has not been scored yet", hint=f"run `competency score --cycle {cycle.cycle_id}`")
    if kind == "plans":
        has_table = workspace.db.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'plans'").fetchone()[0]
        if not has_table or not workspace.db.execute("SELECT count(*) FROM plans WHERE cycle_id = ?", [cycle.cycle_id]).fetchone()[0]:
            raise ReportError(f"cycle {cycle.cycle_id} has no development plans yet", hint=f"make them with `competency plan generate --cycle {cycle.cycle_id}`")
    columns, rows = load.export_rows(workspace.db, kind, cycle.cycle_id)
    return cycle.cycle_id, columns, rows


def export(workspace: Workspace, kind: str, cycle_id: str | None, fmt: str) -> tuple[str, str | bytes, int]:
    """(cycle id, the export as text — bytes for XLSX —, row count)."""
    cycle, columns, rows = export_table(workspace, kind, cycle_id)
    return cycle, render_table(fmt, columns, rows, f"{kind} {cycle}"), len(rows)


def write_export(workspace: Workspace, kind: str, cycle_id: str | None, fmt: str, path: Path, *, force: bool = False) -> tuple[str, int]:
    """Write an export to `path` (never the workspace nor through a link; over a file only with
    `force`), checked before the export is made; (cycle id, row count)."""
    target = OutputFile(Path(path), force=force, protected=workspace_files(workspace.path))
    target.output.check([target.path.name])
    cycle, data, rows = export(workspace, kind, cycle_id, fmt)
    target.write(data)
    return cycle, rows
