"""Two small SQL helpers shared by the import modules."""

from __future__ import annotations

from typing import Any

import duckdb

from competency.sqlquote import quote_text as sql_text  # noqa: F401 - the import modules' name for it


def one(db: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any] | None = None) -> tuple[Any, ...] | None:
    """The first row of a query, reading the result to its end (DuckDB keeps an
    unread result open on the connection and refuses other work meanwhile)."""
    rows = db.execute(sql, parameters or []).fetchall()
    return rows[0] if rows else None
