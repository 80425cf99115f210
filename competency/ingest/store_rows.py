"""Accepted rows into the cycle's tables: roster, responses, kpi_actuals, potential."""

from __future__ import annotations

import duckdb

from competency.ingest.headers import Layout
from competency._sql import one, quote_text

# The table each kind of file fills.
TABLES = {"roster": "roster", "responses": "responses", "kpis": "kpi_actuals", "potential": "potential"}


def _attributes_json(layout: Layout) -> str:
    """Extra roster columns as a JSON object (blank values as null); NULL when there are none."""
    if not layout.attributes:
        return "NULL"
    pairs = ", ".join(f"{quote_text(name)}, NULLIF(attr_{i}, '')" for i, name in enumerate(layout.attributes))
    return f"json_object({pairs})"


def store_accepted(db: duckdb.DuckDBPyConnection, accepted: str, layout: Layout, cycle_id: str, import_id: int) -> int:
    """Insert the rows the query `accepted` selects; returns how many."""
    cycle = quote_text(cycle_id)
    selects = {
        "roster": (
            "cycle_id, employee_id, name, role, manager_id, department, region, attributes, import_id",
            f"{cycle}, employee_id, NULLIF(name, ''), role_id, NULLIF(manager_id, ''), NULLIF(department, ''), NULLIF(region, ''), "
            f"{_attributes_json(layout)}, {import_id}",
        ),
        "responses": (
            "cycle_id, employee_id, rater_id, relationship, item_id, competency_id, score, comment, import_id",
            f"{cycle}, employee_id, rater_id, rel, item_id, competency_id, score_value, NULLIF(comment, ''), {import_id}",
        ),
        "kpis": ("cycle_id, employee_id, kpi_id, actual, target, import_id", f"{cycle}, employee_id, kpi, actual_value, target_value, {import_id}"),
        "potential": ("cycle_id, employee_id, potential, import_id", f"{cycle}, employee_id, level, {import_id}"),
    }
    columns, values = selects[layout.kind]
    row = one(db, f"INSERT INTO {TABLES[layout.kind]} ({columns}) SELECT {values} FROM ({accepted})")
    return int(row[0]) if row else 0


def has_data(db: duckdb.DuckDBPyConnection, kind: str, cycle_id: str) -> bool:
    """Whether the cycle already holds rows of this kind."""
    row = one(db, f"SELECT count(*) > 0 FROM (SELECT 1 FROM {TABLES[kind]} WHERE cycle_id = ? LIMIT 1)", [cycle_id])
    return bool(row and row[0])


def delete_kind(db: duckdb.DuckDBPyConnection, kind: str, cycle_id: str) -> None:
    """Remove the cycle's rows of this kind and mark its earlier imports superseded (--replace)."""
    db.execute(f"DELETE FROM {TABLES[kind]} WHERE cycle_id = ?", [cycle_id])
    db.execute("UPDATE imports SET superseded = true WHERE cycle_id = ? AND kind = ? AND NOT superseded", [cycle_id, kind])
