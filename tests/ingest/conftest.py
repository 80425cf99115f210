"""Fixtures of the import tests: the shipped model, a workspace with a roster, XLSX files."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from competency.files.bundle import ModelBundle, load_bundle
from competency.files.shipped import default_model_folder
from competency.store.workspace import Workspace
from tests.ingest._support import run_import


@pytest.fixture(scope="session")
def bundle() -> ModelBundle:
    return load_bundle(default_model_folder())


@pytest.fixture(scope="session")
def bundle_without_default_target(bundle: ModelBundle) -> ModelBundle:
    """The shipped model, except that report_timeliness has no default target."""
    kpis = [kpi.model_copy(update={"target": None}) if kpi.id == "report_timeliness" else kpi for kpi in bundle.kpis.kpis]
    return ModelBundle(bundle.model, bundle.kpis.model_copy(update={"kpis": kpis}), bundle.roles, bundle.files)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory, bundle: ModelBundle) -> dict[str, Path]:
    """Workspace files made once and copied for each test: opening a copy is much
    faster than migrating a new workspace and importing the roster every time."""
    folder = tmp_path_factory.mktemp("templates")
    Workspace(folder / "empty.duckdb").close()
    with Workspace(folder / "roster.duckdb") as ws:
        run_import(ws, "roster", "roster_ok.csv", bundle)
    return {"empty": folder / "empty.duckdb", "roster": folder / "roster.duckdb"}


def _open_copy(template: Path, tmp_path: Path) -> Workspace:
    target = tmp_path / "competency.duckdb"
    shutil.copyfile(template, target)
    return Workspace(target)


@pytest.fixture
def workspace(templates: dict[str, Path], tmp_path: Path) -> Iterator[Workspace]:
    """A new workspace file in the test's folder."""
    with _open_copy(templates["empty"], tmp_path) as ws:
        yield ws


@pytest.fixture
def with_roster(templates: dict[str, Path], tmp_path: Path) -> Iterator[Workspace]:
    """A workspace file whose cycle has the six people of corpus/roster_ok.csv (import 1)."""
    with _open_copy(templates["roster"], tmp_path) as ws:
        yield ws


@pytest.fixture
def merged_header_xlsx(tmp_path: Path) -> Path:
    """A wide export whose item headers sit under a merged group header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["employee_id", "rater_id", "relationship", "执行力", None, "comment"])
    sheet.append([None, None, None, "exe_understands_instructions", "exe_sets_goals_seeks_solutions", None])
    sheet.append(["R1", "S1", "manager", 4, 3, "ok"])
    sheet.merge_cells("D1:E1")
    path = tmp_path / "merged_header.xlsx"
    book.save(path)
    return path


@pytest.fixture
def survey_xlsx(tmp_path: Path) -> Path:
    """A survey tool's workbook: instructions first, the answers (wide) on sheet 答卷,
    numbers stored as numbers, and an empty row in the middle."""
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本问卷共两题"])
    answers = book.create_sheet("答卷")
    answers.append(["被评价人", "评价人", "评价关系", "Q1 理解指示", "Q2 设定目标"])
    answers.append(["R1", "S1", "上级", 4, 3.0])
    answers.append([None, None, None, None, None])
    answers.append(["R1", "P1", "同事", 2.5, 7])
    answers.append(["R2", "P1", "同事", None, 1])
    path = tmp_path / "survey.xlsx"
    book.save(path)
    return path


@pytest.fixture
def roster_xlsx(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["工号", "姓名", "岗位", "上级工号", "部门", "区域"])
    sheet.append(["M1", "王芳", "区域销售主管(区域经理)", None, "销售部", "华东"])
    sheet.append(["S1", "李娜", "销售主管", "M1", "销售部", "华东"])
    sheet.append([1001, "陈杰", "销售代表", "S1", "销售部", "华东"])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path
