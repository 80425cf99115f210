"""Every command has help with an example, and the README documents it."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from competency.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every leaf command's path, the lazy root's commands included (loaded as `competency` would)."""
    context = click.Context(group)
    found = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        path = (*prefix, name)
        if isinstance(command, click.Group):
            found += _commands(command, path)
        else:
            found.append(path)
    return found


COMMANDS = _commands(main)


def test_every_command_is_found() -> None:
    """The parametrised checks below run for each command the root lists, not an empty set."""
    assert {("plan", "generate"), ("report", "individual"), ("export", "ratings"), ("score",), ("calibrate", "set")} <= set(COMMANDS)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"`competency {' '.join(path)} --help` shows no example"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"competency {' '.join(path)}" in README


def test_readme_starts_with_the_two_commands() -> None:
    """The first two code blocks are the demo (install + run) and the test command."""
    blocks = README.split("```")[1::2]
    assert ".venv/bin/competency" in blocks[0]
    assert "pytest" in blocks[1]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci, "CI must run the README's test command verbatim"
