"""The status text: a long managers table shows its flagged rows and says how many were left out."""

from __future__ import annotations

from competency.calibration import render
from competency.calibration.leniency import ManagerLeniency
from competency.calibration.stats import Difference, standardised_difference
from competency.scoring.config import Anonymity
from competency.workflow.calibrate import CalibrationStatus

SCALE = ("A", "B", "C", "D")
NONE = Difference(5, None, None, None, None, None, None)


def _manager(number: int, flagged: bool) -> ManagerLeniency:
    rating = standardised_difference(5, 3.5 if flagged else 2.5, 500, 2.5, 0.8)
    return ManagerLeniency(
        f"M{number:03d}", f"Manager {number}", 5, dict.fromkeys(SCALE, 0), rating, NONE, NONE,
        "lenient" if flagged else None, ("rating",) if flagged else (), {},
    )


def test_the_managers_summary_counts_the_rows_left_out() -> None:
    """45 managers, the last two flagged: the text shows those two, and the summary under
    the table says how many more rows there are (not the last row's flag)."""
    managers = [_manager(i, flagged=i >= 43) for i in range(45)]
    status = CalibrationStatus("c", "scored", "sales 1", SCALE, 2.5, 0.5, [], [], managers, [], Anonymity(), 3)
    lines = render.status_text(status, "en", names=False).splitlines()
    summary = next(line for line in lines if line.startswith("45 managers"))
    assert summary == "45 managers, 2 flagged. (43 more rows not shown: see --format json or csv)"
    assert [line.split()[0] for line in lines if line.startswith("M0")] == ["M043", "M044"]
