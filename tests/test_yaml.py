"""The YAML loader: safe, positions kept, duplicates and tabs are errors."""

from __future__ import annotations

import pytest

from competency.files.yaml_loader import parse_yaml
from competency.errors import Location, SourceErrors, SourceProblem


def test_positions_of_nested_values() -> None:
    """Every value keeps its 1-based line and column, list items by index."""
    document = parse_yaml("a:\n  b: [1, 2]\n  c:\n    - x: 3\n", "f.yaml")
    assert document.data == {"a": {"b": [1, 2], "c": [{"x": 3}]}}
    assert document.locate(("a", "b", 1)) == Location("f.yaml", 2, 10, 11)
    assert document.locate(("a", "c", 0, "x")) == Location("f.yaml", 4, 10, 11)
    assert document.locate(("a", "c", 0, "x"), at_key=True) == Location("f.yaml", 4, 7)


def test_unknown_path_falls_back_to_nearest_parent() -> None:
    document = parse_yaml("a:\n  b: 1\n", "f.yaml")
    assert document.locate(("a", "missing")).line == 2


def test_every_duplicate_key_is_reported() -> None:
    """Duplicate keys never silently keep the last value; all of them are listed."""
    with pytest.raises(SourceErrors) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\nc:\n  d: 1\n  d: 2\n", "f.yaml")
    assert [(p.location.line, p.message) for p in caught.value.problems] == [
        (3, "duplicate key 'a' (first given on line 1)"),
        (6, "duplicate key 'd' (first given on line 5)"),
    ]


def test_tab_indentation_is_an_error_on_each_line() -> None:
    with pytest.raises(SourceErrors) as caught:
        parse_yaml("a:\n\tb: 1\n\tc: 2\n", "f.yaml")
    assert [p.location.line for p in caught.value.problems] == [2, 3]


def test_python_tags_are_refused() -> None:
    """The safe loader never builds Python objects from tags."""
    with pytest.raises(SourceErrors) as caught:
        parse_yaml("a: !!python/object/apply:os.system ['echo hi']\n", "f.yaml")
    assert "could not determine a constructor" in caught.value.problems[0].message


def test_two_documents_in_one_file_are_refused() -> None:
    with pytest.raises(SourceErrors) as caught:
        parse_yaml("a: 1\n---\nb: 2\n", "f.yaml")
    assert caught.value.problems[0].hint == "keep one document per file"


def test_caret_sits_under_chinese_text() -> None:
    """Chinese characters take two terminal columns; the caret accounts for it."""
    problem = SourceProblem(Location("f.yaml", 1, 7, 9), "bad", "", "name: 执行力 x")
    assert problem.render().splitlines()[2] == "    " + " " * 6 + "^^^^"
