"""`calibrate status` on the demo organisation: off-guideline scopes, lenient
managers, raters counted per group, adverse impact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.calibration.conftest import CYCLE, invoke, table


@pytest.fixture(scope="module")
def status_json(demo_workspace: Path) -> dict:
    result = invoke(demo_workspace, "calibrate", "status", "--attribute", "gender", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_at_least_one_scope_is_off_guideline(status_json: dict) -> None:
    """The demo's star office (天津办事处) has far more A ratings than the guideline's 15 %."""
    off = [(s["kind"], s["scope"]) for s in status_json["scopes"] if s["off"]]
    assert ("department", "天津办事处") in off
    tianjin = next(s for s in status_json["scopes"] if s["scope"] == "天津办事处")
    a_bound = next(b for b in tianjin["bounds"] if b["ratings"] == "A")
    assert (a_bound["share"], a_bound["within"]) == ("<= 15%", False)
    assert a_bound["excess"] == a_bound["count"] - a_bound["allowed"][1] > 0


def test_small_scopes_are_shown_but_not_checked(status_json: dict) -> None:
    small = [s for s in status_json["scopes"] if s["kind"] == "department" and s["size"] < 10]
    assert small and all(not s["checked"] and not s["off"] and s["bounds"] == [] for s in small)


def test_the_lenient_manager_is_flagged_and_an_ordinary_one_is_not(status_json: dict) -> None:
    """E000012 rates their team about a point above the team's other raters: the
    `answers` index (own published figure − the others' published figures of the
    same people) stands far out."""
    managers = {m["manager_id"]: m for m in status_json["managers"]}
    lenient = managers["E000012"]
    assert lenient["flag"] == "lenient" and "answers" in lenient["flagged_on"]
    assert lenient["answers"]["z"] > status_json["z_threshold"]
    assert lenient["answers"]["low"] > 0  # the 95 % interval lies above zero
    assert sum(lenient["counts"].values()) == lenient["team"]
    assert managers["E000073"]["flag"] is None


def test_raters_are_counted_per_anonymous_group(status_json: dict) -> None:
    """One row per anonymous rater group, in the scoring file's order: how many of its
    raters are lenient, severe, within or not judged — and nothing else."""
    assert [r["group"] for r in status_json["raters"]] == ["peer", "direct_report", "customer"]
    for row in status_json["raters"]:
        assert set(row) == {"group", "raters", "lenient", "severe", "within", "not_judged", "withheld"}
        assert row["withheld"] is None
        assert row["raters"] == row["lenient"] + row["severe"] + row["within"] + row["not_judged"]
    peers = status_json["raters"][0]
    assert peers["lenient"] > 0 and peers["severe"] > 0 and peers["within"] > 0
    assert (status_json["anonymity"]["group_minimum"], status_json["minimum_people"]) == (3, 3)


def test_text_never_prints_an_anonymous_raters_id(demo_workspace: Path) -> None:
    result = invoke(demo_workspace, "calibrate", "status", "--lang", "en")
    assert result.exit_code == 0, result.output
    managers = {r[0] for r in table(demo_workspace, "SELECT DISTINCT manager_id FROM roster WHERE manager_id IS NOT NULL")}
    peers_only = {r[0] for r in table(demo_workspace, "SELECT DISTINCT rater_id FROM responses WHERE relationship IN ('peer', 'direct_report', 'customer')")} - managers
    rater_section = result.output.split("360 raters by group")[1]
    assert not any(rater in rater_section for rater in peers_only)
    assert "! department 天津办事处" in result.output
    assert "lenient (own answers)" in result.output


def _section(text: str, start: str) -> list[str]:
    """The lines of the text report's section that begins with `start`."""
    return next(block for block in text.split("\n\n") if block.startswith(start)).splitlines()


def test_raters_text_is_a_table_of_counts(demo_workspace: Path) -> None:
    """The raters section, in English and Chinese: a header, the counts per group, a summary."""
    status = json.loads(invoke(demo_workspace, "calibrate", "status", "--format", "json").stdout)
    peer, report, customer = status["raters"]
    checked = sum(r["raters"] for r in status["raters"])
    flagged = sum(r["lenient"] + r["severe"] for r in status["raters"])
    en = _section(invoke(demo_workspace, "calibrate", "status", "--lang", "en").output, "360 raters")
    assert en[0] == (
        "360 raters by group (counts only, no rater shown): how many rate the same people higher (lenient) or lower (severe) "
        "than their other raters; counted when |z| is beyond 2.5 and |d| at least 0.5"
    )
    assert en[1].split() == ["rater", "group", "raters", "lenient", "severe", "within", "not", "judged", "note"]
    assert en[2].split() == ["peers", *map(str, (peer["raters"], peer["lenient"], peer["severe"], peer["within"], peer["not_judged"]))]
    assert en[3].split() == ["direct", "reports", *map(str, (report["raters"], report["lenient"], report["severe"], report["within"], report["not_judged"]))]
    assert en[4].split()[0] == "customers" and en[4].split()[1] == str(customer["raters"])
    assert en[5] == f"{checked} raters checked, {flagged} lenient or severe; raters of fewer than 3 people are not judged."
    zh = _section(invoke(demo_workspace, "calibrate", "status", "--lang", "zh").output, "360评价人")
    assert zh[1].split() == ["评价组", "评价人数", "偏宽", "偏严", "正常", "未判断", "说明"]
    assert zh[2].split()[0] == "同事"
    assert zh[5] == f"共检查{checked}名评价人,{flagged}名偏宽或偏严;评价对象少于3人的评价人不作判断。"


def test_raters_csv_is_stable_and_holds_counts_only(demo_workspace: Path) -> None:
    first = invoke(demo_workspace, "calibrate", "status", "--format", "csv", "--table", "raters")
    second = invoke(demo_workspace, "calibrate", "status", "--format", "csv", "--table", "raters", "--lang", "zh")
    assert first.exit_code == 0 and first.output == second.output
    lines = first.output.splitlines()
    assert lines[0] == "\ufeffgroup,raters,lenient,severe,within,not_judged,withheld"
    assert [line.split(",")[0] for line in lines[1:]] == ["peer", "direct_report", "customer"]


def test_adverse_impact_gives_rate_and_four_fifths_ratio(status_json: dict, demo_workspace: Path) -> None:
    groups = {g["group"]: g for g in status_json["adverse_impact"]}
    assert set(groups) == {"F", "M"}
    expected = dict(
        table(
            demo_workspace,
            "SELECT r.attributes->>'gender', avg(CASE WHEN f.final_rating IN ('A', 'B') THEN 1 ELSE 0 END) FROM final_results f "
            "JOIN roster r USING (cycle_id, employee_id) WHERE f.final_rating IS NOT NULL GROUP BY 1",
        )
    )
    assert {g: pytest.approx(v["rate"]) for g, v in groups.items()} == expected
    best = max(expected.values())
    assert all(v["ratio"] == pytest.approx(expected[g] / best) and v["flagged"] == (expected[g] / best < 0.8) for g, v in groups.items())


def test_adverse_impact_on_an_unknown_attribute_names_the_known_ones(demo_workspace: Path) -> None:
    result = invoke(demo_workspace, "calibrate", "status", "--attribute", "gendr")
    assert result.exit_code == 1
    assert result.stderr == f"the roster of cycle {CYCLE} has no attribute 'gendr'\n  hint: did you mean 'gender'?\n"


def test_by_restricts_the_scopes_and_names_lists_the_9_box(demo_workspace: Path) -> None:
    result = invoke(demo_workspace, "calibrate", "status", "--by", "region", "--names", "--format", "json")
    found = json.loads(result.stdout)
    assert {s["kind"] for s in found["scopes"]} == {"organisation", "region"}
    people = table(demo_workspace, f"SELECT count(*) FROM person_results WHERE cycle_id = '{CYCLE}'")[0][0]
    assert sum(cell["people"] for cell in found["nine_box"]) == people
    assert sum(len(cell["names"]) for cell in found["nine_box"]) == people


def test_csv_of_scopes_is_excel_safe(demo_workspace: Path) -> None:
    result = invoke(demo_workspace, "calibrate", "status", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    assert rows[0]["kind"] == "organisation" and int(rows[0]["people"]) == sum(int(rows[0][r]) for r in "ABCD")
    assert {"A %", "guideline", "off"} <= set(rows[0])


def test_status_counts_final_ratings(workspace_path: Path) -> None:
    """An override moves a person between the counts."""
    before = json.loads(invoke(workspace_path, "calibrate", "status", "--format", "json").stdout)["scopes"][0]["counts"]
    person = table(workspace_path, "SELECT employee_id FROM person_results WHERE rating = 'C' ORDER BY employee_id LIMIT 1")[0][0]
    assert invoke(workspace_path, "calibrate", "set", person, "B", "--reason", "calibration meeting", "--by", "HR").exit_code == 0
    after = json.loads(invoke(workspace_path, "calibrate", "status", "--format", "json").stdout)["scopes"][0]["counts"]
    assert (after["B"], after["C"]) == (before["B"] + 1, before["C"] - 1)
