"""SQL text and rows: quoting, exact means and row reading, in one module.

Every module that writes a name, a literal or a number into statement text
does it through this module, so a value can never change a statement.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import duckdb


def quote_ident(name: str) -> str:
    """A SQL identifier: double quotes, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A SQL string literal: single quotes, inner quotes doubled."""
    return "'" + text.replace("'", "''") + "'"


# Summed as doubles, a total's last bits follow the order in which DuckDB's
# threads add the rows, so a figure rounded to 6 decimals can differ by a
# millionth from one run of the same data to the next. Sums are therefore
# exact decimals, and the ratio is rounded half away from zero in integers.
EXACT = "DECIMAL(38, 9)"
_TO_INTEGER = 10**9  # EXACT's scale
_DIGITS = 6


def _rounded_ratio(numerator: str, denominator: str) -> str:
    """SQL: numerator / denominator (exact decimals; the denominator positive, or NULL
    for no result) rounded half away from zero to 6 decimals."""
    n = f"(({numerator}) * {_TO_INTEGER})::HUGEINT"
    d = f"(({denominator}) * {_TO_INTEGER})::HUGEINT"
    unit = 10**_DIGITS
    return f"(sign({n}) * ((abs({n}) * {2 * unit} + {d}) // (2 * {d})))::DOUBLE / {unit}"


def mean_sql(value: str) -> str:
    """SQL: the mean of `value` over the group, rounded to 6 decimals."""
    return _rounded_ratio(f"sum({value}::{EXACT})", f"nullif(count({value}), 0)")


def weighted_mean_sql(value: str, weight: str, weight_filter: str = "") -> str:
    """SQL: Σ weight·value / Σ weight over the group (the weights of the rows
    `weight_filter` keeps, when given), rounded to 6 decimals."""
    weights = f"sum({weight}::{EXACT}){f' FILTER (WHERE {weight_filter})' if weight_filter else ''}"
    return _rounded_ratio(f"sum(({weight} * {value})::{EXACT})", f"nullif({weights}, 0)")


def dicts(db: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict[str, Any]]:
    """Every row of the query as a dict of column name → value."""
    cursor = db.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def one(db: duckdb.DuckDBPyConnection, sql: str, parameters: list[Any] | None = None) -> tuple[Any, ...] | None:
    """The first row of a query, reading the result to its end (DuckDB keeps an
    unread result open on the connection and refuses other work meanwhile)."""
    rows = db.execute(sql, parameters or []).fetchall()
    return rows[0] if rows else None


def quote_number(value: float) -> str:
    """A SQL number literal; NaN and infinities are refused (they are not numbers a
    rule or a target can mean, and SQL would either reject or silently carry them)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"not a finite number: {value!r}")
    return repr(value) if isinstance(value, int) else repr(float(value))


def quote_path(path: str | os.PathLike[str]) -> str:
    """A file path as a SQL string literal (quotes in folder names are doubled)."""
    return quote_text(Path(path).as_posix())


def create_table(db: duckdb.DuckDBPyConnection, name: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
    """A temp table `name` (its `columns` written as SQL: "id VARCHAR, n INTEGER")
    filled from Python rows in one statement: each column is sent as one list
    parameter and unnested, so no value is ever written into statement text."""
    db.execute(f"CREATE OR REPLACE TEMP TABLE {quote_ident(name)} ({columns})")
    if rows:
        count = len(rows[0])
        lists = [list(column) for column in zip(*rows)]
        db.execute(f"INSERT INTO {quote_ident(name)} SELECT {', '.join(f'unnest(${i + 1})' for i in range(count))}", lists)


_serial = itertools.count(1)


@dataclass(frozen=True)
class Relation:
    """A table or view one stage made and hands to the next: its name in the
    connection and the columns it promises. A stage reads only relations it was
    handed; it never reaches for a table by a name it did not make.

    `str(relation)` is its quoted name, so it drops into SQL text as-is."""

    name: str
    columns: tuple[str, ...]

    def __str__(self) -> str:
        return quote_ident(self.name)

    def check(self, db: duckdb.DuckDBPyConnection) -> Relation:
        """This relation, once its actual columns are seen to be the promised ones."""
        actual = tuple(d[0] for d in db.execute(f"SELECT * FROM {self} LIMIT 0").description)
        if actual != self.columns:
            raise RuntimeError(f"{self.name} has columns {actual}, not the declared {self.columns}")
        return self


def new_relation(stem: str, columns: Sequence[str]) -> Relation:
    """A relation with a name no other call has used (`stem` says what it holds)."""
    return Relation(f"{stem}_{next(_serial)}", tuple(columns))


def relations(stage: object) -> tuple[Relation, ...]:
    """Every relation a stage's dataclass of Relations holds, in field order (to check or drop them)."""
    return tuple(getattr(stage, f.name) for f in fields(stage))  # type: ignore[arg-type]


def drop(db: duckdb.DuckDBPyConnection, *relations: Relation) -> None:
    """Drop temp relations once no stage needs them, tables and views alike, in one
    statement (one catalogue lookup says which of them are views)."""
    if not relations:
        return
    names = [r.name for r in relations]
    views = {row[0] for row in db.execute("SELECT view_name FROM duckdb_views() WHERE temporary AND view_name IN (SELECT unnest(?))", [names]).fetchall()}
    # Qualified with the temp catalogue: a stored table of the same name is never touched.
    db.execute("; ".join(f"DROP {'VIEW' if r.name in views else 'TABLE'} IF EXISTS temp.main.{r}" for r in relations))
