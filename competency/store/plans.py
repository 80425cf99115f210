"""Storing development plans: a cycle's plans (or some people's) replaced in one go."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import duckdb

from competency._sql import create_table, drop, new_relation, quote_ident

if TYPE_CHECKING:
    from competency.development.tables import PlanTables

# The stored table each of PlanTables' relations goes to.
STORED = {
    "plans": "plans",
    "focus": "plan_focus",
    "behaviours": "plan_behaviours",
    "actions": "plan_actions",
    "partners": "plan_partners",
    "insights": "plan_insights",
}
PLAN_TABLES = tuple(STORED.values())


def replace_plans(db: duckdb.DuckDBPyConnection, cycle_id: str, tables: PlanTables, employees: list[str] | None, generated_at: datetime) -> int:
    """Replace the cycle's plans (or only those of `employees`) with `tables`; returns how many
    people now have a new plan. Runs in the caller's transaction."""
    selected = new_relation("plans_replaced", ("employee_id",))
    if employees is None:
        db.execute(f"CREATE TEMP TABLE {selected} AS SELECT employee_id FROM {tables.plans}")
    else:
        create_table(db, selected.name, "employee_id VARCHAR", [(e,) for e in employees])
    params = {"cycle": cycle_id}
    for table in PLAN_TABLES:
        db.execute(f"DELETE FROM {quote_ident(table)} WHERE cycle_id = $cycle AND employee_id IN (SELECT employee_id FROM {selected})", params)
    for attribute, table in STORED.items():
        stamp = ", $at AS generated_at" if table == "plans" else ""
        db.execute(
            f"""INSERT INTO {quote_ident(table)} BY NAME
                SELECT $cycle AS cycle_id, r.*{stamp} FROM {getattr(tables, attribute)} r SEMI JOIN {selected} USING (employee_id)""",
            {**params, "at": generated_at} if stamp else params,
        )
    (count,) = db.execute(f"SELECT count(*) FROM {selected} SEMI JOIN {tables.plans} USING (employee_id)").fetchone()
    drop(db, selected)
    return count
