"""What the expression parser refuses, and how its errors read.

The tables name the Python operators and nodes that are not part of the rule
language, with a message and a hint each; `syntax_error` says a Python syntax
error in the rule's terms; `shift` moves a tree's spans past blanks stripped
before parsing.
"""

from __future__ import annotations

import ast
import dataclasses

from competency.rules.expr import Node, Span

from competency.errors import RuleError

REFUSED_OPS = {
    ast.Pow: ("'**' (power) is not allowed", "multiply instead, e.g. x * x"),
    ast.Mod: ("'%' is not allowed", ""),
    ast.FloorDiv: ("'//' is not allowed", "use '/' and round(x, n)"),
    ast.MatMult: ("'@' is not allowed", ""),
    ast.LShift: ("'<<' is not allowed", ""),
    ast.RShift: ("'>>' is not allowed", ""),
    ast.BitOr: ("'|' is not allowed", "use 'or'"),
    ast.BitAnd: ("'&' is not allowed", "use 'and'"),
    ast.BitXor: ("'^' is not allowed", ""),
}
REFUSED_NODES = {
    ast.Subscript: ("subscripts like x[...] are not allowed", "use a dotted name, e.g. competency.execution"),
    ast.Lambda: ("lambda is not allowed", ""),
    ast.ListComp: ("comprehensions are not allowed", ""),
    ast.SetComp: ("comprehensions are not allowed", ""),
    ast.DictComp: ("comprehensions are not allowed", ""),
    ast.GeneratorExp: ("comprehensions are not allowed", ""),
    ast.JoinedStr: ("f-strings are not allowed", "write plain text in quotes"),
    ast.NamedExpr: ("':=' is not allowed", "define values with a compute step"),
    ast.Starred: ("'*' unpacking is not allowed", ""),
    ast.Dict: ("dict literals are not allowed", ""),
    ast.Set: ("set literals are not allowed", 'write a list after \'in\', e.g. x in ["a", "b"]'),
    ast.List: ("a list is only allowed after 'in'", 'e.g. employee.region in ["east", "south"]'),
    ast.Tuple: ("a list is only allowed after 'in'", 'e.g. employee.region in ["east", "south"]'),
    ast.Slice: ("slices are not allowed", ""),
}

def shift(node: Node, offset: int) -> Node:
    """Move every span by `offset` (the blanks stripped before parsing)."""
    if offset == 0:
        return node
    changes = {"span": node.span.shift(offset)}
    for item in dataclasses.fields(node):
        value = getattr(node, item.name)
        if isinstance(value, Node):
            changes[item.name] = shift(value, offset)
        elif isinstance(value, tuple) and value and isinstance(value[0], Node):
            changes[item.name] = tuple(shift(v, offset) for v in value)
    return dataclasses.replace(node, **changes)


def syntax_error(text: str, error: SyntaxError) -> RuleError:
    """Python's syntax error, said for a rule and placed in `text`."""
    message = (error.msg or "invalid syntax").split(" (")[0]
    hint = "check brackets, quotes and operators"
    if "Maybe you meant '==' or ':='" in message or "cannot assign" in message:
        message, hint = "'=' is not a comparison", "use '==' to compare, e.g. employee.role == \"sales_supervisor\""
    elif message.startswith("invalid syntax"):
        message = "invalid syntax"
    start = (error.offset or 1) - 1 if (error.lineno or 1) == 1 else 0
    start = max(0, min(start, len(text)))
    if message == "invalid syntax" and text[start : start + 1] == "=" and text[start : start + 2] != "==":
        message, hint = "'=' is not a comparison", "use '==' to compare, e.g. employee.role == \"sales_supervisor\""
    end = (error.end_offset or 0) - 1 if (error.end_lineno or error.lineno or 1) == 1 else start + 1
    end = max(start + 1, min(end, len(text))) if start < len(text) else start
    return RuleError(message, Span(start, end), hint, text)
