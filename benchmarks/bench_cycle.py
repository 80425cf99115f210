"""The quarterly cycle at scale: import + score against DuckDB's own load time.

    python benchmarks/bench_cycle.py --employees 100000 [--items-per-rater 38] [--memory-limit 8GB] [--work /tmp/bench]

Measures, in one run on the same files:
- reference: DuckDB alone loading responses.csv into a table of a database file;
- import of roster, responses, KPIs and potential through `competency import`'s code;
- scoring of the whole cycle;
and the peak memory of the process (resident set size). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competency._sql import quote_path  # noqa: E402
from competency.sample import generate  # noqa: E402
from competency.store.workspace import Workspace  # noqa: E402
from competency.workflow.cycles import open_cycle  # noqa: E402
from competency.workflow.imports import run_import  # noqa: E402
from competency.workflow.scoring import score_cycle  # noqa: E402


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def duckdb_reference(responses: Path, work: Path) -> float:
    """DuckDB alone: read the responses CSV into a table of a database file."""
    path = work / "reference.duckdb"
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    db = duckdb.connect(str(path))
    db.execute(f"CREATE TABLE responses AS SELECT * FROM read_csv({quote_path(responses)}, header = true, all_varchar = true)")
    db.close()
    seconds = time.perf_counter() - started
    path.unlink(missing_ok=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--items-per-rater", type=int, default=None)
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit for the workspace, e.g. 8GB")
    parser.add_argument("--work", type=Path, default=Path("/tmp/competency-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated files and workspace")
    args = parser.parse_args()

    work = args.work / f"{args.employees}"
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    started = time.perf_counter()
    files = generate(work / "input", args.employees, items_per_rater=args.items_per_rater)
    print(f"generated {files.employees:,} employees, {files.rows('responses'):,} answer rows in {time.perf_counter() - started:.1f} s")
    size = files.responses.stat().st_size / 1024**2
    reference = duckdb_reference(files.responses, work)
    print(f"reference: DuckDB loads responses.csv ({size:,.0f} MiB) into a database table in {reference:.2f} s")

    timings: dict[str, float] = {}
    with Workspace(work / "competency.duckdb", memory_limit=args.memory_limit) as workspace:
        open_cycle(workspace, "BENCH", None, None)
        for kind, path in (("roster", files.roster), ("responses", files.responses), ("kpis", files.kpis), ("potential", files.potential)):
            t0 = time.perf_counter()
            summary = run_import(workspace, kind, path, cycle_id="BENCH", rejects_path=work / f"{kind}.rejected.csv")
            timings[f"import {kind}"] = time.perf_counter() - t0
            print(f"import {kind:<9} {summary.accepted:>12,} accepted {summary.rejected:>6,} rejected  {timings[f'import {kind}']:7.2f} s")
        t0 = time.perf_counter()
        scored = score_cycle(workspace, "BENCH")
        timings["score"] = time.perf_counter() - t0
        print(f"score           {scored.people:>12,} people, distribution {scored.distribution}  {timings['score']:7.2f} s")
    total = sum(timings.values())
    responses_and_score = timings["import responses"] + timings["score"]
    print(f"import + score: {total:.2f} s = {total / reference:.2f}× DuckDB's load time "
          f"(responses import + score alone: {responses_and_score / reference:.2f}×)")
    print(f"peak memory (RSS): {peak_rss_gib():.2f} GiB")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
