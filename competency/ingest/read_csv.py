"""A CSV file → the staging table, counting the file's records as its rows.

- the **fast path**: DuckDB's CSV reader loads a UTF-8 CSV directly, in
  parallel when it can. Row numbers are the table's row ids counted from 2
  (the header is row 1), which is exact because the load runs with
  `preserve_insertion_order` on and the reader keeps every row: short rows are
  padded with NULL (an empty field is '' because `nullstr` is a character no
  CSV holds), and rows with too many fields fill the overflow column `fx`
  instead of failing.
- the **numbered path** (`csv_records.py`): files with empty lines between
  rows (which DuckDB would skip, shifting the numbers) and files with a quote
  left open (which would swallow every row after it) are read in Python.

An open quote is looked for before the load when the file's quotes are odd in
number, and after it when the last staged row holds a line break (the value an
open quote makes runs to the end of the file; an even number of quotes can
hide one, as in `a"b,"c`): cheap tests, so the search for it
(`unclosed_quote`) runs only on files that may have one.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb

from competency._sql import Relation, drop, new_relation, one, quote_number, quote_text
from competency.ingest.csv_records import csv_records, unclosed_quote
from competency.ingest.scan import FileScan, scan_file, transcode
from competency.ingest.staging import Staging, empty_file_error, file_column, load_csv, stage_numbered, too_many

DELIMITERS = (",", ";", "\t")


def stage_csv(db: duckdb.DuckDBPyConnection, path: Path, scan: FileScan, stem: str, workdir: Path, shown: str) -> Staging:
    """Load a CSV file (any supported encoding, `,` `;` or tab separated)."""
    if not scan.has_content:
        raise empty_file_error(shown)
    if scan.encoding != "utf-8":
        copy = workdir / "transcoded.csv"
        transcode(path, scan.encoding, copy)
        path, scan = copy, scan_file(copy, shown)
    delimiter, headers = read_csv_header(path, shown)
    if scan.empty_line_between_rows or (scan.odd_quotes and unclosed_quote(path, delimiter)):
        return stage_numbered(db, stem, headers, csv_records(path, delimiter, len(headers), shown), workdir)
    columns = (*(file_column(i) for i in range(len(headers))), "fx")
    table = load_csv(db, stem, path, delimiter, columns, parallel=not scan.quoted_line_break, shown=shown)
    if _ends_in_a_line_break(db, table) and unclosed_quote(path, delimiter):
        drop(db, table)
        return stage_numbered(db, stem, headers, csv_records(path, delimiter, len(headers), shown), workdir)
    count = "(" + " + ".join(f"({file_column(i)} IS NOT NULL)::INT" for i in range(len(headers))) + ")"
    problem = f"CASE WHEN fx IS NOT NULL THEN {quote_text(too_many(len(headers)))} END"
    table, row_sql, shift = _row_numbers(db, table)
    return Staging(table, tuple(headers), row_sql, problem, count, padded=True, rowid_shift=shift)


def _ends_in_a_line_break(db: duckdb.DuckDBPyConnection, table: Relation) -> bool:
    """Whether a value of the last staged row holds a line break."""
    values = " || ".join(f"coalesce({column}, '')" for column in table.columns)
    last = one(db, f"SELECT regexp_matches({values}, '[\\r\\n]') FROM {table} WHERE rowid = (SELECT max(rowid) FROM {table})")
    return bool(last and last[0])


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
