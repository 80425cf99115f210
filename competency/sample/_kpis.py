"""KPI figures and potential ratings of the sample organisation.

Each person gets the KPIs of their role. Attainment (actual / target, or
target / actual where lower is better) centres on the target and follows the
person's latent performance (their ability, drive and office) plus noise, with
a spread set by the KPI's curve; rates that cannot pass 100 % are capped.
Potential (low / medium / high) follows ability, but loosely.
"""

from __future__ import annotations

import duckdb

from competency._sql import Relation, create_table, new_relation
from competency.files.bundle import ModelBundle
from competency.sample._sql import normal, uniform

NO_TARGET_SHARE = 0.2  # rows that leave the target blank where the KPI has a default
ATTAINMENT_LIFT = 0.02
HIGH_POTENTIAL, LOW_POTENTIAL = 0.85, -0.85


def _number(value: float) -> str:
    return f"{value:g}"


ROLE_KPI_COLUMNS = ("role", "kpi_ord", "kpi_id", "target", "target_text", "may_blank", "lower_is_better", "spread", "cap", "decimals")
KPI_ROW_COLUMNS = ("key", "e", "kpi_id", "actual", "target")


def build_role_kpis(con: duckdb.DuckDBPyConnection, bundle: ModelBundle) -> Relation:
    """Each role's KPIs with the target, curve spread, cap and format."""
    order = {kpi.id: index for index, kpi in enumerate(bundle.kpis.kpis)}
    rows = []
    for role in bundle.roles.roles:
        for kpi_id, role_kpi in role.kpis.items():
            kpi = bundle.kpis.kpi(kpi_id)
            if kpi is None:
                continue
            target = role_kpi.target if role_kpi.target is not None else kpi.target
            may_blank = role_kpi.target is None and kpi.target is not None
            if target is None:
                target = 1.0
            lower = kpi.direction == "lower_is_better"
            cap = None
            if kpi.unit == "ratio" and target < 1 and not lower:
                cap = 1.0
            elif kpi.unit == "percent" and target > 50 and not lower:
                cap = 100.0
            spread = (kpi.curve.stretch - kpi.curve.threshold) / 3
            decimals = {"ratio": 3, "percent": 1, "count": 0}.get(kpi.unit, 2)
            rows.append((role.id, order[kpi_id], kpi_id, target, _number(target), may_blank, lower, spread, cap, decimals))
    table = new_relation("role_kpis", ROLE_KPI_COLUMNS)
    create_table(
        con,
        table.name,
        "role VARCHAR, kpi_ord INTEGER, kpi_id VARCHAR, target DOUBLE, target_text VARCHAR, may_blank BOOLEAN, "
        "lower_is_better BOOLEAN, spread DOUBLE, cap DOUBLE, decimals INTEGER",
        rows,
    )
    return table.check(con)


def build_kpi_rows(con: duckdb.DuckDBPyConnection, seed: int, people: Relation, role_kpis: Relation) -> Relation:
    """One row per person and KPI of their role, keyed densely in file order."""
    s = seed
    performance = "(0.7 * e.ability + 0.5 * e.drive + e.office_effect)"
    attainment = f"greatest(0.3, 1 + {ATTAINMENT_LIFT} + k.spread * (0.7 * {performance} + 0.6 * {normal(s, 'kpi', 'e.num', 'k.kpi_ord')}))"
    table = new_relation("kpi_rows", KPI_ROW_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        WITH v AS (
            SELECT e.num AS e, k.kpi_ord, k.kpi_id, k.decimals,
                   CASE WHEN k.lower_is_better THEN k.target / {attainment} ELSE k.target * {attainment} END AS raw,
                   k.cap,
                   CASE WHEN k.may_blank AND {uniform(s, 'no_target', 'e.num', 'k.kpi_ord')} < {NO_TARGET_SHARE}
                        THEN NULL ELSE k.target_text END AS target
            FROM {people} e JOIN {role_kpis} k ON k.role = e.role
        )
        SELECT row_number() OVER (ORDER BY e, kpi_ord) - 1 AS key, e, kpi_id,
               CASE decimals WHEN 0 THEN CAST(CAST(round(raw) AS BIGINT) AS VARCHAR)
                             WHEN 1 THEN printf('%.1f', least(raw, coalesce(cap, raw)))
                             WHEN 3 THEN printf('%.3f', least(raw, coalesce(cap, raw)))
                             ELSE printf('%.2f', least(raw, coalesce(cap, raw))) END AS actual,
               target
        FROM v
    """)
    return table.check(con)


def potential_expression(seed: int) -> str:
    """low / medium / high for a row of `people`."""
    p = f"(0.6 * ability + 0.2 * drive + 0.75 * {normal(seed, 'potential', 'num')})"
    return f"CASE WHEN {p} > {HIGH_POTENTIAL} THEN 'high' WHEN {p} < {LOW_POTENTIAL} THEN 'low' ELSE 'medium' END"
