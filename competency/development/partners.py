"""Each focus's feedback and coaching partners: the manager, and a colleague at the
rules' level in that competency within the allowed scope — never the person, their
manager or their direct reports — picked by a hash (deterministic, spreads the load).
"""

from __future__ import annotations

import duckdb

from competency._sql import Relation, new_relation, quote_ident, quote_number
from competency.development.inputs import PlanInputs
from competency.development.people import Planned
from competency.development.tables import PARTNER_COLUMNS

# Partner candidates tried per focus (after a hash picks the first): enough to
# step past the person, their manager and direct reports in all but freak cases.
PARTNER_TRIES = 8
SCOPE_COLUMNS = {"department": "department", "region": "region", "team": "manager_id"}
_NONE = (
    "NULL::VARCHAR AS employee_id, NULL::VARCHAR AS competency_id, NULL::VARCHAR AS partner_id, NULL::VARCHAR AS partner_kind, NULL::INTEGER AS pos"
)


def _managers_sql(inputs: PlanInputs, planned: Planned, focus: Relation) -> str:
    if not inputs.rules.partners.manager:
        return f"SELECT {_NONE} WHERE false"
    return f"""
        SELECT f.employee_id, f.competency_id, p.manager_id AS partner_id, 'manager' AS partner_kind, 0 AS pos
        FROM {focus} f JOIN {planned.people} p USING (employee_id)
        WHERE p.manager_id IS NOT NULL AND p.manager_id <> f.employee_id
        """


def _colleagues_sql(inputs: PlanInputs, planned: Planned, focus: Relation) -> str:
    """CTEs ending in `colleague`: per focus, the first of up to PARTNER_TRIES hashed picks from the
    people at the level in the same scope who is not the person, their manager or a direct report."""
    partners = inputs.rules.partners
    if not partners.colleagues:
        return f", colleague AS (SELECT {_NONE} WHERE false)"
    scale = inputs.bundle.model.scale
    level = scale.by_key(partners.level)
    minimum = quote_number(level.value if level is not None else scale.maximum)
    scope = quote_ident(SCOPE_COLUMNS[partners.scope])
    return f"""
        , scoped AS (
            SELECT employee_id, manager_id, {scope} AS scope FROM {planned.people} WHERE {scope} IS NOT NULL
        ), pool AS (
            SELECT c.competency_id, s.scope, c.employee_id AS partner_id, s.manager_id AS partner_manager,
                   row_number() OVER (PARTITION BY c.competency_id, s.scope ORDER BY md5_number(c.employee_id || '|' || c.competency_id), c.employee_id) - 1 AS rn,
                   count(*) OVER (PARTITION BY c.competency_id, s.scope) AS n
            FROM {planned.competencies} c JOIN scoped s USING (employee_id)
            WHERE c.level >= {minimum}
        ), sizes AS (
            SELECT DISTINCT competency_id, scope, n FROM pool
        ), tries AS (
            SELECT f.employee_id, f.competency_id, s.scope, s.manager_id, z.n, t.j,
                   CAST((md5_number(f.employee_id || '|' || f.competency_id) % z.n + t.j) % z.n AS BIGINT) AS rn
            FROM {focus} f JOIN scoped s USING (employee_id)
            JOIN sizes z ON z.competency_id = f.competency_id AND z.scope = s.scope
            JOIN range(0, {quote_number(PARTNER_TRIES)}) t(j) ON t.j < z.n
        ), colleague AS (
            SELECT t.employee_id, t.competency_id, p.partner_id, 'colleague' AS partner_kind, 1 AS pos
            FROM tries t JOIN pool p ON p.competency_id = t.competency_id AND p.scope = t.scope AND p.rn = t.rn
            WHERE p.partner_id <> t.employee_id
              AND p.partner_id IS DISTINCT FROM t.manager_id
              AND p.partner_manager IS DISTINCT FROM t.employee_id
            QUALIFY row_number() OVER (PARTITION BY t.employee_id, t.competency_id ORDER BY t.j) = 1
        )
    """


def choose_partners(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, planned: Planned, focus: Relation) -> Relation:
    """The partners of every focus, as the rules allow (manager, colleagues, scope, level)."""
    partners = new_relation("plan_partners_chosen", PARTNER_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {partners} AS
        WITH manager AS ({_managers_sql(inputs, planned, focus)}) {_colleagues_sql(inputs, planned, focus)}
        SELECT employee_id, competency_id, partner_id, partner_kind FROM manager
        UNION ALL
        SELECT employee_id, competency_id, partner_id, partner_kind FROM colleague
        """
    )
    return partners.check(db)
