"""The scoring file: every number finite, refused where it is written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from competency.files.kinds import validate_paths
from competency.files.shipped import default_model_folder, default_rules_folder

HINT = ".nan and .inf are not numbers a rule or a score can use: write digits, e.g. 0.25"


@pytest.fixture
def scoring_beside_model(tmp_path: Path) -> Path:
    """The shipped sales model with a copy of its scoring file beside it (references resolve)."""
    for file in default_model_folder().glob("*.yaml"):
        shutil.copy(file, tmp_path)
    target = tmp_path / "scoring.yaml"
    shutil.copy(default_rules_folder() / "scoring.yaml", target)
    return target


def _problems(path: Path, replacements: dict[str, str]) -> list[tuple[int, int, str, str]]:
    text = path.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    _, problems = validate_paths([path])
    return [(p.location.line, p.location.column, p.message, p.hint) for p in problems]


def test_the_shipped_scoring_file_is_valid(scoring_beside_model: Path) -> None:
    """The control: unchanged, the copy validates."""
    assert _problems(scoring_beside_model, {}) == []


def test_nan_and_infinities_are_refused_at_their_place(scoring_beside_model: Path) -> None:
    """YAML's .nan and .inf are floats to a YAML parser but no share, weight, band or KPI
    level: each is an error at its line and column, all reported together."""
    got = _problems(scoring_beside_model, {
        "answered_share: 0.5": "answered_share: .NaN",
        "peer: 0.3": "peer: .nan",
        "{level: 2, minimum: 1.75}": "{level: 2, minimum: -.inf}",
        "stretch: 4}": "stretch: .inf}",
    })
    assert got == [
        (7, 17, "'answered_share' must be a finite number, not nan", HINT),
        (19, 9, "'peer' must be a finite number, not nan", HINT),
        (28, 25, "'minimum' must be a finite number, not -inf", HINT),
        (33, 48, "'stretch' must be a finite number, not inf", HINT),
    ]
