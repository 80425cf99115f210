"""`calibrate status` on the demo organisation: off-guideline scopes, lenient
managers, pseudonymous raters, adverse impact."""

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
    `answers` index (own answers − others' on the same people) stands far out."""
    managers = {m["manager_id"]: m for m in status_json["managers"]}
    lenient = managers["E000012"]
    assert lenient["flag"] == "lenient" and "answers" in lenient["flagged_on"]
    assert lenient["answers"]["z"] > status_json["z_threshold"]
    assert lenient["answers"]["low"] > 0  # the 95 % interval lies above zero
    assert sum(lenient["counts"].values()) == lenient["team"]
    assert managers["E000073"]["flag"] is None


def test_raters_are_pseudonymous_except_managers(status_json: dict, demo_workspace: Path) -> None:
    """Anonymous raters show only as R-xxxxxxxx; the only employee ids are managers'."""
    labels = [r["rater"] if "rater" in r else r["label"] for r in status_json["raters"]]
    managers = {r[0] for r in table(demo_workspace, "SELECT DISTINCT manager_id FROM roster WHERE manager_id IS NOT NULL")}
    raters = {r[0] for r in table(demo_workspace, "SELECT DISTINCT rater_id FROM responses")}
    for rater in status_json["raters"]:
        if rater["identified"]:
            assert rater["label"] in managers
        else:
            assert rater["label"].startswith("R-") and len(rater["label"]) == 10 and rater["label"] not in raters
    assert any(r["label"] == "E000012" and r["flag"] == "lenient" for r in status_json["raters"])
    assert len(set(labels)) == len(labels)


def test_text_never_prints_an_anonymous_raters_id(demo_workspace: Path) -> None:
    result = invoke(demo_workspace, "calibrate", "status", "--lang", "en")
    assert result.exit_code == 0, result.output
    managers = {r[0] for r in table(demo_workspace, "SELECT DISTINCT manager_id FROM roster WHERE manager_id IS NOT NULL")}
    peers_only = {r[0] for r in table(demo_workspace, "SELECT DISTINCT rater_id FROM responses WHERE relationship IN ('peer', 'direct_report', 'customer')")} - managers
    rater_section = result.output.split("360 raters:")[1]
    assert not any(rater in rater_section for rater in peers_only)
    assert "! department 天津办事处" in result.output
    assert "lenient (own answers)" in result.output


def test_labels_are_stable_within_a_workspace(demo_workspace: Path) -> None:
    first = invoke(demo_workspace, "calibrate", "status", "--format", "csv", "--table", "raters")
    second = invoke(demo_workspace, "calibrate", "status", "--format", "csv", "--table", "raters")
    assert first.exit_code == 0 and first.output == second.output
    assert first.output.splitlines()[0] == "\ufeffrater,identified,people,answers,index,d,se,z,flag"


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
