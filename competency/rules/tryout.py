"""Run a rule set for one hypothetical person (`competency rules try`).

Values come as `name=value` texts; each name is checked against the schema
(with a "did you mean") and each value parsed by the name's type. Names not
given are null, as a missing score would be.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from competency.rules.expr import Value
from competency.rules.loading import load_ruleset, load_schema
from competency.rules.ruleset import Ruleset, evaluate_one
from competency.rules.schema import Schema
from competency.rules.trace import TraceEntry


@dataclass(frozen=True)
class Tryout:
    ruleset: Ruleset
    inputs: dict[str, Value]
    outputs: dict[str, Value]
    trace: list[TraceEntry]


def parse_assignments(schema: Schema, assignments: list[str]) -> dict[str, Value]:
    """`["competency.execution=3.2", …]` → values; ValueError names the bad one."""
    values: dict[str, Value] = {}
    for text in assignments:
        name, equals, raw = text.partition("=")
        if not equals:
            raise ValueError(f"'{text}' is not NAME=VALUE (e.g. competency.execution=3.2)")
        values[name.strip()] = schema.parse_value(name.strip(), raw)
    return values


def try_ruleset(rules_file: Path, model_folder: Path, assignments: list[str]) -> Tryout:
    """Load the model's schema and the rule set, then evaluate one person."""
    schema = load_schema(model_folder)
    values = parse_assignments(schema, assignments)
    ruleset = load_ruleset(rules_file, schema)
    inputs = {name: values.get(name) for name in ruleset.inputs}
    outputs, trace = evaluate_one(ruleset, values)
    return Tryout(ruleset, inputs, outputs, trace)
