"""Every calibration command has help with an example (as tests/test_docs.py asks of all verbs)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from competency.cli import main

COMMANDS = [("calibrate",), *[("calibrate", name) for name in ("status", "set", "undo", "suggest", "log", "lock", "reopen")], ("agreement",)]


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_help_shows_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"competency {' '.join(path)}" in result.output
