"""Rejected rows: stored in the workspace, and written as a CSV the analyst can fix.

`rejected_rows` keeps, for each rejected row, its file row number, the reason
and the row as read (JSON, keyed by the file's own headers). The rejects CSV
(UTF-8 with a byte-order mark, so Excel shows Chinese correctly) has the
columns `row, reason`, then the file's columns, one line per rejected row (per
rejected answer in a wide file), in file order; a cell a spreadsheet would run
(= + - @, a tab or a CR first) starts with a `'`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import duckdb

from competency._sql import Relation, new_relation, quote_text
from competency._text import safe_cell
from competency.files.bundle import ModelBundle
from competency.files.outputs import OutputFile
from competency.ingest.reasons import reason_sql
from competency.ingest.staging import Staging
from competency.store.imports import REJECTED_COLUMNS

_BATCH = 10_000


@dataclass(frozen=True)
class RejectedRow:
    """One rejected row of an import: where, why, and what it held."""

    row_number: int
    reason: str
    raw: str | None


def _names(staging: Staging) -> list[str]:
    """The file's headers, a blank one named by its position."""
    return [header or f"column {index + 1}" for index, header in enumerate(staging.headers)]


def rejected_view(
    db: duckdb.DuckDBPyConnection, stem: str, rejected: Relation, hints: Relation, staging: Staging, kind: str, cycle_id: str, bundle: ModelBundle, *, wide: bool
) -> Relation:
    """A view of the rejected units as `rejected_rows` keeps them: the file row number,
    the reason, and the raw row as JSON."""
    pairs = ", ".join(f"{quote_text(name)}, s.{staging.column(i)}" for i, name in enumerate(_names(staging)))
    raw = f"json_object({pairs})" if pairs else "NULL"
    view = new_relation(stem, REJECTED_COLUMNS)
    db.execute(f"""
        CREATE TEMP VIEW {view} AS
        SELECT c.row_number, {reason_sql(kind, cycle_id, bundle, wide=wide)} AS reason, {raw} AS raw
        FROM {rejected} c
        LEFT JOIN {hints} h ON h.code = c.code AND h.value = c.bad
        {staging.join_rows("s", "c.row_number")}
    """)
    return view


def write_rejects_csv(db: duckdb.DuckDBPyConnection, import_id: int, staging: Staging, target: OutputFile) -> None:
    """The rejects CSV for the analyst, streamed from the workspace through the output layer
    (atomic, never over the workspace or the input); every cell, the headers included, made
    inert for a spreadsheet by the one neutraliser, `safe_cell`."""
    columns = ", ".join(f"s.{staging.column(i)}" for i in range(len(staging.headers)))
    cursor = db.execute(f"""
        SELECT r.row_number, r.reason{', ' + columns if columns else ''}
        FROM rejected_rows r {staging.join_rows("s", "r.row_number")}
        WHERE r.import_id = ? ORDER BY r.row_number, r.reason
    """, [import_id])
    with target.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([safe_cell(name) for name in ["row", "reason", *_names(staging)]])
        while batch := cursor.fetchmany(_BATCH):
            writer.writerows(["" if value is None else safe_cell(value) for value in row] for row in batch)


def rejected_rows(db: duckdb.DuckDBPyConnection, import_id: int) -> list[RejectedRow]:
    """The rejected rows of one import, in file order."""
    rows = db.execute(
        "SELECT row_number, reason, raw FROM rejected_rows WHERE import_id = ? ORDER BY row_number, reason", [import_id]
    ).fetchall()
    return [RejectedRow(int(number), reason, raw) for number, reason, raw in rows]
