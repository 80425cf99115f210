"""`competency demo`: the whole quarter on the shipped sample organisation.

Generates the sample sales force, opens a cycle, imports its files (some rows
are deliberately bad, to show rejections), scores everyone and writes the
results, every person's plan and the report set (individual, plan, team,
calibration and organisation reports, with an index) into an output folder,
with the workspace kept there for exploring.

The folder must be new or empty. The demo lists what it wrote in
`competency-demo.json`; a folder holding only what that list names is an
earlier demo, which `--force` replaces. Any other file there (a workspace, a
file added since, a link) makes the demo refuse, with or without `--force`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from competency.errors import OutputError
from competency.files.outputs import Output
from competency.reports.explain import render_text
from competency.ingest import ImportSummary
from competency.sample import demo_organisation
from competency.store.workspace import Workspace
from competency._text import csv_text, json_text
from competency.workflow.cycles import open_cycle
from competency.workflow.imports import run_import
from competency.workflow.plans import write_plans
from competency.workflow.reports import write_report_set
from competency.workflow.results import RESULT_COLUMNS, cycle_results, load_for_explaining, person_result
from competency.workflow.scoring import ScoreSummary, score_cycle

DEMO_CYCLE = "2026-Q4"


@dataclass
class DemoRun:
    out: Path
    workspace: Path
    imports: list[ImportSummary]
    score: ScoreSummary
    examples: list[str]
    written: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out / "reports" / "index.html"


def _examples(workspace: Workspace, rows: list[dict], lang: str) -> list[str]:
    """Three people worth reading: a top rating, a capped or low one, one with withheld figures."""
    chosen: list[str] = []
    by_rating = {r: [row["employee_id"] for row in rows if row["rating"] == r] for r in ("A", "B", "C", "D")}
    for rating in ("A", "D", "C"):
        if by_rating[rating]:
            chosen.append(by_rating[rating][0])
            break
    capped = workspace.db.execute(
        "SELECT employee_id FROM person_results WHERE cycle_id = ? AND len(flags) > 0 ORDER BY employee_id LIMIT 1", [DEMO_CYCLE]
    ).fetchone()
    withheld = workspace.db.execute(
        "SELECT employee_id FROM group_scores WHERE cycle_id = ? AND NOT publishable ORDER BY employee_id LIMIT 1", [DEMO_CYCLE]
    ).fetchone()
    for row in (capped, withheld):
        if row and row[0] not in chosen:
            chosen.append(row[0])
    return chosen[:3]


def run_demo(out: Path, lang: str, progress: Callable[[str], None] = lambda _: None, *, force: bool = False) -> DemoRun:
    """Run the demo into `out`: a new or empty folder, or (with `force`) an earlier demo's,
    whose files are replaced. Files the demo did not write are never touched (`claim_folder`)."""
    claim_folder(out, force)
    output = Output(out)
    workspace_path = out / "competency.duckdb"
    progress("generating the sample organisation")
    files = demo_organisation(out / "input")
    with Workspace(workspace_path) as workspace:
        open_cycle(workspace, DEMO_CYCLE, None, None)
        imports = []
        for kind, path in (("roster", files.roster), ("responses", files.responses), ("kpis", files.kpis), ("potential", files.potential)):
            progress(f"importing {path.name}")
            imports.append(run_import(workspace, kind, path, cycle_id=DEMO_CYCLE, rejects_path=out / "rejected" / f"{kind}.rejected.csv"))
        progress("scoring")
        summary = score_cycle(workspace, DEMO_CYCLE)
        _, rows = cycle_results(workspace, DEMO_CYCLE)
        written = [output.write("results.csv", csv_text(RESULT_COLUMNS, rows)), output.write("results.json", json_text(rows))]
        loaded = load_for_explaining(workspace, DEMO_CYCLE)
        examples = []
        for employee_id in _examples(workspace, rows, lang):
            person, inputs, ruleset = person_result(workspace, employee_id, DEMO_CYCLE, loaded=loaded)
            examples.append(render_text(person, inputs.bundle, inputs.scoring, ruleset, lang))
        progress("making development plans")
        written += write_plans(workspace, DEMO_CYCLE, out, lang)
        progress("writing reports")
        index = write_report_set(workspace, DEMO_CYCLE, out / "reports", lang)
        written.append(index)
    _write_manifest(out)
    return DemoRun(out, workspace_path, imports, summary, examples, written)


# --------------------------------------------------------------------------- the demo's folder

MANIFEST = "competency-demo.json"
_WRITTEN_BY = "competency demo"


def claim_folder(out: Path, force: bool) -> None:
    """Make `out` ready for a demo: it must be new, empty, or hold only an earlier demo's files
    (those its manifest lists), which are removed with `force`. Anything else — a workspace of
    someone's, a file added since, a symbolic link — makes the demo refuse, even with `force`."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file, not a folder", hint="choose a new or empty folder with --out")
    present = _entries(out)
    if not present:
        return
    own = _manifest(out)
    foreign = sorted(name for name, is_link in present.items() if is_link or own is None or name not in own)
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise OutputError(
            f"{out} holds files the demo did not write: {foreign[0]}{more}",
            hint="choose a new or empty folder with --out; the demo never replaces files it did not write, even with --force",
        )
    if not force:
        raise OutputError(f"{out} holds an earlier demo", hint="add --force to replace it, or choose a new folder with --out")
    for name in present:
        (out / name).unlink()


def _entries(out: Path) -> dict[str, bool]:
    """Every file under `out` by its relative name → whether it is a symbolic link (links are not entered)."""
    found: dict[str, bool] = {}
    for folder, folders, files in os.walk(out):
        for name in files + [f for f in folders if os.path.islink(os.path.join(folder, f))]:
            path = Path(folder, name)
            found[path.relative_to(out).as_posix()] = path.is_symlink()
    return found


def _manifest(out: Path) -> set[str] | None:
    """The files an earlier demo wrote here (its manifest among them), or None when there is no readable manifest."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != _WRITTEN_BY or not isinstance(data.get("files"), list):
        return None
    listed = {name for name in data["files"] if isinstance(name, str)}
    # DuckDB's log beside the workspace appears while someone explores it: it is the workspace's.
    return listed | {f"{name}.wal" for name in listed if name.endswith(".duckdb")} | {MANIFEST}


def _write_manifest(out: Path) -> None:
    """List every file the demo wrote, so that a later run recognises the folder as its own."""
    files = sorted(_entries(out))
    Output(out).write(MANIFEST, json_text({"written_by": _WRITTEN_BY, "files": files}) + "\n")
