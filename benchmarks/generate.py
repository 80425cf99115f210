"""Generate a synthetic sales organisation for the benchmarks and time it.

Example:
    python benchmarks/generate.py --employees 100000 --out /tmp/bench100k --items-per-rater 38

Prints the row counts, file sizes, planted bad rows and the generation time.
Not a test: run by hand (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competency.sample import generate  # noqa: E402


def _size(path: Path) -> str:
    size = path.stat().st_size
    for unit, scale in (("GB", 2**30), ("MB", 2**20), ("KB", 2**10)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return f"{size} B"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="example: python benchmarks/generate.py --employees 100000 --out /tmp/bench100k --items-per-rater 38",
    )
    parser.add_argument("--employees", type=int, required=True, help="how many people (100 to 1,000,000)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the files into")
    parser.add_argument("--seed", type=int, default=7, help="the seed (default 7): same seed, same files")
    parser.add_argument("--parquet", action="store_true", help="also write .parquet copies")
    parser.add_argument("--items-per-rater", type=int, default=None,
                        help="behaviours on the survey form (default: all 44 of the model's, ~230 answers a person; 38 gives ~200)")
    parser.add_argument("--no-flaws", action="store_true", help="plant no bad rows")
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    parser.add_argument("--memory-limit", default=None, help="DuckDB memory limit, e.g. 8GB (default: 80%% of RAM); it spills past it")
    args = parser.parse_args(argv)
    if args.employees < 1:
        parser.error("--employees must be at least 1")

    formats = ("csv", "parquet") if args.parquet else ("csv",)
    started, cpu_started = time.perf_counter(), time.process_time()
    files = generate(args.out, args.employees, seed=args.seed, formats=formats, flaws=not args.no_flaws,
                     items_per_rater=args.items_per_rater, threads=args.threads, memory_limit=args.memory_limit)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started

    print(f"employees        {files.employees:>14,}")
    print(f"items per rater  {files.items_per_rater:>14,}")
    for path in (*files.csv_files, *files.parquet):
        rows = files.rows(path.name)
        print(f"{path.name:<17}{rows:>14,} rows {_size(path):>12}")
    total = sum(p.stat().st_size for p in (*files.csv_files, *files.parquet))
    print(f"total on disk    {total / 2**20:>14,.1f} MB")
    print(f"bad rows planted {files.bad_rows():>14,}")
    for name in dict.fromkeys(f.file for f in files.flaws):
        print(f"  {name:<15}" + ", ".join(f"{f.kind} {f.count:,}" for f in files.flaws if f.file == name))
    rate = files.response_rows / elapsed
    print(f"generated in     {elapsed:>14.1f} s  ({rate:,.0f} answers/s; {cpu:,.1f} s of CPU on {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
