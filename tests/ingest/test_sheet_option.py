"""`--sheet NAME` picks the sheet of a workbook to import, with no mapping file."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from competency.errors import CompetencyError
from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import rows, run_import


@pytest.fixture
def two_sheets(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["这是填写说明"])
    data = book.create_sheet("名单")
    for row in (["employee_id", "name", "role", "manager_id"], ["M1", "王芳", "regional_sales_manager", None], ["S1", "李娜", "sales_supervisor", "M1"]):
        data.append(row)
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


def test_the_named_sheet_is_imported(workspace: Workspace, bundle: ModelBundle, two_sheets: Path) -> None:
    summary = run_import(workspace, "roster", two_sheets, bundle, sheet="名单")
    assert (summary.accepted, summary.rejected) == (2, 0)
    assert rows(workspace, "SELECT employee_id, manager_id FROM roster ORDER BY 1") == [("M1", None), ("S1", "M1")]


def test_an_unknown_sheet_is_named_with_the_workbooks_sheets(workspace: Workspace, bundle: ModelBundle, two_sheets: Path) -> None:
    with pytest.raises(CompetencyError) as caught:
        run_import(workspace, "roster", two_sheets, bundle, sheet="名册")
    assert str(caught.value) == "roster.xlsx:1:1: no sheet '名册' in roster.xlsx (--sheet 名册)\n  hint: known: 名单, 说明\n\n1 error in 1 file."


def test_a_sheet_of_a_csv_file_is_refused(workspace: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("employee_id,name,role\nM1,王芳,regional_sales_manager\n", encoding="utf-8")
    with pytest.raises(CompetencyError) as caught:
        run_import(workspace, "roster", path, bundle, sheet="名单")
    assert str(caught.value) == "roster.csv is a CSV file: --sheet 名单 names a sheet of an Excel workbook\n  hint: leave out --sheet, or import the .xlsx workbook"
