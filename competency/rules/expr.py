"""The expression tree of the rule language: immutable nodes that know their span.

The parser (`_parse.py`) builds these from user text; the checker (`check.py`)
returns the same tree with every node's `type` filled in; the two back ends
(`sql.py`, `python.py`) accept only such a checked tree. Spans are character
offsets into the expression text, so an error can put a caret under the exact
sub-expression — `rules/loading.py` turns them into file positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field


Value = float | str | bool | None | list


@dataclass(frozen=True)
class Span:
    """Characters `start` (inclusive) to `end` (exclusive) of the expression text."""

    start: int
    end: int

    def shift(self, offset: int) -> Span:
        return Span(self.start + offset, self.end + offset)


# ---------------------------------------------------------------- types


@dataclass(frozen=True)
class Type:
    """What a name or an expression holds.

    `kind` is number, string, bool, enum, list or null (the type of the literal
    `null`, which fits anywhere). An enum lists its `values`; an *ordered* enum
    lists them best first (A, B, C, D), so a lower index ranks higher. A number
    may carry its known range (`low`, `high`), used for table domains.
    """

    kind: str
    values: tuple[str, ...] = ()
    ordered: bool = False
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        if self.kind == "enum":
            shown = ", ".join(self.values[:8]) + (", …" if len(self.values) > 8 else "")
            return f"{'an ordered' if self.ordered else 'a'} choice of {shown}"
        return {"number": "a number", "string": "text", "bool": "true/false", "list": "a list", "null": "null"}.get(self.kind, "unknown")

    @property
    def is_text(self) -> bool:
        return self.kind in ("string", "enum")

    def rank(self, value: str) -> int | None:
        """Higher is better: the last of an ordered enum's values ranks 1."""
        if not self.ordered or value not in self.values:
            return None
        return len(self.values) - self.values.index(value)


NUMBER = Type("number")
STRING = Type("string")
BOOL = Type("bool")
NULL = Type("null")
LIST = Type("list")


def enum(values: tuple[str, ...] | list[str], *, ordered: bool = False) -> Type:
    return Type("enum", tuple(values), ordered)


# ---------------------------------------------------------------- nodes


@dataclass(frozen=True)
class Node:
    span: Span
    type: Type | None = field(default=None, kw_only=True, compare=False)


@dataclass(frozen=True)
class Literal(Node):
    value: float | str | bool | None


@dataclass(frozen=True)
class Name(Node):
    """A dotted name from the schema, e.g. `competency.execution`."""

    name: str


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "not" or "-"
    operand: Node


@dataclass(frozen=True)
class Arith(Node):
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Logic(Node):
    op: str  # and / or
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Compare(Node):
    """One comparison; the parser turns `a < b < c` into `a < b and b < c`."""

    op: str  # < <= > >= == !=
    left: Node
    right: Node


@dataclass(frozen=True)
class InList(Node):
    operand: Node
    items: tuple[Literal, ...]
    negated: bool


@dataclass(frozen=True)
class IfElse(Node):
    condition: Node
    then: Node
    otherwise: Node


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


FUNCTIONS = ("abs", "coalesce", "max", "mean", "min", "round")


def names_in(node: Node) -> list[str]:
    """The schema names an expression reads, in order of first use."""
    found: dict[str, None] = {}

    def walk(item: Node) -> None:
        if isinstance(item, Name):
            found.setdefault(item.name)
        for child in children(item):
            walk(child)

    walk(node)
    return list(found)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    if isinstance(node, Logic):
        return node.operands
    if isinstance(node, InList):
        return (node.operand, *node.items)
    if isinstance(node, IfElse):
        return (node.condition, node.then, node.otherwise)
    if isinstance(node, Call):
        return node.args
    return ()
