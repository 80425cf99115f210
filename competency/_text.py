"""Text for people: display width, did-you-mean, numbers, and plain-text and CSV
tables (CSV with a BOM for Excel, no live formulas)."""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any


def display_width(text: str) -> int:
    """Columns `text` takes: Chinese and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The known choice a person most likely meant by `word`, if one is close enough."""
    close = difflib.get_close_matches(str(word), sorted({str(choice) for choice in choices}), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the closest known choice, else listing the choices."""
    options = sorted({str(choice) for choice in choices})
    close = closest(word, options)
    if close is not None:
        return f"did you mean '{close}'?"
    if not options:
        return ""
    shown = ", ".join(options[:12]) + (", …" if len(options) > 12 else "")
    return f"known: {shown}"


# A cell starting with one of these is a formula (or DDE) to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A plain signed number ("-1", "+2.5e3") is read as a number, never run: it stays as it is,
# so a rejected KPI actual of -1 imports again once its row is fixed.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value, with text that a spreadsheet would run as a formula made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def csv_text(columns: Sequence[str], rows: Iterable[dict[str, Any]], *, bom: bool = True) -> str:
    """CSV (UTF-8, BOM first so Excel reads Chinese correctly), every cell made safe."""
    buffer = io.StringIO()
    if bom:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else safe_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def text_table(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """An aligned plain-text table for the terminal."""

    def show(value: Any) -> str:
        if value is None:
            return "—"
        if isinstance(value, float):
            return number(value)
        if isinstance(value, (list, tuple)):
            return terminal_text(",".join(map(str, value))) or "—"
        return terminal_text(str(value))  # measured as printed, so the columns line up

    cells = [[show(row.get(c)) for c in columns] for row in rows]
    widths = [max([display_width(c)] + [display_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(_pad(c, w) for c, w in zip(columns, widths))]
    lines += ["  ".join(_pad(v, w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def number(value: float | None, digits: int = 2) -> str:
    """A figure as people read it: `digits` decimals, or a dash when there is none."""
    return "—" if value is None else f"{value:.{digits}f}"


def json_text(data: Any) -> str:
    """JSON for people and programs alike: indented, Chinese kept readable, dates as text.

    Strict JSON: a NaN or an infinity (which JSON cannot express, and which means
    "no figure" wherever it comes from) is written as null; DEL and the C1 control
    characters are written as \\u escapes, so printing the text never drives a terminal."""
    text = json.dumps(_finite(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


# Outside strings JSON is ASCII, so these can only occur inside strings, where an escape means the same.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")


def _finite(data: Any) -> Any:
    """`data` with every non-finite float replaced by None."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(value) for value in data]
    return data


# What a terminal would act on: escape sequences (CSI, OSC with its text, DCS/PM/APC
# strings, two-character escapes), a carriage return that is not a line end (it
# rewrites the line), and the other C0 controls but tab and newline, DEL and C1.
_TERMINAL_CONTROLS = re.compile(
    "\x1b\\][^\x07\x1b\n]*(?:\x07|\x1b\\\\)?"
    "|\x1b[P^_X][^\x1b\n]*(?:\x1b\\\\)?"
    "|\x1b\\[[0-?]*[ -/]*[@-~]?"
    "|\x1b[ -/]*[0-~]?"
    "|\r(?!\n)"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def terminal_text(text: str) -> str:
    """`text` without anything a terminal would run: a name such as
    "\\x1b]0;pwned\\x07Li" prints as "Li". Chinese and other printable text is kept."""
    return _TERMINAL_CONTROLS.sub("", text)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def markdown_text(text: str) -> str:
    """Text written by people (names, comments, notes) made inert in Markdown, on one
    line: `<`, `>` and `&` become entities, so a viewer never runs HTML, and the
    characters that start emphasis, links, code, tables or headings are escaped.
    Terminal control sequences are dropped whole (escaping their brackets would
    leave half a sequence)."""
    text = " ".join(terminal_text(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
