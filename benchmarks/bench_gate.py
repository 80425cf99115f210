"""Time what the publication gate costs, and count what the cross-release guard withholds.

Example (before and after a change, on the same generated files; for "before", copy this
script into a worktree of the older commit and run it from there, so it imports that code):
    python benchmarks/bench_gate.py --employees 100000 --work /tmp/bench-gate
    cd /tmp/old-checkout && python benchmarks/bench_gate.py --employees 100000 --work /tmp/bench-gate-old --files /tmp/bench-gate/input-100000

Steps, each timed (wall and CPU):
- import the four files and `score` the cycle 2026-Q4;
- `plan generate`; `report individual --all` as HTML (skipped with --no-reports);
- a second quarter 2027-Q1 with the same roster and KPIs and the same answers, except that
  `--changed` per cent of the anonymous (rater, person) pairs are answered by new raters:
  import and `score`, then count the figures withheld by reason (`cross_release`: the
  guard's). Code without the guard prints the counts it has.
The organisation comes from `competency.sample.generate` (fixed seed); `--files` reuses
files generated earlier. Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import duckdb  # noqa: E402

from competency._sql import quote_path  # noqa: E402

from competency.sample import generate  # noqa: E402
from competency.store.workspace import Workspace  # noqa: E402
from competency.workflow.cycles import open_cycle  # noqa: E402
from competency.workflow.imports import run_import  # noqa: E402
from competency.workflow.plans import generate_plans  # noqa: E402
from competency.workflow.reports import report_individual  # noqa: E402
from competency.workflow.scoring import score_cycle  # noqa: E402

KINDS = ("roster", "responses", "kpis", "potential")


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, run):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), _cpu()
    result = run()
    print(f"{label:<40} {time.perf_counter() - wall:8.2f} s wall {_cpu() - cpu:8.2f} s CPU", flush=True)
    return result


def second_quarter_answers(responses: Path, out: Path, changed: float) -> Path:
    """The same answers with `changed` per cent of anonymous (rater, person) pairs given to new raters."""
    target = out / "responses-2027-Q1.csv"
    duckdb.sql(
        f"""COPY (
            SELECT * REPLACE (CASE WHEN relationship NOT IN ('self', 'manager')
                                    AND hash(employee_id || '|' || rater_id) % 10000 < {round(changed * 100)}
                               THEN 'N' || rater_id ELSE rater_id END AS rater_id)
            FROM read_csv({quote_path(responses)}, all_varchar = true, header = true)
        ) TO {quote_path(target)} (HEADER, DELIMITER ',')"""
    )
    return target


def withheld(workspace: Workspace, cycle: str) -> str:
    rows = workspace.db.execute("SELECT coalesce(reason, 'shown'), count(*) FROM group_scores WHERE cycle_id = ? GROUP BY ALL ORDER BY 1", [cycle]).fetchall()
    return ", ".join(f"{reason} {n:,}" for reason, n in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-gate"))
    parser.add_argument("--files", type=Path, default=None, help="a folder of generated files to reuse (roster.csv, responses.csv, …)")
    parser.add_argument("--changed", type=float, default=7.0, help="per cent of anonymous (rater, person) pairs with a new rater next quarter")
    parser.add_argument("--no-reports", action="store_true")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    if args.files is not None:
        files = SimpleNamespace(**{kind: args.files / f"{kind}.csv" for kind in KINDS})
    else:
        files = timed("generate", lambda: generate(args.work / f"input-{args.employees}", args.employees))
    path = args.work / "gate.duckdb"
    path.unlink(missing_ok=True)
    with Workspace(path) as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        for kind in KINDS:
            timed(f"import {kind}", lambda kind=kind: run_import(workspace, kind, getattr(files, kind), cycle_id="2026-Q4", rejects_path=args.work / f"{kind}.rejected.csv"))
        timed("score 2026-Q4", lambda: score_cycle(workspace, "2026-Q4"))
        timed("plan generate", lambda: generate_plans(workspace, "2026-Q4"))
        if not args.no_reports:
            out = Path(tempfile.mkdtemp(dir=args.work))
            written = timed("report individual --all (html)", lambda: report_individual(workspace, "2026-Q4", None, "html", "zh", out))
            print(f"  {len(written):,} reports")
            shutil.rmtree(out)
        print(f"  2026-Q4 figures: {withheld(workspace, '2026-Q4')}")
        answers = timed(f"second quarter: {args.changed:g} % new raters", lambda: second_quarter_answers(Path(files.responses), args.work, args.changed))
        open_cycle(workspace, "2027-Q1", None, None)
        for kind, file in (("roster", files.roster), ("responses", answers), ("kpis", files.kpis), ("potential", files.potential)):
            timed(f"import {kind} 2027-Q1", lambda kind=kind, file=file: run_import(workspace, kind, file, cycle_id="2027-Q1", rejects_path=args.work / f"{kind}.q1.rejected.csv"))
        timed("score 2027-Q1", lambda: score_cycle(workspace, "2027-Q1"))
        print(f"  2027-Q1 figures: {withheld(workspace, '2027-Q1')}")
    print(f"peak resident memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GiB")


if __name__ == "__main__":
    main()
