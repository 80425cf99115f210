"""Guidelines files: the bound syntax, the rounding rule, validation with positions,
and reading them from the cycle's frozen files."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from competency.calibration.distribution import check_bound
from competency.calibration.guidelines import Bound, Guidelines, parse_share, rounded_share
from competency.errors import CalibrationError, SourceErrors
from competency.files.kinds import validate_paths
from competency.files.shipped import default_rules_folder
from competency.store.workspace import Workspace
from competency.workflow.calibrate import load_guidelines
from competency.workflow.cycles import open_cycle

SHIPPED = default_rules_folder() / "guidelines.yaml"


def test_share_bounds_read_as_written() -> None:
    assert str(parse_share("<= 15%")) == "<= 15%"
    assert str(parse_share(" >=5 %")) == ">= 5%"
    assert str(parse_share("between 20% and 40.5%")) == "between 20% and 40.5%"
    for op in ("=", "<", ">"):
        assert parse_share(f"{op} 10%").op == op


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15%", "share '15%' is not a bound: write it like \"<= 15%\", \">= 5%\", \"= 50%\" or \"between 20% and 40%\""),
        ("<= 0.15", "share '<= 0.15' is not a bound: write it like \"<= 15%\", \">= 5%\", \"= 50%\" or \"between 20% and 40%\""),
        ("<= 150%", "share '<= 150%' is above 100%"),
        ("between 40% and 20%", "share 'between 40% and 20%' has its bounds the wrong way round: the lower one comes first"),
    ],
)
def test_a_share_that_is_not_a_bound_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        parse_share(text)


def test_rounding_rule_is_half_up_to_the_given_decimals() -> None:
    """2 of 13 = 15.38 % counts as 15 %; 1 of 8 = 12.5 % as 13 %; with one decimal, 15.4 %."""
    assert rounded_share(2, 13, 0) == 15
    assert rounded_share(1, 8, 0) == 13
    assert rounded_share(2, 13, 1) == Fraction(154, 10)
    assert rounded_share(1, 40, 0) == 3  # 2.5 → 3


def test_allowed_head_counts_follow_from_the_rounded_share() -> None:
    """A ≤ 15 % allows 1 of 9 (11 %; 2 would be 22 %) and 2 of 13 (15.4 % → 15 %);
    D ≥ 5 % needs 1 of 10 and 2 of 30 (1 of 30 is 3 %)."""
    at_most = Bound(ratings=["A"], share="<= 15%")
    assert at_most.allowed_counts(9, 0, 0) == (0, 1)
    assert at_most.allowed_counts(13, 0, 0) == (0, 2)
    assert at_most.allowed_counts(13, 1, 0) == (0, 1)  # 15.4 % > 15 %
    at_least = Bound(ratings=["D"], share=">= 5%")
    assert at_least.allowed_counts(10, 0, 0) == (1, 10)
    assert at_least.allowed_counts(30, 0, 0) == (2, 30)  # 1 of 30 = 3 %
    assert Bound(ratings=["C"], share="between 20% and 50%").allowed_counts(10, 0, 0) == (2, 5)
    assert Bound(ratings=["A"], share="< 15%").allowed_counts(20, 0, 0) == (0, 2)  # 3 of 20 = 15 % is not < 15 %


def test_tolerance_widens_every_bound_by_percentage_points() -> None:
    at_most = Bound(ratings=["A"], share="<= 15%")
    assert at_most.allowed_counts(20, 0, 0) == (0, 3)
    assert at_most.allowed_counts(20, 0, 5) == (0, 4)  # 20 % ≤ 15 + 5


def test_a_bound_no_head_count_can_meet_is_reported_as_such() -> None:
    exact = Bound(ratings=["A"], share="= 15%")
    assert exact.allowed_counts(3, 0, 0) is None
    checked = check_bound(exact, {"A": 0, "B": 3}, 3, 0, 0)
    assert (checked.within, checked.allowed, checked.excess) == (False, None, 0)


def test_a_bound_check_says_how_far_off_and_by_how_many_people() -> None:
    checked = check_bound(Bound(ratings=["A", "B"], share="<= 60%"), {"A": 2, "B": 6, "C": 1}, 9, 0, 0)
    assert (checked.count, checked.percent, checked.within, checked.deviation, checked.excess) == (8, 89.0, False, 29.0, 3)


def test_the_shipped_guidelines_validate() -> None:
    files, problems = validate_paths([SHIPPED])
    assert files == [SHIPPED] and problems == []


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_folder(), target)
    return target


def test_validate_places_every_mistake_in_the_guidelines_file(rules_copy: Path) -> None:
    """Shape errors first (with line, column and a hint); then ratings off the rule set's scale."""
    file = rules_copy / "guidelines.yaml"
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace('{by: manager, minimum_size: 8}', '{by: manager, minimum_size: 8, colour: red}'), encoding="utf-8")
    _, problems = validate_paths([file])
    assert [p.message for p in problems] == ["unknown field 'colour'"]
    line = next(number for number, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1) if "colour" in text)
    assert (problems[0].location.line, problems[0].hint) == (line, "known: bounds, by, minimum_size")

    file.write_text(text.replace("{ratings: [D], share: \">= 3%\"}", "{ratings: [E], share: \">= 3%\"}", 1), encoding="utf-8")
    _, problems = validate_paths([file])
    assert [(p.message, p.hint) for p in problems] == [("rating 'E' is not on the rating scale (A, B, C, D)", "known: A, B, C, D")]
    assert problems[0].source_line is not None and "[E]" in problems[0].source_line


def test_thresholds_must_cover_the_scale(rules_copy: Path) -> None:
    file = rules_copy / "guidelines.yaml"
    file.write_text(file.read_text(encoding="utf-8").replace("{A: 3.5, B: 3.0, C: 2.0}", "{A: 3.5, B: 3.0}"), encoding="utf-8")
    _, problems = validate_paths([file])
    assert [p.message for p in problems] == ["no threshold for rating 'C'"]


def test_guidelines_come_from_the_cycles_frozen_files(tmp_path: Path, rules_copy: Path) -> None:
    """Editing the rules folder after `cycle open` changes nothing for that cycle."""
    with Workspace(tmp_path / "w.duckdb") as workspace:
        open_cycle(workspace, "2026-Q4", None, rules_copy)
        guidelines_file = rules_copy / "guidelines.yaml"
        guidelines_file.write_text(guidelines_file.read_text(encoding="utf-8").replace('"<= 15%"', '"<= 25%"'), encoding="utf-8")
        frozen = load_guidelines(workspace, "2026-Q4")
        assert isinstance(frozen, Guidelines)
        assert frozen.bounds[0].share == "<= 15%"


def test_a_cycle_without_guidelines_is_an_error(tmp_path: Path, rules_copy: Path) -> None:
    (rules_copy / "guidelines.yaml").unlink()
    with Workspace(tmp_path / "w.duckdb") as workspace:
        open_cycle(workspace, "2026-Q4", None, rules_copy)
        with pytest.raises(CalibrationError) as error:
            load_guidelines(workspace, "2026-Q4")
    assert str(error.value) == (
        "cycle 2026-Q4 has no rating guidelines among its frozen rule files\n"
        "  hint: guidelines are frozen when a cycle is opened; open the cycle with a rules folder holding a `kind: guidelines` file "
        "(the shipped rules/sales/guidelines.yaml)"
    )


def test_frozen_guidelines_off_the_rating_scale_are_source_errors(tmp_path: Path, rules_copy: Path) -> None:
    with Workspace(tmp_path / "w.duckdb") as workspace:
        open_cycle(workspace, "2026-Q4", None, rules_copy)
        with pytest.raises(SourceErrors) as error:
            load_guidelines(workspace, "2026-Q4", ("S", "A", "B", "C"))
    assert "rating 'D' is not on the rating scale (S, A, B, C)" in str(error.value)
    assert str(error.value).startswith("2026-Q4:rules/guidelines.yaml:")
