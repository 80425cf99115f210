"""The rule set over everyone at once: ratings, 9-box, flags and traces.

The rule set is checked against the schema of this cycle's names (the model
plus the roster's columns and values) before anything runs, then compiled to
one SQL statement over `s_inputs`. Each person's trace is stored as the row
the statement produced; `explain` rebuilds the steps from it.
"""

from __future__ import annotations

from typing import Any

import duckdb

from competency.files.yaml_loader import YamlDocument
from competency.errors import RuleFilesMismatch, SourceErrors
from competency.files.bundle import ModelBundle
from competency.rules import Ruleset, build_schema, to_sql
from competency.rules.loading import parse_ruleset
from competency.scoring.config import ScoringConfig
from competency._text import did_you_mean
from competency._sql import quote_ident, quote_text


def roster_values(db: duckdb.DuckDBPyConnection, attributes: list[str]) -> dict[str, list[Any]]:
    """The distinct values of each extra roster column, so rules comparing them are checked."""
    values = {}
    for name in attributes:
        rows = db.execute(f"SELECT DISTINCT {quote_ident('employee.' + name)} FROM s_inputs WHERE {quote_ident('employee.' + name)} IS NOT NULL LIMIT 1000").fetchall()
        values[name] = [row[0] for row in rows]
    return values


def rating_ruleset(documents: list[YamlDocument], bundle: ModelBundle, config: ScoringConfig, roster: dict[str, list[Any]]) -> Ruleset:
    """The rating rule set named by the scoring file, checked against this cycle's names."""
    wanted = config.rating.ruleset
    ids = {d.data.get("id"): d for d in documents if isinstance(d.data, dict)}
    if wanted not in ids:
        raise RuleFilesMismatch(f"the scoring file names rule set '{wanted}', which is not among the cycle's rule files", hint=did_you_mean(wanted, [str(i) for i in ids]))
    schema = build_schema(bundle.model, bundle.kpis, bundle.roles, roster)
    ruleset, problems = parse_ruleset(ids[wanted], schema)
    if problems or ruleset is None:
        raise SourceErrors(problems)
    produced = set(ruleset.outputs) | set(ruleset.schema.types)
    for field in ("rating", "nine_box", "ability", "performance", "potential"):
        name = getattr(config.rating, field)
        if name not in produced:
            raise RuleFilesMismatch(f"the scoring file's rating.{field} names '{name}', which rule set '{wanted}' never produces", hint=did_you_mean(name, produced))
    return ruleset


def rate_everyone(db: duckdb.DuckDBPyConnection, ruleset: Ruleset, config: ScoringConfig) -> None:
    """Create `s_rated` (the rule set's row per person) and `s_people` (what is stored)."""
    columns = [row[0] for row in db.execute("DESCRIBE s_inputs").fetchall()]
    db.execute(f"CREATE OR REPLACE TEMP TABLE s_rated AS {to_sql(ruleset, 's_inputs', keep=['employee_id'], columns=columns)}")
    rated = [row[0] for row in db.execute("DESCRIBE s_rated").fetchall()]
    flags = [c for c in rated if c.startswith("flag.")]
    flag_list = "list_filter([" + ", ".join(f"CASE WHEN {quote_ident(c)} THEN {quote_text(c.removeprefix('flag.'))} END" for c in flags) + "], lambda x: x IS NOT NULL)" if flags else "[]::VARCHAR[]"
    names = config.rating

    def pick(name: str, cast: str) -> str:
        return f"CAST({quote_ident(name)} AS {cast})" if name in rated else f"CAST(NULL AS {cast})"

    db.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE s_people AS
        SELECT r.employee_id,
               r."score.competency_index" AS competency_index, r."score.kpi_index" AS kpi_index,
               {pick(names.ability, 'DOUBLE')} AS ability, {pick(names.performance, 'DOUBLE')} AS performance,
               {pick(names.potential, 'VARCHAR')} AS potential, {pick(names.rating, 'VARCHAR')} AS rating,
               {pick(names.nine_box, 'VARCHAR')} AS nine_box, {flag_list} AS flags,
               to_json(r) AS trace
        FROM s_rated r
        """
    )
