"""A cycle's stored results against a scoring run's relations: the first difference, named.

`competency verify` re-computes a scored cycle into temp relations and holds
every stored row to them, table by table in the order a rating is built from
(people first), each table in key order, columns as `store.scoring.RESULT_TABLES`
says the run makes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from competency._sql import Relation, quote_ident
from competency.store.scoring import RESULT_TABLES, ResultTable, ScoringRun


_AS_TEXT = {"trace": "trace::VARCHAR"}  # JSON compared as its text, on both sides


@dataclass(frozen=True)
class Difference:
    """The first stored row that a re-computation does not reproduce."""

    table: str
    key: tuple[Any, ...]
    column: str | None  # None: the row is on one side only
    stored: Any
    recomputed: Any
    only: str | None = None  # "stored" or "recomputed" when the row is on one side only

    def message(self) -> str:
        who = " / ".join(str(k) for k in self.key)
        if self.only == "stored":
            return f"{self.table} has a row for {who} that a re-computation does not make"
        if self.only == "recomputed":
            return f"{self.table} has no row for {who}, which a re-computation makes"
        return f"{self.table} of {who}, column {self.column}: stored {shown(self.stored)}, re-computed {shown(self.recomputed)}"


def shown(value: Any) -> str:
    """A value as a difference names it: text quoted, NULL as such, long text cut."""
    if value is None:
        return "NULL"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _select(table: ResultTable, source: str, expression: dict[str, str]) -> str:
    names = (*table.keys, *table.columns)
    return ", ".join(f"{expression.get(name, quote_ident(name))} AS {quote_ident(name)}" for name in names) + f" FROM {source}"


def _first(db: duckdb.DuckDBPyConnection, cycle_id: str, table: ResultTable, run: Relation) -> Difference | None:
    keys, columns = table.keys, table.columns
    on = " AND ".join(f"s.{quote_ident(k)} = r.{quote_ident(k)}" for k in keys)
    differs = " OR ".join(f"s.{quote_ident(c)} IS DISTINCT FROM r.{quote_ident(c)}" for c in columns)
    first_key = quote_ident(keys[0])
    sql = f"""
    WITH s AS (SELECT {_select(table, quote_ident(table.name), _AS_TEXT)} WHERE cycle_id = $cycle),
         r AS (SELECT {_select(table, str(run), {**_AS_TEXT, **table.made_as})})
    SELECT {", ".join(f"coalesce(s.{quote_ident(k)}, r.{quote_ident(k)})" for k in keys)},
           s.{first_key} IS NULL, r.{first_key} IS NULL,
           {", ".join(f"s.{quote_ident(c)}, r.{quote_ident(c)}" for c in columns)}
    FROM s FULL JOIN r ON {on}
    WHERE s.{first_key} IS NULL OR r.{first_key} IS NULL OR {differs}
    ORDER BY {", ".join(str(i + 1) for i in range(len(keys)))}
    LIMIT 1
    """
    found = db.execute(sql, {"cycle": cycle_id}).fetchall()
    if not found:
        return None
    row = found[0]
    key, (only_recomputed, only_stored), values = row[: len(keys)], row[len(keys) : len(keys) + 2], row[len(keys) + 2 :]
    if only_stored or only_recomputed:
        return Difference(table.name, key, None, None, None, "stored" if only_stored else "recomputed")
    pairs = list(zip(columns, values[0::2], values[1::2]))
    column, stored, recomputed = next(((c, s, r) for c, s, r in pairs if s != r), pairs[0])
    return Difference(table.name, key, column, stored, recomputed)


def first_difference(db: duckdb.DuckDBPyConnection, cycle_id: str, run: ScoringRun) -> tuple[Difference | None, int]:
    """The first stored result of the cycle that `run` does not reproduce (None: every one
    does), and how many stored rows were held to it."""
    checked = 0
    for table in RESULT_TABLES:
        difference = _first(db, cycle_id, table, getattr(run, table.run))
        if difference is not None:
            return difference, checked
        checked += db.execute(f"SELECT count(*) FROM {quote_ident(table.name)} WHERE cycle_id = ?", [cycle_id]).fetchone()[0]  # noqa: S608 - fixed names
    return None, checked
