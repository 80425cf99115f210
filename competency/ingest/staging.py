"""What every reader produces: a file's rows as text in a temporary table.

The table's columns `f1…fN` hold the file's columns as text (no type
guessing: the validation decides what a value means), with SQL expressions
for each row's file row number, for the number of fields the row had, and for
the reason when its shape is broken beyond repair (too many fields, an
unclosed quote, a JSON row that is not an object, a spreadsheet formula
without a saved value). Too few fields are judged later, against the columns
the file must have.

Two paths lead there (see `read_csv.py`): DuckDB's CSV reader loads a UTF-8 CSV
directly (the fast path); XLSX, JSON, and CSV files with empty lines between
rows or a quote left open are streamed in Python into a temporary UTF-8 CSV that carries each
row's number, shape problem and field count in its first three columns
(`f0`, `fp`, `fn`), then loaded the same way (the numbered path).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from competency._sql import Relation, new_relation, one, quote_ident, quote_number, quote_path, quote_text
from competency.errors import InputFileError, Location, SourceErrors, SourceProblem

_NULL = "\x01"  # what DuckDB reads as NULL: never in a CSV, so empty fields stay ''

# A row of the numbered path: its row number, a shape problem, its fields, how many the file gave.
Record = tuple[int, str | None, list[str], int]


@dataclass(frozen=True)
class Staging:
    """A file's rows as text in a temporary table."""

    table: Relation
    headers: tuple[str, ...]  # as the file names them; '' for a column without a header
    row_sql: str  # the file row number of a staged row
    problem_sql: str  # the reason when the row's shape is broken beyond repair, else NULL
    fields_sql: str  # how many fields the row had
    padded: bool = False  # missing fields are NULL (the fast path), so a field's presence is a NULL test
    sheet: str | None = None
    rowid_shift: int | None = None  # on the fast path: a row's rowid is its file row number + this
    every_row_counts: bool = False  # a row without any value is still a row (a JSON `{}` or `null`)

    def join_rows(self, alias: str, number: str) -> str:
        """SQL: JOIN the staged row (as `alias`) whose file row number is `number`.

        On the fast path the join compares row ids, so DuckDB fetches only those
        rows instead of reading every staged value (0.6 s for 1,000 rejected
        answers of 20 M)."""
        if self.rowid_shift is not None:
            return f"JOIN {self.table} {alias} ON {alias}.rowid = {number} + {quote_number(self.rowid_shift)}"
        return f"JOIN (SELECT {self.row_sql} AS rn, * FROM {self.table}) {alias} ON {alias}.rn = {number}"

    def column(self, index: int) -> str:
        """The SQL name of the file's column `index` (0-based)."""
        return file_column(index)

    def has_field(self, index: int) -> str:
        """SQL: the row reaches column `index` (0-based)."""
        return f"{self.column(index)} IS NOT NULL" if self.padded else f"{self.fields_sql} > {quote_number(index)}"


def file_column(index: int) -> str:
    """The staging table's name for the file's column `index` (0-based)."""
    return f"f{index + 1}"


def file_error(shown: str, message: str, hint: str = "", line: int = 1, column: int = 1) -> SourceErrors:
    return SourceErrors([SourceProblem(Location(shown, line, column), message, hint)])


def empty_file_error(shown: str) -> SourceErrors:
    return file_error(shown, "the file is empty", "export the data again, with a header row naming the columns")


def too_many(width: int) -> str:
    return f"too many fields: more than the {width} columns of the header"


def load_csv(db: duckdb.DuckDBPyConnection, stem: str, path: Path, delimiter: str, columns: tuple[str, ...], *, parallel: bool, shown: str) -> Relation:
    """A temp table of `columns` (all text) from a CSV file below its header, rows in file order."""
    table = new_relation(stem, columns)
    spec = "{" + ", ".join(f"{quote_text(name)}: 'VARCHAR'" for name in columns) + "}"
    sql = (
        f"CREATE TEMP TABLE {table} AS SELECT * FROM read_csv({quote_path(path)}, auto_detect = false, header = false, skip = 1, "
        f"delim = {quote_text(delimiter)}, quote = '\"', escape = '\"', columns = {spec}, null_padding = true, "
        f"nullstr = {quote_text(_NULL)}, strict_mode = false, parallel = {'true' if parallel else 'false'}, encoding = 'utf-8')"
    )
    # The workspace lets DuckDB reorder rows for speed; row numbers need file order here.
    (before,) = one(db, "SELECT current_setting('preserve_insertion_order')")  # type: ignore[misc]
    db.execute("SET preserve_insertion_order = true")
    try:
        db.execute(sql)
    except duckdb.Error as error:
        # The caller's transaction is aborted by now; it rolls back on this error.
        raise InputFileError(f"{shown}: the file cannot be read as CSV: {_csv_error(error)}", hint=_SAVE_AGAIN) from None
    finally:
        try:
            db.execute(f"SET preserve_insertion_order = {'true' if before else 'false'}")
        except duckdb.Error:
            pass  # an aborted transaction refuses even SET; the setting only costs speed
    return table.check(db)


_SAVE_AGAIN = "save it again as CSV UTF-8 (Excel: File › Save As › 'CSV UTF-8'), or export it as XLSX"
_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")


def _csv_error(error: duckdb.Error) -> str:
    """DuckDB's CSV error in one line: 'line 2: Maximum line size … exceeded …' (its report
    quotes the whole line, then says what is wrong, then lists every option)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    where = _CSV_LINE.search(lines[0]) if lines else None
    if where is None or len(lines) < 3 or not lines[1].startswith("Original Line:"):
        return lines[0] if lines else type(error).__name__
    return f"line {where.group(1)}: {lines[2]}"


def stage_numbered(
    db: duckdb.DuckDBPyConnection,
    stem: str,
    headers: list[str],
    records: Iterable[Record],
    workdir: Path,
    sheet: str | None = None,
    *,
    every_row_counts: bool = False,
) -> Staging:
    """Write rows with their numbers to a temporary UTF-8 CSV, then load it."""
    copy = workdir / "numbered.csv"
    width = len(headers)
    with copy.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["row", "problem", "fields", *headers])
        for number, problem, fields, given in records:
            cells = (list(fields) + [""] * width)[:width]
            writer.writerow([number, problem or "", given, *cells])
    columns = ("f0", "fp", "fn", *(file_column(i) for i in range(width)), "fx")
    table = load_csv(db, stem, copy, ",", columns, parallel=False, shown=copy.name)
    return Staging(table, tuple(headers), "CAST(f0 AS BIGINT)", "NULLIF(fp, '')", "CAST(fn AS INTEGER)", sheet=sheet, every_row_counts=every_row_counts)


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


def temp_table(db: duckdb.DuckDBPyConnection, stem: str, query: str) -> Relation:
    """A temp table of the rows of `query`, promising the columns the query gives."""
    name = new_relation(stem, ()).name
    db.execute(f"CREATE TEMP TABLE {quote_ident(name)} AS {query}")
    columns = tuple(d[0] for d in db.execute(f"SELECT * FROM {quote_ident(name)} LIMIT 0").description)
    return Relation(name, columns)
