"""From a span inside an expression to `file:line:col` inside the YAML file.

An expression is one YAML scalar; the loader knows where the scalar starts.
For a plain or quoted scalar on one line, the raw text is walked to map each
character of the value to its column (quotes, `''` and backslash escapes
shift it). Block scalars and scalars folded over several lines point at the
value's start: the message still names the sub-expression.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from competency.files.yaml_loader import PathKey, YamlDocument
from competency.errors import Location, RuleError, SourceProblem
from competency.rules.expr import Span

_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}


def scalar_location(document: YamlDocument, path: PathKey, span: Span, value: str) -> Location:
    """Where characters `span` of the scalar at `path` (whose text is `value`) are."""
    where = document.spans.get(tuple(path))
    if where is None:
        return document.locate(path)
    if where.line != where.end_line:
        return Location(document.file, where.line, where.column)
    line = document.line(where.line) or ""
    raw = line[where.column - 1 : where.end_column - 1]
    columns = _columns(raw, value)
    if columns is None:
        return Location(document.file, where.line, where.column, where.end_column)
    start = columns[min(span.start, len(value))]
    end = columns[min(max(span.end, span.start), len(value))]
    return Location(document.file, where.line, where.column + start, where.column + max(end, start + 1))


def _columns(raw: str, value: str) -> list[int] | None:
    """Offset in `raw` of each character of `value` (and one past the end), or None."""
    if raw == value:
        return list(range(len(value) + 1))
    if len(raw) < 2 or raw[0] not in "'\"" or raw[-1] != raw[0]:
        return None
    inner, quote = raw[1:-1], raw[0]
    columns, index = [], 0
    while index < len(inner):
        columns.append(index + 1)
        if quote == "'" and inner.startswith("''", index):
            index += 2
        elif quote == '"' and inner[index] == "\\" and index + 1 < len(inner):
            index += _ESCAPE_LENGTH.get(inner[index + 1], 2)
        else:
            index += 1
    columns.append(len(inner) + 1)
    return columns if len(columns) == len(value) + 1 else None


@dataclass
class Reporter:
    """Collects the problems of one YAML document, each placed in the file."""

    document: YamlDocument
    problems: list[SourceProblem] = field(default_factory=list)

    def at(self, path: PathKey, message: str, hint: str = "", *, at_key: bool = False) -> None:
        self.problems.append(self.document.problem(tuple(path), message, hint, at_key=at_key))

    def rule_error(self, path: PathKey, error: RuleError, value: str) -> None:
        location = scalar_location(self.document, tuple(path), error.span, value)
        self.problems.append(SourceProblem(location, error.message, error.hint, self.document.line(location.line)))

    def value(self, path: PathKey) -> Any:
        data: Any = self.document.data
        for key in path:
            data = data[key]
        return data

    def line_of(self, path: PathKey) -> int:
        return self.document.locate(tuple(path)).line
