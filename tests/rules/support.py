"""Test support for the rule language: a small sales model built in code (the
shipped model's ids, none of its texts, so these tests do not depend on the
shipped YAML) and helpers to build rule sets from text and run their SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb

from competency.files.yaml_loader import parse_yaml
from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog
from competency.errors import SourceErrors
from competency.rules import Schema, to_sql
from competency.rules.loading import parse_ruleset, parse_table
from competency.rules.sql import quote_ident, sql_type

COMPETENCIES = [
    "execution",
    "relationships",
    "influence",
    "integrity",
    "team_management",
    "leadership",
    "market_insight",
    "decision_making",
    "self_management",
]
KPIS = [
    "sales_attainment",
    "receivables_collection",
    "distribution",
    "new_customers",
    "customer_satisfaction",
    "complaint_resolution",
    "expense_ratio",
    "report_timeliness",
]
ROLES = ["sales_representative", "sales_supervisor", "regional_sales_manager"]
LEVELS = [(4, "excellent"), (3, "good"), (2, "average"), (1, "poor")]
RULES_DIR = Path(__file__).resolve().parents[2] / "rules" / "sales"


def sales_model() -> CompetencyModel:
    return CompetencyModel.model_validate(
        {
            "id": "sales",
            "version": "test",
            "name": "Sales",
            "scale": {"id": "four", "name": "Four levels", "levels": [{"value": v, "key": k, "label": k} for v, k in LEVELS]},
            "competencies": [
                {
                    "id": cid,
                    "name": cid,
                    "definition": cid,
                    "cluster": "results",
                    "behaviors": [{"id": f"{cid}_{n}", "text": f"{cid} {n}"} for n in (1, 2, 3)],
                    "anchors": {k: f"{cid} {k}" for _, k in LEVELS},
                }
                for cid in COMPETENCIES
            ],
        }
    )


def sales_kpis() -> KpiCatalog:
    return KpiCatalog.model_validate(
        {
            "model": "sales",
            "kpis": [
                {
                    "id": kid,
                    "name": kid,
                    "unit": "ratio",
                    "direction": "higher_is_better",
                    "curve": {"threshold": 0.8, "target": 1.0, "stretch": 1.2},
                }
                for kid in KPIS
            ],
        }
    )


def sales_roles() -> RoleCatalog:
    profile = {
        "summary": "s",
        "performance_standards": ["p"],
        "required_experience": ["e"],
        "required_knowledge": ["k"],
        "development_opportunities": ["d"],
    }
    return RoleCatalog.model_validate(
        {
            "model": "sales",
            "roles": [
                {"id": rid, "name": rid, "competencies": {"execution": {"required": 3, "weight": 1}}, "profile": profile} for rid in ROLES
            ],
        }
    )


def ruleset_from(text: str, schema: Schema, file: str = "rules.yaml"):
    """A rule set from YAML text; fails the test with the rendered errors if any."""
    ruleset, problems = parse_ruleset(parse_yaml(text, file), schema)
    if problems:
        raise AssertionError(SourceErrors(problems).render())
    return ruleset


def ruleset_problems(text: str, schema: Schema, file: str = "rules.yaml") -> str:
    _, problems = parse_ruleset(parse_yaml(text, file), schema)
    assert problems, "expected problems"
    return SourceErrors(problems).render()


def table_problems(text: str, schema: Schema, file: str = "table.yaml") -> str:
    _, problems = parse_table(parse_yaml(text, file), schema)
    assert problems, "expected problems"
    return SourceErrors(problems).render()


def run_sql(con: duckdb.DuckDBPyConnection, ruleset, people: list[dict]) -> list[dict]:
    """Run the bulk SQL of `ruleset` over `people` (one dict of inputs each)."""
    names = ["row_id", *ruleset.inputs]
    types = ["INTEGER"] + [sql_type(ruleset.schema.get(n)) for n in ruleset.inputs]
    con.execute("DROP TABLE IF EXISTS inputs")
    con.execute("CREATE TABLE inputs (" + ", ".join(f"{quote_ident(n)} {t}" for n, t in zip(names, types)) + ")")
    if people:
        placeholders = ", ".join("?" for _ in names)
        con.executemany(
            f"INSERT INTO inputs VALUES ({placeholders})", [[i, *(p.get(n) for n in ruleset.inputs)] for i, p in enumerate(people)]
        )
    cursor = con.execute(to_sql(ruleset, "inputs", keep=["row_id"]) + " ORDER BY row_id")
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
