"""The calibration stage's guideline checks as the calibration report reads them: per
(kind, scope), each bound with its count, share and the share it allows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from competency.calibration import guidelines

if TYPE_CHECKING:
    from competency.workflow.calibrate import CalibrationStatus


def guideline_checks(status: CalibrationStatus) -> dict[tuple[str, str], dict[str, Any]]:
    """The guideline checks per (kind, scope), each bound with its count, share and limit."""
    return {
        (check.kind, check.scope): {
            "checked": check.checked,
            "size": check.size,
            "minimum": status.minimum_sizes.get(check.kind),
            "bounds": [
                {
                    "ratings": bound.ratings.split("+"),
                    "text": f"{bound.ratings} {bound.share}",
                    "count": bound.count,
                    "percent": bound.percent,
                    "allowed": bound.allowed,
                    "within": bound.within,
                    "excess": bound.excess,
                    "limit": _limit(bound.share),
                }
                for bound in check.bounds
            ],
        }
        for check in status.scopes
    }


def _limit(share: str) -> float | None:
    """The share a guideline bound allows (none for a range)."""
    test = guidelines.parse_share(share)
    return None if test.op == "between" else float(test.low)
