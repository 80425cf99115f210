"""Hostile import files: every row counted, or the file refused with one exact, positioned message.

Each file in `data/imports/` (made by its `make_files.py`) is imported through
the CLI into a cycle whose roster is tests/ingest/corpus/roster_ok.csv. A file
that can be read is counted: rows, accepted, rejected, and each rejected row's
number and reason; one that cannot exits 1 naming the file, the place and what
is wrong. Nothing crashes, nothing hangs, and no row vanishes.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from competency.cli import main
from competency.ingest import read_json, rejected_rows
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.imports import run_import

DATA = Path(__file__).parent / "data" / "imports"
ROSTER = Path(__file__).parent.parent / "ingest" / "corpus" / "roster_ok.csv"
RESAVE = "  hint: open the file in Excel and save it again; if Excel cannot open it, export it again from where it came from\n\n1 error in 1 file.\n"
NOT_OBJECT = 'not an object: element {} of the list is {}; each row must be {{"column": value, …}}'

# file: (kind, (rows, accepted, rejected), [(row, reason) of each rejected row])
COUNTED: dict[str, tuple[str, tuple[int, int, int], list[tuple[int, str]]]] = {
    # CSV: a row is a record of the file; an unclosed quote rejects its row and no other.
    "unclosed_quote.csv": ("kpis", (5, 4, 1), [(3, 'unclosed quote: the value opened with " on line 3 has no closing "')]),
    "unclosed_quote_last_line.csv": ("kpis", (3, 2, 1), [(4, 'unclosed quote: the value opened with " on line 4 has no closing "')]),
    "unclosed_quote_in_multiline_file.csv": ("responses", (4, 3, 1), [(3, 'unclosed quote: the value opened with " on line 4 has no closing "')]),
    "stray_quotes_pair_up.csv": ("kpis", (4, 3, 1), [(3, "too few fields: 2 of 4 (a quoted value runs over several lines here: is a quote missing or extra?)")]),
    "literal_quote.csv": ("responses", (3, 3, 0), []),
    "quoted_cr.csv": ("responses", (2, 2, 0), []),
    "quoted_cr_crlf.csv": ("responses", (2, 2, 0), []),
    "value_past_header_only.csv": ("kpis", (3, 2, 1), [(3, "too many fields: more than the 4 columns of the header")]),
    # Numbers: strict.
    "kpis_underscore.csv": ("kpis", (2, 0, 2), [(2, "actual not a number: '1_1'"), (3, "target not a number: '1_000'")]),
    "kpis_not_finite.csv": (
        "kpis",
        (4, 0, 4),
        [(2, "actual not a number: 'inf'"), (3, "actual not a number: 'nan'"), (4, "actual not a number: 'Infinity'"), (5, "target not a number: '1e400'")],
    ),
    "scores_not_numbers.csv": (
        "responses",
        (4, 0, 4),
        [(2, "score not a number: 'NaN'"), (3, "score not a number: '-inf'"), (4, "score not a number: '1_1'"), (5, "score not a number: '0x3'")],
    ),
    "kpis_full_width.csv": ("kpis", (4, 2, 2), [(3, "actual not a number: '１_１'"), (4, "actual not a number: '٣'")]),
    "scores_full_width.csv": ("responses", (2, 2, 0), []),
    # JSON: every element is a row.
    "elements_not_objects.json": (
        "kpis",
        (8, 2, 6),
        [
            (2, NOT_OBJECT.format(2, "null")),
            (3, "missing employee_id"),
            (4, NOT_OBJECT.format(4, "a number")),
            (5, NOT_OBJECT.format(5, "a string")),
            (6, NOT_OBJECT.format(6, "a list")),
            (7, NOT_OBJECT.format(7, "true")),
        ],
    ),
    "long_integer.json": ("kpis", (1, 0, 1), [(1, "actual not a number: '9999999999999999999999999999999999999…'")]),
    "not_finite.json": ("kpis", (2, 0, 2), [(1, "actual not a number: 'NaN'"), (2, "actual not a number: 'inf'")]),
    # XLSX: formulas need their saved values; cells past the header are extra fields.
    "formula_without_value.xlsx": ("kpis", (4, 3, 1), [(3, "formula without a saved value: open and save the file in Excel (cell C3)")]),
    "cells_past_header.xlsx": ("kpis", (3, 2, 1), [(3, "too many fields: more than the 4 columns of the header")]),
    "huge_dimension.xlsx": ("kpis", (3, 3, 0), []),
}

REFUSED: dict[str, str] = {
    "deep.json": 'deep.json:1:65: the JSON is nested more than 64 levels deep\n  hint: a row is an object of plain values: [{"employee_id": "E1", …}, …]\n\n1 error in 1 file.\n',
    "deep_value.json": 'deep_value.json:2:75: the JSON is nested more than 64 levels deep\n  hint: a row is an object of plain values: [{"employee_id": "E1", …}, …]\n\n1 error in 1 file.\n',
    "no_sheet.xlsx": "no_sheet.xlsx:1:1: the workbook has no sheet: there are no rows to read\n  hint: put the data on a sheet of rows, or export it again\n\n1 error in 1 file.\n",
    "missing_sheet_part.xlsx": "missing_sheet_part.xlsx:1:1: the workbook is incomplete: sheet 'Sheet' is listed but its part xl/worksheets/sheet1.xml is missing\n" + RESAVE,
    "missing_first_sheet_part.xlsx": "missing_first_sheet_part.xlsx:1:1: the workbook is incomplete: sheet 'Sheet' is listed but its part xl/worksheets/sheet1.xml is missing\n"
    + RESAVE,
    "missing_workbook_part.xlsx": "missing_workbook_part.xlsx:1:1: the workbook is incomplete: its part xl/workbook.xml is missing\n" + RESAVE,
    "truncated_sheet.xlsx": "truncated_sheet.xlsx:3:1: sheet 'Sheet' is damaged at row 3: its XML is cut short or broken (unclosed token: line 1, column 799)\n" + RESAVE,
    "broken_workbook_xml.xlsx": "broken_workbook_xml.xlsx:1:1: the workbook's structure is damaged and cannot be read (unclosed token: line 1, column 201)\n" + RESAVE,
    "cut_short.xlsx": "cut_short.xlsx:1:1: the workbook cannot be opened: its zip archive is damaged or cut short (File is not a zip file)\n" + RESAVE,
    "corrupt_sheet_data.xlsx": "corrupt_sheet_data.xlsx:1:1: the workbook cannot be opened: its zip archive is damaged or cut short (Bad CRC-32 for file 'xl/worksheets/sheet1.xml')\n"
    + RESAVE,
    "not_a_zip.xlsx": (
        "not_a_zip.xlsx:1:1: the file is named .xlsx but is not an Excel workbook: an .xlsx file is a zip archive, and this one does not start like one\n"
        "  hint: save it from Excel as 'Excel Workbook (*.xlsx)', or give it the suffix of what it holds (.csv, .json)\n\n1 error in 1 file.\n"
    ),
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace with cycle 2026-Q4 and the six people of roster_ok.csv, made once."""
    folder = tmp_path_factory.mktemp("imports")
    path = folder / "template.duckdb"
    with Workspace(path) as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        run_import(workspace, "roster", ROSTER, rejects_path=folder / "roster.rejected.csv")
    return path


@pytest.fixture
def workspace(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    shutil.copyfile(template, path)
    return path


def import_(workspace: Path, kind: str, name: str) -> Result:
    """`competency import KIND FILE`, timed: a hostile file is dealt with at once."""
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["--workspace", str(workspace), "import", kind, str(DATA / name), "--rejects", str(workspace.with_name("rejected.csv"))])
    assert time.perf_counter() - started < 5
    return result


def rejections(workspace: Path) -> list[tuple[int, str]]:
    with Workspace(workspace) as opened:
        (import_id,) = opened.db.execute("SELECT max(import_id) FROM imports").fetchone()  # type: ignore[misc]
        return [(row.row_number, row.reason) for row in rejected_rows(opened.db, import_id)]


def stored(workspace: Path, sql: str) -> list[tuple[object, ...]]:
    with Workspace(workspace) as opened:
        return opened.db.execute(sql).fetchall()


@pytest.mark.parametrize("name", sorted(COUNTED))
def test_every_row_is_counted(name: str, workspace: Path) -> None:
    """Rows total, accepted and rejected, and each rejected row with its number and reason."""
    kind, (total, accepted, rejected), reasons = COUNTED[name]
    result = import_(workspace, kind, name)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{kind} {name}: {total} rows, {accepted} accepted, {rejected} rejected"
    assert rejections(workspace) == reasons


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unreadable_file_is_refused_with_its_place(name: str, workspace: Path) -> None:
    """Exit 1, one message naming the file, the place and what is wrong; nothing imported."""
    kind = "kpis"
    result = import_(workspace, kind, name)
    assert (result.exit_code, result.output) == (1, REFUSED[name])
    assert stored(workspace, "SELECT count(*) FROM imports WHERE kind = 'kpis'") == [(0,)]


def test_rows_after_an_unclosed_quote_are_stored(workspace: Path) -> None:
    """The four rows around the unclosed quote are stored with their values."""
    import_(workspace, "kpis", "unclosed_quote.csv")
    assert stored(workspace, "SELECT employee_id, actual, target FROM kpi_actuals ORDER BY ALL") == [("R1", 0.9, 1.0), ("R3", 1.1, 1.0), ("S1", 1.0, 1.0), ("S2", 1.2, 1.0)]


@pytest.mark.parametrize("name", ["quoted_cr.csv", "quoted_cr_crlf.csv"])
def test_a_quoted_carriage_return_stays_in_its_value(name: str, workspace: Path) -> None:
    """RFC 4180: a bare CR inside quotes is part of the value."""
    import_(workspace, "responses", name)
    assert stored(workspace, "SELECT employee_id, comment FROM responses ORDER BY ALL") == [("R1", "first\rsecond"), ("R2", "plain")]


def test_full_width_numbers_are_read_as_ascii(workspace: Path) -> None:
    """０．９５ is 0.95 and １．２e０ is 1.2 (as a Chinese input method types them); １_１ and ٣ are not numbers."""
    import_(workspace, "kpis", "kpis_full_width.csv")
    assert stored(workspace, "SELECT employee_id, actual, target FROM kpi_actuals ORDER BY ALL") == [("R1", 0.95, 1.0), ("S1", 1.2, 1.0)]
    assert import_(workspace, "responses", "scores_full_width.csv").exit_code == 0
    assert stored(workspace, "SELECT employee_id, score FROM responses ORDER BY ALL") == [("R1", 3.0), ("R2", 2.5)]


def test_a_formula_with_a_saved_value_is_read(workspace: Path) -> None:
    """D4 (=1, saved 1) and D5 (="" saved as empty text, so the KPI's default target) are values."""
    import_(workspace, "kpis", "formula_without_value.xlsx")
    assert stored(workspace, "SELECT employee_id, actual, target FROM kpi_actuals ORDER BY ALL") == [("R1", 0.9, 1.0), ("R3", 1.1, 1.0), ("S1", 1.0, 1.0)]


def test_json_over_the_size_cap_is_refused(workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A JSON file is parsed whole, so its size is capped (here at 1 KB for a 2 KB file)."""
    monkeypatch.setattr(read_json, "MAX_BYTES", 1024)
    result = import_(workspace, "kpis", "big.json")
    assert (result.exit_code, result.output) == (
        1,
        "big.json:1:1: the JSON file is 2.04 KB; a JSON file is read whole, so it may be at most 1 KB\n  hint: export the data as CSV, which has no such limit\n\n1 error in 1 file.\n",
    )


def test_a_line_longer_than_duckdb_reads_is_refused_with_its_line(workspace: Path, tmp_path: Path) -> None:
    """A 3 MB line (made here, not kept in data/) is past DuckDB's 2 MB limit on a line."""
    path = tmp_path / "long_line.csv"
    path.write_text("employee_id,kpi_id,actual,target\nR1,sales_attainment,0.9,1\nR2,sales_attainment,0.8,1," + "x" * 3_000_000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--workspace", str(workspace), "import", "kpis", str(path), "--rejects", str(tmp_path / "rejected.csv")])
    assert (result.exit_code, result.output) == (
        1,
        "long_line.csv: the file cannot be read as CSV: line 3: Maximum line size of 2000000 bytes exceeded. Actual Size:3000026 bytes.\n"
        "  hint: save it again as CSV UTF-8 (Excel: File › Save As › 'CSV UTF-8'), or export it as XLSX\n",
    )
