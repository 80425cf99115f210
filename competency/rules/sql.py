"""A checked expression → a DuckDB SQL expression (the bulk back end).

Identifiers come only from the schema and are double-quoted (the column of a
name is the name itself: `"competency.execution"`); text literals are quoted
by doubling single quotes, so no literal can change the statement; numbers are
written as `CAST('<repr>' AS DOUBLE)`, which DuckDB parses exactly as Python
does (a bare `3.3` would be a DECIMAL). Semantics: see `semantics.py`.
"""

from __future__ import annotations

from competency.rules.expr import (
    NULL,
    Arith,
    Call,
    Compare,
    IfElse,
    InList,
    Literal,
    Logic,
    Name,
    Node,
    Type,
    Unary,
)
from competency.rules.semantics import DECIMALS
from competency._sql import quote_ident, quote_number, quote_text

_SQL_TYPES = {"number": "DOUBLE", "string": "VARCHAR", "enum": "VARCHAR", "bool": "BOOLEAN"}
_OPS = {"==": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def number(value: float) -> str:
    """A number as SQL that DuckDB reads exactly as Python does (NaN and infinities refused)."""
    return f"CAST({quote_text(quote_number(float(value)))} AS DOUBLE)"


def literal(value: object, type_: Type | None = None) -> str:
    """Any constant value as SQL (a null typed by `type_` when given)."""
    if value is None:
        sql_type = _SQL_TYPES.get(type_.kind) if type_ is not None else None
        return f"CAST(NULL AS {sql_type})" if sql_type else "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return number(value)
    return quote_text(str(value))


def sql_type(type_: Type) -> str:
    return _SQL_TYPES.get(type_.kind, "VARCHAR")


def to_sql(node: Node, expect: Type | None = None) -> str:
    """SQL for a *checked* node; `expect` types a bare null literal for its context."""
    if node.type is None:
        raise ValueError("to_sql needs a checked expression (see check.check_expression)")
    if isinstance(node, Literal):
        return literal(node.value, expect if node.value is None else node.type)
    if isinstance(node, Name):
        return quote_ident(node.name)
    if isinstance(node, Unary):
        if node.op == "-":
            return f"(- {to_sql(node.operand, _NUM)})"
        return f"(NOT {to_sql(node.operand, _BOOL)})"
    if isinstance(node, Arith):
        left, right = to_sql(node.left, _NUM), to_sql(node.right, _NUM)
        if node.op == "/":
            right = f"NULLIF({right}, 0)"  # division by zero is null, not ±inf
        return f"round({left} {node.op} {right}, {DECIMALS})"
    if isinstance(node, Logic):
        return "(" + f" {node.op.upper()} ".join(to_sql(item, _BOOL) for item in node.operands) + ")"
    if isinstance(node, Compare):
        return _compare(node)
    if isinstance(node, InList):
        items = ", ".join(literal(item.value) for item in node.items)
        word = "NOT IN" if node.negated else "IN"
        return f"({to_sql(node.operand)} {word} ({items}))"
    if isinstance(node, IfElse):
        return (
            f"(CASE WHEN {to_sql(node.condition, _BOOL)} THEN {to_sql(node.then, node.type)} ELSE {to_sql(node.otherwise, node.type)} END)"
        )
    if isinstance(node, Call):
        return _call(node)
    raise TypeError(f"not an expression node: {node!r}")


_NUM = Type("number")
_BOOL = Type("bool")


def _compare(node: Compare) -> str:
    left, right = node.left, node.right
    if left.type == NULL or right.type == NULL:
        other = right if left.type == NULL else left
        if other.type == NULL:
            return "TRUE" if node.op == "==" else "FALSE"
        return f"({to_sql(other)} IS {'NOT ' if node.op == '!=' else ''}NULL)"
    ordered = left.type if left.type.ordered else right.type if right.type.ordered else None  # type: ignore[union-attr]
    if ordered is not None and node.op not in ("==", "!="):
        return f"({_rank(left, ordered)} {_OPS[node.op]} {_rank(right, ordered)})"
    return f"({to_sql(left)} {_OPS[node.op]} {to_sql(right)})"


def _rank(node: Node, ordered: Type) -> str:
    """The rank of an ordered choice's value (higher is better); null outside the choice."""
    if isinstance(node, Literal):
        rank = ordered.rank(str(node.value))
        return "CAST(NULL AS INTEGER)" if rank is None else quote_number(rank)
    whens = " ".join(f"WHEN {quote_text(value)} THEN {quote_number(ordered.rank(value))}" for value in ordered.values)
    return f"(CASE {to_sql(node)} {whens} END)"


def _call(node: Call) -> str:
    args = node.args
    if node.func == "abs":
        return f"abs({to_sql(args[0], _NUM)})"
    if node.func == "round":
        digits = int(args[1].value) if len(args) == 2 else 0  # type: ignore[attr-defined]
        return f"round({to_sql(args[0], _NUM)}, {quote_number(digits)})"
    if node.func in ("min", "max"):
        parts = [to_sql(arg, _NUM) for arg in args]
        # LEAST/GREATEST skip nulls in DuckDB, like our min/max.
        return parts[0] if len(parts) == 1 else f"{'LEAST' if node.func == 'min' else 'GREATEST'}({', '.join(parts)})"
    if node.func == "mean":
        parts = [to_sql(arg, _NUM) for arg in args]
        total = " + ".join(f"COALESCE({part}, 0)" for part in parts)
        count = " + ".join(f"(CASE WHEN {part} IS NULL THEN 0 ELSE 1 END)" for part in parts)
        return f"round(({total}) / NULLIF({count}, 0), {DECIMALS})"
    if node.func == "coalesce":
        return "COALESCE(" + ", ".join(to_sql(arg, node.type) for arg in args) + ")"
    raise TypeError(f"unknown function {node.func}")
