"""What a cycle's roster holds beyond the fixed columns: its extra attributes and their values."""

from __future__ import annotations

from typing import Any

import duckdb


def roster_values(db: duckdb.DuckDBPyConnection, cycle_id: str) -> dict[str, list[Any]]:
    """Each extra roster attribute of the cycle → its distinct values, sorted (rules
    comparing an attribute with a value are checked against these)."""
    rows = db.execute(
        """
        SELECT k, list(DISTINCT attributes ->> k ORDER BY attributes ->> k) FILTER (WHERE attributes ->> k IS NOT NULL)
        FROM (SELECT attributes, unnest(json_keys(attributes)) AS k FROM roster WHERE cycle_id = ? AND attributes IS NOT NULL)
        GROUP BY k ORDER BY k
        """,
        [cycle_id],
    ).fetchall()
    return {name: list(values or []) for name, values in rows}


def roster_attributes(db: duckdb.DuckDBPyConnection, cycle_id: str) -> list[str]:
    """The extra attributes of the cycle's roster, sorted."""
    return list(roster_values(db, cycle_id))
