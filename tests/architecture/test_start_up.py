"""The command line starts light, and the public API needs no import order."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import click
import pytest

from competency.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parents[2]


def _fresh(code: str) -> str:
    """What `code` prints in a new interpreter started in the project folder."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_help_loads_no_command_and_no_engine() -> None:
    loaded = _fresh(
        "import sys\n"
        "from competency.cli import main\n"
        "try:\n    main(['--help'], prog_name='competency')\nexcept SystemExit:\n    pass\n"
        "print('loaded:', [m for m in ('duckdb', 'pydantic', 'jinja2', 'yaml', 'competency.workflow', 'competency.cli.score_cmds') if m in sys.modules])"
    )
    assert loaded.splitlines()[-1] == "loaded: []"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_in_the_table_is_its_commands_own(name: str) -> None:
    module, attribute, summary = COMMANDS[name]
    command = getattr(importlib.import_module(module), attribute)
    assert command.name == name
    assert summary == command.get_short_help_str(limit=10_000)


def test_every_command_defined_is_in_the_table() -> None:
    """The top-level commands the cli modules define (those no group holds) are the table's."""
    defined: dict[str, click.Command] = {}
    for path in sorted((ROOT / "competency" / "cli").glob("*_cmd*.py")):
        module = importlib.import_module(f"competency.cli.{path.stem}")
        defined |= {id(v): v for v in vars(module).values() if isinstance(v, click.Command)}
    held = {id(c) for v in defined.values() if isinstance(v, click.Group) for c in v.commands.values()}
    top_level = sorted(v.name for k, v in defined.items() if k not in held)
    assert top_level == sorted(COMMANDS)


def test_validate_paths_finds_no_error_in_the_shipped_files_in_a_fresh_interpreter() -> None:
    printed = _fresh("import competency; print(competency.validate_paths(['models/sales', 'rules/sales'])[1])")
    assert printed == "[]\n"


def test_the_public_api_names_what_it_exports() -> None:
    import competency

    for name in competency.__all__:
        assert getattr(competency, name) is not None, name
