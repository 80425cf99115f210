"""`competency plan generate|show|review` through click, re-reading the workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from competency.cli import main
from competency.store.workspace import Workspace
from competency.workflow.demo import DEMO_CYCLE


def run(workspace: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args])


def rows(path: Path, sql: str, *params: object) -> list[tuple]:
    with Workspace(path) as workspace:
        return workspace.db.execute(sql, list(params)).fetchall()


@pytest.mark.parametrize("command", ["generate", "show", "review"])
def test_every_plan_command_has_help_with_an_example(command: str) -> None:
    result = CliRunner().invoke(main, ["plan", command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.output


def test_generate_stores_everyone_s_plan_and_replaces_earlier_ones(demo_copy: Path) -> None:
    """One transaction; generating again leaves the same plans (and no duplicates)."""
    before = rows(demo_copy, "SELECT * EXCLUDE (generated_at) FROM plans ORDER BY employee_id")
    result = run(demo_copy, "plan", "generate", "--cycle", DEMO_CYCLE)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"plans for cycle {DEMO_CYCLE} (running in 2027-Q1): 120 people, in ")
    assert lines[1].startswith("plan types: development ")
    assert rows(demo_copy, "SELECT * EXCLUDE (generated_at) FROM plans ORDER BY employee_id") == before
    assert rows(demo_copy, "SELECT count(*), count(DISTINCT employee_id || competency_id) FROM plan_focus") == [(rows(demo_copy, "SELECT count(*) FROM plan_focus")[0][0],) * 2]


def test_generate_for_named_employees_leaves_the_others_alone(demo_copy: Path) -> None:
    """--employee regenerates only that person's plan."""
    stamps = dict(rows(demo_copy, "SELECT employee_id, generated_at FROM plans"))
    result = run(demo_copy, "plan", "generate", "--employee", "E000007", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["plans"] == 120
    after = dict(rows(demo_copy, "SELECT employee_id, generated_at FROM plans"))
    changed = sorted(e for e in after if after[e] != stamps[e])
    assert changed == ["E000007"]


def test_generate_refuses_an_unknown_employee(demo_copy: Path) -> None:
    result = run(demo_copy, "plan", "generate", "--employee", "e000007")
    assert result.exit_code == 1
    assert result.output == f"no employee 'e000007' in cycle {DEMO_CYCLE}\n  hint: did you mean 'E000007'?\n"


def test_generate_needs_a_scored_cycle(tmp_path: Path) -> None:
    """A cycle just opened has nothing to plan from."""
    path = tmp_path / "competency.duckdb"
    assert run(path, "cycle", "open", "2027-Q1").exit_code == 0
    result = run(path, "plan", "generate")
    assert result.exit_code == 1
    assert result.output == "cycle 2027-Q1 has no current results (it is open)\n  hint: run `competency score --cycle 2027-Q1` first\n"
    assert rows(path, "SELECT count(*) FROM plans") == [(0,)]


def test_show_prints_the_plan_in_each_format(demo_workspace: Path) -> None:
    text = run(demo_workspace, "plan", "show", "E000001", "--lang", "en")
    assert text.exit_code == 0 and text.output.startswith("Development plan · ") and "Monthly checkpoints:" in text.output
    markdown = run(demo_workspace, "plan", "show", "E000001", "--lang", "zh", "--format", "md")
    assert markdown.exit_code == 0 and markdown.output.startswith("# 个人发展计划 · ") and "## 发展重点" in markdown.output
    document = json.loads(run(demo_workspace, "plan", "show", "E000001", "--format", "json").output)
    assert document["employee"]["id"] == "E000001" and document["cycle"] == DEMO_CYCLE


def test_show_names_a_near_miss(demo_workspace: Path) -> None:
    result = run(demo_workspace, "plan", "show", "e000001")
    assert result.exit_code == 1
    assert result.output == f"no plan for employee 'e000001' in cycle {DEMO_CYCLE}\n  hint: did you mean 'E000001'?\n"


def test_show_before_any_plan_says_how_to_make_them(tmp_path: Path, demo_workspace: Path) -> None:
    import shutil

    path = tmp_path / "competency.duckdb"
    shutil.copy(demo_workspace, path)
    with Workspace(path) as workspace:
        workspace.db.execute("DELETE FROM plans")
    result = run(path, "plan", "show", "E000001")
    assert result.exit_code == 1
    assert result.output == f"cycle {DEMO_CYCLE} has no plans yet\n  hint: run `competency plan generate --cycle {DEMO_CYCLE}`\n"


def test_review_in_the_first_cycle_explains_itself(demo_workspace: Path) -> None:
    result = run(demo_workspace, "plan", "review")
    assert result.exit_code == 1
    assert result.output.startswith(f"no cycle before {DEMO_CYCLE} has plans to review\n")


def test_review_of_a_later_cycle_prints_statuses_and_effects(demo_workspace: Path, demo_copy: Path, tmp_path: Path) -> None:
    """The demo's files imported again as a second cycle: nothing changed, so no focus improved or declined."""
    inputs = demo_workspace.parent / "input"
    assert run(demo_copy, "cycle", "open", "2027-Q1").exit_code == 0
    for kind in ("roster", "responses", "kpis", "potential"):
        result = run(demo_copy, "import", kind, str(inputs / f"{kind}.csv"), "--rejects", str(tmp_path / f"{kind}.rejected.csv"))
        assert result.exit_code == 0, result.output
    assert run(demo_copy, "score").exit_code == 0
    result = run(demo_copy, "plan", "review", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Plan review: plans made in {DEMO_CYCLE} → 2027-Q1"
    assert lines[1] == "threshold: a change of at least 0.25 counts as improved or declined"
    assert lines[2].startswith("improved 0, unchanged ") and lines[2].endswith(", declined 0, not re-measured 0")
    assert "  experience: +0.00 (" in result.output
    assert "  baseline: mean change of competencies not targeted: +0.00 (" in result.output
