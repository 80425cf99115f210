"""A roster's chains of managers: a person is accepted only when theirs reaches the top."""

from __future__ import annotations

import duckdb

from competency._sql import Relation, quote_text
from competency.ingest.staging import temp_table

MANAGER_CODES = ("unknown_manager", "manager_rejected", "manager_loop")


def check_managers(db: duckdb.DuckDBPyConnection, prefix: str, coded: Relation, rejected: Relation) -> None:
    """Add to `rejected` the roster rows whose chain of managers does not reach the top
    (a blank manager_id).

    Walking down from the top finds everyone reachable; the rest have an
    unknown manager, a rejected manager (perhaps through another rejected
    manager), or a chain that runs in a circle.
    """
    checked = temp_table(db, f"{prefix}_judged", f"SELECT c.* REPLACE (coalesce(r.code, c.code) AS code) FROM {coded} c LEFT JOIN {rejected} r USING (row_number)")
    reached = temp_table(db, f"{prefix}_reached", f"""
        WITH RECURSIVE reach(employee_id) AS (
            SELECT employee_id FROM {checked} WHERE code IS NULL AND manager_id = ''
            UNION
            SELECT c.employee_id FROM {checked} c JOIN reach r ON c.manager_id = r.employee_id WHERE c.code IS NULL
        ) SELECT DISTINCT employee_id FROM reach
    """)
    ids = temp_table(db, f"{prefix}_ids", f"""
        SELECT employee_id, min(row_number) AS first_row, bool_or(code IS NULL) AS candidate
        FROM {checked} WHERE employee_id <> '' GROUP BY employee_id
    """)
    # Below a manager who is missing or rejected on their own account: rejected too.
    below_rejected = temp_table(db, f"{prefix}_below_rejected", f"""
        WITH RECURSIVE below(employee_id) AS (
            SELECT c.employee_id FROM {checked} c LEFT JOIN {ids} i ON i.employee_id = c.manager_id
            WHERE c.code IS NULL AND c.manager_id <> '' AND NOT coalesce(i.candidate, false)
            UNION
            SELECT c.employee_id FROM {checked} c JOIN below b ON c.manager_id = b.employee_id
            WHERE c.code IS NULL AND c.employee_id NOT IN (SELECT employee_id FROM {reached})
        ) SELECT DISTINCT employee_id FROM below
    """)
    db.execute(f"""
        UPDATE {checked} AS c SET
            code = CASE WHEN i.employee_id IS NULL THEN 'unknown_manager'
                        WHEN b.employee_id IS NOT NULL THEN 'manager_rejected' ELSE 'manager_loop' END,
            bad = c.manager_id,
            ref = i.first_row
        FROM (SELECT u.employee_id AS who, u.manager_id AS boss FROM {checked} u
              WHERE u.code IS NULL AND u.employee_id NOT IN (SELECT employee_id FROM {reached})) todo
        LEFT JOIN {ids} i ON i.employee_id = todo.boss
        LEFT JOIN {below_rejected} b ON b.employee_id = todo.who
        WHERE c.employee_id = todo.who AND c.code IS NULL
    """)
    codes = ", ".join(quote_text(code) for code in MANAGER_CODES)
    db.execute(f"INSERT INTO {rejected} BY NAME SELECT * FROM {checked} WHERE code IN ({codes})")
