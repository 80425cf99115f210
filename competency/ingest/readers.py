"""CSV, XLSX and JSON files → one staging table (see `staging.py`).

- the **fast path**: DuckDB's CSV reader loads a UTF-8 CSV directly, in
  parallel when it can. Row numbers are the table's row ids counted from 2
  (the header is row 1), which is exact because the load runs with
  `preserve_insertion_order` on and the reader keeps every row: short rows are
  padded with NULL (an empty field is '' because `nullstr` is a character no
  CSV holds), and rows with too many fields fill the overflow column `fx`
  instead of failing.
- the **numbered path**: XLSX, JSON and CSV files with empty lines between rows
  (which DuckDB would skip, shifting the numbers) are streamed in Python with
  their row numbers (`staging.stage_numbered`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb

from competency._sql import Relation, new_relation, one, quote_number, quote_text
from competency._text import did_you_mean
from competency.errors import Location, SourceErrors, SourceProblem
from competency.ingest.scan import FileScan, scan_file, transcode
from competency.ingest.staging import Record, Staging, empty_file_error, file_column, file_error, load_csv, stage_numbered, too_many

DELIMITERS = (",", ";", "\t")


# ---------------------------------------------------------------- CSV

def stage_csv(db: duckdb.DuckDBPyConnection, path: Path, scan: FileScan, stem: str, workdir: Path, shown: str) -> Staging:
    """Load a CSV file (any supported encoding, `,` `;` or tab separated)."""
    if not scan.has_content:
        raise empty_file_error(shown)
    if scan.encoding != "utf-8":
        copy = workdir / "transcoded.csv"
        transcode(path, scan.encoding, copy)
        path, scan = copy, scan_file(copy, shown)
    delimiter, headers = read_csv_header(path, shown)
    if scan.empty_line_between_rows:
        return stage_numbered(db, stem, headers, _csv_records(path, delimiter, len(headers)), workdir)
    columns = (*(file_column(i) for i in range(len(headers))), "fx")
    table = load_csv(db, stem, path, delimiter, columns, parallel=not scan.quoted_line_break, shown=shown)
    count = "(" + " + ".join(f"({file_column(i)} IS NOT NULL)::INT" for i in range(len(headers))) + ")"
    problem = f"CASE WHEN fx IS NOT NULL THEN {quote_text(too_many(len(headers)))} END"
    table, row_sql, shift = _row_numbers(db, table)
    return Staging(table, tuple(headers), row_sql, problem, count, padded=True, rowid_shift=shift)


def _row_numbers(db: duckdb.DuckDBPyConnection, table: Relation) -> tuple[Relation, str, int | None]:
    """File row numbers from the staging table's row ids, which follow the file's order:
    the table, SQL for a row's number, and the shift from number to rowid when there is one.

    Inside a transaction DuckDB numbers new rows from a large offset, so the
    ids are shifted to start at row 2. Should they ever not be contiguous,
    ranking them gives the same numbers (in a copy with the number as `f0`), only slower.
    """
    first, last, count = one(db, f"SELECT min(rowid), max(rowid), count(*) FROM {table}")  # type: ignore[misc]
    if count == 0 or last - first + 1 == count:
        first = first or 0
        return table, f"(rowid - {quote_number(first)} + 2)", first - 2
    numbered = new_relation(table.name, ("f0", *table.columns))
    db.execute(f"CREATE TEMP TABLE {numbered} AS SELECT row_number() OVER (ORDER BY rowid) + 1 AS f0, * FROM {table}")
    return numbered.check(db), "f0", None


def read_csv_header(path: Path, shown: str) -> tuple[str, list[str]]:
    """The delimiter (the candidate that splits the header most) and the header names."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        head = stream.read(1 << 16)
    first = next((line for line in head.splitlines() if line.strip()), "")
    best, headers = ",", [first]
    for delimiter in DELIMITERS:
        fields = next(csv.reader(io.StringIO(first), delimiter=delimiter), [])
        if len(fields) > len(headers):
            best, headers = delimiter, fields
    if not first.strip():
        raise empty_file_error(shown)
    return best, [header.strip() for header in headers]


def _csv_records(path: Path, delimiter: str, width: int) -> Iterator[Record]:
    """Rows with their spreadsheet row numbers; empty lines count but are not rows."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header_seen = False
        for number, fields in enumerate(csv.reader(stream, delimiter=delimiter), start=1):
            if not any(field.strip() for field in fields):
                continue
            if not header_seen:
                header_seen = True
                continue
            yield number, too_many(width) if len(fields) > width else None, fields, min(len(fields), width)


# ---------------------------------------------------------------- XLSX

def stage_xlsx(
    db: duckdb.DuckDBPyConnection, path: Path, stem: str, workdir: Path, shown: str, sheet: str | None, sheet_problem: Callable[[str, str], SourceProblem]
) -> Staging:
    """Stream a workbook's sheet (the first unless `sheet` names one).

    `sheet_problem(message, hint)` makes the error for a sheet the mapping
    names but the workbook lacks, placed in the mapping file.
    """
    # Imported here: openpyxl takes a while to load and most imports are CSV.
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    with warnings.catch_warnings():
        # openpyxl warns about styles and data validation it ignores: noise to an HR user.
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise file_error(shown, f"the file is not an Excel workbook (.xlsx): {error}", "save it from Excel as 'Excel Workbook (*.xlsx)'") from None
        try:
            if sheet is not None and sheet not in book.sheetnames:
                raise SourceErrors([sheet_problem(f"no sheet '{sheet}' in {shown}", did_you_mean(sheet, book.sheetnames))])
            worksheet = book[sheet] if sheet is not None else book.worksheets[0]
            rows = worksheet.iter_rows(values_only=True)
            try:
                header_row, headers = _xlsx_header(rows, shown)
                _check_merged_header(worksheet, header_row, headers, shown)
                records = _xlsx_records(rows, header_row, len(headers))
                return stage_numbered(db, stem, headers, records, workdir, worksheet.title)
            finally:
                rows.close()  # the generator holds the sheet's stream open until closed
        finally:
            book.close()


def _xlsx_header(rows: Iterator[tuple[Any, ...]], shown: str) -> tuple[int, list[str]]:
    """The first row with any value is the header (usually row 1)."""
    for number, values in enumerate(rows, start=1):
        cells = [cell_text(value).strip() for value in values]
        if any(cells):
            while cells and not cells[-1]:
                cells.pop()
            return number, cells
    raise empty_file_error(shown)


def _xlsx_records(rows: Iterator[tuple[Any, ...]], header_row: int, width: int) -> Iterator[Record]:
    """A spreadsheet row has every column: a cell left empty is an empty value."""
    for number, values in enumerate(rows, start=header_row + 1):
        cells = [cell_text(value) for value in values[:width]]
        if any(cell.strip() for cell in cells):
            yield number, None, cells, width


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


def cell_text(value: Any) -> str:
    """A spreadsheet or JSON value as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# ---------------------------------------------------------------- JSON

def stage_json(db: duckdb.DuckDBPyConnection, path: Path, stem: str, workdir: Path, shown: str) -> Staging:
    """A list of objects, or {"rows": [...]}; row N is the list's Nth object.

    The file is parsed whole (the standard library has no streaming JSON
    parser, and JSON exports are small); big files come as CSV.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise file_error(shown, "the file is not UTF-8 text", "JSON files must be saved as UTF-8") from None
    if not text.strip():
        raise empty_file_error(shown)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise file_error(shown, f"not valid JSON: {error.msg}", "check the brackets, quotes and commas around this place", error.lineno, error.colno) from None
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    if not isinstance(data, list):
        raise file_error(shown, 'the JSON must be a list of rows, or {"rows": [...]}', 'write each row as an object: [{"employee_id": "E1", …}, …]')
    headers: dict[str, None] = {}
    for item in data:
        if isinstance(item, dict):
            headers.update((str(key).strip(), None) for key in item)
    names = list(headers)
    return stage_numbered(db, stem, names, _json_records(data, names), workdir)


def _json_records(data: list[Any], names: list[str]) -> Iterator[Record]:
    """An object's missing keys are empty values, as in a spreadsheet."""
    width = len(names)
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            # The value goes in the first column so the analyst sees it in the rejects file.
            yield number, 'not an object: each row must be {"column": value, …}', [cell_text(item)] + [""] * (width - 1), width
            continue
        values = {str(key).strip(): value for key, value in item.items()}
        yield number, None, [cell_text(values.get(name)) for name in names], width
