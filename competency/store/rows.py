"""Query results as plain rows keyed by column name."""

from __future__ import annotations

from typing import Any

import duckdb


def dicts(db: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict[str, Any]]:
    """Every row of the query as a dict of column name → value."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]
