"""Hostile YAML and model files: each exits 1 with one exact, positioned message, at once.

Every file in `data/files/` holds one hostile or careless input — an alias bomb,
nesting or numbers built to crash the loader, a number written as text or as
yes/no — and is validated beside the other files of the minimal valid bundle.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from competency.cli import main
from competency.errors import Location, SourceErrors, SourceProblem
from competency.files.yaml_loader import parse_yaml

DATA = Path(__file__).parent / "data" / "files"
MINIMAL = Path(__file__).parent.parent / "data" / "minimal"

EXPECTED = {
    'alias_bomb.mapping.yaml': (
        'alias_bomb.mapping.yaml:3:6: YAML anchors and aliases (&name, *name) are not used in competency files: found &a\n'
        '    lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        '         ^\n'
        '  hint: write the value out in full at each place it is needed\n'
        '\n'
        '1 error in 1 file.'
    ),
    'alias_bomb.model.yaml': (
        'alias_bomb.model.yaml:5:6: YAML anchors and aliases (&name, *name) are not used in competency files: found &a\n'
        '    lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
        '         ^\n'
        '  hint: write the value out in full at each place it is needed\n'
        '\n'
        '1 error in 1 file.'
    ),
    'boolean_weight.roles.yaml': (
        "boolean_weight.roles.yaml:11:31: 'weight' must be a number, not a yes/no value\n"
        '          expense_ratio: {weight: true}\n'
        '                                  ^^^^\n'
        '  hint: YAML reads an unquoted true, false, yes, no, on or off as yes/no: write digits (e.g. 0.25)\n'
        '\n'
        '1 error in 1 file.'
    ),
    'decimal_level_value.model.yaml': (
        "decimal_level_value.model.yaml:9:15: 'value' must be a whole number, not 4.0\n"
        '        - {value: 4.0, key: excellent, label: {zh: 优秀, en: Excellent}}\n'
        '                  ^^^\n'
        '  hint: write it without decimals (e.g. 3)\n'
        '\n'
        '1 error in 1 file.'
    ),
    'deep_block.model.yaml': (
        'deep_block.model.yaml:53:101: the values are nested more than 50 levels deep\n'
        '                                                                                                        level50:\n'
        '                                                                                                        ^\n'
        '  hint: competency files need a few levels: look for brackets [ { that are never closed\n'
        '\n'
        '1 error in 1 file.'
    ),
    'deep_flow.model.yaml': (
        'deep_flow.model.yaml:3:57: the values are nested more than 50 levels deep\n'
        '    notes: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[…\n'
        '                                                            ^\n'
        '  hint: competency files need a few levels: look for brackets [ { that are never closed\n'
        '\n'
        '1 error in 1 file.'
    ),
    'huge_integer.kpis.yaml': (
        'huge_integer.kpis.yaml:5:13: a number of 10,000 characters is too long (at most 100)\n'
        '        target: 999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999…\n'
        '                ^\n'
        '  hint: write the number with fewer digits\n'
        '\n'
        '1 error in 1 file.'
    ),
    'huge_tagged_integer.kpis.yaml': (
        'huge_tagged_integer.kpis.yaml:5:13: a number of 5,000 characters is too long (at most 100)\n'
        '        target: !!int "77777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777777…\n'
        '                ^\n'
        '  hint: write the number with fewer digits\n'
        '\n'
        '1 error in 1 file.'
    ),
    'long_text.model.yaml': (
        'long_text.model.yaml:5:7: a value of 12,000 characters is too long (at most 10,000)\n'
        '      en: "Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem…\n'
        '          ^\n'
        '  hint: shorten it, or look for a quote that is never closed\n'
        '\n'
        '1 error in 1 file.'
    ),
    'merge_key.roles.yaml': (
        'merge_key.roles.yaml:3:11: YAML anchors and aliases (&name, *name) are not used in competency files: found &weights\n'
        '    defaults: &weights {required: 3, weight: 0.5}\n'
        '              ^\n'
        '  hint: write the value out in full at each place it is needed\n'
        '\n'
        '1 error in 1 file.'
    ),
    'quoted_curve_point.kpis.yaml': (
        "quoted_curve_point.kpis.yaml:9:24: 'threshold' must be a number, not the quoted text '0.8'\n"
        "        curve: {threshold: '0.8', target: 1.0, stretch: 1.2}\n"
        '                           ^^^^^\n'
        '  hint: remove the quotes: write 0.8\n'
        '\n'
        '1 error in 1 file.'
    ),
    'quoted_required_level.roles.yaml': (
        "quoted_required_level.roles.yaml:8:33: 'required' must be a whole number, not the quoted text '3'\n"
        '          relationships: {required: "3", weight: 0.4}\n'
        '                                    ^^^\n'
        '  hint: remove the quotes: write 3\n'
        '\n'
        '1 error in 1 file.'
    ),
    'quoted_weight.roles.yaml': (
        "quoted_weight.roles.yaml:7:40: 'weight' must be a number, not the quoted text '0.6'\n"
        "          execution: {required: 3, weight: '0.6'}\n"
        '                                           ^^^^^\n'
        '  hint: remove the quotes: write 0.6\n'
        '\n'
        '1 error in 1 file.'
    ),
    'quoted_weight_sum_1_7.roles.yaml': (
        "quoted_weight_sum_1_7.roles.yaml:8:44: 'weight' must be a number, not the quoted text '0.8'\n"
        '          relationships: {required: 3, weight: "0.8"}\n'
        '                                               ^^^^^\n'
        '  hint: remove the quotes: write 0.8\n'
        '\n'
        '1 error in 1 file.'
    ),
    'weights_sum_1_7.roles.yaml': (
        "weights_sum_1_7.roles.yaml:6:5: the competency (role 'sales_supervisor') weights add up to 1.7, not 1\n"
        '        competencies:\n'
        '        ^\n'
        '  hint: weights are shares of the whole: change them so that they add up to exactly 1\n'
        '\n'
        '1 error in 1 file.'
    ),
    'yes_weight.model.yaml': (
        "yes_weight.model.yaml:18:13: 'weight' must be a number, not a yes/no value\n"
        '        weight: yes\n'
        '                ^^^\n'
        '  hint: YAML reads an unquoted true, false, yes, no, on or off as yes/no: write digits (e.g. 0.25)\n'
        '\n'
        '1 error in 1 file.'
    ),}


def _validate(name: str, folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, float]:
    kind = name.split(".")[-2]
    for sibling in MINIMAL.iterdir():
        if sibling.stem != kind:
            shutil.copy(sibling, folder / sibling.name)
    shutil.copy(DATA / name, folder / name)
    monkeypatch.chdir(folder)
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", name])
    return result.exit_code, result.output, time.perf_counter() - started


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_gives_its_exact_message(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile or careless file exits 1 within seconds, naming file, line and column."""
    code, output, seconds = _validate(name, tmp_path, monkeypatch)
    assert (code, output.rstrip("\n")) == (1, EXPECTED[name])
    assert seconds < 5  # the first run of a kind also imports its modules


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in DATA.iterdir()) == sorted(EXPECTED)


def test_the_alias_bomb_is_521_bytes_and_refused_within_a_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Expanded, the bomb would be 9^11 strings; it is refused before anything is built."""
    assert (DATA / "alias_bomb.model.yaml").stat().st_size == 521
    _validate("alias_bomb.model.yaml", tmp_path, monkeypatch)  # the modules are imported once
    code, _, seconds = _validate("alias_bomb.model.yaml", tmp_path, monkeypatch)
    assert code == 1 and seconds < 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: *undefined\n", "YAML anchors and aliases (&name, *name) are not used in competency files: found *undefined"),
        ("a: &only 1\n", "YAML anchors and aliases (&name, *name) are not used in competency files: found &only"),
        ("a: " + "{b: " * 51 + "1" + "}" * 51 + "\n", "the values are nested more than 50 levels deep"),
        ("a: " + "1" * 101 + "\n", "a number of 101 characters is too long (at most 100)"),
        ("a: " + "1.5e+" + "9" * 100 + "\n", "a number of 105 characters is too long (at most 100)"),
        ("a: '" + "x" * 10_001 + "'\n", "a value of 10,001 characters is too long (at most 10,000)"),
    ],
)
def test_each_limit_is_a_positioned_error(text: str, message: str) -> None:
    with pytest.raises(SourceErrors) as caught:
        parse_yaml(text, "f.yaml")
    assert [(p.location.line, p.message) for p in caught.value.problems] == [(1, message)]


def test_the_limits_leave_ordinary_values_alone() -> None:
    """50 levels, a 100-digit number, a 10,000-character text and '1' * 200 in quotes are fine."""
    text = "a: " + "[" * 49 + "1" + "]" * 49 + "\nb: " + "1" * 100 + "\nc: '" + "x" * 10_000 + "'\nd: '" + "1" * 200 + "'\n"
    data = parse_yaml(text, "f.yaml").data
    assert data["b"] == int("1" * 100) and len(data["c"]) == 10_000 and data["d"] == "1" * 200


def test_rendering_is_linear_in_the_number_of_errors() -> None:
    """20,000 duplicate keys are found and rendered in about a second, not minutes."""
    text = "".join(f"m{j}:\n" + "".join(f"  k{i % 2}: {i}\n" for i in range(4)) for j in range(10_000))
    started = time.perf_counter()
    with pytest.raises(SourceErrors) as caught:
        parse_yaml(text, "f.yaml")
    rendered = str(caught.value)
    assert rendered.endswith("\n\n20000 errors in 1 file.")
    assert time.perf_counter() - started < 5


def test_a_long_line_is_shown_around_the_caret() -> None:
    """A line of megabytes is cut to the 120 columns around the mistake, with … where cut."""
    line = "x" * 5_000 + "BAD" + "y" * 2_000_000
    problem = SourceProblem(Location("f.yaml", 1, 5_001, 5_004), "bad", "", line)
    started = time.perf_counter()
    assert problem.render() == "f.yaml:1:5001: bad\n    …" + "x" * 30 + "BAD" + "y" * 87 + "…\n     " + " " * 30 + "^^^"
    assert time.perf_counter() - started < 0.05


def test_a_long_chinese_line_is_cut_by_columns() -> None:
    """Wide characters take two columns each, so the cut keeps 60 of them."""
    problem = SourceProblem(Location("f.yaml", 1, 1), "bad", "", "名" * 2_000)
    assert problem.render().splitlines()[1] == "    " + "名" * 60 + "…"
