"""A checked expression → a Python closure over one person's values.

The closure takes a mapping name → value (missing names read as null) and
returns the value. It is the one-person back end (`explain`, what-if) and the
oracle the SQL back end is tested against, so every branch here mirrors one in
`sql.py`. Semantics: see `semantics.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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
    Value,
)
from competency.rules.semantics import round_half_away

Env = Mapping[str, Any]
Fn = Callable[[Env], Value]


def to_python(node: Node) -> Fn:
    """A closure for a *checked* node."""
    if node.type is None:
        raise ValueError("to_python needs a checked expression (see check.check_expression)")
    if isinstance(node, Literal):
        constant = node.value
        return lambda env: constant
    if isinstance(node, Name):
        name = node.name
        return lambda env: env.get(name)
    if isinstance(node, Unary):
        return _unary(node)
    if isinstance(node, Arith):
        return _arith(node)
    if isinstance(node, Logic):
        return _logic(node)
    if isinstance(node, Compare):
        return _compare(node)
    if isinstance(node, InList):
        return _in(node)
    if isinstance(node, IfElse):
        condition, then, otherwise = to_python(node.condition), to_python(node.then), to_python(node.otherwise)
        return lambda env: then(env) if condition(env) is True else otherwise(env)
    if isinstance(node, Call):
        return _call(node)
    raise TypeError(f"not an expression node: {node!r}")


def _unary(node: Unary) -> Fn:
    operand = to_python(node.operand)
    if node.op == "-":
        return lambda env: None if (v := operand(env)) is None else -v
    return lambda env: None if (v := operand(env)) is None else not v


def _arith(node: Arith) -> Fn:
    left, right = to_python(node.left), to_python(node.right)
    op = node.op

    def run(env: Env) -> Value:
        a, b = left(env), right(env)
        if a is None or b is None:
            return None
        if op == "+":
            return round_half_away(a + b)
        if op == "-":
            return round_half_away(a - b)
        if op == "*":
            return round_half_away(a * b)
        return None if b == 0 else round_half_away(a / b)

    return run


def _logic(node: Logic) -> Fn:
    operands = [to_python(item) for item in node.operands]
    # Kleene logic, as SQL: a decisive value wins over null.
    decisive = node.op == "or"

    def run(env: Env) -> Value:
        unknown = False
        for operand in operands:
            value = operand(env)
            if value is None:
                unknown = True
            elif value is decisive:
                return decisive
        return None if unknown else not decisive

    return run


def _compare(node: Compare) -> Fn:
    left, right = to_python(node.left), to_python(node.right)
    op = node.op
    if node.left.type == NULL or node.right.type == NULL:
        wanted = op == "=="
        return lambda env: (left(env) is None and right(env) is None) is wanted
    lt, rt = node.left.type, node.right.type
    ordered: Type | None = lt if lt.ordered else rt if rt.ordered else None  # type: ignore[union-attr]
    if ordered is not None and op not in ("==", "!="):
        rank = ordered.rank
        return lambda env: _apply(op, *(None if (v := side(env)) is None else rank(v) for side in (left, right)))
    return lambda env: _apply(op, left(env), right(env))


def _apply(op: str, a: Any, b: Any) -> Value:
    if a is None or b is None:
        return None
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def _in(node: InList) -> Fn:
    operand = to_python(node.operand)
    items = frozenset(item.value for item in node.items)
    negated = node.negated
    return lambda env: None if (v := operand(env)) is None else (v in items) != negated


def _call(node: Call) -> Fn:
    args = [to_python(arg) for arg in node.args]
    func = node.func
    if func == "abs":
        return lambda env: None if (v := args[0](env)) is None else abs(v)
    if func == "round":
        digits = int(node.args[1].value) if len(node.args) == 2 else 0  # type: ignore[attr-defined]
        return lambda env: None if (v := args[0](env)) is None else round_half_away(v, digits)
    if func in ("min", "max"):
        pick = min if func == "min" else max
        return lambda env: pick(present) if (present := [v for f in args if (v := f(env)) is not None]) else None
    if func == "mean":
        return lambda env: _mean([f(env) for f in args])
    if func == "coalesce":
        return lambda env: next((v for f in args if (v := f(env)) is not None), None)
    raise TypeError(f"unknown function {func}")


def _mean(values: list[Any]) -> Value:
    count = sum(v is not None for v in values)
    if count == 0:
        return None
    # Same order of additions as the SQL `COALESCE(a, 0) + COALESCE(b, 0) + …`.
    total = 0.0 if values[0] is None else values[0]
    for value in values[1:]:
        total = total + (0 if value is None else value)
    return round_half_away(total / count)
