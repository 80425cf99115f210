"""The stored side of an import: a cycle's rows of one kind, the rejected rows
and the record of each import.

The import stage judges a file and hands over what to keep as relations with
declared columns; this module alone writes them into the workspace tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from competency._sql import Relation, one

# The table each kind of file fills, and the columns (beyond cycle_id and
# import_id) that an import hands over for it, in the table's order.
TABLES = {"roster": "roster", "responses": "responses", "kpis": "kpi_actuals", "potential": "potential"}
ACCEPTED_COLUMNS: dict[str, tuple[str, ...]] = {
    "roster": ("employee_id", "name", "role", "manager_id", "department", "region", "attributes"),
    "responses": ("employee_id", "rater_id", "relationship", "item_id", "competency_id", "score", "comment"),
    "kpis": ("employee_id", "kpi_id", "actual", "target"),
    "potential": ("employee_id", "potential"),
}
REJECTED_COLUMNS = ("row_number", "reason", "raw")


@dataclass(frozen=True)
class ImportRecord:
    """One line of `imports`: what a file gave, in numbers."""

    import_id: int
    cycle_id: str
    kind: str
    file_name: str
    sha256: str
    rows_total: int
    accepted: int
    rejected: int
    imported_at: datetime


def has_rows(db: duckdb.DuckDBPyConnection, kind: str, cycle_id: str) -> bool:
    """Whether the cycle already holds rows of this kind."""
    row = one(db, f"SELECT count(*) > 0 FROM (SELECT 1 FROM {TABLES[kind]} WHERE cycle_id = ? LIMIT 1)", [cycle_id])
    return bool(row and row[0])


def next_import_id(db: duckdb.DuckDBPyConnection) -> int:
    """The id the next import gets."""
    return int(one(db, "SELECT coalesce(max(import_id), 0) + 1 FROM imports")[0])  # type: ignore[index]


def supersede_kind(db: duckdb.DuckDBPyConnection, cycle_id: str, kind: str) -> None:
    """Remove the cycle's rows of this kind and mark its earlier imports superseded (--replace)."""
    db.execute(f"DELETE FROM {TABLES[kind]} WHERE cycle_id = ?", [cycle_id])
    db.execute("UPDATE imports SET superseded = true WHERE cycle_id = ? AND kind = ? AND NOT superseded", [cycle_id, kind])


def store_accepted(db: duckdb.DuckDBPyConnection, cycle_id: str, import_id: int, kind: str, rows: Relation) -> int:
    """Add `rows` (columns `ACCEPTED_COLUMNS[kind]`) to the cycle's table of `kind`; returns how many."""
    columns = ", ".join(_expect(db, rows, ACCEPTED_COLUMNS[kind]).columns)
    row = one(db, f"INSERT INTO {TABLES[kind]} (cycle_id, {columns}, import_id) SELECT ?, {columns}, ? FROM {rows}", [cycle_id, import_id])
    return int(row[0]) if row else 0


def store_rejected(db: duckdb.DuckDBPyConnection, import_id: int, rows: Relation) -> int:
    """Add `rows` (row_number, reason, raw) to `rejected_rows` for the import; returns how many."""
    columns = ", ".join(_expect(db, rows, REJECTED_COLUMNS).columns)
    row = one(db, f"INSERT INTO rejected_rows (import_id, {columns}) SELECT ?, {columns} FROM {rows}", [import_id])
    return int(row[0]) if row else 0


def record_import(db: duckdb.DuckDBPyConnection, record: ImportRecord) -> None:
    db.execute(
        "INSERT INTO imports (import_id, cycle_id, kind, file_name, sha256, rows_total, accepted, rejected, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [record.import_id, record.cycle_id, record.kind, record.file_name, record.sha256, record.rows_total, record.accepted, record.rejected, record.imported_at],
    )


def _expect(db: duckdb.DuckDBPyConnection, rows: Relation, columns: tuple[str, ...]) -> Relation:
    if rows.columns != columns:
        raise RuntimeError(f"{rows.name} promises {rows.columns}; the stored table takes {columns}")
    return rows.check(db)
