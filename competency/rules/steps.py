"""The steps of a rule set: typed callables the loop in `ruleset.py` runs.

Each step (structlog's processors are the model) reads the person's values,
writes its output into them and returns its `TraceEntry`. Kinds here:
`compute` (a named value), `cap` / `floor` (bound an ordered value when a
condition holds, with a reason) and `flag` (a note for calibration and
reports that also defines `flag.<id>`, true or false, for later steps); a
decision table (`tables.py`) is a step too. Every step also knows its SQL
(`sql_layers`, used by `bulk.to_sql`) and how to rebuild its trace entry from
a bulk result row (`replay`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from competency._sql import quote_number
from competency.domain import Text
from competency.rules.expr import Node, Type, Value, names_in
from competency.rules.python import Fn
from competency.rules.sql import literal, quote_ident, to_sql
from competency.rules.trace import TraceEntry

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
            whens = " ".join(f"WHEN {literal(v)} THEN {quote_number(self.target_type.rank(v))}" for v in self.target_type.values)
            have, limit = f"(CASE {quote_ident(before)} {whens} END)", quote_number(self.target_type.rank(str(self.bound)))
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
