"""Rule sets: an ordered list of typed steps (`steps.py`), run by one plain loop.

`evaluate_one` is nothing more than

    for step in ruleset.steps:
        trace.append(step(values))

`build_ruleset` checks the validated step shapes of a rule file in order,
each against the names the steps before it define, and builds the steps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from competency._text import did_you_mean
from competency.domain import Text
from competency.errors import RuleError
from competency.files.yaml_loader import PathKey
from competency.rules._build_table import build_table
from competency.rules._parse import parse_expression
from competency.rules._positions import Reporter
from competency.rules._shapes import CapShape, ComputeShape, FlagShape, FloorShape, RulesetShape, TableShape
from competency.rules.check import ERROR, check_expression
from competency.rules.expr import BOOL, Node, Type, Value
from competency.rules.python import to_python
from competency.rules.schema import Schema
from competency.rules.semantics import clean_number
from competency.rules.steps import Bound, Compute, Flag
from competency.rules.tables import DecisionTable
from competency.rules.trace import TraceEntry

_DOTTED = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_RESERVED = ("trace.", "flag.")


def _writes(step: Any) -> str:
    return step.output if isinstance(step, DecisionTable) else step.writes


@dataclass(frozen=True)
class Ruleset:
    """A checked rule set, ready to run on one person or, as SQL, on everyone."""

    id: str
    version: str
    name: Text
    steps: tuple[Any, ...]
    schema: Schema  # the input schema plus every name the steps define
    inputs: tuple[str, ...]  # the input names the steps read, in order of first use
    outputs: tuple[str, ...]  # the names the steps define, in order
    description: Text | None = None
    file: str | None = None

    def step(self, step_id: str) -> Any:
        return next(step for step in self.steps if step.id == step_id)

    def prepare(self, values: Mapping[str, Any]) -> dict[str, Value]:
        """A person's input values as the steps read them (missing → null, NaN → null)."""
        env: dict[str, Value] = {}
        for name in self.inputs:
            value = values.get(name)
            type_ = self.schema.get(name)
            if value is not None and type_ is not None:
                value = _coerce(name, value, type_)
            env[name] = value
        return env


def _coerce(name: str, value: Any, type_: Type) -> Value:
    if type_.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number, not {value!r}")
        return clean_number(value)
    if type_.kind == "bool":
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be true or false, not {value!r}")
        return value
    return str(value)


def evaluate_one(ruleset: Ruleset, values: Mapping[str, Any]) -> tuple[dict[str, Value], list[TraceEntry]]:
    """Run every step for one person: (the outputs by name, the trace)."""
    env = ruleset.prepare(values)
    trace = [step(env) for step in ruleset.steps]
    return {name: env.get(name) for name in ruleset.outputs}, trace


def single_table(table: DecisionTable, schema: Schema) -> Ruleset:
    """A one-step rule set around a table (e.g. one loaded with `load_table`)."""
    inputs = tuple(name for name in table.reads if schema.origins.get(name, "input") == "input")
    full = schema.define(table.output, table.result_type, table.id)
    return Ruleset(table.id, "", table.label or Text(zh=table.id, en=table.id), (table,), full, inputs, (table.output,))


# ---------------------------------------------------------------- building


def build_ruleset(
    shape: RulesetShape | None, steps: list[tuple[int, Any]], schema: Schema, report: Reporter, file: str | None = None
) -> Ruleset | None:
    """Check the validated step shapes in order, each against the names before it."""
    before = len(report.problems)
    built = []
    first_line: dict[str, int] = {}
    for index, step_shape in steps:
        path = ("steps", index)
        if step_shape.id in first_line:
            report.at(
                (*path, "id"),
                f"duplicate step id '{step_shape.id}' (first used on line {first_line[step_shape.id]})",
                "give each step its own id",
            )
        first_line.setdefault(step_shape.id, report.line_of((*path, "id")))
        step = _build_step(step_shape, schema, report, path)
        if step is None:
            # Later steps may still read what this one defines: typed "error", so
            # the one mistake is not reported again as unknown names.
            defined = _defined_by(step_shape)
            if defined and defined not in schema:
                schema = schema.define(defined, ERROR, step_shape.id)
        else:
            if not isinstance(step, Bound):  # a cap or floor changes a name, it defines none
                out_type = step.expr.type if isinstance(step, Compute) else BOOL if isinstance(step, Flag) else step.result_type
                schema = schema.define(_writes(step), out_type, step.id)
            built.append(step)
    if len(report.problems) > before or shape is None:
        return None
    inputs = tuple(dict.fromkeys(name for step in built for name in step.reads if schema.origins.get(name) == "input"))
    outputs = tuple(dict.fromkeys(_writes(step) for step in built))
    return Ruleset(shape.id, shape.version, shape.name, tuple(built), schema, inputs, outputs, shape.description, file)


def _defined_by(shape: Any) -> str | None:
    if isinstance(shape, ComputeShape):
        return shape.name
    if isinstance(shape, TableShape):
        return shape.output.name
    if isinstance(shape, FlagShape):
        return f"flag.{shape.id}"
    return None


def _build_step(shape: Any, schema: Schema, report: Reporter, path: PathKey) -> Any:
    if isinstance(shape, ComputeShape):
        if not _new_name(shape.name, schema, report, (*path, "name")):
            return None
        node = _expression(shape.expr, schema, report, (*path, "expr"), condition=False)
        return None if node is None else Compute(shape.id, shape.name, shape.expr, node, shape.label, to_python(node))
    if isinstance(shape, TableShape):
        if not _new_name(shape.output.name, schema, report, (*path, "output", "name")):
            build_table(shape, schema, report, path)  # still report the table's own problems
            return None
        return build_table(shape, schema, report, path)
    if isinstance(shape, (CapShape, FloorShape)):
        return _bound(shape, schema, report, path)
    if isinstance(shape, FlagShape):
        node = _expression(shape.when, schema, report, (*path, "when"), condition=True)
        return None if node is None else Flag(shape.id, shape.when, node, shape.message, to_python(node))
    raise TypeError(shape)


def _expression(text: str, schema: Schema, report: Reporter, path: PathKey, *, condition: bool) -> Node | None:
    try:
        node = parse_expression(text)
    except RuleError as error:
        report.rule_error(path, error, text)
        return None
    typed, errors = check_expression(node, schema, text, condition=condition)
    for error in errors:
        report.rule_error(path, error, text)
    return None if errors or typed.type == ERROR else typed


def _new_name(name: str, schema: Schema, report: Reporter, path: PathKey) -> bool:
    if not _DOTTED.match(name):
        report.at(path, f"'{name}' is not a valid name", "use lower-case words joined by dots, e.g. score.performance")
        return False
    if name.startswith(_RESERVED):
        report.at(
            path, f"names starting with '{name.split('.')[0]}.' are reserved", "flags define flag.<id> themselves; choose e.g. score.<name>"
        )
        return False
    if name in schema:
        origin = schema.origins.get(name, "input")
        by = "is an input name" if origin == "input" else f"is already defined by step '{origin}'"
        report.at(path, f"'{name}' {by}", "choose a new name, e.g. score.<name>")
        return False
    return True


def _bound(shape: CapShape | FloorShape, schema: Schema, report: Reporter, path: PathKey) -> Bound | None:
    kind = shape.kind
    bound = shape.at_most if isinstance(shape, CapShape) else shape.at_least
    bound_key = "at_most" if kind == "cap" else "at_least"
    node = _expression(shape.when, schema, report, (*path, "when"), condition=True)
    target_type = schema.get(shape.target)
    produced = [name for name in schema.types if schema.origins.get(name) != "input"]
    if target_type is None or schema.origins.get(shape.target) == "input":
        what = "an input" if target_type is not None else "not defined by an earlier step"
        report.at(
            (*path, "target"),
            f"a {kind} can only bound a value of an earlier step; '{shape.target}' is {what}",
            did_you_mean(shape.target, produced),
        )
        return None
    if target_type == ERROR:
        return None  # the step that defines it is in error already
    if target_type.kind == "number":
        if not isinstance(bound, float):
            report.at((*path, bound_key), f"'{shape.target}' is a number, so {bound_key} must be a number, not '{bound}'")
            return None
    elif target_type.kind == "enum" and target_type.ordered:
        bound = str(int(bound)) if isinstance(bound, float) and bound.is_integer() else str(bound)
        if bound not in target_type.values:
            report.at(
                (*path, bound_key),
                f"'{bound}' is not a value of {shape.target} ({', '.join(target_type.values)})",
                did_you_mean(bound, target_type.values),
            )
            return None
    else:
        report.at(
            (*path, "target"),
            f"cannot {kind} '{shape.target}': it is {target_type.describe()}, which has no order",
            "a table output gets an order with order: [best, …, worst]",
        )
        return None
    if node is None:
        return None
    return Bound(shape.id, kind, shape.target, target_type, bound, shape.when, node, shape.reason, to_python(node))
