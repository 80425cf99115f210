"""Columns an import did not read as a standard column are named in its summary, with
the standard column a name looks like, instead of being dropped in silence."""

from __future__ import annotations

from pathlib import Path

from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import responses_csv, rows, run_import


def test_a_manager_column_under_an_unknown_name_is_named_with_the_column_it_looks_like(workspace: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名,职位,直接上级工号,部门,区域\nM1,王芳,区域经理,,销售部,华东\nS1,李娜,销售主管,M1,销售部,华东\n", encoding="utf-8")
    summary = run_import(workspace, "roster", roster, bundle)
    assert summary.lines() == [
        "roster.csv: 2 rows accepted, 0 rejected",
        "column '直接上级工号' was kept as the attribute employee.直接上级工号; did you mean '直属上级工号' (manager_id)?",
    ]
    assert rows(workspace, "SELECT employee_id, manager_id FROM roster ORDER BY employee_id") == [("M1", None), ("S1", None)]


def test_a_column_no_kind_of_data_uses_is_named(with_roster: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    path = tmp_path / "responses.csv"
    path.write_text("employee_id,rater_id,relationship,item_id,score,comment,来源IP,scor\nS1,P1,peer,exe_understands_instructions,3,,1.2.3.4,3\n", encoding="utf-8")
    summary = run_import(with_roster, "responses", path, bundle)
    assert summary.lines()[1:] == ["column '来源IP' was not used", "column 'scor' was not used"]


def test_a_file_of_standard_columns_has_no_note(with_roster: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    summary = run_import(with_roster, "responses", responses_csv(tmp_path, "S1,P1,peer,exe_understands_instructions,3,"), bundle)
    assert summary.notes == ()


def test_a_role_is_known_by_either_of_its_chinese_names(workspace: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    """The model calls the regional manager 区域销售主管(区域经理); a roster may use either name."""
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,role\nM1,王芳,区域经理\nM2,李强,区域销售主管\nM3,赵敏,区域销售主管(区域经理)\n", encoding="utf-8")
    summary = run_import(workspace, "roster", roster, bundle)
    assert (summary.accepted, summary.rejected) == (3, 0)
    assert rows(workspace, "SELECT DISTINCT role FROM roster") == [("regional_sales_manager",)]
