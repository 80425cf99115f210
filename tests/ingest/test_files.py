"""File-level problems: the whole file is refused with a message naming file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.errors import CompetencyError, SourceErrors
from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import rejections, rows, run_import, snapshot


def refused(ws: Workspace, kind: str, file: Path | str, bundle: ModelBundle, **options: object) -> str:
    """The message of the error an import raises; the workspace must be unchanged."""
    before = snapshot(ws)
    with pytest.raises(CompetencyError) as caught:
        run_import(ws, kind, file, bundle, **options)
    assert snapshot(ws) == before
    return str(caught.value)


def test_empty_file(with_roster: Workspace, bundle: ModelBundle) -> None:
    """A file with nothing in it is an error, not an import of nothing."""
    assert refused(with_roster, "responses", "empty.csv", bundle) == (
        "empty.csv:1:1: the file is empty\n  hint: export the data again, with a header row naming the columns\n\n1 error in 1 file."
    )


def test_header_joined_by_another_delimiter(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Column names run together by `|` are recognised and the separator is named."""
    assert refused(with_roster, "responses", "wrong_delimiter.csv", bundle) == (
        "wrong_delimiter.csv:1:1: the header is one column, 'employee_id|rater_id|relationship|item_id|score|comment': "
        "its names are joined by '|'\n"
        "  hint: save the file with commas (,), semicolons (;) or tabs between the columns\n\n1 error in 1 file."
    )


def test_missing_columns(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Missing required columns are named, with the header found and a near miss."""
    assert refused(with_roster, "responses", "missing_columns.csv", bundle) == (
        "missing_columns.csv:1:1: missing columns rater_id, score for a responses file; "
        "the header has: employee_id, rater_no, relationship, item_id, points\n"
        "  hint: did you mean 'rater_no'? name the columns in the header row, or map your headers with --mapping "
        "(a YAML file of kind import_mapping)\n\n1 error in 1 file."
    )


def test_chinese_headers_without_their_mapping(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Headers that no built-in alias knows ask for a mapping."""
    message = refused(with_roster, "responses", "responses_zh_mapped.csv", bundle)
    assert message.startswith(
        "responses_zh_mapped.csv:1:1: missing columns employee_id, rater_id, relationship, item_id, score for a responses file; "
        "the header has: 员工, 打分人, 身份, 题目代码, 打分, 文字意见\n"
    )


def test_invalid_json(with_roster: Workspace, bundle: ModelBundle) -> None:
    """A JSON syntax error points at its line and column."""
    assert refused(with_roster, "potential", "broken.json", bundle) == (
        "broken.json:2:24: not valid JSON: Expecting ',' delimiter\n"
        "  hint: check the brackets, quotes and commas around this place\n\n1 error in 1 file."
    )


def test_json_of_the_wrong_shape(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "potential.json"
    path.write_text('{"people": []}', encoding="utf-8")
    assert refused(with_roster, "potential", path, bundle) == (
        'potential.json:1:1: the JSON must be a list of rows, or {"rows": [...]}\n'
        '  hint: write each row as an object: [{"employee_id": "E1", …}, …]\n\n1 error in 1 file.'
    )


def test_old_excel_format(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "responses.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert refused(with_roster, "responses", path, bundle) == (
        "responses.xls:1:1: the file is an old Excel workbook (.xls)\n"
        "  hint: open it in Excel and save it as 'Excel Workbook (*.xlsx)' or 'CSV UTF-8'\n\n1 error in 1 file."
    )


def test_not_text(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Bytes that are neither UTF-8 nor GB18030 are refused at their line."""
    path = tmp_path / "binary.csv"
    path.write_bytes(b"employee_id,potential\nR1,high\nR2,\x80\x80\x80\n")
    assert refused(with_roster, "potential", path, bundle) == (
        "binary.csv:3:1: the file is not text in UTF-8 or GB18030\n"
        "  hint: save it again as CSV UTF-8 (Excel: File › Save As › 'CSV UTF-8'), or export it as XLSX\n\n1 error in 1 file."
    )


def test_a_header_named_twice(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "potential.csv"
    path.write_text("employee_id,potential,potential\nR1,high,low\n", encoding="utf-8")
    assert refused(with_roster, "potential", path, bundle) == (
        "potential.csv:1:1: column 'potential' appears twice in the header (columns 2 and 3)\n"
        "  hint: give each column its own name\n\n1 error in 1 file."
    )


def test_two_headers_for_one_column(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "potential.csv"
    path.write_text("employee_id,工号,potential\nR1,R1,high\n", encoding="utf-8")
    assert refused(with_roster, "potential", path, bundle) == (
        "potential.csv:1:1: columns 'employee_id' and '工号' both give employee_id\n"
        "  hint: remove or rename one of them, or map them with --mapping\n\n1 error in 1 file."
    )


def test_no_such_file(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    message = refused(with_roster, "responses", tmp_path / "missing.csv", bundle)
    assert message == f"{tmp_path / 'missing.csv'}:1:1: no such file\n  hint: check the path\n\n1 error in 1 file."


def test_unknown_kind(with_roster: Workspace, bundle: ModelBundle) -> None:
    assert refused(with_roster, "responce", "responses_bad.csv", bundle) == "unknown kind of import 'responce'\n  hint: did you mean 'responses'?"


def test_merged_header_cells(merged_header_xlsx: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Merged header cells leave columns without names: the cells are named, row and column given."""
    assert refused(with_roster, "responses", merged_header_xlsx, bundle) == (
        "merged_header.xlsx:1:4: header cells D1:E1 are merged, so the columns under them have no name of their own\n"
        "  hint: unmerge the header cells and give every column its own name in one header row\n\n1 error in 1 file."
    )


def test_xlsx_roster_with_chinese_headers(roster_xlsx: Path, workspace: Workspace, bundle: ModelBundle) -> None:
    """工号/姓名/岗位/上级工号/部门/区域 are the roster's columns; roles may be given by their Chinese names;
    a number cell reads as its digits."""
    summary = run_import(workspace, "roster", roster_xlsx, bundle)
    assert (summary.accepted, summary.rejected) == (3, 0)
    assert rows(workspace, "SELECT employee_id, name, role, manager_id FROM roster ORDER BY employee_id") == [
        ("1001", "陈杰", "sales_representative", "S1"),
        ("M1", "王芳", "regional_sales_manager", None),
        ("S1", "李娜", "sales_supervisor", "M1"),
    ]


def test_xlsx_survey_sheet_named_by_the_mapping(survey_xlsx: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """The mapping picks the sheet; Excel's row numbers survive an empty row; numbers keep their value."""
    summary = run_import(with_roster, "responses", survey_xlsx, bundle, mapping=Path(__file__).parent / "corpus" / "xlsx_mapping.yaml")
    assert rejections(with_roster, summary) == [(4, "score off the scale: 7 is outside 1..4 (column 'Q2 设定目标')")]
    assert (summary.file_rows, summary.rows_total, summary.accepted, summary.unit) == (3, 6, 5, "answer")
    assert rows(with_roster, "SELECT employee_id, rater_id, item_id, score FROM responses ORDER BY ALL") == [
        ("R1", "P1", "exe_understands_instructions", 2.5),
        ("R1", "S1", "exe_sets_goals_seeks_solutions", 3.0),
        ("R1", "S1", "exe_understands_instructions", 4.0),
        ("R2", "P1", "exe_sets_goals_seeks_solutions", 1.0),
        ("R2", "P1", "exe_understands_instructions", None),
    ]


def test_source_errors_are_typed(with_roster: Workspace, bundle: ModelBundle) -> None:
    """File problems are `SourceErrors`, so the CLI can print them with exit code 1."""
    with pytest.raises(SourceErrors):
        run_import(with_roster, "responses", "empty.csv", bundle)


def test_utf16_tab_separated(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Excel's 'Unicode text' (UTF-16, tab separated) is transcoded like GB18030."""
    path = tmp_path / "potential.txt"
    path.write_text("employee_id\tpotential\nR1\t高\nR2\t中等\n", encoding="utf-16")
    summary = run_import(with_roster, "potential", path, bundle)
    assert rejections(with_roster, summary) == [(3, "unknown potential: '中等'; known: high, low, medium")]
    assert rows(with_roster, "SELECT employee_id, potential FROM potential") == [("R1", "high")]


def test_trailing_unnamed_columns_are_kept_in_the_raw_row(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Columns without a header are not read, but the rejected row keeps them for the analyst."""
    path = tmp_path / "potential.csv"
    path.write_text("employee_id,potential,,\r\nR1,top,x,\r\n", encoding="utf-8")
    summary = run_import(with_roster, "potential", path, bundle)
    assert rows(with_roster, "SELECT reason, raw FROM rejected_rows WHERE import_id = ?", [summary.import_id]) == [
        ("unknown potential: 'top'; known: high, low, medium", '{"employee_id":"R1","potential":"top","column 3":"x","column 4":""}')
    ]
