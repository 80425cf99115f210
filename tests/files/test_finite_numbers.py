"""YAML's .nan, .inf and -.inf are floats, but no number of a model or a rule file:
they are refused where they are read, with their position and a hint, like any
other field error (before, a KPI target of .nan passed `validate` and broke the
import later)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import competency
from competency.cli import main
from competency.errors import SourceErrors
from competency.rules import Schema, build_schema
from tests.rules.support import ruleset_problems, sales_kpis, sales_model, sales_roles, table_problems

MINIMAL = Path(__file__).parent.parent / "data" / "minimal"
HINT = "  hint: .nan and .inf are not numbers a rule or a score can use: write digits, e.g. 0.25"

KPI_TARGET_NAN = (
    "kpis.yaml:8:13: 'target' must be a finite number, not nan\n"
    "        target: .nan\n"
    "                ^^^^\n"
    f"{HINT}\n"
    "\n"
    "1 error in 1 file."
)


@pytest.fixture
def bundle_with(tmp_path: Path):  # noqa: ANN201 - a factory of model folders
    """The minimal model with one line of one file replaced."""

    def make(file: str, line: str, replacement: str) -> Path:
        for source in MINIMAL.iterdir():
            shutil.copy(source, tmp_path / source.name)
        text = (tmp_path / file).read_text(encoding="utf-8")
        assert line in text
        (tmp_path / file).write_text(text.replace(line, replacement, 1), encoding="utf-8")
        return tmp_path

    return make


def test_a_kpi_target_of_nan_is_refused_by_validate(bundle_with, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.chdir(bundle_with("kpis.yaml", "    target: 1.0\n", "    target: .nan\n"))
    result = CliRunner().invoke(main, ["validate", "kpis.yaml"])
    assert result.exit_code == 1
    assert result.output.rstrip("\n") == KPI_TARGET_NAN


def test_a_kpi_target_of_nan_is_refused_by_the_api(bundle_with, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    folder = bundle_with("kpis.yaml", "    target: 1.0\n", "    target: .nan\n")
    monkeypatch.chdir(folder)
    files, problems = competency.validate_paths(["kpis.yaml"])
    assert files == [Path("kpis.yaml")]
    assert SourceErrors(problems).render() == KPI_TARGET_NAN
    with pytest.raises(SourceErrors) as caught:
        competency.load_bundle(Path("."))
    assert [(p.location.line, p.location.column, p.message) for p in caught.value.problems] == [(8, 13, "'target' must be a finite number, not nan")]


@pytest.mark.parametrize("written", [".nan", ".inf", "-.inf", ".NaN", ".Inf"])
@pytest.mark.parametrize(
    ("file", "line", "template"),
    [
        ("kpis.yaml", "    target: 1.0\n", "    target: {}\n"),
        ("kpis.yaml", "    curve: {threshold: 0.8, target: 1.0, stretch: 1.2}\n", "    curve: {{threshold: {}, target: 1.0, stretch: 1.2}}\n"),
        ("kpis.yaml", "    curve: {threshold: 0.8, target: 1.0, stretch: 1.2}\n", "    curve: {{threshold: 0.8, target: 1.0, stretch: {}}}\n"),
        ("model.yaml", "    weight: 1\n", "    weight: {}\n"),
        ("roles.yaml", "      execution: {required: 3, weight: 0.6}\n", "      execution: {{required: 3, weight: {}}}\n"),
        ("roles.yaml", "      sales_attainment: {weight: 0.7}\n", "      sales_attainment: {{weight: 0.7, target: {}}}\n"),
    ],
)
def test_every_number_of_a_model_refuses_nan_and_infinity(bundle_with, file: str, line: str, template: str, written: str) -> None:  # noqa: ANN001
    folder = bundle_with(file, line, template.format(written))
    _, problems = competency.validate_paths([folder / file])
    shown = {".nan": "nan", ".NaN": "nan", ".inf": "inf", ".Inf": "inf", "-.inf": "-inf"}[written]
    assert [p.message.split("'")[2] for p in problems] == [f" must be a finite number, not {shown}"]
    [problem] = problems
    assert problem.location.line == (folder / file).read_text(encoding="utf-8").splitlines().index(template.format(written).rstrip("\n")) + 1
    assert problem.hint == HINT.removeprefix("  hint: ")


@pytest.fixture(scope="module")
def schema() -> Schema:
    return build_schema(sales_model(), sales_kpis(), sales_roles())


RULESET = (
    "kind: ruleset\nid: t\nversion: '1'\nname: t\nsteps:\n"
    "  - {id: total, kind: compute, name: score.total, expr: competency.execution}\n"
    "  - {id: most, kind: cap, target: score.total, when: 'true', at_most: .nan, reason: r}\n"
)


def test_a_bound_of_nan_in_a_rule_file_is_refused(schema: Schema) -> None:
    assert ruleset_problems(RULESET, schema) == (
        "rules.yaml:7:71: 'at_most' must be a finite number, not nan\n"
        "      - {id: most, kind: cap, target: score.total, when: 'true', at_most: .nan, reason: r}\n"
        "                                                                          ^^^^\n"
        f"{HINT}\n"
        "\n"
        "1 error in 1 file."
    )


TABLE = """\
kind: decision_table
id: t
hit: FIRST
inputs:
  - {name: execution, expr: competency.execution, domain: "[1..4]"}
output: {name: score.bonus, type: number}
rows:
  - {when: {execution: ">= 3"}, then: -.inf}
  - {when: {execution: "< 3"}, then: 1}
"""


def test_a_table_result_of_infinity_is_refused(schema: Schema) -> None:
    assert table_problems(TABLE, schema) == (
        "table.yaml:8:39: 'then' must be a finite number, not -inf\n"
        '      - {when: {execution: ">= 3"}, then: -.inf}\n'
        "                                          ^^^^^\n"
        f"{HINT}\n"
        "\n"
        "1 error in 1 file."
    )


@pytest.mark.parametrize(
    ("file", "line", "replacement", "field"),
    [
        ("guidelines.yaml", "  z_threshold: 2.5\n", "  z_threshold: .inf\n", "z_threshold"),
        ("guidelines.yaml", "  minimum_effect: 0.5\n", "  minimum_effect: .nan\n", "minimum_effect"),
        ("development.yaml", "  hours_per_focus: 40\n", "  hours_per_focus: .inf\n", "hours_per_focus"),
        ("actions.yaml", "      hours: 28\n", "      hours: .nan\n", "hours"),
    ],
)
def test_numbers_of_the_rules_folder_refuse_nan_and_inf(tmp_path: Path, file: str, line: str, replacement: str, field: str) -> None:
    shipped = Path(__file__).parents[2]
    shutil.copytree(shipped / "models", tmp_path / "models")
    shutil.copytree(shipped / "rules", tmp_path / "rules")
    path = tmp_path / "rules" / "sales" / file
    text = path.read_text(encoding="utf-8")
    assert line in text
    path.write_text(text.replace(line, replacement, 1), encoding="utf-8")
    _, problems = competency.validate_paths([path])
    value = replacement.split(": ")[1].strip()
    messages = [p.message for p in problems]
    assert messages == [f"'{field}' must be a finite number, not {'nan' if value == '.nan' else 'inf'}"]
    assert problems[0].location.line == text[: text.index(line)].count("\n") + 1
