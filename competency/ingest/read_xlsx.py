"""An XLSX workbook → the staging table, through the numbered path.

The sheet is streamed (openpyxl's read-only mode) with the values Excel saved
for its formulas. What can go wrong is named, with the file and the place:

- a file that is no workbook, or whose zip archive is broken or cut short;
- a workbook without a sheet, or whose sheet's part is missing from the archive;
- sheet XML that is cut short or broken: the row it breaks at;
- a formula cell without a saved value (a file written by a program that does
  not calculate): its row is rejected, since the value is not in the file;
- cells past the last header: the row is rejected, as a CSV row with too many fields.

The sheet's stated size is not trusted (a tiny file can claim a million rows
of sixteen thousand columns): rows are read as far as they hold cells.
"""

from __future__ import annotations

import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from competency._text import did_you_mean
from competency.errors import Location, SourceErrors, SourceProblem
from competency.ingest.staging import Record, Staging, cell_text, empty_file_error, file_error, stage_numbered, too_many

NO_SAVED_VALUE = "formula without a saved value: open and save the file in Excel"
_RESAVE = "open the file in Excel and save it again; if Excel cannot open it, export it again from where it came from"
# What openpyxl raises on a damaged part: XML errors (SyntaxError), zip and inflate errors,
# a missing part or string (LookupError), and values its parsers refuse.
_DAMAGE = (SyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError, LookupError, ValueError, TypeError, AttributeError)
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


class _Missing:
    """A formula cell whose saved value is missing."""


@dataclass(frozen=True)
class _Listed:
    """A sheet as the workbook lists it."""

    name: str
    part: str  # its file in the archive, e.g. xl/worksheets/sheet1.xml
    chart: bool
    present: bool  # whether the archive holds the part


_NO_VALUE = _Missing()


def stage_xlsx(
    db: duckdb.DuckDBPyConnection, path: Path, stem: str, workdir: Path, shown: str, sheet: str | None, sheet_problem: Callable[[str, str], SourceProblem]
) -> Staging:
    """Stream a workbook's sheet (the first unless `sheet` names one).

    `sheet_problem(message, hint)` makes the error for a sheet the mapping
    names but the workbook lacks, placed in the mapping file.
    """
    with ExitStack() as stack, warnings.catch_warnings():
        # openpyxl warns about styles and data validation it ignores: noise to an HR user.
        warnings.simplefilter("ignore")
        book, sheets = _open(path, shown, data_only=True)
        stack.callback(book.close)
        worksheet = _choose(book, sheets, sheet, shown, sheet_problem)
        formulas = None
        if _has_formulas(worksheet, shown):
            formula_book, _ = _open(path, shown, data_only=False)
            stack.callback(formula_book.close)
            formulas = formula_book[worksheet.title]
        rows = _rows(worksheet, formulas, shown)
        stack.callback(rows.close)  # the generator holds the sheet's stream open until closed
        header_row, headers = _xlsx_header(rows, shown)
        _check_merged_header(worksheet, header_row, headers, shown)
        return stage_numbered(db, stem, headers, _xlsx_records(rows, header_row, len(headers)), workdir, worksheet.title)


def _open(path: Path, shown: str, *, data_only: bool) -> tuple[Any, list[_Listed]]:
    """The workbook (read-only), and the sheets it lists, in order, each with its part,
    whether it is a chart, and whether the part is in the archive (openpyxl leaves out
    a sheet whose part is missing). Imported here: openpyxl takes a while to load."""
    from openpyxl.reader.excel import ExcelReader

    reader = None
    try:
        reader = ExcelReader(path, read_only=True, data_only=data_only)
        reader.read()
        sheets = [_Listed(sheet.name, rel.target, "chartsheet" in rel.Type, rel.target in reader.valid_files) for sheet, rel in reader.parser.find_sheets()]
    except Exception as error:  # openpyxl's parsers raise almost anything on a damaged file
        if reader is not None:
            reader.archive.close()
        raise _unreadable(error, shown) from None
    return reader.wb, sheets


def _unreadable(error: Exception, shown: str) -> SourceErrors:
    """The error for a workbook openpyxl cannot open."""
    from openpyxl.utils.exceptions import InvalidFileException

    if isinstance(error, zipfile.BadZipFile):
        return file_error(shown, f"the workbook cannot be opened: its zip archive is damaged or cut short ({error})", _RESAVE)
    if isinstance(error, InvalidFileException):
        return file_error(shown, f"the file is not an Excel workbook (.xlsx): {error}", "save it from Excel as 'Excel Workbook (*.xlsx)'")
    part = re.search(r"no item named '([^']+)'", str(error))
    if isinstance(error, KeyError) and part:
        return file_error(shown, f"the workbook is incomplete: its part {part.group(1)} is missing", _RESAVE)
    cause = error.__cause__ or error  # openpyxl wraps XML errors in a ValueError naming the full path
    detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return file_error(shown, f"the workbook's structure is damaged and cannot be read ({detail})", _RESAVE)


def _choose(book: Any, sheets: list[_Listed], sheet: str | None, shown: str, sheet_problem: Callable[[str, str], SourceProblem]) -> Any:
    """The named sheet, or the first sheet of rows; a sheet whose part is missing is an error, never skipped."""
    names = [listed.name for listed in sheets]
    if sheet is None:
        first = next((listed for listed in sheets if not listed.chart), None)
        if first is None:
            what = "only chart sheets" if names else "no sheet"
            raise file_error(shown, f"the workbook has {what}: there are no rows to read", "put the data on a sheet of rows, or export it again")
    elif sheet not in names:
        raise SourceErrors([sheet_problem(f"no sheet '{sheet}' in {shown}", did_you_mean(sheet, names))])
    else:
        first = sheets[names.index(sheet)]
    if not first.present:
        raise file_error(shown, f"the workbook is incomplete: sheet '{first.name}' is listed but its part {first.part} is missing", _RESAVE)
    if first.chart:
        raise file_error(shown, f"sheet '{first.name}' is a chart, not a sheet of rows", "name the sheet that holds the data in the mapping file (sheet: …)")
    return book[first.name]


def _has_formulas(worksheet: Any, shown: str) -> bool:
    """Whether the sheet's XML holds a formula, read in chunks (chunk edges overlap)."""
    try:
        with worksheet._get_source() as stream:
            tail = b""
            while chunk := stream.read(1 << 20):
                if _FORMULA.search(tail + chunk):
                    return True
                tail = chunk[-16:]
    except _DAMAGE as error:
        raise _damaged(shown, worksheet.title, 1, error) from None
    return False


def _rows(worksheet: Any, formulas: Any, shown: str) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows of values, numbered from 1; a formula without a saved value is
    `_NO_VALUE`. Damage met on the way is an error at the row being read."""
    worksheet.reset_dimensions()
    if formulas is None:
        source = worksheet.iter_rows(values_only=True)
    else:
        formulas.reset_dimensions()
        source = _paired(worksheet.iter_rows(), formulas.iter_rows())
    number = 0
    try:
        while True:
            try:
                values = next(source)
            except StopIteration:
                return
            except _DAMAGE as error:
                raise _damaged(shown, worksheet.title, number + 1, error) from None
            number += 1
            yield values
    finally:
        source.close()


def _paired(cells: Iterator[tuple[Any, ...]], formulas: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Values from the saved-values reading, `_NO_VALUE` where the formula reading has a
    formula and the saved one nothing (an empty text result is saved as type 'str')."""
    try:
        for row, formula_row in zip(cells, formulas, strict=False):
            yield tuple(
                _NO_VALUE if formula.data_type == "f" and cell.value is None and cell.data_type != "str" else cell.value
                for cell, formula in zip(row, formula_row, strict=False)
            )
    finally:
        cells.close()  # type: ignore[attr-defined]
        formulas.close()  # type: ignore[attr-defined]


def _damaged(shown: str, title: str, row: int, error: Exception) -> SourceErrors:
    if isinstance(error, SyntaxError):
        what = f"its XML is cut short or broken ({error})"
    elif isinstance(error, zipfile.BadZipFile | zlib.error | EOFError):
        what = f"its compressed data is corrupt ({error})"
    else:
        what = f"a cell cannot be read ({str(error) or type(error).__name__})"
    return file_error(shown, f"sheet '{title}' is damaged at row {row}: {what}", _RESAVE, row)


def _xlsx_header(rows: Iterator[tuple[Any, ...]], shown: str) -> tuple[int, list[str]]:
    """The first row with any value is the header (usually row 1)."""
    for number, values in enumerate(rows, start=1):
        cells = [_text(value).strip() for value in values]
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()
            return number, cells
    raise empty_file_error(shown)


def _xlsx_records(rows: Iterator[tuple[Any, ...]], header_row: int, width: int) -> Iterator[Record]:
    """A spreadsheet row has every column: a cell left empty is an empty value."""
    for number, values in enumerate(rows, start=header_row + 1):
        cells = [_text(value) for value in values[:width]]
        extra = any(_text(value).strip() for value in values[width:])
        problem = NO_SAVED_VALUE + _cells(values, number) if _NO_VALUE in values[:width] else too_many(width) if extra else None
        if problem or any(cell.strip() for cell in cells):
            yield number, problem, cells, width


def _text(value: Any) -> str:
    return "" if value is _NO_VALUE else cell_text(value)


def _cells(values: tuple[Any, ...], row: int) -> str:
    """' (cell C4)': where the formulas without a saved value are."""
    from openpyxl.utils import get_column_letter

    names = [f"{get_column_letter(index + 1)}{row}" for index, value in enumerate(values) if value is _NO_VALUE]
    return f" ({'cell' if len(names) == 1 else 'cells'} {', '.join(names)})"


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _check_merged_header(worksheet: Any, header_row: int, headers: list[str], shown: str) -> None:
    """Merged header cells leave columns without a name: say which, where."""
    if all(headers):
        return
    from openpyxl.utils import column_index_from_string

    source = getattr(worksheet, "_get_source", None)
    if source is None:
        return
    with source() as stream:
        xml = stream.read()
    problems = []
    for first_col, first_row, last_col, last_row in _MERGE.findall(xml):
        top, bottom = int(first_row), int(last_row)
        if top <= header_row <= bottom:
            start = column_index_from_string(first_col.decode())
            cells = f"{first_col.decode()}{top}:{last_col.decode()}{bottom}"
            problems.append(
                SourceProblem(
                    Location(shown, header_row, start),
                    f"header cells {cells} are merged, so the columns under them have no name of their own",
                    "unmerge the header cells and give every column its own name in one header row",
                )
            )
    if problems:
        raise SourceErrors(problems)
