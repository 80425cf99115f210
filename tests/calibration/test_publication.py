"""Calibration through the publication gate (DESIGN §7a): no row describes one
anonymous rater, a withheld group's answers leave no trace in any calibration
output, and an average over fewer than people_k people is withheld with its reason."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from competency.calibration.guidelines import Leniency
from competency.calibration.leniency import rater_leniency
from competency.calibration.render import rater_rows, rater_table
from competency.scoring.config import Anonymity
from competency.workflow.scoring import score_cycle
from tests.calibration.conftest import CYCLE, invoke, opened, table

PSEUDONYM = re.compile(r"R-[0-9a-f]{8}")
COUNTS = ("raters", "lenient", "severe", "within", "not_judged")
# E000002 has two customers: their group is withheld for every competency, and not pooled.
WITHHELD_CUSTOMERS = "employee_id = 'E000002' AND relationship = 'customer'"


def _copy(demo: Path, folder: Path, change: str | None = None) -> Path:
    """A copy of the demo, its answers changed by the SQL `change` (if any), scored again."""
    folder.mkdir()
    path = folder / "competency.duckdb"
    shutil.copyfile(demo, path)
    with opened(path) as workspace:
        if change:
            workspace.db.execute(change)
        score_cycle(workspace, CYCLE)
    return path


PRINTED = {
    "status json": ("calibrate", "status", "--format", "json"),
    "status text": ("calibrate", "status", "--lang", "en"),
    "managers csv": ("calibrate", "status", "--format", "csv", "--table", "managers", "--lang", "en"),
    "raters csv": ("calibrate", "status", "--format", "csv", "--table", "raters", "--lang", "en"),
    "agreement json": ("agreement", "--format", "json"),
}


def _outputs(path: Path, out: Path, names: tuple[str, ...] = (*PRINTED, "report")) -> dict[str, str]:
    """The calibration outputs named: `calibrate status` as JSON (managers and raters), text and
    CSV tables, agreement, and the calibration report (HTML, English: the language changes words, not figures)."""
    found = {}
    for name in names:
        if name == "report":
            result = invoke(path, "report", "calibration", "--lang", "en", "--out", str(out))
            found[name] = (out / "calibration.html").read_text(encoding="utf-8")
        else:
            result = invoke(path, *PRINTED[name])
            found[name] = result.output
        assert result.exit_code == 0, result.output
    return found


# --- no row describes one rater -------------------------------------------------


def test_the_raters_table_describes_no_rater(demo_workspace: Path) -> None:
    """JSON and CSV: one row per rater group holding counts only — no rater id, no pseudonym,
    and no count of 1 to k − 1 raters (a row of one rater would describe that rater)."""
    status = json.loads(invoke(demo_workspace, "calibrate", "status", "--format", "json").stdout)
    csv_text = invoke(demo_workspace, "calibrate", "status", "--format", "csv", "--table", "raters").output
    rows = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert [r["group"] for r in rows] == [r["group"] for r in status["raters"]] == ["peer", "direct_report", "customer"]
    for row in status["raters"]:
        assert set(row) == {"group", "withheld", *COUNTS}
        assert row["raters"] == 0 or row["raters"] >= status["anonymity"]["group_minimum"]
    raters = {r[0] for r in table(demo_workspace, "SELECT DISTINCT rater_id FROM responses WHERE relationship NOT IN ('self', 'manager')")}
    for text in (json.dumps(status["raters"]), csv_text):
        assert not PSEUDONYM.search(text)
        assert not [rater for rater in raters if rater in text]
    assert not PSEUDONYM.search(invoke(demo_workspace, "calibrate", "status", "--lang", "en").output)


def test_status_makes_no_pseudonym_key(workspace_path: Path) -> None:
    """Nothing is labelled any more, so `calibrate status` no longer writes a labelling key into the workspace."""
    assert invoke(workspace_path, "calibrate", "status", "--format", "csv", "--table", "raters").exit_code == 0
    assert table(workspace_path, "SELECT key FROM meta WHERE key = 'rater_label_key'") == []


def test_a_group_of_fewer_than_k_raters_is_withheld() -> None:
    """Two customers in the whole organisation: their counts would describe each of them, so
    the row carries the reason only (JSON code, words in CSV and text)."""
    row = {"rater_group": "customer", "people": 4, "index": 2.0, "s": 0.5}
    thresholds = Leniency(z_threshold=2.5, minimum_people=3, minimum_effect=0.5)
    found = rater_leniency([{**row, "rater_group": "peer"}] * 3 + [row] * 2, ["peer", "customer"], 3, thresholds)
    assert [(g.group, g.raters, g.lenient, g.withheld) for g in found] == [("peer", 3, 3, None), ("customer", None, None, "anonymous_minimum")]
    status = SimpleNamespace(raters=found, anonymity=Anonymity())
    assert rater_rows(status, "en")[1] == {"group": "customer", **dict.fromkeys(COUNTS), "withheld": "fewer than 3 anonymous raters: not shown"}
    columns, rows = rater_table(status, "zh")
    assert rows[1] == {"评价组": "客户", **dict.fromkeys(columns[1:-1]), "说明": "匿名评价人少于3,不公开"}


# --- a withheld group's answers leave no trace -----------------------------------


@pytest.fixture(scope="module")
def rescored(demo_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The demo scored again as it is, with its withheld customers' answers turned
    upside down, and (the control) with a manager's published answers changed."""
    folder = tmp_path_factory.mktemp("rescored")
    return {
        "same": _outputs(_copy(demo_workspace, folder / "same"), folder / "same-out"),
        "withheld": _outputs(_copy(demo_workspace, folder / "withheld", f"UPDATE responses SET score = 5 - score WHERE {WITHHELD_CUSTOMERS}"), folder / "withheld-out"),
        "published": _outputs(
            _copy(demo_workspace, folder / "published", "UPDATE responses SET score = 1 WHERE rater_id = 'E000012' AND relationship = 'manager'"),
            folder / "published-out",
            ("status json", "report"),
        ),
    }


def test_the_customers_of_e000002_are_a_withheld_group(demo_workspace: Path) -> None:
    """The premise: two customers, withheld for being too few, and not pooled into others."""
    rows = table(
        demo_workspace,
        "SELECT DISTINCT raters, publishable, reason, published_as FROM group_scores WHERE employee_id = 'E000002' AND rater_group = 'customer'",
    )
    assert rows == [(2, False, "group_minimum", None)]
    assert table(demo_workspace, f"SELECT count(DISTINCT rater_id) FROM responses WHERE {WITHHELD_CUSTOMERS}") == [(2,)]


def test_changing_a_withheld_groups_answers_changes_no_calibration_output(rescored: dict[str, dict[str, str]]) -> None:
    """Managers (JSON, text, CSV), raters (JSON, CSV), agreement and the calibration report come out byte for byte the same."""
    same, withheld = rescored["same"], rescored["withheld"]
    assert same.keys() == withheld.keys()
    assert [name for name in same if same[name] != withheld[name]] == []


def test_the_comparison_notices_a_published_change(rescored: dict[str, dict[str, str]]) -> None:
    """The control: a manager's own answers are published, so changing them changes the managers table and the report."""
    same, published = rescored["same"], rescored["published"]
    assert [name for name in published if same[name] == published[name]] == []


def test_manager_answers_are_compared_with_published_figures(demo_workspace: Path) -> None:
    """The `answers` mean of a team: per member and competency, the manager's published figure
    minus the mean of the member's published anonymous figures, averaged per member, then over the team."""
    status = json.loads(invoke(demo_workspace, "calibrate", "status", "--format", "json").stdout)
    expected = dict(
        table(
            demo_workspace,
            """
            WITH f AS (
                SELECT g.employee_id, r.manager_id, g.competency_id,
                       max(g.mean) FILTER (WHERE g.rater_group = 'manager') AS own,
                       avg(g.mean) FILTER (WHERE g.rater_group IN ('peer', 'direct_report', 'customer', 'others')) AS others
                FROM group_scores g JOIN roster r USING (cycle_id, employee_id)
                WHERE g.publishable GROUP BY ALL
            ), member AS (SELECT manager_id, employee_id, avg(own - others) AS gap FROM f WHERE own IS NOT NULL AND others IS NOT NULL GROUP BY ALL)
            SELECT manager_id, avg(gap) FROM member GROUP BY ALL
            """,
        )
    )
    managers = {m["manager_id"]: m for m in status["managers"]}
    assert managers["E000012"]["answers"]["mean"] == pytest.approx(expected["E000012"], abs=1e-6)
    assert all(m["answers"]["mean"] == pytest.approx(expected[m["manager_id"]], abs=1e-6) for m in status["managers"] if m["answers"]["n"] >= 3)


# --- a team of fewer than people_k shows no average ------------------------------


@pytest.fixture(scope="module")
def small_team(demo_workspace: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with one of E000098's three people moved to another manager: a team of two."""
    path = tmp_path_factory.mktemp("small") / "competency.duckdb"
    shutil.copyfile(demo_workspace, path)
    with opened(path) as workspace:
        workspace.db.execute("UPDATE roster SET manager_id = 'E000002' WHERE employee_id = 'E000113'")
    return path


def test_a_team_of_two_shows_counts_but_no_average(small_team: Path) -> None:
    status = json.loads(invoke(small_team, "calibrate", "status", "--format", "json").stdout)
    team = next(m for m in status["managers"] if m["manager_id"] == "E000098")
    assert (team["team"], team["counts"]) == (2, {"A": 0, "B": 1, "C": 1, "D": 0})
    assert team["withheld"] == {"rating": "people_minimum", "score": "people_minimum", "answers": "people_minimum"}
    for part in ("rating", "score", "answers"):
        assert {k: v for k, v in team[part].items() if k != "n"} == dict.fromkeys(("mean", "d", "se", "z", "low", "high"))
    assert team["flag"] is None
    scope = next(s for s in status["scopes"] if (s["kind"], s["scope"]) == ("manager", "E000098"))
    assert scope["counts"] == team["counts"]  # the rating counts of a scope stay


def test_a_team_of_two_says_why_in_text_and_csv(small_team: Path) -> None:
    en = invoke(small_team, "calibrate", "status", "--lang", "en").output
    row = next(line for line in en.splitlines() if line.startswith("E000098 "))
    assert row.split() == ["E000098", "段丹雯", "2", "0", "1", "1", "0", "—", "—", "—", "fewer", "than", "3", "people:", "no", "average", "shown"]
    zh = invoke(small_team, "calibrate", "status", "--lang", "zh").output
    assert next(line for line in zh.splitlines() if line.startswith("E000098 ")).split()[-4:] == ["—", "—", "—", "少于3人,不显示平均值"]
    rows = list(csv.DictReader(io.StringIO(invoke(small_team, "calibrate", "status", "--format", "csv", "--table", "managers", "--lang", "en").output.lstrip("\ufeff"))))
    team = next(r for r in rows if r["manager_id"] == "E000098")
    assert team["withheld"] == "fewer than 3 people: no average shown"
    assert [team[f"{part}_{x}"] for part in ("rating", "score", "answers") for x in ("mean", "d", "z")] == [""] * 9


def test_a_team_of_two_shows_no_average_in_the_report(small_team: Path, tmp_path: Path) -> None:
    assert invoke(small_team, "report", "calibration", "--lang", "en", "--out", str(tmp_path)).exit_code == 0
    html = (tmp_path / "calibration.html").read_text(encoding="utf-8")
    assert (
        '<tr><td data-user-text>段丹雯 (E000098)</td><td class="num">2</td><td class="num">—</td><td class="num">—</td>\n'
        '<td class="num">—</td><td class="num">—</td><td>fewer than 3 people: no average shown</td></tr>'
    ) in html


def test_without_guidelines_the_reports_own_leniency_table_withholds_too(small_team: Path, tmp_path: Path) -> None:
    """A cycle frozen without guidelines: the report compares published figures itself, and
    still shows no average for the team of two."""
    path = tmp_path / "competency.duckdb"
    shutil.copyfile(small_team, path)
    with opened(path) as workspace:
        workspace.db.execute("DELETE FROM cycle_files WHERE kind = 'guidelines'")
    assert invoke(path, "report", "calibration", "--lang", "en", "--out", str(tmp_path / "out")).exit_code == 0
    html = (tmp_path / "out" / "calibration.html").read_text(encoding="utf-8")
    assert (
        '<tr><td data-user-text>段丹雯 (E000098)</td><td class="num">2</td>\n'
        '<td colspan="4" class="note">fewer than 3 people: no average shown</td>\n</tr>'
    ) in html
