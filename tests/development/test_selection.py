"""Choosing a focus's actions: the 70/20/10 mix by effort, the behaviours, the budget."""

from __future__ import annotations

import pytest

from competency.development import Action
from competency.development.calendar import next_period
from competency.development.selection import choose_actions, mix_of

MIX = {"experience": 0.7, "exposure": 0.2, "education": 0.1}


def action(id_: str, type_: str, hours: float, behaviours: tuple[str, ...] = ()) -> Action:
    return Action.model_validate(
        {"id": id_, "type": type_, "levels": ["poor"], "weeks": 4, "hours": hours, "title": id_, "evidence": "e", "behaviors": list(behaviours)}
    )


CANDIDATES = [
    action("a_big", "experience", 32),
    action("b_plan", "experience", 28, ("goals",)),
    action("c_coach", "exposure", 8),
    action("d_shadow", "exposure", 6, ("trust",)),
    action("e_course", "education", 4),
    action("f_read", "education", 5),
]


def test_one_of_each_type_near_the_budget_and_on_the_mix() -> None:
    """28 + 8 + 4 hours is exactly 70/20/10 and on the 40-hour budget."""
    chosen = choose_actions(CANDIDATES, [], MIX, 40, 2, 0.1)
    assert [a.id for a in chosen.actions] == ["b_plan", "c_coach", "e_course"]
    assert chosen.shares == {"experience": 0.7, "exposure": 0.2, "education": 0.1}


def test_actions_working_on_the_chosen_behaviours_win_within_the_mix() -> None:
    chosen = choose_actions(CANDIDATES, ["trust"], MIX, 40, 2, 0.1)
    assert "d_shadow" in [a.id for a in chosen.actions]
    assert sum(abs(chosen.shares[t] - MIX[t]) for t in MIX) <= 0.1


def test_without_tolerance_the_closest_mix_wins_even_with_more_actions() -> None:
    chosen = choose_actions(CANDIDATES, [], MIX, 40, 2, 0.0)
    assert chosen.shares == {"experience": 0.7, "exposure": 0.2, "education": 0.1}


def test_a_type_the_mix_leaves_out_is_not_chosen() -> None:
    chosen = choose_actions(CANDIDATES, [], {"experience": 0.8, "exposure": 0.2, "education": 0.0}, 40, 2, 0.1)
    assert {a.type for a in chosen.actions} == {"experience", "exposure"}


def test_no_candidates_no_actions() -> None:
    assert choose_actions([], ["x"], MIX, 40, 2).actions == ()
    assert mix_of([]) == {"experience": 0.0, "exposure": 0.0, "education": 0.0}


@pytest.mark.parametrize(
    ("cycle", "quarter", "due", "checkpoints"),
    [
        ("2026-Q4", "2027-Q1", "2027-03-31", ["2027-01-31", "2027-02-28", "2027-03-31"]),
        ("2028-Q1", "2028-Q2", "2028-06-30", ["2028-04-30", "2028-05-31", "2028-06-30"]),
        ("FY2027Q3-sales", "2027-Q4", "2027-12-31", ["2027-10-31", "2027-11-30", "2027-12-31"]),
    ],
)
def test_a_plan_runs_in_the_quarter_after_the_cycle(cycle: str, quarter: str, due: str, checkpoints: list[str]) -> None:
    """SMART's time-bound: due at the end of the next quarter, a checkpoint at each month's end."""
    period = next_period(cycle, None)
    assert (period.quarter, period.due.isoformat(), [d.isoformat() for d in period.checkpoints]) == (quarter, due, checkpoints)


def test_a_cycle_named_otherwise_uses_the_date_it_was_opened() -> None:
    from datetime import datetime

    assert next_period("annual-review", datetime(2026, 5, 4, 9, 0)).quarter == "2026-Q3"
