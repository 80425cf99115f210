"""One leniency rule for every output: a difference is flagged when |z| is beyond the
guidelines' z threshold and |d| is at least their minimum effect. `calibrate status`
and the calibration report judge the same manager the same way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from competency._sql import drop
from competency.calibration import render
from competency.calibration.guidelines import Leniency
from competency.calibration.leniency import ManagerLeniency, manager_leniency
from competency.errors import CalibrationError
from competency.i18n import t
from competency.publication import gate
from competency.reports import calibration as calibration_report
from competency.scoring.config import Anonymity
from competency.store.workspace import Workspace
from competency.workflow import report_extras as report_workflow
from competency.workflow.calibrate import CalibrationStatus

SCALE = ("A", "B", "C", "D")
GUIDELINES = Leniency()  # as the shipped guidelines set it: |z| beyond 2.5 and |d| at least 0.5


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """1,000 rated people under ten managers of 100, everyone rated B. Competency
    indices are 2 or 3: half the organisation has 3, manager M0's team 65 of its 100.
    So M0's team index stands d = (2.65 − 2.5) / 0.5 = 0.3 above the organisation, and
    with SE(d) = √(900 / (100 · 999)) ≈ 0.095 that is z ≈ 3.2: sure, but small."""
    workspace = Workspace(tmp_path_factory.mktemp("lenient") / "w.duckdb")
    db = workspace.db
    high = {0: 65, **{m: 48 if m <= 6 else 49 for m in range(1, 10)}}  # 65 + 6·48 + 3·49 = 500
    roster, results = [], []
    for m in range(10):
        roster.append(("c", f"M{m}", f"M{m}", "sales_supervisor", None, "d", "r", None, 1))
        for i in range(100):
            employee = f"M{m}-{i:03d}"
            roster.append(("c", employee, employee, "sales_representative", f"M{m}", "d", "r", None, 1))
            results.append(("c", employee, 3.0 if i < high[m] else 2.0, "B"))
    db.executemany("INSERT INTO roster VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", roster)
    db.executemany("INSERT INTO person_results (cycle_id, employee_id, competency_index, rating) VALUES (?, ?, ?, ?)", results)
    yield workspace
    workspace.close()


def _managers(workspace: Workspace, thresholds: Leniency) -> dict[str, ManagerLeniency]:
    gaps = gate.stage_manager_gaps(workspace.db, "c", ["self", "manager"])
    found = manager_leniency(workspace.db, "c", gaps, SCALE, thresholds)
    drop(workspace.db, gaps)
    return {m.manager_id: m for m in found}


def _status(managers: list[ManagerLeniency], thresholds: Leniency) -> CalibrationStatus:
    return CalibrationStatus(
        "c", "scored", "sales 1", SCALE, thresholds.z_threshold, thresholds.minimum_effect, [], [], managers, [], Anonymity(),
        thresholds.minimum_people,
    )


def test_the_case_is_sure_but_small(organisation: Workspace) -> None:
    score = _managers(organisation, GUIDELINES)["M0"].score
    assert score.d == pytest.approx(0.3) and score.z == pytest.approx(3.16, abs=0.01)


def test_status_and_report_agree_on_a_sure_but_small_difference(organisation: Workspace) -> None:
    """z ≈ 3.2 is beyond 2.5, but d = 0.3 is under 0.5: neither output flags the manager."""
    manager = _managers(organisation, GUIDELINES)["M0"]
    status_row = render.manager_rows([manager], SCALE, Anonymity(), "en")[0]
    report_row = calibration_report.manager_row(manager)
    assert (manager.flag, status_row["flag"], report_row["flag"]) == (None, "", None)
    assert report_row["score_z"] == status_row["score_z"] and report_row["score_d"] == status_row["score_d"]


def test_both_follow_the_guidelines_minimum_effect(organisation: Workspace) -> None:
    """With a minimum effect of 0.25 in the guidelines the same difference is flagged in both."""
    manager = _managers(organisation, Leniency(minimum_effect=0.25))["M0"]
    status_row = render.manager_rows([manager], SCALE, Anonymity(), "en")[0]
    report_row = calibration_report.manager_row(manager)
    assert (manager.flag, status_row["flag"], status_row["flagged_on"], report_row["flag"]) == ("lenient", "lenient", "score", "lenient")


def test_the_report_workflow_uses_the_calibration_verdict(organisation: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """`calibration_extras` (what `report calibration` shows) carries the flag `calibrate status` gives."""
    managers = list(_managers(organisation, GUIDELINES).values())
    monkeypatch.setattr(report_workflow.calibrate, "calibration_status", lambda workspace, cycle_id: _status(managers, GUIDELINES))

    def no_answers(workspace: Workspace, cycle_id: str) -> None:
        raise CalibrationError("no 360 answers")

    monkeypatch.setattr(report_workflow.calibrate, "rater_agreement", no_answers)
    extras = report_workflow.calibration_extras(organisation, "c")
    assert extras is not None
    assert {row["id"]: row["flag"] for row in extras["managers"]} == {m.manager_id: m.flag_among(("rating", "score")) for m in managers}
    assert extras["managers"][0]["flag"] is None


def test_the_report_states_both_thresholds_it_applies(organisation: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The calibration report's note names the z and the d threshold, as `calibrate status` does."""
    managers = list(_managers(organisation, Leniency(z_threshold=3.0, minimum_effect=0.25)).values())
    monkeypatch.setattr(report_workflow.calibrate, "calibration_status", lambda workspace, cycle_id: _status(managers, Leniency(z_threshold=3.0, minimum_effect=0.25)))
    monkeypatch.setattr(report_workflow.calibrate, "rater_agreement", lambda workspace, cycle_id: (_ for _ in ()).throw(CalibrationError("no 360 answers")))
    extras = report_workflow.calibration_extras(organisation, "c")
    assert (extras["z_threshold"], extras["minimum_effect"]) == (3.0, 0.25)
    note = t("report.leniency_z_note", "en").format(z=extras["z_threshold"], d=extras["minimum_effect"])
    assert note.endswith("flagged when |z| exceeds 3.0 and the standardised difference |d| is at least 0.25.")
