"""The quarter a plan runs in, its monthly checkpoints and its due date.

A plan made in cycle `2026-Q4` runs in the next quarter, `2027-Q1`: it starts
on 2027-01-01, has a checkpoint at the end of each month, and is due at the
end of the quarter (the "T" of a SMART goal). A cycle whose name is not a
quarter uses the quarter of the date it was opened. No clock is read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

_QUARTER = re.compile(r"(?<!\d)(\d{4})[-_ .]?Q([1-4])(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class PlanPeriod:
    quarter: str  # e.g. 2027-Q1
    starts: date
    checkpoints: tuple[date, ...]  # end of each month
    due: date

    def month_end(self, month: int) -> date:
        """The end of the `month`-th month (1–3) of the quarter."""
        return self.checkpoints[month - 1]


def cycle_quarter(cycle_id: str, opened_at: datetime | date | None) -> tuple[int, int]:
    """(year, quarter) of a cycle: from its name when it names one, else from when it was opened."""
    match = _QUARTER.search(cycle_id)
    if match:
        return int(match.group(1)), int(match.group(2))
    if opened_at is None:
        raise ValueError(f"cycle {cycle_id!r} names no quarter and has no opening date")
    return opened_at.year, (opened_at.month - 1) // 3 + 1


def next_period(cycle_id: str, opened_at: datetime | date | None) -> PlanPeriod:
    """The quarter after the cycle's, with its month ends."""
    year, quarter = cycle_quarter(cycle_id, opened_at)
    year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    months = [3 * (quarter - 1) + m for m in (1, 2, 3)]
    ends = tuple(date(year, m, calendar.monthrange(year, m)[1]) for m in months)
    return PlanPeriod(f"{year}-Q{quarter}", date(year, months[0], 1), ends, ends[-1])
