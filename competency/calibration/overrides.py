"""Calibration overrides: append-only rows in `overrides`, each with its audit row
(`store.calibration.record_override` writes both).

A person's final rating is the latest override's rating, or the computed one
when there is none or the latest says NULL (see the `final_results` view).
Undo works as a stack per person: replaying the rows in order, a manual or
suggested override is pushed and an undo pops; undo restores the rating of
the override below the top (NULL, the computed rating, when none is left).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

KINDS = ("manual", "suggested", "undo")


@dataclass(frozen=True)
class Change:
    """One recorded change of a person's final rating."""

    cycle_id: str
    employee_id: str
    name: str | None
    previous: str | None  # final rating before
    rating: str | None  # the override's rating (None: back to computed)
    final: str | None  # final rating after
    kind: str
    reason: str
    code: str | None
    by: str
    at: datetime
    override_id: int
    seq: int


@dataclass(frozen=True)
class Person:
    employee_id: str
    name: str | None
    computed: str | None
    final: str | None
    scored: bool


def person(db: duckdb.DuckDBPyConnection, cycle_id: str, employee_id: str) -> Person | None:
    """The person's computed and final rating (None when not on the cycle's roster)."""
    row = db.execute(
        """SELECT r.employee_id, r.name, f.rating, f.final_rating, f.employee_id IS NOT NULL
           FROM roster r LEFT JOIN final_results f ON f.cycle_id = r.cycle_id AND f.employee_id = r.employee_id
           WHERE r.cycle_id = ? AND r.employee_id = ?""",
        [cycle_id, employee_id],
    ).fetchone()
    return Person(*row) if row else None


def active_overrides(db: duckdb.DuckDBPyConnection, cycle_id: str, employee_id: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per person, the stack of overrides not undone (oldest first)."""
    where = "AND employee_id = ?" if employee_id else ""
    cursor = db.execute(
        f"SELECT override_id, employee_id, rating, kind FROM overrides WHERE cycle_id = ? {where} ORDER BY override_id",  # noqa: S608 - fixed text
        [cycle_id, employee_id] if employee_id else [cycle_id],
    )
    stacks: dict[str, list[dict[str, Any]]] = {}
    for override_id, person_id, rating, kind in cursor.fetchall():
        stack = stacks.setdefault(person_id, [])
        if kind == "undo":
            if stack:
                stack.pop()
        else:
            stack.append({"override_id": override_id, "employee_id": person_id, "rating": rating, "kind": kind})
    return {k: v for k, v in stacks.items() if v}
