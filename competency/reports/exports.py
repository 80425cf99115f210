"""Tables for HR systems and for Excel: CSV (UTF-8 with a BOM), XLSX and JSON.

Pure: columns and rows in, text or bytes out. Every text cell that a
spreadsheet would run as a formula (`= + - @`, tab, CR first) is made inert
with `competency._text.safe_cell`, in CSV and XLSX alike.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from competency._text import csv_text, display_width, json_text, safe_cell

FORMATS = ("csv", "xlsx", "json")
HEADER_FILL = "1F4E79"
WIDTH_SAMPLE = 500  # rows looked at to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60


def to_csv(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """CSV for Excel: BOM first, CRLF line ends, formulas made inert."""
    return csv_text(columns, rows)


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def to_json(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    """A JSON array of objects with the columns in order (values as they are: JSON runs nothing)."""
    return json_text([{c: _jsonable(row.get(c)) for c in columns} for row in rows]) + "\n"


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        return len(f"{value:.4g}") + 2
    return display_width(str(value))


def _cell(value: Any) -> Any:
    value = safe_cell(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def to_xlsx(columns: Sequence[str], rows: Sequence[dict[str, Any]], sheet: str) -> bytes:
    """An XLSX workbook of one sheet: a bold, filled header row, the header frozen, an
    auto-filter, and columns sized to their contents."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31])
    widths = [_width(c) + 2 for c in columns]
    for row in rows[:WIDTH_SAMPLE]:
        for i, c in enumerate(columns):
            widths[i] = max(widths[i], _width(_cell(row.get(c))))
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(width + 1, MIN_WIDTH), MAX_WIDTH)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"
    font, fill, align = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor=HEADER_FILL), Alignment(vertical="center")
    header = []
    for name in columns:
        cell = WriteOnlyCell(ws, value=name)
        cell.font, cell.fill, cell.alignment = font, fill, align
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append([_cell(row.get(c)) for c in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_table(fmt: str, columns: Sequence[str], rows: Sequence[dict[str, Any]], sheet: str) -> str | bytes:
    """The table in `fmt` (csv, xlsx or json): text, or bytes for XLSX."""
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "json":
        return to_json(columns, rows)
    if fmt == "xlsx":
        return to_xlsx(columns, rows, sheet)
    raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
