"""One row per person with every value the rule set may read.

Columns are named as the rule language names them (`competency.execution`,
`kpi.sales_attainment`, `score.competency_index`, `employee.region`, …), so
the compiled rules read the table directly.
"""

from __future__ import annotations

import duckdb

from competency._sql import Relation, new_relation, quote_ident, quote_text
from competency.files.bundle import ModelBundle
from competency.scoring.contracts import Aggregates
from competency.store.roster import roster_attributes

ROSTER_COLUMNS = ("name", "role", "manager_id", "department", "region")
_FIXED = ("employee_id", "employee.id", "employee.role", "employee.department", "employee.region", "employee.potential")


def extra_attributes(db: duckdb.DuckDBPyConnection, cycle_id: str) -> list[str]:
    """The cycle's extra roster attributes that become `employee.<name>` inputs (the fixed
    columns and potential, which has its own table, left out), sorted."""
    return [name for name in roster_attributes(db, cycle_id) if name not in ROSTER_COLUMNS and name != "potential"]


def _columns(bundle: ModelBundle, attributes: list[str]) -> tuple[str, ...]:
    kpis = [kpi.id for kpi in bundle.kpis.kpis]
    return (
        *_FIXED,
        *(f"employee.{name}" for name in attributes),
        "score.competency_index",
        "score.kpi_index",
        *(f"competency.{comp.id}" for comp in bundle.model.competencies),
        *(f"kpi.{kpi}" for kpi in kpis),
        *(f"kpi_score.{kpi}" for kpi in kpis),
    )


def person_inputs(db: duckdb.DuckDBPyConnection, cycle_id: str, bundle: ModelBundle, aggregates: Aggregates, attributes: list[str]) -> Relation:
    """The rule set's inputs, one row per person of the cycle's roster, from the run's
    scores and indices, the roster (with the extra `attributes`) and potential."""
    competencies = ",\n".join(
        f"max(c.score) FILTER (WHERE c.competency_id = {quote_text(comp.id)}) AS {quote_ident('competency.' + comp.id)}" for comp in bundle.model.competencies
    )
    kpis = ",\n".join(f"max(k.attainment) FILTER (WHERE k.kpi_id = {quote_text(kpi.id)}) AS {quote_ident('kpi.' + kpi.id)}" for kpi in bundle.kpis.kpis)
    kpi_scores = ",\n".join(f"max(k.score) FILTER (WHERE k.kpi_id = {quote_text(kpi.id)}) AS {quote_ident('kpi_score.' + kpi.id)}" for kpi in bundle.kpis.kpis)
    extra = "".join(f",\n ro.attributes->>{quote_text(name)} AS {quote_ident('employee.' + name)}" for name in attributes)
    made = new_relation("s_inputs", _columns(bundle, attributes))
    db.execute(f"""
    CREATE TEMP TABLE {made} AS
    WITH comp AS (SELECT c.employee_id, {competencies} FROM {aggregates.competency} c GROUP BY ALL),
         kpi AS (SELECT k.employee_id, {kpis}, {kpi_scores} FROM {aggregates.kpis} k GROUP BY ALL)
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
    JOIN {aggregates.indices} i USING (employee_id)
    LEFT JOIN comp USING (employee_id)
    LEFT JOIN kpi USING (employee_id)
    LEFT JOIN potential p ON p.cycle_id = ro.cycle_id AND p.employee_id = ro.employee_id
    WHERE ro.cycle_id = $cycle
    """, {"cycle": cycle_id})
    return made.check(db)
