"""Hypothesis strategies for the rule language: well-typed expressions, data
with nulls, token soup for the parser, and decision tables that partition
their domain (so a UNIQUE proof must pass)."""

from __future__ import annotations

from hypothesis import strategies as st

from competency.rules.expr import BOOL, NUMBER, STRING, enum
from competency.rules.schema import Schema

CHOICE = enum(("A", "B", "C", "D"), ordered=True)
SCHEMA = Schema({"n1": NUMBER, "n2": NUMBER, "n3": NUMBER, "t1": STRING, "t2": STRING, "c": CHOICE, "b": BOOL})
NUMBER_NAMES = ["n1", "n2", "n3"]
TEXTS = ["", "a", "b", "it's", "x'); DROP TABLE t; --", "华东"]

# Numbers are scores and ratios: bounded, and either 0 or not tiny, so that a
# few levels of * and / stay far from overflow (see semantics.py).
numbers = st.one_of(
    st.integers(-4000, 4000).map(lambda i: i / 1000),
    st.sampled_from([0.0, -0.0, 0.1, 0.2, 0.3, 3.3, 4.3, 3.8, 2.5, -2.5, 1.0000005, 2.675, 1e-3]),
    st.floats(-1e3, 1e3, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-3),
)


def maybe(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), values)


rows = st.fixed_dictionaries(
    {
        "n1": maybe(numbers),
        "n2": maybe(numbers),
        "n3": maybe(numbers),
        "t1": maybe(st.sampled_from(TEXTS)),
        "t2": maybe(st.sampled_from(TEXTS)),
        "c": maybe(st.sampled_from(CHOICE.values)),
        "b": maybe(st.booleans()),
    }
)


def _literal_number(x: float) -> str:
    return f"({x!r})" if x < 0 or str(x).startswith("-") else repr(x)


def _text_literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def expressions(depth: int = 4) -> st.SearchStrategy[tuple[str, str]]:
    """(text, kind) of well-typed expressions; kind is number, bool, text or choice."""
    return st.one_of(
        number_exprs(depth).map(lambda t: (t, "number")),
        bool_exprs(depth).map(lambda t: (t, "bool")),
        text_exprs(depth).map(lambda t: (t, "text")),
    )


def number_exprs(depth: int) -> st.SearchStrategy[str]:
    leaves = st.one_of(st.sampled_from(NUMBER_NAMES), numbers.map(_literal_number))
    if depth <= 0:
        return leaves
    sub = st.deferred(lambda: number_exprs(depth - 1))
    return st.one_of(
        leaves,
        st.tuples(sub, st.sampled_from("+-*/"), sub).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
        sub.map(lambda a: f"(-{a})"),
        sub.map(lambda a: f"abs({a})"),
        st.tuples(sub, st.integers(0, 6)).map(lambda p: f"round({p[0]}, {p[1]})"),
        sub.map(lambda a: f"round({a})"),
        st.tuples(st.sampled_from(["min", "max", "mean", "coalesce"]), st.lists(sub, min_size=1, max_size=3)).map(
            lambda p: f"{p[0]}({', '.join(p[1])})"
        ),
        st.tuples(st.deferred(lambda: bool_exprs(depth - 1)), sub, sub).map(lambda p: f"({p[1]} if {p[0]} else {p[2]})"),
        sub.map(lambda a: f"coalesce({a}, null)"),
    )


def bool_exprs(depth: int) -> st.SearchStrategy[str]:
    nums = number_exprs(max(depth - 1, 0))
    leaves = st.one_of(
        st.sampled_from(["b", "true", "false", "n1 == null", "t1 != null"]),
        st.tuples(nums, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), nums).map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
        st.tuples(nums, nums, nums).map(lambda p: f"({p[0]} <= {p[1]} < {p[2]})"),
        st.tuples(st.sampled_from(["t1", "t2"]), st.sampled_from(["==", "!="]), st.sampled_from(TEXTS)).map(
            lambda p: f"({p[0]} {p[1]} {_text_literal(p[2])})"
        ),
        st.tuples(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), st.sampled_from(CHOICE.values)).map(
            lambda p: f'(c {p[0]} "{p[1]}")'
        ),
        st.tuples(st.sampled_from(["in", "not in"]), st.lists(numbers.map(_literal_number), min_size=1, max_size=3)).map(
            lambda p: f"(n1 {p[0]} [{', '.join(p[1])}])"
        ),
        st.tuples(st.sampled_from(["in", "not in"]), st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3)).map(
            lambda p: f"(t1 {p[0]} [{', '.join(map(_text_literal, p[1]))}])"
        ),
    )
    if depth <= 0:
        return leaves
    sub = st.deferred(lambda: bool_exprs(depth - 1))
    return st.one_of(
        leaves,
        sub.map(lambda a: f"(not {a})"),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(sub, min_size=2, max_size=3)).map(lambda p: "(" + f" {p[0]} ".join(p[1]) + ")"),
        st.tuples(sub, sub, sub).map(lambda p: f"({p[1]} if {p[0]} else {p[2]})"),
    )


def text_exprs(depth: int) -> st.SearchStrategy[str]:
    leaves = st.one_of(st.sampled_from(["t1", "t2", "c"]), st.sampled_from(TEXTS).map(_text_literal))
    if depth <= 0:
        return leaves
    return st.one_of(
        leaves,
        st.tuples(st.sampled_from(["t1", "t2"]), st.sampled_from(TEXTS)).map(lambda p: f"coalesce({p[0]}, {_text_literal(p[1])})"),
        st.tuples(bool_exprs(depth - 1), st.sampled_from(["A", "B"])).map(lambda p: f'(c if {p[0]} else "{p[1]}")'),
    )


# Token soup: pieces of the language and of Python, to reach deep into the parser.
TOKENS = [
    "n1",
    "n2",
    "t1",
    "c",
    "b",
    "competency.execution",
    "_x",
    "__class__",
    "x.__dict__",
    "1",
    "-2.5",
    "1e309",
    "0x1F",
    "'a'",
    '"b"',
    "f'{n1}'",
    "+",
    "-",
    "*",
    "/",
    "**",
    "%",
    "//",
    "<",
    "<=",
    "==",
    "!=",
    "=",
    ">",
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "else",
    "lambda",
    ":",
    ":=",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ".",
    "min",
    "max",
    "mean",
    "round",
    "abs",
    "coalesce",
    "open",
    "__import__",
    "null",
    "true",
    "None",
    "\x00",
    "\n",
    "\\",
    "#",
    ";",
    "yield",
    "await",
    "for",
    "*args",
    "**kw",
    "...",
]
token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)
any_text = st.one_of(st.text(max_size=200), token_soup, st.text(alphabet="()[]{}+-*/<>=!.,:'\"0123456789abcnt_ \x00\n", max_size=300))


@st.composite
def partition_tables(draw: st.DrawFn) -> tuple[str, list[float]]:
    """A UNIQUE table over performance × potential whose rows tile the domain.

    Performance [1..4] is cut at random points (each point closing the piece to
    its left or to its right); potential's values are grouped at random; one
    row per piece × group. Returns the YAML text and the cut points.
    """
    cuts = sorted(set(draw(st.lists(st.integers(11, 39).map(lambda i: i / 10), max_size=4))))
    closes_left = draw(st.lists(st.booleans(), min_size=len(cuts), max_size=len(cuts)))
    ends = [1.0, *cuts, 4.0]
    pieces = []
    for i in range(len(ends) - 1):
        low_closed = i == 0 or not closes_left[i - 1]
        high_closed = i == len(ends) - 2 or closes_left[i]
        pieces.append(f"{'[' if low_closed else '('}{ends[i]}..{ends[i + 1]}{']' if high_closed else ')'}")
    levels = ["low", "medium", "high"]
    split = draw(st.sampled_from([[levels], [["low"], ["medium", "high"]], [["low", "medium"], ["high"]], [[v] for v in levels]]))
    rows = []
    for p, piece in enumerate(pieces):
        for g, group in enumerate(split):
            rows.append(f'  - {{id: r{p}_{g}, when: {{performance: "{piece}", potential: "{", ".join(group)}"}}, then: {len(rows) + 1}}}')
    text = (
        "kind: decision_table\nid: tiles\nhit: UNIQUE\ninputs:\n"
        '  - {name: performance, expr: n1, domain: "[1..4]"}\n'
        "  - {name: potential, expr: p}\n"
        "output: {name: tile, type: number}\nrows:\n" + "\n".join(rows) + "\n"
    )
    return text, cuts


TABLE_SCHEMA = Schema({"n1": NUMBER, "p": enum(("high", "medium", "low"), ordered=True)})
