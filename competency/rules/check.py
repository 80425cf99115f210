"""Type-check an expression tree against a schema, before any scoring.

Unknown names, text compared with numbers, `and` of numbers, arithmetic on
text, a choice compared with a value it can never take — each becomes a
`RuleError` pointing at the offending sub-expression. All errors of one
expression are collected; a part already in error gets the type `error`, which
fits anywhere, so one mistake is reported once and not again by its parents.

The result is the same tree with every node's `type` set: the back ends accept
nothing else.
"""

from __future__ import annotations

import dataclasses

from competency.errors import RuleError
from competency.rules.expr import (
    BOOL,
    NULL,
    NUMBER,
    STRING,
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
from competency.rules.schema import Schema
from competency._text import did_you_mean

ERROR = Type("error")
_ORDERING = ("<", "<=", ">", ">=")


def check_expression(node: Node, schema: Schema, text: str = "", *, condition: bool = False) -> tuple[Node, list[RuleError]]:
    """The typed tree and every problem found; `condition=True` also requires true/false."""
    checker = _Checker(schema, text)
    typed = checker.visit(node)
    if condition and typed.type not in (BOOL, NULL, ERROR):
        checker.error(
            typed, f"a condition must be true or false, but this is {typed.type.describe()}", "compare it, e.g. competency.integrity < 2"
        )
    elif not condition and typed.type == NULL:
        checker.error(typed, "this expression is always null")
    return typed, checker.errors


def _what(node: Node) -> str:
    """How to name an operand in a message."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Literal):
        return f'"{node.value}"' if isinstance(node.value, str) else _literal(node.value)
    return "this part"


def _literal(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


class _Checker:
    def __init__(self, schema: Schema, text: str) -> None:
        self.schema = schema
        self.text = text
        self.errors: list[RuleError] = []

    def error(self, node: Node, message: str, hint: str = "") -> Type:
        self.errors.append(RuleError(message, node.span, hint, self.text))
        return ERROR

    def visit(self, node: Node) -> Node:
        method = getattr(self, f"_{type(node).__name__}")
        return method(node)

    # ------------------------------------------------------------ leaves

    def _Literal(self, node: Literal) -> Node:
        value = node.value
        type_ = NULL if value is None else BOOL if isinstance(value, bool) else NUMBER if isinstance(value, float) else STRING
        return dataclasses.replace(node, type=type_)

    def _Name(self, node: Name) -> Node:
        type_ = self.schema.get(node.name)
        if type_ is None:
            type_ = self.error(node, f"unknown name '{node.name}'", self.schema.suggest(node.name))
        elif type_.kind == "list":
            type_ = self.error(node, f"{node.name} is a list of values; rules cannot read it")
        return dataclasses.replace(node, type=type_)

    # ------------------------------------------------------------ operators

    def _Unary(self, node: Unary) -> Node:
        operand = self.visit(node.operand)
        if node.op == "-":
            type_ = self._need(operand, "number", "'-' needs a number")
        else:
            type_ = self._need(operand, "bool", "'not' needs true/false")
        return dataclasses.replace(node, operand=operand, type=type_)

    def _Arith(self, node: Arith) -> Node:
        left, right = self.visit(node.left), self.visit(node.right)
        types = [self._need(side, "number", f"'{node.op}' needs numbers") for side in (left, right)]
        type_ = ERROR if ERROR in types else NUMBER
        return dataclasses.replace(node, left=left, right=right, type=type_)

    def _Logic(self, node: Logic) -> Node:
        operands = tuple(self.visit(item) for item in node.operands)
        types = [self._need(item, "bool", f"'{node.op}' needs true/false values") for item in operands]
        return dataclasses.replace(node, operands=operands, type=ERROR if ERROR in types else BOOL)

    def _need(self, node: Node, kind: str, message: str) -> Type:
        """`node`'s type if it is `kind` (null fits), else an error."""
        type_ = node.type
        assert type_ is not None
        if type_ in (ERROR, NULL) or type_.kind == kind:
            return NUMBER if kind == "number" else BOOL if kind == "bool" else type_
        hint = "compare it to make a condition, e.g. competency.integrity < 2" if kind == "bool" and type_.kind == "number" else ""
        return self.error(node, f"{message}, but {_what(node)} is {type_.describe()}", hint)

    def _Compare(self, node: Compare) -> Node:
        left, right = self.visit(node.left), self.visit(node.right)
        typed = dataclasses.replace(node, left=left, right=right, type=BOOL)
        lt, rt = left.type, right.type
        assert lt is not None and rt is not None
        if ERROR in (lt, rt):
            return dataclasses.replace(typed, type=ERROR)
        if NULL in (lt, rt):
            if node.op not in ("==", "!="):
                return dataclasses.replace(
                    typed,
                    type=self.error(node, f"'{node.op}' with null is always null", "test for a missing value with == null or != null"),
                )
            return typed
        if lt.kind == "number" and rt.kind == "number":
            return typed
        if lt.kind == "bool" and rt.kind == "bool":
            if node.op in _ORDERING:
                return dataclasses.replace(typed, type=self.error(node, f"true/false values cannot be compared with '{node.op}'"))
            return typed
        if lt.is_text and rt.is_text:
            return dataclasses.replace(typed, type=self._compare_text(node, left, right))
        return dataclasses.replace(
            typed,
            type=self.error(
                node, f"cannot compare {_what(left)} ({lt.describe()}) with {_what(right)} ({rt.describe()})", _mismatch_hint(left, right)
            ),
        )

    def _compare_text(self, node: Compare, left: Node, right: Node) -> Type:
        lt, rt = left.type, right.type
        assert lt is not None and rt is not None
        for a, b in ((left, right), (right, left)):
            if a.type.kind == "enum" and isinstance(b, Literal) and self._value_of(a, b) is ERROR:  # type: ignore[union-attr]
                return ERROR
        if node.op in _ORDERING:
            ordered = next((t for t in (lt, rt) if t.ordered), None)
            if ordered is None:
                return self.error(
                    node,
                    f"text can only be compared with == or !=, not '{node.op}'",
                    "only ordered choices such as rating or employee.potential have an order",
                )
            other = rt if ordered is lt else lt
            if other != ordered and other != STRING:
                return self.error(node, f"cannot order {_what(left)} against {_what(right)}: they are different choices")
            if other == STRING and not (isinstance(left, Literal) or isinstance(right, Literal)):
                return self.error(node, f"'{node.op}' needs a value of the same ordered choice on both sides")
        return BOOL

    def _value_of(self, named: Node, literal: Literal) -> Type:
        """Is the text literal one of the values of `named`'s choice?"""
        type_ = named.type
        assert type_ is not None
        if isinstance(literal.value, str) and literal.value not in type_.values:
            return self.error(literal, f"'{literal.value}' is not a value of {_what(named)}", did_you_mean(literal.value, type_.values))
        return type_

    def _InList(self, node: InList) -> Node:
        operand = self.visit(node.operand)
        items = tuple(self.visit(item) for item in node.items)
        typed = dataclasses.replace(node, operand=operand, items=items, type=BOOL)
        kind = operand.type.kind if operand.type else "error"
        if operand.type in (ERROR, NULL):
            return typed
        wanted = "number" if kind == "number" else "text" if operand.type.is_text else None  # type: ignore[union-attr]
        if wanted is None:
            return dataclasses.replace(
                typed, type=self.error(operand, f"'in' needs a number or text, but {_what(operand)} is {operand.type.describe()}")
            )  # type: ignore[union-attr]
        failed = False
        for item in items:
            item_kind = "number" if isinstance(item.value, float) else "text"  # type: ignore[attr-defined]
            if item_kind != wanted:
                self.error(
                    item,
                    f"{_what(operand)} is {operand.type.describe()}, so the list may hold only {'numbers' if wanted == 'number' else 'quoted text'}",
                )  # type: ignore[union-attr]
                failed = True
            elif kind == "enum" and self._value_of(operand, item) is ERROR:  # type: ignore[arg-type]
                failed = True
        return dataclasses.replace(typed, type=ERROR if failed else BOOL)

    def _IfElse(self, node: IfElse) -> Node:
        condition = self.visit(node.condition)
        then, otherwise = self.visit(node.then), self.visit(node.otherwise)
        self._need(condition, "bool", "the condition after 'if' must be true/false")
        type_ = self._unify([then, otherwise], node, "both results of 'if … else' must be of one type")
        return dataclasses.replace(node, condition=condition, then=then, otherwise=otherwise, type=type_)

    def _Call(self, node: Call) -> Node:
        args = tuple(self.visit(arg) for arg in node.args)
        if node.func == "coalesce":
            type_ = self._unify(list(args), node, "the values of coalesce() must be of one type")
        else:
            types = [self._need(arg, "number", f"{node.func}() needs numbers") for arg in args]
            type_ = ERROR if ERROR in types else NUMBER
        return dataclasses.replace(node, args=args, type=type_)

    def _unify(self, nodes: list[Node], where: Node, message: str) -> Type:
        """One type for values that may stand in for each other (if/else, coalesce)."""
        present = [n for n in nodes if n.type != NULL]
        types = [n.type for n in present]
        if ERROR in types:
            return ERROR
        if not types:
            return NULL
        kinds = {"text" if t.is_text else t.kind for t in types}  # type: ignore[union-attr]
        if len(kinds) > 1:
            described = " and ".join(sorted({t.describe() for t in types}))  # type: ignore[union-attr]
            return self.error(where, f"{message}, not {described}")
        kind = kinds.pop()
        if kind != "text":
            return NUMBER if kind == "number" else types[0]  # type: ignore[return-value]
        choices = {t for t in types if t.kind == "enum"}  # type: ignore[union-attr]
        if len(choices) != 1:
            return STRING
        choice = choices.pop()
        for item in present:
            if isinstance(item, Literal) and item.value not in choice.values:
                return self.error(
                    item, f"'{item.value}' is not one of {', '.join(choice.values)}", did_you_mean(str(item.value), choice.values)
                )
        # A choice stays a choice when the other values are literals of it.
        return choice if all(n.type == choice or isinstance(n, Literal) for n in present) else STRING


def _mismatch_hint(left: Node, right: Node) -> str:
    for node in (left, right):
        if isinstance(node, Literal) and isinstance(node.value, str):
            try:
                float(node.value)
            except ValueError:
                continue
            return f"write the number without quotes: {node.value}"
    return ""
