"""The first steps from answers to figures: which raters count, and per-behaviour sums."""

from __future__ import annotations

import duckdb

from competency._sql import Relation, new_relation, quote_number
from competency.scoring.config import ScoringConfig
from competency.scoring.contracts import ITEM_SUMS, RATERS
from competency.scoring.model_tables import ModelTables


def in_scope(scope: Relation | None, column: str) -> str:
    """SQL restricting `column` to the employees of `scope` (None: everyone)."""
    return f" AND {column} IN (SELECT employee_id FROM {scope})" if scope else ""


def counted_sql(answered: str, n_items: str, share: str) -> str:
    """SQL: a rater counts for a competency after answering at least `share` of its `n_items` items."""
    return f"{answered} >= {share} * {n_items} - 1e-9"


def run(db: duckdb.DuckDBPyConnection, sql: str, cycle_id: str) -> None:
    """One step's statement, given the cycle when it reads one."""
    db.execute(sql, {"cycle": cycle_id} if "$cycle" in sql else None)


def raters(db: duckdb.DuckDBPyConnection, cycle_id: str, config: ScoringConfig, model: ModelTables, scope: Relation | None) -> Relation:
    """Per person × competency × rater (`RATERS`): whether the rater counts (answered at
    least the configured share of the competency's items), and the behaviours answered as
    a bit mask (bit `pos` of the model's items), which says who is behind every behaviour
    figure when releases are compared."""
    made = new_relation("s_raters", RATERS)
    share = quote_number(config.answered_share)
    run(db, f"""
    CREATE TEMP TABLE {made} AS
    SELECT p.*, {counted_sql("p.answered", "c.n_items", share)} AS counted FROM (
        SELECT r.employee_id, r.rater_id, r.relationship AS rater_group, r.competency_id,
               count(r.score) AS answered,
               coalesce(bit_or(1::UBIGINT << i.pos::UBIGINT) FILTER (WHERE r.score IS NOT NULL), 0::UBIGINT) AS items
        FROM responses r JOIN {model.items} i USING (item_id)
        WHERE r.cycle_id = $cycle{in_scope(scope, "r.employee_id")}
        GROUP BY ALL
    ) p JOIN {model.competencies} c USING (competency_id)
    """, cycle_id)
    return made


def item_sums(db: duckdb.DuckDBPyConnection, cycle_id: str, counted: Relation, scope: Relation | None) -> Relation:
    """Per person × behaviour × rater group (`ITEM_SUMS`): the counted raters who answered it
    and the sum of their answers. Every figure is made from these sums, so two raters
    swapping answers on a behaviour change no figure."""
    made = new_relation("s_item_sums", ITEM_SUMS)
    run(db, f"""
    CREATE TEMP TABLE {made} AS
    SELECT r.employee_id, r.competency_id, r.item_id, r.relationship AS rater_group, count(*) AS raters, sum(r.score) AS total
    FROM responses r
    ANTI JOIN (SELECT * FROM {counted} WHERE NOT counted) u
        ON u.employee_id = r.employee_id AND u.rater_id = r.rater_id
       AND u.rater_group = r.relationship AND u.competency_id = r.competency_id
    WHERE r.cycle_id = $cycle AND r.score IS NOT NULL{in_scope(scope, "r.employee_id")}
    GROUP BY ALL
    """, cycle_id)
    return made
