"""What the calibration stage adds to the calibration report, as plain data."""

from __future__ import annotations

from typing import Any

from competency.errors import CalibrationError, NotScored
from competency.reports import calibration as calibration_report
from competency.reports.guideline_checks import guideline_checks
from competency.store.workspace import Workspace
from competency.workflow import calibrate

AGREEMENT_MINIMUM = 10  # ICC, alpha and rwg are shown for competencies with at least this many people rated


def calibration_extras(workspace: Workspace, cycle_id: str) -> dict[str, Any] | None:
    """What the calibration stage computes (issue 5), as plain data for the report.

    Guideline checks per scope, manager leniency on ratings and on the 360
    index (never on raw answers, which could say something about a small
    group) flagged by the stage's own verdict, as `calibrate status` flags it,
    and the agreement statistics of competencies rated for at least
    AGREEMENT_MINIMUM people.
    """
    extras: dict[str, Any] = {}
    try:
        status = calibrate.calibration_status(workspace, cycle_id)
    except CalibrationError:
        status = None  # no guidelines frozen with the cycle (a broken guidelines file is still an error)
    if status is not None:
        extras["guidelines"] = status.guidelines
        extras["z_threshold"] = status.z_threshold
        extras["minimum_effect"] = status.minimum_effect
        extras["checks"] = guideline_checks(status)
        extras["managers"] = [calibration_report.manager_row(m) for m in status.managers]
    try:
        report = calibrate.rater_agreement(workspace, cycle_id)
        extras["agreement"] = {
            a.competency_id: {"icc1": a.icc1, "icc1k": a.icc1k, "alpha": a.alpha, "rwg_median": a.rwg_median, "rwg_agree_share": a.rwg_agree_share}
            for a in report.competencies
            if a.people >= AGREEMENT_MINIMUM
        }
    except (CalibrationError, NotScored):
        extras["agreement"] = {}  # nothing to measure (no 360 answers): the table keeps the spread of group means only
    return extras
