"""Calibration at scale: `calibrate status`, `agreement` and `calibrate suggest`.

    python benchmarks/bench_calibration.py                       # the demo organisation (120 people)
    python benchmarks/bench_calibration.py --employees 100000   # generate, import, score, then time
    python benchmarks/bench_calibration.py --workspace /tmp/competency-bench/100000/competency.duckdb

For a generated organisation (`--items-per-rater`, default 25) it generates,
imports and scores first (a few minutes for 100,000 people), then times each
calibration verb on the scored cycle, best of `--repeat` runs, through the
same workflow functions the CLI calls (text rendering included). With
`--workspace` it reuses a scored workspace. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competency.calibration.render import agreement_text, status_text  # noqa: E402
from competency.calibration.render_changes import suggestion_text  # noqa: E402
from competency.sample import generate  # noqa: E402
from competency.store.workspace import Workspace  # noqa: E402
from competency.workflow.calibrate import calibration_status, rater_agreement, suggest  # noqa: E402
from competency.workflow.cycles import open_cycle  # noqa: E402
from competency.workflow.demo import run_demo  # noqa: E402
from competency.workflow.imports import run_import  # noqa: E402
from competency.workflow.scoring import score_cycle  # noqa: E402


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def prepare(employees: int, items: int, work: Path) -> Path:
    """Generate, import and score an organisation; returns the workspace path."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    t0 = time.perf_counter()
    files = generate(work / "input", employees, items_per_rater=items)
    print(f"generated {files.employees:,} employees, {files.rows('responses'):,} answer rows in {time.perf_counter() - t0:.1f} s")
    path = work / "competency.duckdb"
    with Workspace(path) as workspace:
        open_cycle(workspace, "BENCH", None, None)
        t0 = time.perf_counter()
        for kind, file in (("roster", files.roster), ("responses", files.responses), ("kpis", files.kpis), ("potential", files.potential)):
            run_import(workspace, kind, file, cycle_id="BENCH", rejects_path=work / f"{kind}.rejected.csv")
        print(f"imported in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        scored = score_cycle(workspace, "BENCH")
        print(f"scored {scored.people:,} people in {time.perf_counter() - t0:.1f} s: {scored.distribution}")
    return path


def timed(label: str, repeat: int, work: Callable[[], str]) -> None:
    best, out = float("inf"), ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = work()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<34} {best:8.2f} s   ({len(out.splitlines()):,} lines of text)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=None, help="generate this many people (default: the demo organisation)")
    parser.add_argument("--items-per-rater", type=int, default=25)
    parser.add_argument("--workspace", type=Path, default=None, help="a scored workspace to reuse")
    parser.add_argument("--work", type=Path, default=Path("/tmp/competency-bench-calibration"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    if args.workspace:
        path = args.workspace
    elif args.employees:
        path = prepare(args.employees, args.items_per_rater, args.work / str(args.employees))
    else:
        path = run_demo(args.work / "demo", "en").workspace
    with Workspace(path, create=False) as workspace:
        people = workspace.db.execute("SELECT count(*) FROM person_results").fetchone()[0]
        answers = workspace.db.execute("SELECT count(*) FROM responses").fetchone()[0]
        print(f"workspace {path}: {people:,} people, {answers:,} answers")

        timed("calibrate status", args.repeat, lambda: status_text(calibration_status(workspace), "en", False))
        timed("calibrate status --attribute gender", args.repeat, lambda: status_text(calibration_status(workspace, attribute="gender"), "en", False))
        timed("agreement", args.repeat, lambda: agreement_text(rater_agreement(workspace), "en"))
        found = calibration_status(workspace)
        flagged = sum(1 for m in found.managers if m.flag)
        print(f"  status: {len(found.scopes):,} scopes ({len(found.off):,} off guideline), {len(found.managers):,} managers ({flagged:,} flagged), "
              f"{sum(r.raters or 0 for r in found.raters):,} raters ({sum(r.flagged for r in found.raters):,} flagged)")
        t0 = time.perf_counter()
        result = suggest(workspace)
        text = suggestion_text(result.suggestion, result.score, "en", None)
        print(f"{'calibrate suggest (dry run)':<34} {time.perf_counter() - t0:8.2f} s   ({len(text.splitlines()):,} lines of text)")
        print(f"  {len(result.suggestion.moves):,} moves suggested (at least {result.suggestion.lower_bound:,} needed); still off: {len(result.suggestion.off_after):,} scopes")
    print(f"peak resident memory {peak_rss_gib():.2f} GiB")


if __name__ == "__main__":
    main()
