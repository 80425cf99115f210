"""Rule sets: an ordered list of typed steps, run by one plain loop.

Each step is a callable object (structlog's processors are the model): it
reads the person's values, writes its output into them and returns its
`TraceEntry`. `evaluate_one` is nothing more than

    for step in ruleset.steps:
        trace.append(step(values))

Step kinds: `compute` (a named value), `table` (a decision table, see
`tables.py`), `cap` / `floor` (bound an ordered value when a condition holds,
with a reason) and `flag` (a note for calibration and reports; it also defines
`flag.<id>`, true or false, for later steps). Every step also knows its SQL
(`sql_layers`, used by `bulk.to_sql`) and how to rebuild its trace entry from
a bulk result row (`replay`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from competency.errors import RuleError
from competency.files.yaml_loader import PathKey
from competency.domain import Text
from competency.rules._build_table import build_table
from competency.rules._parse import parse_expression
from competency.rules._positions import Reporter
from competency.rules._shapes import CapShape, ComputeShape, FlagShape, FloorShape, RulesetShape, TableShape
from competency.rules.check import ERROR, check_expression
from competency.rules.expr import BOOL, Node, Type, Value, names_in
from competency.rules.python import Fn, to_python
from competency.rules.schema import Schema
from competency.rules.semantics import clean_number
from competency.rules.sql import literal, quote_ident, to_sql
from competency.rules.tables import DecisionTable
from competency.rules.trace import TraceEntry
from competency._text import did_you_mean

_DOTTED = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
_RESERVED = ("trace.", "flag.")

# A projection: (column, SQL expression, replaces an existing column?)
Layer = list[tuple[str, str, bool]]


class Step(Protocol):
    """What the loop needs of a step."""

    id: str
    kind: str

    def __call__(self, env: dict[str, Value]) -> TraceEntry: ...

    def sql_layers(self) -> list[Layer]: ...

    def replay(self, row: Mapping[str, Any], env: dict[str, Value], value: Value) -> TraceEntry: ...


@dataclass(frozen=True)
class Compute:
    """`name = expr`."""

    id: str
    name: str
    text: str
    expr: Node
    label: Text | None = None
    fn: Fn = field(default=lambda env: None, compare=False, repr=False)
    kind: str = "compute"

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(names_in(self.expr))

    @property
    def writes(self) -> str:
        return self.name

    def __call__(self, env: dict[str, Value]) -> TraceEntry:
        read = {name: env.get(name) for name in self.reads}
        value = self.fn(env)
        env[self.name] = value
        return TraceEntry(self.id, self.kind, read, self.name, value, note=self.label)

    def sql_layers(self) -> list[Layer]:
        return [[(self.name, to_sql(self.expr), False)]]

    def replay(self, row: Mapping[str, Any], env: dict[str, Value], value: Value) -> TraceEntry:
        read = {name: env.get(name) for name in self.reads}
        env[self.name] = value
        return TraceEntry(self.id, self.kind, read, self.name, value, note=self.label)


@dataclass(frozen=True)
class Bound:
    """A cap (`at most`) or floor (`at least`) on an ordered value, when a condition holds."""

    id: str
    kind: str  # "cap" or "floor"
    target: str
    target_type: Type
    bound: Value
    text: str
    condition: Node
    reason: Text
    fn: Fn = field(default=lambda env: None, compare=False, repr=False)

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([*names_in(self.condition), self.target]))

    @property
    def writes(self) -> str:
        return self.target

    def _rank(self, value: Value) -> Any:
        return value if self.target_type.kind == "number" else self.target_type.rank(str(value))

    def _beyond(self, value: Value) -> bool:
        """Is `value` past the bound (above a cap, below a floor)?"""
        if value is None:
            return False
        have, limit = self._rank(value), self._rank(self.bound)
        if have is None:
            return False
        return have > limit if self.kind == "cap" else have < limit

    def __call__(self, env: dict[str, Value]) -> TraceEntry:
        read = {name: env.get(name) for name in self.reads}
        fired = self.fn(env) is True  # null counts as false
        before = env.get(self.target)
        changed = fired and self._beyond(before)
        value = self.bound if changed else before
        env[self.target] = value
        return TraceEntry(self.id, self.kind, read, self.target, value, fired=fired, changed=changed, before=before, note=self.reason)

    @property
    def columns(self) -> tuple[str, str, str]:
        return f"trace.{self.id}.fired", f"trace.{self.id}.before", f"trace.{self.id}.changed"

    def sql_layers(self) -> list[Layer]:
        fired, before, changed = self.columns
        target = quote_ident(self.target)
        if self.target_type.kind == "number":
            have, limit = quote_ident(before), literal(self.bound)
        else:
            whens = " ".join(f"WHEN {literal(v)} THEN {self.target_type.rank(v)}" for v in self.target_type.values)
            have, limit = f"(CASE {quote_ident(before)} {whens} END)", str(self.target_type.rank(str(self.bound)))
        beyond = f"{have} {'>' if self.kind == 'cap' else '<'} {limit}"
        applies = f"COALESCE({quote_ident(fired)} AND {beyond}, FALSE)"
        return [
            [(fired, f"COALESCE({to_sql(self.condition)}, FALSE)", False), (before, target, False)],
            [(changed, applies, False)],
            [(self.target, f"CASE WHEN {quote_ident(changed)} THEN {literal(self.bound)} ELSE {quote_ident(before)} END", True)],
        ]

    def replay(self, row: Mapping[str, Any], env: dict[str, Value], value: Value) -> TraceEntry:
        fired_column, before_column, changed_column = self.columns
        read = {name: env.get(name) for name in self.reads}
        env[self.target] = value
        return TraceEntry(
            self.id,
            self.kind,
            read,
            self.target,
            value,
            fired=row.get(fired_column),
            changed=row.get(changed_column),
            before=row.get(before_column),
            note=self.reason,
        )


@dataclass(frozen=True)
class Flag:
    """A note for calibration and reports; defines `flag.<id>` (true/false)."""

    id: str
    text: str
    condition: Node
    message: Text
    fn: Fn = field(default=lambda env: None, compare=False, repr=False)
    kind: str = "flag"

    @property
    def writes(self) -> str:
        return f"flag.{self.id}"

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(names_in(self.condition))

    def __call__(self, env: dict[str, Value]) -> TraceEntry:
        read = {name: env.get(name) for name in self.reads}
        fired = self.fn(env) is True
        env[self.writes] = fired
        return TraceEntry(self.id, self.kind, read, self.writes, fired, fired=fired, note=self.message)

    def sql_layers(self) -> list[Layer]:
        return [[(self.writes, f"COALESCE({to_sql(self.condition)}, FALSE)", False)]]

    def replay(self, row: Mapping[str, Any], env: dict[str, Value], value: Value) -> TraceEntry:
        read = {name: env.get(name) for name in self.reads}
        env[self.writes] = value
        return TraceEntry(self.id, self.kind, read, self.writes, value, fired=value, note=self.message)


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
