"""A JSON file → the staging table: a list of objects, or {"rows": [...]}.

Row N is the list's Nth element, and every element is a row: one that is not
an object (null, a number, a string, a list) is rejected as such, and `{}` is
a row with every value missing. The file is parsed whole (the standard
library has no streaming JSON parser, and JSON exports are small), so its size
and nesting are capped before it is parsed; big files come as CSV. Numbers
keep the text the file gives them where Python would change it: integers of
any length, and `NaN`/`Infinity`, which the number checks then refuse.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from competency.errors import SourceErrors
from competency.ingest.staging import Record, Staging, cell_text, empty_file_error, file_error, stage_numbered

MAX_BYTES = 100 << 20
MAX_DEPTH = 64  # a row is at depth 2 (3 inside {"rows": …}); deeper values are kept as JSON text

_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_INNERMOST = re.compile(r"\[\]|\{\}")
_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def stage_json(db: duckdb.DuckDBPyConnection, path: Path, stem: str, workdir: Path, shown: str) -> Staging:
    """Stage the rows of a JSON file, each element of its list a row."""
    data = _parse(path, shown)
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise file_error(shown, 'the JSON must be a list of rows, or {"rows": [...]}', 'write each row as an object: [{"employee_id": "E1", …}, …]')
    headers: dict[str, None] = {}
    for item in data:
        if isinstance(item, dict):
            headers.update((str(key).strip(), None) for key in item)
    names = list(headers)
    if data and not names:
        raise file_error(shown, f"none of the list's {len(data)} elements is an object with columns", 'write each row as an object: [{"employee_id": "E1", …}, …]')
    return stage_numbered(db, stem, names, _json_records(data, names), workdir, every_row_counts=True)


def _parse(path: Path, shown: str) -> Any:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise file_error(
            shown,
            f"the JSON file is {_size(size)}; a JSON file is read whole, so it may be at most {_size(MAX_BYTES)}",
            "export the data as CSV, which has no such limit",
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(shown, "the file is not UTF-8 text", "JSON files must be saved as UTF-8") from None
    if not text.strip():
        raise empty_file_error(shown)
    _check_depth(text, shown)
    try:
        return json.loads(text, parse_int=_Number, parse_constant=_Number)
    except json.JSONDecodeError as error:
        raise file_error(shown, f"not valid JSON: {error.msg}", "check the brackets, quotes and commas around this place", error.lineno, error.colno) from None
    except RecursionError:  # the check above keeps parsing shallow; this stays a message all the same
        raise _too_deep(text, shown) from None


def _size(size: int) -> str:
    """1.5 MB, 2 KB: a size as a person reads it."""
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{size:.3g} {unit}"
        size /= 1024  # type: ignore[assignment]
    return f"{size:.3g} GB"


def _check_depth(text: str, shown: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before parsing (Python's parser would run out
    of stack). Strings are taken out and brackets kept; then each round removes the
    innermost pairs, so the rounds needed are the depth: a few for a list of rows."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    for _ in range(MAX_DEPTH):
        if not brackets:
            return
        shorter = _INNERMOST.sub("", brackets)
        if shorter == brackets:
            return  # unbalanced: the parser names the place
        brackets = shorter
    if _INNERMOST.search(brackets):
        raise _too_deep(text, shown)


def _too_deep(text: str, shown: str) -> SourceErrors:
    """The error at the first bracket nested deeper than MAX_DEPTH."""
    depth, offset = 0, 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        depth += 1 if token in "[{" else -1 if token in "]}" else 0
        if depth > MAX_DEPTH:
            offset = match.start()
            break
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    hint = 'a row is an object of plain values: [{"employee_id": "E1", …}, …]'
    return file_error(shown, f"the JSON is nested more than {MAX_DEPTH} levels deep", hint, line, column)


def _json_records(data: list[Any], names: list[str]) -> Iterator[Record]:
    """An object's missing keys are empty values, as in a spreadsheet."""
    width = len(names)
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            # The value goes in the first column so the analyst sees it in the rejects file.
            problem = f'not an object: element {number} of the list is {_kind(item)}; each row must be {{"column": value, …}}'
            yield number, problem, [cell_text(item)] + [""] * (width - 1), width
            continue
        values = {str(key).strip(): value for key, value in item.items()}
        yield number, None, [cell_text(values.get(name)) for name in names], width


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "a list"
    return "a number" if isinstance(value, float | _Number) else "a string"


class _Number(str):
    """A JSON integer or NaN/Infinity, kept as the file writes it (Python refuses
    integers of more than 4,300 digits, and NaN is no number an HR file means)."""
