"""The parser: Python's grammar as a parser only, then a whitelist of our nodes."""

from __future__ import annotations

import pytest

from competency.errors import RuleError
from competency.rules._parse import MAX_DEPTH, MAX_LENGTH, parse_expression
from competency.rules.expr import Arith, Call, Compare, IfElse, InList, Literal, Logic, Name, Span, Unary, names_in


def refused(text: str) -> RuleError:
    with pytest.raises(RuleError) as caught:
        parse_expression(text)
    return caught.value


@pytest.mark.parametrize(
    "text",
    [
        "competency.integrity < 2 and kpi.sales_attainment >= 1.2",
        'employee.region in ["east", "south"]',
        'employee.region not in ("east",)',
        "not flag.integrity_concern or rating == null",
        "-competency.execution + 2 * 3 - 4 / 5",
        "1 <= score.performance < 3.5",
        "score.ability if score.ability != null else 0",
        "min(a, b) + max(a, b, c) + abs(a) + round(a) + round(a, 2) + mean(a, b) + coalesce(a, 0)",
        "true and false and True and False and null != None",
    ],
)
def test_the_whitelist_is_accepted(text: str) -> None:
    """Every construct the language promises parses into our own nodes."""
    parse_expression(text)


def test_nodes_carry_their_spans() -> None:
    node = parse_expression("competency.integrity < 2 and kpi.sales_attainment >= 1.2")
    assert isinstance(node, Logic) and node.op == "and"
    left, right = node.operands
    assert isinstance(left, Compare) and left.span == Span(0, 24)
    assert isinstance(right.left, Name) and right.left.name == "kpi.sales_attainment"  # type: ignore[attr-defined]
    assert right.left.span == Span(29, 49)  # type: ignore[attr-defined]


def test_chained_comparison_becomes_and() -> None:
    """`a < b < c` means `a < b and b < c` (the middle read twice)."""
    node = parse_expression("1 <= x < 3")
    assert isinstance(node, Logic) and [c.op for c in node.operands] == ["<=", "<"]  # type: ignore[attr-defined]


def test_spans_count_characters_not_bytes() -> None:
    """Python's columns are UTF-8 bytes; carets need characters (Chinese text)."""
    node = parse_expression('employee.region == "华东" and x')
    assert node.operands[1].span == Span(28, 29)  # type: ignore[attr-defined]


def test_leading_blanks_and_newlines_keep_offsets() -> None:
    node = parse_expression("  a +\n  b")
    assert isinstance(node, Arith) and node.span == Span(2, 9) and node.right.span == Span(8, 9)


def test_literals() -> None:
    assert parse_expression("-3").value == -3.0  # type: ignore[attr-defined]
    assert parse_expression("1_000").value == 1000.0  # type: ignore[attr-defined]
    assert parse_expression("null").value is None  # type: ignore[attr-defined]
    assert parse_expression("True").value is True  # type: ignore[attr-defined]
    assert isinstance(parse_expression("'a' 'b'"), Literal)


def test_names_in_lists_each_name_once_in_order() -> None:
    assert names_in(parse_expression("b + a * b if c else a")) == ["c", "b", "a"]


def test_node_kinds() -> None:
    assert isinstance(parse_expression("-x"), Unary)
    assert isinstance(parse_expression("x in [1, 2]"), InList)
    assert isinstance(parse_expression("a if b else c"), IfElse)
    assert isinstance(parse_expression("mean(a, b)"), Call)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "names starting with '_' are not allowed: '__import__'"),
        ("().__class__", "names starting with '_' are not allowed: '__class__'"),
        ("a._b", "names starting with '_' are not allowed: '_b'"),
        ("x[0]", "subscripts like x[...] are not allowed"),
        ("lambda: 1", "lambda is not allowed"),
        ("[x for x in y]", "comprehensions are not allowed"),
        ("{x for x in y}", "comprehensions are not allowed"),
        ("(x for x in y)", "comprehensions are not allowed"),
        ("f'{x}'", "f-strings are not allowed"),
        ("(y := 1)", "':=' is not allowed"),
        ("{'a': 1}", "dict literals are not allowed"),
        ("{1, 2}", "set literals are not allowed"),
        ("[1, 2]", "a list is only allowed after 'in'"),
        ("2 ** 3", "'**' (power) is not allowed"),
        ("7 % 2", "'%' is not allowed"),
        ("7 // 2", "'//' is not allowed"),
        ("a | b", "'|' is not allowed"),
        ("a & b", "'&' is not allowed"),
        ("a ^ b", "'^' is not allowed"),
        ("a << 1", "'<<' is not allowed"),
        ("~a", "unary '~' is not allowed"),
        ("+a", "unary '+' is not allowed"),
        ("a is None", "'is' is not allowed"),
        ("open('x')", "unknown function 'open'"),
        ("min(a, key=b)", "min() takes no named arguments"),
        ("max(*a)", "'*' unpacking is not allowed"),
        ("abs(a, b)", "abs() takes exactly one value"),
        ("round(a, 7)", "the decimals of round() must be a whole number from 0 to 6"),
        ("round(a, b)", "the decimals of round() must be a whole number from 0 to 6"),
        ("mean()", "mean() needs at least one value"),
        ("x in y", "'in' needs a literal list"),
        ("x in []", "the list after 'in' is empty"),
        ("x in [null]", "null cannot be in the list after 'in'"),
        ("x in [a]", "the list after 'in' may hold only numbers and quoted text"),
        ("a < b in [1]", "'in' cannot be part of a chained comparison"),
        ("b'x'", "bytes are not allowed"),
        ("1j", "complex numbers are not allowed"),
        ("1e999", "number is too large"),
        ("'a\\nb'", "text contains a control character"),
        ("x = 1", "'=' is not a comparison"),
        ("", "the expression is empty"),
        ("a +", "invalid syntax"),
        ("x\x00", "expression contains a null character"),
        ("'abc'.upper()", "'.' is only allowed in names such as competency.execution"),
    ],
)
def test_everything_else_is_refused_with_a_clear_message(text: str, message: str) -> None:
    assert refused(text).message == message


def test_length_is_capped() -> None:
    error = refused("a + " * 130 + "a")
    assert error.message == f"expression is too long (521 characters; at most {MAX_LENGTH})"
    assert error.span == Span(MAX_LENGTH, 521)


def test_nesting_is_capped_but_long_sums_are_not_nesting() -> None:
    assert refused("abs(" * (MAX_DEPTH + 1) + "a" + ")" * (MAX_DEPTH + 1)).message.startswith("expression is nested too deeply")
    assert refused("-" * 30 + "a").message.startswith("expression is nested too deeply")
    parse_expression(" + ".join(f"0.1 * x{i}" for i in range(30)))


def test_deep_parentheses_from_python_are_our_error() -> None:
    """Python's own limits (too many parentheses, recursion) surface as RuleError."""
    refused("(" * 250 + "a" + ")" * 250)
    refused("-" * 499 + "a")


def test_error_str_shows_the_caret() -> None:
    assert str(refused("a ** 2")) == "'**' (power) is not allowed\n    a ** 2\n    ^^^^^^\n  hint: multiply instead, e.g. x * x"
