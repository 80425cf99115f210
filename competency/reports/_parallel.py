"""Rendering many reports on several processes, results in order.

Workers are forked once, so they inherit the compiled templates and the
cycle's model and rules; only each person's data travels to them. Where fork
is not available (Windows) everything runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

PARALLEL_FROM = 400  # fewer reports than this are not worth starting processes for
MAX_JOBS = 4

_task: Callable[[Any], Any] | None = None


def default_jobs(count: int) -> int:
    """Processes for `count` reports: one for a few, else the CPUs (at most MAX_JOBS)."""
    if count < PARALLEL_FROM:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1), MAX_JOBS))


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)


def ordered_map(task: Callable[[Any], Any], items: Iterable[Any], jobs: int, chunksize: int = 16) -> Iterator[Any]:
    """`map(task, items)`, on `jobs` forked processes when more than one."""
    global _task
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(task, items)
        return
    _task = task
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield from pool.imap(_run, items, chunksize)
    finally:
        _task = None
