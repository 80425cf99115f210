"""The rejected units of an import: those failing a row check, and the later
copies of a key among the units that pass them ('duplicate_in_file').

Duplicates are judged among the units that pass every other check, keeping
the first in file order, so "duplicate of row N" always names a row that is
stored.
"""

from __future__ import annotations

import duckdb

from competency._sql import Relation
from competency.ingest.staging import temp_table

# What makes two rows duplicates, per kind (columns of the checked table).
DUPLICATE_KEYS = {
    "roster": ("employee_id",),
    "responses": ("rater_id", "employee_id", "item_pos"),  # item_pos: the item's number in the model
    "kpis": ("employee_id", "kpi"),
    "potential": ("employee_id",),
}


def reject(db: duckdb.DuckDBPyConnection, prefix: str, coded: Relation, kind: str) -> Relation:
    """The rejected units of `coded` (the checked units of a file of `kind`), as a table
    of the same columns."""
    keys = DUPLICATE_KEYS[kind]
    passing = f"SELECT * FROM {coded} WHERE code IS NULL"
    if kind == "responses":
        passing = f"SELECT * FROM {_repeated_answers(db, prefix, coded)}"
    duplicates = temp_table(db, f"{prefix}_duplicates", f"SELECT {', '.join(keys)}, min(row_number) AS first_row FROM ({passing}) GROUP BY ALL HAVING count(*) > 1")
    same = " AND ".join(f"c.{key} = d.{key}" for key in keys)
    return temp_table(db, f"{prefix}_rejected", f"""
        SELECT * FROM {coded} WHERE code IS NOT NULL
        UNION ALL BY NAME
        SELECT c.* REPLACE ('duplicate_in_file' AS code, d.first_row AS ref, c.employee_id AS bad)
        FROM ({passing}) c JOIN {duplicates} d ON {same} WHERE c.row_number > d.first_row
    """)


def _repeated_answers(db: duckdb.DuckDBPyConnection, prefix: str, coded: Relation) -> Relation:
    """The passing answers of the (rater, person) pairs that answer some item twice."""
    # Grouping millions of answers by (rater, person, item) is slow; by (rater, person)
    # with a bit per item it is fast, and finds the pairs that answer an item twice.
    repeats = temp_table(db, f"{prefix}_repeats", f"""
        SELECT DISTINCT rater_id, employee_id FROM (
            SELECT rater_id, employee_id FROM {coded} WHERE code IS NULL
            GROUP BY rater_id, employee_id, item_pos // 64
            HAVING count(*) > bit_count(bit_or(1::UBIGINT << (item_pos % 64)::UBIGINT)))
    """)
    # Their answers are few; kept once, they are read twice instead of the whole table.
    return temp_table(db, f"{prefix}_repeated", f"SELECT c.* FROM {coded} c SEMI JOIN {repeats} USING (rater_id, employee_id) WHERE c.code IS NULL")
