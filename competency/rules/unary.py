"""DMN unary tests: the cells of a decision table.

    -                 any value
    [1..2.5)  (2..3]  ]1..2[     intervals; [ ] closed, ( ) or outward ] [ open
    >= 3.5   < 2   = 3          comparisons with a number
    3                           equality
    "east", "south"   east      one of these texts (quotes optional for plain words)
    not(< 2, > 3)               none of these

Alternatives are separated by commas. A numeric test becomes a union of
intervals and a text test a set of values, so matching, SQL and the UNIQUE
proof (`tables.py`) all work on one normal form. Parse errors are `RuleError`s
with spans in the cell text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from competency.errors import RuleError
from competency.rules.expr import Span
from competency.rules.sql import number, quote_text

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<number>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)
      | (?P<string>"[^"]*"|'[^']*')
      | (?P<word>[^\W\d][\w\-]*)
      | (?P<op><=|>=|==|\.\.|[<>=\[\](),])
      | (?P<bad>\S)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Interval:
    """Numbers from `low` to `high` (None: unbounded), each end closed or open."""

    low: float | None
    high: float | None
    low_closed: bool = True
    high_closed: bool = True

    def contains(self, x: float | Fraction) -> bool:
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        return not (self.high is not None and (x > self.high or (x == self.high and not self.high_closed)))

    def sql(self, column: str) -> str:
        if self.low is not None and self.low == self.high:
            return f"{column} = {number(self.low)}"
        parts = []
        if self.low is not None:
            parts.append(f"{column} {'>=' if self.low_closed else '>'} {number(self.low)}")
        if self.high is not None:
            parts.append(f"{column} {'<=' if self.high_closed else '<'} {number(self.high)}")
        return " AND ".join(parts) or "TRUE"

    def __str__(self) -> str:
        if self.low is not None and self.low == self.high:
            return show_number(self.low)
        if self.low is None and self.high is None:
            return "-"
        if self.low is None:
            return f"{'<=' if self.high_closed else '<'} {show_number(self.high)}"  # type: ignore[arg-type]
        if self.high is None:
            return f"{'>=' if self.low_closed else '>'} {show_number(self.low)}"
        return f"{'[' if self.low_closed else '('}{show_number(self.low)}..{show_number(self.high)}{']' if self.high_closed else ')'}"


def show_number(value: float) -> str:
    """A number as a person wrote it: 2 rather than 2.0."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


@dataclass(frozen=True)
class Item:
    """One alternative of a test as written: where it is and what it means."""

    span: Span
    interval: Interval | None = None  # numeric alternatives
    text: str | None = None  # text alternatives


@dataclass(frozen=True)
class UnaryTest:
    """A parsed cell: `-`, or (possibly negated) alternatives."""

    source: str
    items: tuple[Item, ...] = ()
    negated: bool = False

    @property
    def is_any(self) -> bool:
        return not self.items

    @property
    def numeric(self) -> bool:
        return any(item.interval is not None for item in self.items)

    def matches(self, x: float | Fraction | str) -> bool:
        """For a value already known to be non-null and inside the input's domain."""
        if not self.items:
            return True
        hit = any((item.interval.contains(x) if item.interval is not None else x == item.text) for item in self.items)  # type: ignore[arg-type]
        return hit != self.negated

    def sql(self, column: str) -> str:
        if not self.items:
            return "TRUE"
        if self.numeric:
            body = " OR ".join(f"({item.interval.sql(column)})" for item in self.items)  # type: ignore[union-attr]
        else:
            body = f"{column} IN ({', '.join(quote_text(item.text or '') for item in self.items)})"
        return f"(NOT ({body}))" if self.negated else f"({body})"


ANY = UnaryTest("-")


def parse_test(source: str) -> UnaryTest:
    """Parse one cell; raise RuleError with the span of what is wrong."""
    return _Parser(source).test()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens: list[tuple[str, str, Span]] = []
        for match in _TOKEN.finditer(source):
            kind = match.lastgroup
            if kind is None:
                continue
            start = match.start(kind)
            self.tokens.append((kind, match.group(kind), Span(start, match.end(kind))))
        self.position = 0

    def fail(self, message: str, span: Span | None = None, hint: str = "") -> RuleError:
        if span is None:
            span = self.peek()[2] if self.position < len(self.tokens) else Span(len(self.source), len(self.source) + 1)
        return RuleError(message, span, hint or 'write e.g. [1..2.5), >= 3.5, "east","south" or -', self.source)

    def peek(self) -> tuple[str, str, Span]:
        return self.tokens[self.position] if self.position < len(self.tokens) else ("end", "", Span(len(self.source), len(self.source) + 1))

    def take(self) -> tuple[str, str, Span]:
        token = self.peek()
        self.position += 1
        return token

    def test(self) -> UnaryTest:
        if not self.tokens:
            raise self.fail("empty test", Span(0, max(len(self.source), 1)), "write - to match any value")
        if [t[1] for t in self.tokens] == ["-"] or (len(self.tokens) == 1 and self.tokens[0][0] == "bad" and self.tokens[0][1] == "-"):
            return UnaryTest(self.source)
        negated = False
        if (
            self.peek()[0] == "word"
            and self.peek()[1] == "not"
            and self.position + 1 < len(self.tokens)
            and self.tokens[self.position + 1][1] == "("
        ):
            self.take(), self.take()
            negated = True
        items = [self.item()]
        while self.peek()[1] == ",":
            self.take()
            items.append(self.item())
        if negated:
            if self.peek()[1] != ")":
                raise self.fail("expected ')' to close not(")
            self.take()
        if self.peek()[0] != "end":
            _, text, span = self.peek()
            if text == "..":
                raise self.fail("an interval needs brackets", span, "e.g. [1..2.5] or [1..2.5)")
            raise self.fail(f"unexpected '{text}'", span, "separate alternatives with commas")
        kinds = {item.interval is not None for item in items}
        if len(kinds) > 1:
            raise self.fail("a test cannot mix numbers and text", Span(0, len(self.source)))
        return UnaryTest(self.source, tuple(items), negated)

    def item(self) -> Item:
        kind, text, span = self.take()
        if kind == "op" and text in ("<", "<=", ">", ">=", "=", "=="):
            value, end = self.number(after=text)
            whole = Span(span.start, end.end)
            if text in ("=", "=="):
                return Item(whole, Interval(value, value))
            if text.startswith("<"):
                return Item(whole, Interval(None, value, high_closed=text == "<="))
            return Item(whole, Interval(value, None, low_closed=text == ">="))
        if kind == "op" and text in ("[", "(", "]"):
            return self.interval(text, span)
        if kind == "number":
            value = float(text)
            if self.peek()[1] == "..":
                after = self.tokens[self.position + 1] if self.position + 1 < len(self.tokens) else self.peek()
                end = after[2].end if after[0] == "number" else self.peek()[2].end
                raise self.fail("an interval needs brackets", Span(span.start, end), "e.g. [1..2.5] or [1..2.5)")
            return Item(span, Interval(value, value))
        if kind == "string":
            return Item(span, text=text[1:-1])
        if kind == "word":
            return Item(span, text=text)
        if kind == "end":
            raise self.fail("a test is missing after ','" if self.position > 1 else "empty test")
        raise self.fail(f"unexpected '{text}'", span)

    def number(self, after: str) -> tuple[float, Span]:
        kind, text, span = self.take()
        if kind != "number":
            raise self.fail(f"expected a number after '{after}'", span if kind != "end" else None)
        return float(text), span

    def interval(self, opening: str, start: Span) -> Item:
        low, _ = self.number(after=opening)
        if self.peek()[1] != "..":
            raise self.fail("expected '..' between the ends of an interval", hint="e.g. [1..2.5)")
        self.take()
        high, _ = self.number(after="..")
        kind, closing, end = self.take()
        if closing not in ("]", ")", "["):
            raise self.fail("the interval is not closed: expected ']' or ')'", end if kind != "end" else None, "e.g. [1..2.5)")
        item = Item(Span(start.start, end.end), Interval(low, high, opening == "[", closing == "]"))
        if low > high or (low == high and not (opening == "[" and closing == "]")):
            raise self.fail(f"the interval {self.source[start.start : end.end]} is empty", item.span, "write the lower end first")
        return item
