"""One row per person with every value the rule set may read.

Columns are named as the rule language names them (`competency.execution`,
`kpi.sales_attainment`, `score.competency_index`, `employee.region`, …), so
the compiled rules read the table directly.
"""

from __future__ import annotations

import duckdb

from competency.files.bundle import ModelBundle
from competency._sql import quote_ident, quote_text

ROSTER_COLUMNS = ("name", "role", "manager_id", "department", "region")


def roster_attribute_names(db: duckdb.DuckDBPyConnection, cycle_id: str) -> list[str]:
    """Extra roster columns of the cycle (stored as JSON), in a stable order."""
    rows = db.execute(
        "SELECT DISTINCT unnest(json_keys(attributes)) AS k FROM roster WHERE cycle_id = ? AND attributes IS NOT NULL ORDER BY k", [cycle_id]
    ).fetchall()
    return [row[0] for row in rows if row[0] not in ROSTER_COLUMNS and row[0] != "potential"]


def person_inputs_sql(bundle: ModelBundle, attributes: list[str]) -> str:
    """SQL creating `s_inputs` from the `s_*` aggregation tables and the roster."""
    competencies = ",\n".join(
        f"max(c.score) FILTER (WHERE c.competency_id = {quote_text(comp.id)}) AS {quote_ident('competency.' + comp.id)}" for comp in bundle.model.competencies
    )
    kpis = ",\n".join(f"max(k.attainment) FILTER (WHERE k.kpi_id = {quote_text(kpi.id)}) AS {quote_ident('kpi.' + kpi.id)}" for kpi in bundle.kpis.kpis)
    kpi_scores = ",\n".join(f"max(k.score) FILTER (WHERE k.kpi_id = {quote_text(kpi.id)}) AS {quote_ident('kpi_score.' + kpi.id)}" for kpi in bundle.kpis.kpis)
    extra = "".join(f",\n ro.attributes->>{quote_text(name)} AS {quote_ident('employee.' + name)}" for name in attributes)
    return f"""
    CREATE OR REPLACE TEMP TABLE s_inputs AS
    WITH comp AS (SELECT c.employee_id, {competencies} FROM s_competency c GROUP BY ALL),
         kpi AS (SELECT k.employee_id, {kpis}, {kpi_scores} FROM s_kpis k GROUP BY ALL)
    SELECT ro.employee_id,
           ro.employee_id AS {quote_ident('employee.id')},
           ro.role AS {quote_ident('employee.role')},
           ro.department AS {quote_ident('employee.department')},
           ro.region AS {quote_ident('employee.region')},
           p.potential AS {quote_ident('employee.potential')}{extra},
           i.competency_index AS {quote_ident('score.competency_index')},
           i.kpi_index AS {quote_ident('score.kpi_index')},
           comp.* EXCLUDE (employee_id),
           kpi.* EXCLUDE (employee_id)
    FROM roster ro
    JOIN s_indices i USING (employee_id)
    LEFT JOIN comp USING (employee_id)
    LEFT JOIN kpi USING (employee_id)
    LEFT JOIN potential p ON p.cycle_id = ro.cycle_id AND p.employee_id = ro.employee_id
    WHERE ro.cycle_id = $cycle
    """
