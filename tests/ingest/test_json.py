"""JSON files: nesting is capped before Python's parser would run out of stack."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.errors import SourceErrors
from competency.files.bundle import ModelBundle
from competency.ingest.read_json import MAX_DEPTH
from competency.store.workspace import Workspace
from tests.ingest._support import rejections, run_import


def nested(depth: int) -> str:
    """A potential row whose value is `depth` levels deep with the row's own list and object."""
    inner = "[" * (depth - 2) + "1" + "]" * (depth - 2)
    return '[{"employee_id": "R1", "potential": ' + inner + "}]"


def test_nesting_up_to_the_cap_is_read(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """A value as deep as the cap allows is a value (here not a potential), not a file error."""
    path = tmp_path / "deep.json"
    path.write_text(nested(MAX_DEPTH), encoding="utf-8")
    summary = run_import(with_roster, "potential", path, bundle)
    assert (summary.rows_total, summary.rejected) == (1, 1)
    assert rejections(with_roster, summary)[0][1].startswith("unknown potential: '[[[[")


def test_nesting_past_the_cap_is_refused_where_it_starts(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "deep.json"
    path.write_text(nested(MAX_DEPTH + 1), encoding="utf-8")
    with pytest.raises(SourceErrors) as raised:
        run_import(with_roster, "potential", path, bundle)
    (problem,) = raised.value.problems
    column = len('[{"employee_id": "R1", "potential": ') + MAX_DEPTH - 1  # the bracket that opens level MAX_DEPTH + 1
    assert (problem.location.line, problem.location.column, problem.message) == (1, column, f"the JSON is nested more than {MAX_DEPTH} levels deep")


def test_brackets_inside_strings_are_text(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "brackets.json"
    path.write_text('[{"employee_id": "R1", "potential": "high", "note": "' + "[{" * 200 + '\\""}]', encoding="utf-8")
    assert run_import(with_roster, "potential", path, bundle).accepted == 1


def test_unbalanced_brackets_are_a_syntax_error(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "open.json"
    path.write_text('[{"employee_id": "R1", "potential": "high"}', encoding="utf-8")
    with pytest.raises(SourceErrors) as raised:
        run_import(with_roster, "potential", path, bundle)
    assert raised.value.problems[0].message == "not valid JSON: Expecting ',' delimiter"


def test_a_list_without_an_object_has_no_columns(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    path = tmp_path / "nulls.json"
    path.write_text("[null, 5, {}]", encoding="utf-8")
    with pytest.raises(SourceErrors) as raised:
        run_import(with_roster, "potential", path, bundle)
    assert raised.value.problems[0].message == "none of the list's 3 elements is an object with columns"
