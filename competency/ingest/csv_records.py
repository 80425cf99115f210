"""A CSV file's records read in Python, for the files DuckDB's reader would misread.

Two kinds of file come here (see `read_csv.py`): files with empty lines
between rows, and files with a quote that is never closed. DuckDB, like any
CSV reader, takes everything after an unclosed quote as one value, so every
later row would vanish into one. Here the record that holds such a quote is
rejected, and the lines after its first line are read again as rows of their
own. `unclosed_quote` finds such a quote without reading the file row by row.
"""

from __future__ import annotations

import codecs
import csv
import mmap
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from competency.ingest.staging import Record, file_error, too_many

# The longest value read here: DuckDB's limit on a line (the csv module's own is 128 KB).
FIELD_LIMIT = 2_000_000
MAX_UNCLOSED = 20
_FIX_QUOTES = (
    "fix the quotes in an editor (a value holding the delimiter or a line break is written"
    " in double quotes, a quote inside it doubled), or export the file again"
)


def unclosed_quote(path: Path, delimiter: str) -> bool:
    """Whether a quote opens a value and is never closed, as DuckDB reads quotes.
    Jumps from quote to quote, so it costs little unless the file holds many quotes.

    A quote opens a value at the start of a field (spaces before it allowed) or right
    after a closing quote, where DuckDB reads it as opening again; elsewhere it is
    an ordinary character. Inside a value, `""` is a quote.
    """
    field_end = re.compile(b"[" + re.escape(delimiter.encode()) + b"\\r\\n]")
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        first = len(codecs.BOM_UTF8) if data[:3] == codecs.BOM_UTF8 else 0
        closed = -1  # where the last quoted value closed
        position = data.find(b'"', first)
        while position >= 0:
            if _opens(data, position, first, delimiter.encode(), closed, field_end):
                closed = _closing(data, position + 1)
                if closed < 0:
                    return True
            position = data.find(b'"', (closed if closed > position else position) + 1)
    return False


def _opens(data: mmap.mmap, position: int, first: int, delimiter: bytes, closed: int, field_end: re.Pattern[bytes]) -> bool:
    if closed >= 0 and field_end.search(data, closed + 1, position) is None:
        return True  # still in the field a quoted value closed: DuckDB opens again
    before = position
    while before > first and data[before - 1 : before] == b" ":
        before -= 1
    return before == first or data[before - 1 : before] in (delimiter, b"\n", b"\r")


def _closing(data: mmap.mmap, start: int) -> int:
    """The position of the quote closing a value that starts at `start`, or -1."""
    while True:
        end = data.find(b'"', start)
        if end < 0 or data[end + 1 : end + 2] != b'"':
            return end
        start = end + 2


def csv_records(path: Path, delimiter: str, width: int, shown: str) -> Iterator[Record]:
    """Rows with their spreadsheet row numbers; empty lines count but are not rows, and the
    first line with a value is the header. A record that cannot be read is a rejected row."""
    limit = csv.field_size_limit(FIELD_LIMIT)
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            yield from _rows(_records(stream, delimiter, shown), width)
    finally:
        csv.field_size_limit(limit)


def _rows(records: Iterator[tuple[int, str | None, list[str]]], width: int) -> Iterator[Record]:
    header_seen = False
    for number, problem, fields in records:
        if problem is None and not any(field.strip() for field in fields):
            continue
        if not header_seen:
            header_seen = True
            continue
        if problem is None and len(fields) > width:
            problem = too_many(width)
        yield number, problem, fields, min(len(fields), width)


class _Lines:
    """Lines for `csv.reader`: those put back first, then the file's; the lines of the
    record being read are kept."""

    def __init__(self, source: Iterator[str]) -> None:
        self.source = source
        self.back: deque[str] = deque()
        self.taken: list[str] = []
        self.ran_out = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.back:
            line = self.back.popleft()
        else:
            try:
                line = next(self.source)
            except StopIteration:
                self.ran_out = True
                raise
        self.taken.append(line)
        return line

    def restart(self) -> str:
        """Put back the lines of the record being read but its first, which is returned."""
        first, *rest = self.taken
        self.back.extendleft(reversed(rest))
        self.taken, self.ran_out = [], False
        return first


def _records(stream: Iterator[str], delimiter: str, shown: str) -> Iterator[tuple[int, str | None, list[str]]]:
    """(record number, problem, fields) of each record, empty ones included.

    The csv reader asks for a line past the last only while a quoted value is
    open: then the record's first line is a rejected row (its fields as written,
    the quote an ordinary character), and reading starts again on the line after
    it. A record the reader refuses (a value over its size limit) is handled the
    same way. Each restart drops a line, so the loop ends. A restart after an open
    quote reads the rest of the file again, but the lines it reads again hold only
    doubled quotes (any other would have closed the value), which open no value
    that stays open: MAX_UNCLOSED only guards that reasoning."""
    lines = _Lines(stream)
    number = line = unclosed = 0  # records, lines and unclosed quotes read so far
    while True:
        try:
            for fields in csv.reader(lines, delimiter=delimiter):
                if lines.ran_out:
                    break
                number += 1
                yield number, None, fields
                line += len(lines.taken)
                lines.taken = []
            else:
                return
            unclosed += 1
            if unclosed > MAX_UNCLOSED:
                message = f"more than {MAX_UNCLOSED} rows hold a quote that is never closed (the last on line {line + 1})"
                raise file_error(shown, message, _FIX_QUOTES, line + 1)
            problem = f'unclosed quote: the value opened with " on line {line + 1} has no closing "'
        except csv.Error as error:  # in practice, only a value over FIELD_LIMIT
            problem = f"unreadable row: {error} (from line {line + 1})"
            if "larger" in str(error):
                problem = f"value too long: a value from line {line + 1} runs past {_size(FIELD_LIMIT)} (is a quote left open?)"
        if not lines.taken:
            return
        number += 1
        yield number, problem, _as_written(lines.restart(), delimiter)
        line += 1


def _size(size: int) -> str:
    return f"{size / 1e6:g} MB" if size >= 1_000_000 else f"{size} bytes"


def _as_written(line: str, delimiter: str) -> list[str]:
    """A line's fields with quotes read as ordinary characters."""
    return line.rstrip("\r\n").split(delimiter)
