"""Time the reports: `report individual --all` on a generated organisation.

Example:
    python benchmarks/bench_reports.py --employees 10000 --work /tmp/bench-reports

Scenarios (target in brackets):
- every individual 360 report as HTML [>= 300 reports a second for 10,000 people],
  each with the person's development plan when plans exist (issue 6);
- the same as Markdown; every plan on its own;
- one team report per manager, the calibration report and the org summary.
The organisation is generated with `competency.sample.generate`, imported,
scored (and planned) once into `--work` (kept there: a second run with the same folder and
size skips straight to the timing). Wall time and CPU time (this process and its
rendering processes together) are printed; on a shared machine the reports
per CPU-second are the steadier figure. Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competency.sample import generate
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.imports import run_import
from competency.workflow.plans import generate_plans
from competency.workflow.reports import report_calibration, report_individual, report_org, report_plan, report_team
from competency.workflow.scoring import score_cycle

CYCLE = "2026-Q4"


def prepare(work: Path, employees: int) -> Path:
    """A scored workspace of `employees` generated people in `work` (made once, then reused)."""
    workspace_path = work / f"org-{employees}.duckdb"
    if workspace_path.exists():
        return workspace_path
    started = time.perf_counter()
    files = generate(work / f"input-{employees}", employees)
    with Workspace(workspace_path) as workspace:
        open_cycle(workspace, CYCLE, None, None)
        for kind, path in (("roster", files.roster), ("responses", files.responses), ("kpis", files.kpis), ("potential", files.potential)):
            run_import(workspace, kind, path, cycle_id=CYCLE, rejects_path=work / f"{kind}.rejected.csv")
        score_cycle(workspace, CYCLE)
        generate_plans(workspace, CYCLE)
    print(f"prepared {employees:,} people in {time.perf_counter() - started:.1f} s → {workspace_path}")
    return workspace_path


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the rendering processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, count_of: str, run) -> None:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), _cpu()
    written = run()
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    print(f"{label:<28} {len(written):>7,} {count_of:<8} {wall:7.2f} s wall {cpu:7.2f} s CPU  {len(written) / wall:7.1f}/s  {len(written) / cpu:7.1f} per CPU-second")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-reports"))
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--keep", action="store_true", help="keep the written reports")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    workspace_path = prepare(args.work, args.employees)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    out = args.work / "out"
    shutil.rmtree(out, ignore_errors=True)
    with Workspace(workspace_path) as workspace:
        timed("individual --all (html)", "reports", lambda: report_individual(workspace, CYCLE, None, "html", args.lang, out / "html"))
        timed("individual --all (md)", "reports", lambda: report_individual(workspace, CYCLE, None, "md", args.lang, out / "md"))
        timed("plan --all (html)", "reports", lambda: report_plan(workspace, CYCLE, None, "html", args.lang, out / "plans"))
        timed("team --all (html)", "reports", lambda: report_team(workspace, CYCLE, None, "html", args.lang, out / "teams"))
        timed("calibration (html)", "reports", lambda: report_calibration(workspace, CYCLE, "html", args.lang, out))
        timed("org (html)", "reports", lambda: report_org(workspace, CYCLE, "html", args.lang, out))
    size = sum(f.stat().st_size for f in (out / "html").iterdir())
    print(f"individual HTML: {size / 1e6:.0f} MB, {size / args.employees / 1e3:.0f} kB a report")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
