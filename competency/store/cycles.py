"""The stored side of a cycle: its row in `cycles`, its frozen files, its status
when new data arrives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import duckdb

# A cycle's status, in the order a quarter goes through them (the only ones written).
STATUSES = ("open", "scored", "calibrating", "final")


@dataclass(frozen=True)
class FrozenFile:
    """A model or rule file as a cycle keeps it: its kind, its name under
    models/ or rules/, the sha256 of its text, and the text."""

    kind: str
    name: str
    sha256: str
    text: str


def save_cycle(
    db: duckdb.DuckDBPyConnection, cycle_id: str, opened_at: datetime, model_id: str, model_version: str, files: Sequence[FrozenFile]
) -> None:
    """Record a new open cycle with its frozen files."""
    db.execute("INSERT INTO cycles VALUES (?, 'open', ?, ?, ?, NULL)", [cycle_id, opened_at, model_id, model_version])
    if files:
        db.executemany("INSERT INTO cycle_files VALUES (?, ?, ?, ?, ?)", [[cycle_id, f.kind, f.name, f.sha256, f.text] for f in files])


def mark_unscored(db: duckdb.DuckDBPyConnection, cycle_id: str) -> None:
    """A scored cycle that received new data is open again: its stored results are stale."""
    db.execute("UPDATE cycles SET status = 'open' WHERE cycle_id = ?", [cycle_id])
