"""`competency demo`: the whole quarter on the shipped sample organisation.

Generates the sample sales force, opens a cycle, imports its files (some rows
are deliberately bad, to show rejections), scores everyone and writes the
results, every person's plan and the report set (individual, plan, team,
calibration and organisation reports, with an index) into an output folder,
with the workspace kept there for exploring.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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


def run_demo(out: Path, lang: str, progress: Callable[[str], None] = lambda _: None) -> DemoRun:
    """Run the demo into `out` (created; an earlier demo there is replaced)."""
    out.mkdir(parents=True, exist_ok=True)
    workspace_path = out / "competency.duckdb"
    for stale in (workspace_path, workspace_path.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    progress("generating the sample organisation")
    files = demo_organisation(out / "input")
    with Workspace(workspace_path) as workspace:
        open_cycle(workspace, DEMO_CYCLE, None, None)
        imports = []
        (out / "rejected").mkdir(exist_ok=True)
        for kind, path in (("roster", files.roster), ("responses", files.responses), ("kpis", files.kpis), ("potential", files.potential)):
            progress(f"importing {path.name}")
            imports.append(run_import(workspace, kind, path, cycle_id=DEMO_CYCLE, rejects_path=out / "rejected" / f"{kind}.rejected.csv"))
        progress("scoring")
        summary = score_cycle(workspace, DEMO_CYCLE)
        _, rows = cycle_results(workspace, DEMO_CYCLE)
        written = [out / "results.csv", out / "results.json"]
        written[0].write_text(csv_text(RESULT_COLUMNS, rows), encoding="utf-8")
        written[1].write_text(json_text(rows), encoding="utf-8")
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
    return DemoRun(out, workspace_path, imports, summary, examples, written)
