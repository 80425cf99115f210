"""Text → expression tree, through Python's own parser and a whitelist.

`ast.parse(mode="eval")` is used as a parser only: the tree it returns is read
node by node and converted into our frozen nodes (`expr.py`); nothing is ever
compiled or evaluated. Whatever is not on the whitelist is refused with its
position. Length and nesting are capped before and during conversion, and
every exception the parser can raise on odd input (SyntaxError, ValueError,
RecursionError, MemoryError …) becomes a `RuleError`.
"""

from __future__ import annotations

import ast
import math
import warnings

from competency.errors import RuleError
from competency.rules.expr import (
    FUNCTIONS,
    Arith,
    Call,
    Compare,
    IfElse,
    InList,
    Literal,
    Logic,
    Name,
    Node,
    Span,
    Unary,
)
from competency.rules._refused import REFUSED_NODES, REFUSED_OPS, shift, syntax_error

MAX_LENGTH = 500
MAX_DEPTH = 20
ROUND_DIGITS = 6  # round(x, n) accepts 0 ≤ n ≤ this

_ARITH = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARE = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}
_WORDS = {"true": True, "false": False, "null": None}


def parse_expression(text: str) -> Node:
    """Parse rule text into a tree; raise `RuleError` (and only that) when it is not one."""
    if not isinstance(text, str):
        raise RuleError("an expression must be text", Span(0, 0))
    if len(text) > MAX_LENGTH:
        raise RuleError(
            f"expression is too long ({len(text)} characters; at most {MAX_LENGTH})",
            Span(MAX_LENGTH, len(text)),
            "split it into compute steps that name the parts",
            text,
        )
    if "\x00" in text:
        at = text.index("\x00")
        raise RuleError("expression contains a null character", Span(at, at + 1), "remove it", text)
    # One line for Python's parser: YAML block scalars bring newlines, which mean
    # nothing in the language. Leading blanks would be an "unexpected indent".
    flat = text.replace("\r", " ").replace("\n", " ")
    body = flat.lstrip()
    offset = len(flat) - len(body)
    if not body.strip():
        raise RuleError("the expression is empty", Span(0, len(text)), "write a rule, e.g. competency.integrity < 2", text)
    try:
        return shift(_Converter(body).convert(), offset)
    except RuleError as error:
        shifted = error.shifted(offset)
        shifted.text = text
        raise shifted from None


class _Converter:
    """Walks Python's tree for one expression and builds ours, refusing the rest."""

    def __init__(self, text: str) -> None:
        self.text = text
        # ast columns count UTF-8 bytes; carets need characters.
        self.char_at_byte: list[int] = []
        for index, char in enumerate(text):
            self.char_at_byte.extend([index] * len(char.encode("utf-8", "surrogatepass")))
        self.char_at_byte.append(len(text))

    def convert(self) -> Node:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. "invalid escape sequence" is not ours to print
                tree = ast.parse(self.text, mode="eval")
        except SyntaxError as error:
            raise syntax_error(self.text, error) from None
        except (ValueError, RecursionError, MemoryError, OverflowError, TypeError) as error:
            raise RuleError(
                f"cannot read the expression ({type(error).__name__})", Span(0, len(self.text)), "simplify it", self.text
            ) from None
        try:
            return self.node(tree.body, 1)
        except RecursionError:
            raise RuleError(
                f"expression is nested too deeply (more than {MAX_DEPTH} levels)",
                Span(0, len(self.text)),
                "split it into compute steps",
                self.text,
            ) from None

    # ------------------------------------------------------------ helpers

    def span(self, node: ast.AST) -> Span:
        def char(col: int | None) -> int:
            col = max(0, min(col or 0, len(self.char_at_byte) - 1))
            return self.char_at_byte[col]

        lineno = getattr(node, "lineno", 1)
        if lineno != 1:  # only a multi-line string literal could do this; point at its start
            return Span(0, len(self.text))
        end = char(node.end_col_offset) if getattr(node, "end_lineno", 1) == 1 else len(self.text)
        return Span(char(node.col_offset), end)

    def fail(self, node: ast.AST | Span, message: str, hint: str = "") -> RuleError:
        span = node if isinstance(node, Span) else self.span(node)
        return RuleError(message, span, hint, self.text)

    # ------------------------------------------------------------ nodes

    def node(self, node: ast.AST, depth: int) -> Node:
        if depth > MAX_DEPTH:
            raise self.fail(
                node, f"expression is nested too deeply (more than {MAX_DEPTH} levels)", "split it into compute steps that name the parts"
            )
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is not None:
            return method(node, depth)
        refused = REFUSED_NODES.get(type(node))
        if refused:
            raise self.fail(node, *refused)
        raise self.fail(node, f"{type(node).__name__.lower()} expressions are not allowed", "")

    def _Constant(self, node: ast.Constant, depth: int) -> Literal:
        value = node.value
        if isinstance(value, bool) or value is None:
            return Literal(self.span(node), value)
        if isinstance(value, int):
            try:
                number = float(value)
            except OverflowError:
                raise self.fail(node, "number is too large") from None
            return Literal(self.span(node), number)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self.fail(node, "number is too large")
            return Literal(self.span(node), value)
        if isinstance(value, str):
            if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
                raise self.fail(node, "text contains a control character", "remove escapes such as \\n or \\t")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise self.fail(node, "text is not valid Unicode") from None
            return Literal(self.span(node), value)
        kind = {bytes: "bytes", complex: "complex numbers"}.get(type(value), type(value).__name__)
        raise self.fail(node, f"{kind} are not allowed")

    def _Name(self, node: ast.Name, depth: int) -> Node:
        if node.id in _WORDS:
            return Literal(self.span(node), _WORDS[node.id])
        if node.id.startswith("_"):
            raise self.fail(node, f"names starting with '_' are not allowed: '{node.id}'")
        return Name(self.span(node), node.id)

    def _Attribute(self, node: ast.Attribute, depth: int) -> Name:
        parts = []
        current: ast.AST = node
        while isinstance(current, ast.Attribute):
            if current.attr.startswith("_"):
                span = self.span(current)
                raise self.fail(Span(span.end - len(current.attr), span.end), f"names starting with '_' are not allowed: '{current.attr}'")
            parts.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            self.node(current, 1)  # a refused part inside (`__import__(…).system`) is the clearer complaint
            raise self.fail(node, "'.' is only allowed in names such as competency.execution")
        if current.id.startswith("_"):
            raise self.fail(current, f"names starting with '_' are not allowed: '{current.id}'")
        parts.append(current.id)
        return Name(self.span(node), ".".join(reversed(parts)))

    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Node:
        if isinstance(node.op, ast.USub):
            operand = self.node(node.operand, depth + 1)
            if isinstance(operand, Literal) and isinstance(operand.value, float):
                return Literal(self.span(node), -operand.value)
            return Unary(self.span(node), "-", operand)
        if isinstance(node.op, ast.Not):
            return Unary(self.span(node), "not", self.node(node.operand, depth + 1))
        symbol = "+" if isinstance(node.op, ast.UAdd) else "~"
        raise self.fail(node, f"unary '{symbol}' is not allowed", "remove it" if symbol == "+" else "")

    def _BinOp(self, node: ast.BinOp, depth: int) -> Arith:
        op = _ARITH.get(type(node.op))
        if op is None:
            message, hint = REFUSED_OPS.get(type(node.op), ("this operator is not allowed", ""))
            raise self.fail(node, message, hint)
        # `a + b + c + …` is a chain, not nesting: the left operand of the same
        # kind of operator stays at this depth so long sums of weights are fine.
        left_same = isinstance(node.left, ast.BinOp) and _ARITH.get(type(node.left.op), "x") in _group(op)
        left = self.node(node.left, depth if left_same else depth + 1)
        return Arith(self.span(node), op, left, self.node(node.right, depth + 1))

    def _BoolOp(self, node: ast.BoolOp, depth: int) -> Logic:
        op = "and" if isinstance(node.op, ast.And) else "or"
        return Logic(self.span(node), op, tuple(self.node(value, depth + 1) for value in node.values))

    def _Compare(self, node: ast.Compare, depth: int) -> Node:
        if any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            if len(node.ops) != 1:
                raise self.fail(node, "'in' cannot be part of a chained comparison", "write two comparisons joined by 'and'")
            return self._in(node, depth)
        for op in node.ops:
            if isinstance(op, (ast.Is, ast.IsNot)):
                word = "==" if isinstance(op, ast.Is) else "!="
                raise self.fail(node, "'is' is not allowed", f"use '{word}', e.g. competency.execution {word} null")
        operands = [self.node(node.left, depth + 1)] + [self.node(item, depth + 1) for item in node.comparators]
        parts = [
            Compare(Span(left.span.start, right.span.end), _COMPARE[type(op)], left, right)
            for op, left, right in zip(node.ops, operands, operands[1:])
        ]
        return parts[0] if len(parts) == 1 else Logic(self.span(node), "and", tuple(parts))

    def _in(self, node: ast.Compare, depth: int) -> InList:
        container = node.comparators[0]
        if not isinstance(container, (ast.List, ast.Tuple)):
            raise self.fail(container, "'in' needs a literal list", 'e.g. employee.region in ["east", "south"]')
        if not container.elts:
            raise self.fail(container, "the list after 'in' is empty")
        items = []
        for element in container.elts:
            item = self.node(element, depth + 2)
            if not isinstance(item, Literal) or isinstance(item.value, bool):
                raise self.fail(element, "the list after 'in' may hold only numbers and quoted text")
            if item.value is None:
                raise self.fail(element, "null cannot be in the list after 'in'", "test for null apart: x == null or x in [...]")
            items.append(item)
        negated = isinstance(node.ops[0], ast.NotIn)
        return InList(self.span(node), self.node(node.left, depth + 1), tuple(items), negated)

    def _IfExp(self, node: ast.IfExp, depth: int) -> IfElse:
        return IfElse(self.span(node), self.node(node.test, depth + 1), self.node(node.body, depth + 1), self.node(node.orelse, depth + 1))

    def _Call(self, node: ast.Call, depth: int) -> Call:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute):
                self._Attribute(func, depth)  # an '_' name is the clearer complaint
            raise self.fail(func, "only the functions " + ", ".join(FUNCTIONS) + " can be called")
        if func.id.startswith("_"):
            raise self.fail(func, f"names starting with '_' are not allowed: '{func.id}'")
        if func.id not in FUNCTIONS:
            from competency._text import did_you_mean

            raise self.fail(func, f"unknown function '{func.id}'", did_you_mean(func.id, FUNCTIONS))
        if node.keywords:
            raise self.fail(node.keywords[0].value, f"{func.id}() takes no named arguments")
        args = tuple(self.node(arg, depth + 1) for arg in node.args)
        self._arity(node, func.id, args)
        return Call(self.span(node), func.id, args)

    def _arity(self, node: ast.Call, name: str, args: tuple[Node, ...]) -> None:
        if name == "abs" and len(args) != 1:
            raise self.fail(node, "abs() takes exactly one value")
        if name == "round":
            if len(args) not in (1, 2):
                raise self.fail(node, "round() takes a value and optionally a number of decimals", "e.g. round(score.performance, 2)")
            if len(args) == 2:
                digits = args[1]
                ok = isinstance(digits, Literal) and isinstance(digits.value, float) and digits.value.is_integer()
                if not ok or not 0 <= digits.value <= ROUND_DIGITS:  # type: ignore[union-attr, operator]
                    raise self.fail(digits.span, f"the decimals of round() must be a whole number from 0 to {ROUND_DIGITS}")
        if not args:
            raise self.fail(node, f"{name}() needs at least one value")


def _group(op: str) -> str:
    return "+-" if op in "+-" else "*/"
