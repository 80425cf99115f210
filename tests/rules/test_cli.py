"""`competency rules try`: one hypothetical person through a rule set."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from competency.cli._base import CompetencyGroup
from competency.cli.rules_cmd import rules
from tests.rules.support import RULES_DIR, sales_kpis, sales_model, sales_roles

RATING = str(RULES_DIR / "rating.yaml")
STRONG = [
    "--set",
    "score.competency_index=3.4",
    "--set",
    "score.kpi_index=3.6",
    "--set",
    "competency.execution=3.8",
    "--set",
    "kpi.sales_attainment=1.1",
    "--set",
    "employee.potential=high",
]


@click.group(cls=CompetencyGroup)
def main() -> None:
    """Stand-in for the real main group: the same error mapping."""


main.add_command(rules)


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The code-built sales model written as a model folder."""
    folder = tmp_path_factory.mktemp("model")
    for name, kind, part in (
        ("model", "competency_model", sales_model()),
        ("kpis", "kpi_definitions", sales_kpis()),
        ("roles", "role_profiles", sales_roles()),
    ):
        data = {"kind": kind, **part.model_dump(mode="json", exclude_none=True)}
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(folder)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["rules", "try", *args])
    return result.exit_code, result.output


def test_try_prints_each_step_and_the_outputs_in_english(model_dir: str) -> None:
    code, out = run(RATING, "--model", model_dir, *STRONG, "--set", "competency.integrity=1.5", "--lang", "en")
    assert code == 0, out
    assert "  3. rating (table)  rating = A (A meets the standard and contributes)  [row a]" in out
    assert "  4. integrity_cap (cap)  fired: rating A → C" in out
    assert "       Integrity below 2 — the rating is at most C" in out
    assert "  rating                               C (C needs improvement)" in out


def test_try_speaks_chinese(model_dir: str) -> None:
    code, out = run(RATING, "--model", model_dir, *STRONG, "--lang", "zh")
    assert code == 0, out
    assert "规则集 sales_rating 2026.1 — 销售人员评级规则" in out
    assert "nine_box = star (明星)" in out


def test_try_as_json(model_dir: str) -> None:
    code, out = run(RATING, "--model", model_dir, *STRONG, "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["outputs"]["rating"] == "A" and data["inputs"]["competency.integrity"] is None
    assert data["trace"][2] == {
        "step": "rating",
        "kind": "table",
        "rule": "a",
        "rows": ["a"],
        "read": {"performance": 3.66, "ability": 3.4},
        "output": "rating",
        "value": "A",
        "note": {
            "zh": "绩效优秀且能力达标:A级员工,帮助公司取得成功",
            "en": "Excellent performance with the ability required — an A employee who helps the company win",
        },
    }


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("competency.executon=3", "unknown name 'competency.executon'; did you mean 'competency.execution'?"),
        ("employee.potential=hgh", "'hgh' is not a value of employee.potential; did you mean 'high'?"),
        ("competency.execution=high", "competency.execution is a number, not 'high'"),
        ("competency.execution", "'competency.execution' is not NAME=VALUE"),
    ],
)
def test_bad_values_are_usage_errors(assignment: str, message: str, model_dir: str) -> None:
    code, out = run(RATING, "--model", model_dir, "--set", assignment)
    assert code == 2 and message in out


def test_a_bad_rule_file_exits_1_with_its_position(model_dir: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "kind: ruleset\nid: t\nversion: '1'\nname: t\nsteps:\n  - {id: f, kind: flag, when: competency.executon > 3, message: m}\n",
        encoding="utf-8",
    )
    code, out = run(str(bad), "--model", model_dir)
    assert code == 1
    assert f"{bad}:6:31: unknown name 'competency.executon'" in out


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["rules", "try", "--help"])
    assert result.exit_code == 0 and "competency rules try rules/sales/rating.yaml" in result.output
