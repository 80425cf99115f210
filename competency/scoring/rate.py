"""The rule set over everyone at once: ratings, 9-box, flags and traces.

The rule set is checked against the schema of this cycle's names (the model
plus the roster's columns and values) before anything runs, then compiled to
one SQL statement over the person inputs. Each person's trace is stored as the row
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
from competency._sql import Relation, drop, new_relation, quote_ident, quote_text
from competency.scoring.contracts import PEOPLE


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


def _flags_sql(rated: list[str]) -> str:
    """SQL: the list of the rule set's flags (`flag.<name>` columns) that are set."""
    flags = [c for c in rated if c.startswith("flag.")]
    if not flags:
        return "[]::VARCHAR[]"
    return "list_filter([" + ", ".join(f"CASE WHEN {quote_ident(c)} THEN {quote_text(c.removeprefix('flag.'))} END" for c in flags) + "], lambda x: x IS NOT NULL)"


def rate_everyone(db: duckdb.DuckDBPyConnection, ruleset: Ruleset, config: ScoringConfig, inputs: Relation) -> Relation:
    """The rule set over `inputs` (`person_inputs`): per person what is stored (`PEOPLE`),
    the rule set's whole row kept as the trace."""
    rated = new_relation("s_rated", ())
    db.execute(f"CREATE TEMP TABLE {rated} AS {to_sql(ruleset, inputs.name, keep=['employee_id'], columns=inputs.columns)}")
    columns = [row[0] for row in db.execute(f"DESCRIBE {rated}").fetchall()]
    names = config.rating

    def pick(name: str, cast: str) -> str:
        return f"CAST({quote_ident(name)} AS {cast})" if name in columns else f"CAST(NULL AS {cast})"

    people = new_relation("s_people", PEOPLE)
    db.execute(
        f"""
        CREATE TEMP TABLE {people} AS
        SELECT r.employee_id,
               r."score.competency_index" AS competency_index, r."score.kpi_index" AS kpi_index,
               {pick(names.ability, 'DOUBLE')} AS ability, {pick(names.performance, 'DOUBLE')} AS performance,
               {pick(names.potential, 'VARCHAR')} AS potential, {pick(names.rating, 'VARCHAR')} AS rating,
               {pick(names.nine_box, 'VARCHAR')} AS nine_box, {_flags_sql(columns)} AS flags,
               to_json(r) AS trace
        FROM {rated} r
        """
    )
    drop(db, rated)
    return people
