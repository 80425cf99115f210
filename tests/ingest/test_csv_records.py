"""Quotes in CSV files: the search for an unclosed one, and the Python reading that recovers from it.

`unclosed_quote` must read quotes as DuckDB does, or a file DuckDB would let
an open quote swallow could take the fast path: each example below is also
read by DuckDB, which shows the swallowing the search is there to prevent.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from competency._sql import quote_path
from competency.errors import SourceErrors
from competency.ingest import csv_records
from competency.ingest.csv_records import csv_records as records
from competency.ingest.csv_records import unclosed_quote
from competency.ingest.scan import scan_file

HEADER = b"a,b,c\n"
TAIL = b"x,y,z\nu,v,w\n"  # two rows an open quote above them would swallow

EXAMPLES = [
    (b'1,"2,3\n', True),  # opened at the start of a field, never closed
    (b'1, "2,3\n', True),  # DuckDB allows spaces before an opening quote
    (b'1,"2"x"3,4\n', True),  # a quote right after a closing one opens again
    (b'1,"2""\n', True),  # "" inside a value is a quote, not the closing one
    (b'1,2"3,4\n', False),  # inside a field a quote is an ordinary character
    (b'1,"2\n3",4\n', False),  # closed on the next line: one value over two lines
    (b'1,"2 ""3"""\n', False),
    (b'"1",2,3\n', False),
    (b"1,2,3\n", False),
]


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    return path


def duckdb_rows(path: Path) -> list[tuple[str | None, ...]]:
    """The file as DuckDB reads it with the importer's options (one thread)."""
    columns = "{'f1': 'VARCHAR', 'f2': 'VARCHAR', 'f3': 'VARCHAR', 'fx': 'VARCHAR'}"
    sql = (
        f"SELECT * FROM read_csv({quote_path(path)}, auto_detect = false, header = false, skip = 1, delim = ',', quote = '\"', escape = '\"', "
        f"columns = {columns}, null_padding = true, strict_mode = false, parallel = false)"
    )
    return duckdb.connect().execute(sql).fetchall()


@pytest.mark.parametrize(("row", "unclosed"), EXAMPLES)
def test_unclosed_quote_is_found_as_duckdb_reads_quotes(tmp_path: Path, row: bytes, unclosed: bool) -> None:
    """Found exactly where DuckDB would run the value to the end of the file, taking the rows after it."""
    path = write(tmp_path, HEADER + row + TAIL)
    assert unclosed_quote(path, ",") is unclosed
    swallowed = "x,y,z" in str(duckdb_rows(path)[-1])
    assert swallowed is unclosed


def test_a_byte_order_mark_is_the_start_of_the_first_field(tmp_path: Path) -> None:
    assert unclosed_quote(write(tmp_path, b'\xef\xbb\xbf"a,b,c\n1,2,3\n'), ",") is True


def read(tmp_path: Path, data: bytes, width: int = 3) -> list[tuple[int, str | None, list[str], int]]:
    return list(records(write(tmp_path, data), ",", width, "file.csv"))


def test_the_row_of_an_unclosed_quote_is_rejected_and_the_next_rows_are_read(tmp_path: Path) -> None:
    assert read(tmp_path, HEADER + b'1,"2,3\n' + TAIL) == [
        (2, 'unclosed quote: the value opened with " on line 2 has no closing "', ["1", '"2', "3"], 3),
        (3, None, ["x", "y", "z"], 3),
        (4, None, ["u", "v", "w"], 3),
    ]


def test_lines_and_rows_are_told_apart(tmp_path: Path) -> None:
    """Row 2 spans lines 2-3 and an empty line follows, so the open quote of row 4 is on line 5."""
    data = HEADER + b'1,"two\nlines",3\n\n4,5,"6\n7,8,9\n'
    assert read(tmp_path, data) == [
        (2, None, ["1", "two\nlines", "3"], 3),
        (4, 'unclosed quote: the value opened with " on line 5 has no closing "', ["4", "5", '"6'], 3),
        (5, None, ["7", "8", "9"], 3),
    ]


def test_an_open_quote_on_the_last_line(tmp_path: Path) -> None:
    assert read(tmp_path, HEADER + b'1,2,"3') == [(2, 'unclosed quote: the value opened with " on line 2 has no closing "', ["1", "2", '"3'], 3)]


def test_a_value_over_the_size_limit_rejects_its_first_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The csv module refuses a value over its limit (2 MB, here 10 bytes); reading goes on after the line."""
    monkeypatch.setattr(csv_records, "FIELD_LIMIT", 10)
    limit = csv.field_size_limit()
    rows = read(tmp_path, HEADER + b'1,"' + b"x" * 20 + b'",3\n4,5,6\n')
    assert csv.field_size_limit() == limit  # put back once read
    assert rows == [(2, "value too long: a value from line 2 runs past 10 bytes (is a quote left open?)", ["1", '"' + "x" * 20 + '"', "3"], 3), (3, None, ["4", "5", "6"], 3)]


def test_too_many_fields_and_blank_rows(tmp_path: Path) -> None:
    assert read(tmp_path, HEADER + b"1,2,3,4\n,,\n5,6\n") == [(2, "too many fields: more than the 3 columns of the header", ["1", "2", "3", "4"], 3), (4, None, ["5", "6"], 2)]


@pytest.mark.parametrize(
    ("data", "quoted_line_break", "odd_quotes"),
    [
        (HEADER + b'1,"2\r3",4\n', True, False),  # a bare CR inside quotes breaks the line for DuckDB
        (HEADER + b'1,"2\r\n3",4\r\n', True, False),
        (HEADER + b'1,"2 3",4\r\n', False, False),
        (HEADER + b'1,"2,3\n', True, True),
        (HEADER + b'1,2"3,4\n', True, True),
    ],
)
def test_scan_facts_about_quotes(tmp_path: Path, data: bytes, quoted_line_break: bool, odd_quotes: bool) -> None:
    found = scan_file(write(tmp_path, data), "file.csv")
    assert (found.quoted_line_break, found.odd_quotes) == (quoted_line_break, odd_quotes)


def test_a_file_of_open_quotes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each open quote makes the rest of the file be read again; past MAX_UNCLOSED of them
    (here none) the file is refused rather than read again and again."""
    monkeypatch.setattr(csv_records, "MAX_UNCLOSED", 0)
    with pytest.raises(SourceErrors) as raised:
        read(tmp_path, HEADER + b'1,"2,3\n' + TAIL)
    (problem,) = raised.value.problems
    assert (problem.location.line, problem.message) == (2, "more than 0 rows hold a quote that is never closed (the last on line 2)")
