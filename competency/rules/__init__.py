"""The rule language: expressions, decision tables and rule sets.

Text is parsed (never evaluated) into a small immutable tree, checked against
a schema of names built from the competency model, and compiled twice: to a
DuckDB SQL expression for everyone at once and to a Python closure for one
person. Semantics of nulls and numbers: `semantics.py`.

    schema = build_schema(model, kpis, roles)
    ruleset = load_ruleset("rules/sales/rating.yaml", schema)
    outputs, trace = evaluate_one(ruleset, {"competency.integrity": 1.5, ...})
    sql = to_sql(ruleset, "inputs", keep=["employee.id"])
"""

from competency.rules._shapes import RulesetEditorShape, TableFileShape
from competency.rules.bulk import to_sql, trace_from_row
from competency.rules.explain import render_json as explain_json
from competency.rules.explain import render_text as explain_text
from competency.rules.expr import Type
from competency.rules.loading import (
    check_rule_document,
    check_rule_file,
    check_ruleset_file,
    load_ruleset,
    load_schema,
    load_table,
)
from competency.rules.ruleset import Ruleset, evaluate_one, single_table
from competency.rules.schema import Schema, build_schema
from competency.rules.tables import DecisionTable
from competency.rules.trace import TraceEntry

# The shapes of rule files for editors' JSON Schema (listed in competency/files/kinds.py): kind → shape.
RULE_FILE_SHAPES = {"ruleset": RulesetEditorShape, "decision_table": TableFileShape}

__all__ = [
    "RULE_FILE_SHAPES",
    "DecisionTable",
    "Ruleset",
    "Schema",
    "TraceEntry",
    "Type",
    "build_schema",
    "check_rule_document",
    "check_rule_file",
    "check_ruleset_file",
    "evaluate_one",
    "explain_json",
    "explain_text",
    "load_ruleset",
    "load_schema",
    "load_table",
    "single_table",
    "to_sql",
    "trace_from_row",
]
