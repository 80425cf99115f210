"""Decision tables after DMN: what a checked table is, how it decides, its SQL.

A table has named inputs (expressions with a declared domain), one output (a
number, a choice, or an ordered choice best first) and rows of unary tests.
Hit policies: UNIQUE (exactly one row may match: *proven* at load time, see
`proof.py`), FIRST (the first matching row), PRIORITY (the matching row whose
output ranks highest in the output's order) and COLLECT (all matching rows,
aggregated by list, sum, min, max or count). Building a table from its YAML
shape, with every error placed in the file: `_build_table.py`.

A table decides only when every input is non-null and inside its declared
domain; otherwise its output is null and no row fires. That is what makes the
UNIQUE proof a promise: over the domains, each person gets exactly one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from competency.domain import Text
from competency.rules.expr import LIST, NUMBER, Node, Type, Value, names_in
from competency.rules.python import Fn
from competency.rules.semantics import round_half_away
from competency.rules.sql import literal, quote_ident, quote_text, to_sql
from competency.rules.trace import TraceEntry
from competency.rules.unary import Interval, UnaryTest

HIT_POLICIES = ("UNIQUE", "FIRST", "PRIORITY", "COLLECT")
AGGREGATIONS = ("list", "sum", "min", "max", "count")


@dataclass(frozen=True)
class Domain:
    """The values an input is declared to take: an interval, or a list of texts."""

    interval: Interval | None = None
    values: tuple[str, ...] = ()

    def contains(self, value: Value) -> bool:
        if value is None:
            return False
        if self.interval is not None:
            return isinstance(value, float) and self.interval.contains(value)
        return value in self.values

    def sql(self, column: str) -> str:
        if self.interval is not None:
            return f"({self.interval.sql(column)})"
        return f"({column} IN ({', '.join(quote_text(v) for v in self.values)}))"


@dataclass(frozen=True)
class TableInput:
    name: str
    text: str
    expr: Node
    domain: Domain
    label: Text | None = None
    fn: Fn = field(default=lambda env: None, compare=False, repr=False)


@dataclass(frozen=True)
class Row:
    id: str
    tests: tuple[UnaryTest, ...]
    output: Value
    annotation: Text | None = None


@dataclass(frozen=True)
class DecisionTable:
    """A checked (and, if UNIQUE, proven) table; also a step of a rule set."""

    id: str
    hit: str
    inputs: tuple[TableInput, ...]
    output: str
    output_type: Type
    rows: tuple[Row, ...]
    aggregation: str | None = None
    labels: Mapping[str, Text] = field(default_factory=dict)
    label: Text | None = None
    kind: str = "table"

    @property
    def result_type(self) -> Type:
        if self.hit != "COLLECT":
            return self.output_type
        return LIST if self.aggregation == "list" else NUMBER

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for item in self.inputs for name in names_in(item.expr)))

    def _order(self) -> tuple[Row, ...]:
        """Rows in the order they are tried: PRIORITY puts the best output first."""
        if self.hit != "PRIORITY":
            return self.rows
        rank = self.output_type.rank
        return tuple(sorted(self.rows, key=lambda row: -(rank(str(row.output)) or 0)))

    # ------------------------------------------------------------ Python

    def decide(self, values: list[Value]) -> tuple[tuple[str, ...] | None, Value]:
        """(ids of the rows that fired, output) — (None, None) outside the domain."""
        if not all(item.domain.contains(value) for item, value in zip(self.inputs, values)):
            return None, None
        fired = [row for row in self._order() if all(test.matches(v) for test, v in zip(row.tests, values))]  # type: ignore[arg-type]
        if self.hit != "COLLECT":
            return (fired[0].id,) if fired else (), fired[0].output if fired else None
        return tuple(row.id for row in fired), _aggregate(self.aggregation or "list", [row.output for row in fired])

    def __call__(self, env: dict[str, Value]) -> TraceEntry:
        values = [item.fn(env) for item in self.inputs]
        rows, value = self.decide(values)
        env[self.output] = value
        return self._entry(dict(zip((i.name for i in self.inputs), values)), rows or (), value)

    def _entry(self, read: dict[str, Value], rows: tuple[str, ...], value: Value) -> TraceEntry:
        note = None
        if self.hit != "COLLECT" and rows:
            row = next(r for r in self.rows if r.id == rows[0])
            note = row.annotation or (self.labels.get(str(row.output)) if isinstance(row.output, str) else None)
        return TraceEntry(self.id, "table", read, self.output, value, rows=tuple(rows), note=note)

    # ------------------------------------------------------------ SQL

    def input_column(self, item: TableInput) -> str:
        return f"trace.{self.id}.in.{item.name}"

    @property
    def row_column(self) -> str:
        return f"trace.{self.id}.row"

    def sql_layers(self) -> list[list[tuple[str, str, bool]]]:
        """Three projections: the inputs, the fired row(s), the output."""
        inputs = [(self.input_column(item), to_sql(item.expr), False) for item in self.inputs]
        columns = [quote_ident(self.input_column(item)) for item in self.inputs]
        guard = " AND ".join(item.domain.sql(column) for item, column in zip(self.inputs, columns))

        def matches(row: Row) -> str:
            parts = [test.sql(column) for test, column in zip(row.tests, columns) if not test.is_any]
            return " AND ".join(parts) or "TRUE"

        if self.hit == "COLLECT":
            items = ", ".join(f"CASE WHEN {matches(row)} THEN {quote_text(row.id)} END" for row in self.rows)
            fired = f"list_filter([{items}], lambda r: r IS NOT NULL)"
        else:
            fired = "CASE " + " ".join(f"WHEN {matches(row)} THEN {quote_text(row.id)}" for row in self._order()) + " END"
        row_sql = f"CASE WHEN {guard} THEN {fired} END"
        return [inputs, [(self.row_column, row_sql, False)], [(self.output, self._output_sql(), False)]]

    def _output_sql(self) -> str:
        column = quote_ident(self.row_column)
        if self.hit != "COLLECT":
            whens = " ".join(f"WHEN {quote_text(row.id)} THEN {literal(row.output)}" for row in self.rows)
            return f"CASE {column} {whens} END"
        aggregation = self.aggregation or "list"
        if aggregation == "count":
            return f"len({column})"
        if aggregation == "list":
            whens = " ".join(f"WHEN {quote_text(row.id)} THEN {literal(row.output)}" for row in self.rows)
            return f"list_transform({column}, lambda r: CASE r {whens} END)"
        picks = [f"CASE WHEN list_contains({column}, {quote_text(row.id)}) THEN {literal(row.output)} END" for row in self.rows]
        if aggregation == "sum":
            # Added in row order, like the Python side, then rounded as all arithmetic is.
            total = " + ".join(f"COALESCE({pick}, 0)" for pick in picks)
            return f"CASE WHEN len({column}) > 0 THEN round({total}, 6) END"
        return f"{'LEAST' if aggregation == 'min' else 'GREATEST'}({', '.join(picks)})"

    def replay(self, row: Mapping[str, Any], env: dict[str, Value], value: Value) -> TraceEntry:
        """The entry `__call__` would have made, from a bulk result row."""
        read = {item.name: row.get(self.input_column(item)) for item in self.inputs}
        fired = row.get(self.row_column)
        rows = () if fired is None else tuple(fired) if isinstance(fired, list) else (fired,)
        env[self.output] = value
        return self._entry(read, rows, value)


def _aggregate(aggregation: str, outputs: list[Value]) -> Value:
    if aggregation == "count":
        return float(len(outputs))
    if aggregation == "list":
        return outputs
    if not outputs:
        return None
    if aggregation == "sum":
        total = 0.0
        for value in outputs:
            total = total + value  # type: ignore[operator]
        return round_half_away(total)
    return min(outputs) if aggregation == "min" else max(outputs)  # type: ignore[type-var]
