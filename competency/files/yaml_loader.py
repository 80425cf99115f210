"""YAML through the safe loader, keeping the position of every node.

Files are parsed by a `SafeLoader` subclass (never the full loader), duplicate
keys and tab indentation are errors, and every value keeps its line and column
so that later validation can point back at the source. Anchors and aliases,
deep nesting and oversized values are refused before anything is built
(`yaml_limits.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from competency.errors import Location, SourceErrors, SourceProblem
from competency.files.yaml_limits import limit_problems

PathKey = tuple[Any, ...]


@dataclass(frozen=True)
class Span:
    """Where a key and its value start (1-based), and where the value ends."""

    key_line: int
    key_column: int
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class YamlDocument:
    """Plain data from one YAML file, with the position of every path in it."""

    file: str
    text: str
    data: Any
    spans: dict[PathKey, Span] = field(default_factory=dict)

    @cached_property
    def _lines(self) -> list[str]:
        return self.text.splitlines()

    def line(self, number: int) -> str | None:
        lines = self._lines
        return lines[number - 1] if 0 < number <= len(lines) else None

    def locate(self, path: PathKey, *, at_key: bool = False) -> Location:
        """The nearest known position of `path`: itself, else its closest parent."""
        for cut in range(len(path), -1, -1):
            span = self.spans.get(tuple(path[:cut]))
            if span is None:
                continue
            if at_key and cut > 0:
                return Location(self.file, span.key_line, span.key_column)
            end = span.end_column if span.end_line == span.line else None
            return Location(self.file, span.line, span.column, end)
        return Location(self.file, 1, 1)

    def problem(self, path: PathKey, message: str, hint: str = "", *, at_key: bool = False) -> SourceProblem:
        location = self.locate(path, at_key=at_key)
        return SourceProblem(location, message, hint, self.line(location.line))


class _DuplicateKeys:
    """Records duplicate keys instead of silently keeping the last (mixed into a safe loader)."""

    def __init__(self, stream: str, file: str) -> None:
        super().__init__(stream)
        self.file = file
        self.problems: list[SourceProblem] = []
        self.lines = stream.splitlines()

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        found = len(self.problems)
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                self.problems.append(self._at(key_node, "a mapping key must be a plain value", "write the key as text, e.g. `name:`"))
                continue
            if key in seen:
                first = seen[key].start_mark.line + 1
                self.problems.append(
                    self._at(key_node, f"duplicate key '{key}' (first given on line {first})", "remove one of them or merge their contents")
                )
            else:
                seen[key] = key_node
        if len(self.problems) > found:
            # Still build the mapping so other errors can be found; keep the first value.
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    if key not in result:
                        result[key] = self.construct_object(value_node, deep=deep)
                except TypeError:
                    continue
            return result
        return super().construct_mapping(node, deep=deep)

    def _at(self, node: yaml.Node, message: str, hint: str) -> SourceProblem:
        mark = node.start_mark
        end = node.end_mark.column + 1 if node.end_mark.line == mark.line else None
        location = Location(self.file, mark.line + 1, mark.column + 1, end)
        text = self.lines[mark.line] if mark.line < len(self.lines) else None
        return SourceProblem(location, message, hint, text)


class _PositionLoader(_DuplicateKeys, yaml.SafeLoader):
    """The pure-Python safe loader: its syntax messages are the ones users see."""


# libyaml's parser (shipped in PyYAML's wheels) is several times faster with the
# same positions; it reads valid files, and a file with a syntax error is read
# again by the pure-Python loader so that the message is always worded the same.
_FastPositionLoader = type("_FastPositionLoader", (_DuplicateKeys, getattr(yaml, "CSafeLoader", yaml.SafeLoader)), {})

# Mappings build their keys from scalars; keep the safe constructors for the rest.
for _loader in (_PositionLoader, _FastPositionLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", lambda loader, node: loader.construct_mapping(node, deep=True))

_TAB_INDENT = re.compile(r"^[ ]*\t")


def _tab_problems(text: str, file: str) -> list[SourceProblem]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _TAB_INDENT.match(line)
        if match:
            column = match.end()
            problems.append(
                SourceProblem(
                    Location(file, number, column),
                    "tab character in indentation",
                    "YAML indents with spaces only: replace the tab with spaces (2 per level is usual)",
                    line,
                )
            )
    return problems


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, file: str) -> SourceProblem:
    if "quoted scalar" in (error.context or "") and error.context_mark is not None and "end of stream" in (error.problem or ""):
        mark = error.context_mark
        lines = text.splitlines()
        return SourceProblem(
            Location(file, mark.line + 1, mark.column + 1),
            "YAML syntax error: the quote opened here is never closed",
            "add the closing quote at the end of the text",
            lines[mark.line] if mark.line < len(lines) else None,
        )
    mark = error.problem_mark or error.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    lines = text.splitlines()
    what = (error.problem or "invalid YAML").strip()
    context = f" ({error.context.strip()} on line {error.context_mark.line + 1})" if error.context and error.context_mark else ""
    hint = "check quotes, colons and indentation around this place"
    if "found unexpected end of stream" in what or "while scanning a quoted scalar" in (error.context or ""):
        hint = "a quoted text is not closed: add the closing quote"
    elif "found another document" in what:
        hint = "keep one document per file"
    elif "mapping values are not allowed" in what:
        hint = "a value containing ': ' must be quoted, or a key is indented wrongly"
    return SourceProblem(
        Location(file, line, column),
        f"YAML syntax error: {what}{context}",
        hint,
        lines[line - 1] if 0 < line <= len(lines) else None,
    )


def _record_spans(node: yaml.Node, path: PathKey, key_node: yaml.Node | None, spans: dict[PathKey, Span], keys: yaml.SafeLoader) -> None:
    start, end = node.start_mark, node.end_mark
    key_mark = key_node.start_mark if key_node is not None else start
    spans[path] = Span(key_mark.line + 1, key_mark.column + 1, start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    if isinstance(node, yaml.MappingNode):
        for k_node, v_node in node.value:
            if isinstance(k_node, yaml.ScalarNode):
                key = _key_value(keys, k_node)
                if path + (key,) not in spans:
                    _record_spans(v_node, path + (key,), k_node, spans, keys)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_spans(item, path + (index,), None, spans, keys)


def _key_value(keys: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """The key as the loader builds it (e.g. `4:` is the integer 4)."""
    try:
        return keys.construct_object(node)
    except yaml.YAMLError:
        return node.value


def _load(loader_class: type, text: str, file: str) -> tuple[_DuplicateKeys, yaml.Node | None, Any]:
    loader = loader_class(text, file)
    try:
        node = loader.get_single_node()
        return loader, node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


def parse_yaml(text: str, file: str) -> YamlDocument:
    """Parse one YAML document, raising `SourceErrors` with every problem found."""
    problems = _tab_problems(text, file) or limit_problems(text, file)
    if problems:
        raise SourceErrors(problems)
    try:
        loader, node, data = _load(_FastPositionLoader, text, file)
    except yaml.MarkedYAMLError:
        try:
            loader, node, data = _load(_PositionLoader, text, file)
        except yaml.MarkedYAMLError as error:
            raise SourceErrors([_syntax_problem(error, text, file)]) from None
        except yaml.YAMLError as error:
            raise SourceErrors([SourceProblem(Location(file, 1, 1), f"YAML error: {error}", "keep one document per file")]) from None
    except yaml.YAMLError as error:  # e.g. several documents in one file
        raise SourceErrors([SourceProblem(Location(file, 1, 1), f"YAML error: {error}", "keep one document per file")]) from None
    if loader.problems:
        raise SourceErrors(loader.problems)
    spans: dict[PathKey, Span] = {}
    if node is not None:
        _record_spans(node, (), None, spans, yaml.SafeLoader(""))
    return YamlDocument(file, text, data, spans)


def read_yaml(path: str | Path) -> YamlDocument:
    """Read and parse a YAML file (UTF-8, with or without BOM)."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceErrors([SourceProblem(Location(str(path), 1, 1), f"cannot read file: {error.strerror}", "check the path and permissions")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceErrors(
            [SourceProblem(Location(str(path), line, 1), "the file is not UTF-8 text (it may be GB18030/GBK)", "save it as UTF-8: in your editor choose 'Save as…' with encoding UTF-8")]
        ) from None
    return parse_yaml(text, str(path))
