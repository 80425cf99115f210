"""Build a decision table from its YAML shape: check it against the schema,
report every problem at its place in the file, and prove UNIQUE tables."""

from __future__ import annotations

from typing import Any

from competency.errors import RuleError
from competency.files.yaml_loader import PathKey
from competency.rules._parse import parse_expression
from competency.rules._positions import Reporter
from competency.rules._shapes import TableShape
from competency.rules.check import ERROR, check_expression
from competency.rules.expr import NUMBER, Span, Type, Value, enum
from competency.rules.proof import prove_unique
from competency.rules.python import to_python
from competency.rules.schema import Schema
from competency.rules.tables import AGGREGATIONS, HIT_POLICIES, DecisionTable, Domain, Row, TableInput
from competency.rules.unary import ANY, Interval, Item, UnaryTest, parse_test
from competency._text import did_you_mean


def build_table(shape: TableShape, schema: Schema, report: Reporter, path: PathKey) -> DecisionTable | None:
    """Check a table shape against the schema; report every problem; prove UNIQUE."""
    before = len(report.problems)
    hit = shape.hit.strip().upper()
    if hit not in HIT_POLICIES:
        report.at(
            (*path, "hit"), f"unknown hit policy '{shape.hit}'", did_you_mean(hit, HIT_POLICIES) + " (UNIQUE, FIRST, PRIORITY or COLLECT)"
        )
    aggregation = shape.aggregation
    if aggregation is not None and hit != "COLLECT":
        report.at((*path, "aggregation"), f"'aggregation' is only for COLLECT tables, not {hit}", "remove it, or use hit: COLLECT")
    if hit == "COLLECT":
        aggregation = (aggregation or "list").lower()
        if aggregation not in AGGREGATIONS:
            report.at((*path, "aggregation"), f"unknown aggregation '{shape.aggregation}'", did_you_mean(aggregation, AGGREGATIONS))
    inputs = [_input(item, schema, report, (*path, "inputs", i)) for i, item in enumerate(shape.inputs)]
    output_type = _output_type(shape, hit, aggregation, report, path)
    rows = _rows(shape, inputs, output_type, report, path)
    if len(report.problems) > before or output_type is None or None in inputs:
        return None
    table = DecisionTable(
        shape.id,
        hit,
        tuple(inputs),
        shape.output.name,
        output_type,
        tuple(rows),  # type: ignore[arg-type]
        aggregation if hit == "COLLECT" else None,
        dict(shape.output.labels),
        shape.label,
    )
    if hit == "UNIQUE":
        for message, row_index in prove_unique(table):
            where = (*path, "rows", row_index) if row_index is not None else (*path, "rows")
            report.at(
                where, message, "change the tests so that every combination of inputs matches exactly one row", at_key=row_index is None
            )
    return table if len(report.problems) == before else None


def _input(item: Any, schema: Schema, report: Reporter, path: PathKey) -> TableInput | None:
    try:
        node = parse_expression(item.expr)
    except RuleError as error:
        report.rule_error((*path, "expr"), error, item.expr)
        return None
    typed, errors = check_expression(node, schema, item.expr)
    for error in errors:
        report.rule_error((*path, "expr"), error, item.expr)
    if errors or typed.type == ERROR:
        return None
    type_ = typed.type
    assert type_ is not None
    if type_.kind not in ("number", "string", "enum"):
        report.at(
            (*path, "expr"),
            f"a table input must be a number or text, but '{item.expr}' is {type_.describe()}",
            "compute a number or a choice first",
        )
        return None
    domain = _domain(item, type_, report, path)
    if domain is None:
        return None
    return TableInput(item.name, item.expr, typed, domain, item.label, to_python(typed))


def _domain(item: Any, type_: Type, report: Reporter, path: PathKey) -> Domain | None:
    where = (*path, "domain")
    raw = item.domain
    if type_.kind == "number":
        if raw is None:
            report.at(path, f"input '{item.name}' is a number: declare its domain", 'add e.g. domain: "[1..4]" (a quoted interval)')
            return None
        if isinstance(raw, list):
            report.at(
                where,
                "a numeric domain is one interval in quotes",
                f'write domain: "[{"..".join(str(v) for v in raw)}]" — YAML reads unquoted [ ] as a list',
            )
            return None
        try:
            test = parse_test(raw)
        except RuleError as error:
            report.rule_error(where, error, raw)
            return None
        if test.negated or len(test.items) > 1 or (test.items and test.items[0].interval is None):
            report.at(where, "a numeric domain is one interval such as [1..4] or >= 0")
            return None
        return Domain(interval=test.items[0].interval if test.items else Interval(None, None))
    # Text: the choice's values unless a narrower list is declared.
    if raw is None:
        if type_.kind != "enum":
            report.at(path, f"input '{item.name}' is free text: declare its domain", "add e.g. domain: [east, south, west, north]")
            return None
        return Domain(values=type_.values)
    values = raw if isinstance(raw, list) else [i.text for i in _text_items(raw, report, where)]
    for index, value in enumerate(values):
        if type_.kind == "enum" and value not in type_.values:
            at = (*where, index) if isinstance(raw, list) else where
            report.at(at, f"'{value}' is not a value of {item.expr}", did_you_mean(str(value), type_.values))
    return Domain(values=tuple(str(v) for v in values))


def _text_items(raw: str, report: Reporter, where: PathKey) -> list[Any]:
    try:
        test = parse_test(raw)
    except RuleError as error:
        report.rule_error(where, error, raw)
        return []
    if test.numeric or test.negated:
        report.at(where, "a text domain is a list of values", "e.g. domain: [low, medium, high]")
        return []
    return list(test.items)


def _output_type(shape: TableShape, hit: str, aggregation: str | None, report: Reporter, path: PathKey) -> Type | None:
    output = shape.output
    where = (*path, "output")
    given = [key for key in ("type", "values", "order") if getattr(output, key) is not None]
    if len(given) != 1:
        report.at(
            where,
            "the output needs exactly one of type: number, values: [...] or order: [...]",
            "order lists an ordered choice best first, e.g. order: [A, B, C, D]",
            at_key=True,
        )
        return None
    if output.type == "number":
        type_ = NUMBER
    else:
        values = output.values or output.order or []
        duplicates = sorted({v for v in values if values.count(v) > 1})
        if duplicates or not values:
            report.at(
                (*where, given[0]),
                f"the output's values must be distinct and non-empty{': ' + ', '.join(duplicates) + ' repeated' if duplicates else ''}",
            )
            return None
        type_ = enum(tuple(values), ordered=output.order is not None)
    if hit == "PRIORITY" and not type_.ordered:
        report.at(
            (*where, "values"),
            "a PRIORITY table needs an ordered output",
            "list the output values best first: order: [A, B, C, D]",
            at_key=True,
        )
    if hit == "COLLECT" and aggregation in ("sum", "min", "max") and type_.kind != "number":
        report.at(where, f"COLLECT with {aggregation} needs a numeric output", "declare type: number", at_key=True)
    for key in output.labels:
        if type_.kind != "enum" or key not in type_.values:
            report.at((*where, "labels", key), f"'{key}' is not one of the output's values", did_you_mean(key, type_.values), at_key=True)
    return type_


def _rows(shape: TableShape, inputs: list[TableInput | None], output_type: Type | None, report: Reporter, path: PathKey) -> list[Row]:
    names = [item.name for item in shape.inputs]
    seen: dict[str, int] = {}
    rows = []
    for index, row in enumerate(shape.rows):
        where = (*path, "rows", index)
        row_id = str(row.id) if row.id is not None else str(index + 1)
        if row_id in seen:
            report.at((*where, "id"), f"duplicate row id '{row_id}' (first used on line {report.line_of((*path, 'rows', seen[row_id]))})")
        seen.setdefault(row_id, index)
        for key in row.when:
            if key not in names:
                report.at((*where, "when", key), f"unknown input '{key}'", did_you_mean(key, names), at_key=True)
        tests = tuple(
            _cell(row.when.get(name), item, report, (*where, "when", name)) if name in row.when else ANY
            for name, item in zip(names, inputs)
        )
        output = _row_output(row.then, output_type, report, (*where, "then"))
        rows.append(Row(row_id, tests, output, row.annotation))
    return rows


def _cell(raw: Any, item: TableInput | None, report: Reporter, where: PathKey) -> UnaryTest:
    if isinstance(raw, list):
        if item is not None and item.domain.interval is not None:
            report.at(
                where,
                "a numeric test must be quoted text",
                f'write "[{"..".join(str(v) for v in raw)}]" in quotes — YAML reads unquoted [ ] as a list',
            )
            return ANY
        test = UnaryTest(str(raw), tuple(Item(Span(0, 0), text=str(v)) for v in raw))
    else:
        try:
            test = parse_test(raw)
        except RuleError as error:
            report.rule_error(where, error, raw)
            return ANY
    if item is None or test.is_any:
        return test
    numeric = item.domain.interval is not None
    if test.numeric != numeric:
        want = "a number test such as >= 3.5 or [1..2.5)" if numeric else f"values such as {', '.join(item.domain.values[:3])}"
        report.at(where, f"input '{item.name}' is {'a number' if numeric else 'text'}: this test needs {want}")
        return ANY
    if not numeric:
        for index, part in enumerate(test.items):
            if part.text not in item.domain.values:
                error = RuleError(
                    f"'{part.text}' is not in the domain of '{item.name}'",
                    part.span,
                    did_you_mean(str(part.text), item.domain.values),
                    str(raw),
                )
                if isinstance(raw, list):
                    report.at((*where, index), error.message, error.hint)
                else:
                    report.rule_error(where, error, raw)
    return test


def _row_output(value: Any, output_type: Type | None, report: Reporter, where: PathKey) -> Value:
    if output_type is None:
        return None
    if output_type.kind == "number":
        if not isinstance(value, float):
            report.at(where, f"the output is a number, not '{value}'")
        return value
    text = value if isinstance(value, str) else _plain(value)
    if text not in output_type.values:
        report.at(
            where, f"'{text}' is not one of the output's values ({', '.join(output_type.values)})", did_you_mean(text, output_type.values)
        )
    return text


def _plain(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
