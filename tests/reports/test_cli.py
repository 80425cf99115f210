"""`competency report …` and `competency export …` as a user runs them."""

from __future__ import annotations

import io
import json
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from competency.cli.report_cmds import export, report
from competency.store.workspace import Workspace
from tests.reports._support import cli


def run(demo: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--workspace", str(demo), *args])


def _leaves(group: click.Group, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
    return [(*prefix, name) for name in sorted(group.commands)]


@pytest.mark.parametrize("path", _leaves(report, ("report",)) + _leaves(export, ("export",)), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "competency " + " ".join(path) in result.output


def test_report_individual_writes_the_named_people(demo: Path, tmp_path: Path) -> None:
    result = run(demo, "report", "individual", "--employee", "E000005", "--employee", "E000010", "--lang", "en", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [str(tmp_path / "individual-E000005.html"), str(tmp_path / "individual-E000010.html")]
    assert "叶蕾" in (tmp_path / "individual-E000005.html").read_text(encoding="utf-8")


def test_report_individual_all_in_markdown_is_quiet_in_a_pipe(demo: Path, tmp_path: Path) -> None:
    """No progress bar outside a terminal: one line saying what was written."""
    result = run(demo, "report", "individual", "--all", "--format", "md", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    with Workspace(demo) as workspace:
        people = workspace.db.execute("SELECT count(*) FROM person_results").fetchone()[0]
    assert result.output == f"wrote {people} individual reports to {tmp_path}\n"
    assert len(list(tmp_path.glob("individual-*.md"))) == people


def test_report_team_calibration_org_and_plan(demo: Path, tmp_path: Path) -> None:
    assert run(demo, "report", "team", "--manager", "E000002", "--out", str(tmp_path)).output == f"{tmp_path / 'team-E000002.html'}\n"
    assert run(demo, "report", "calibration", "--lang", "en", "--out", str(tmp_path)).output == f"{tmp_path / 'calibration.html'}\n"
    assert run(demo, "report", "org", "--out", str(tmp_path)).output == f"{tmp_path / 'org.html'}\n"
    assert run(demo, "report", "plan", "--employee", "E000005", "--format", "md", "--out", str(tmp_path)).output == f"{tmp_path / 'plan-E000005.md'}\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "individual"], "Error: name someone with --employee ID (repeat it for more), or use --all"),
        (["report", "individual", "--all", "--employee", "E000005"], "Error: --employee cannot be used with --all"),
        (["report", "team", "--all", "--manager", "E000002"], "Error: --manager cannot be used with --all"),
        (["report", "calibration", "--format", "md"], "Error: Invalid value for '--format': 'md' is not 'html'."),
        (["export", "ratings", "--format", "xlsx"], "Error: --format xlsx needs -o FILE: a workbook is not text"),
    ],
)
def test_usage_errors_exit_2(demo: Path, args: list[str], message: str) -> None:
    result = run(demo, *args)
    assert result.exit_code == 2
    assert message in result.output


def test_data_errors_exit_1_with_a_hint(demo: Path, tmp_path: Path) -> None:
    result = run(demo, "report", "individual", "--employee", "E999999", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.startswith("no employee 'E999999' in cycle 2026-Q4\n  hint: ")
    result = run(demo, "report", "org", "--cycle", "2019-Q1", "--out", str(tmp_path))
    assert result.exit_code == 1 and "no cycle '2019-Q1'" in result.output


def test_export_ratings_csv_to_stdout_has_a_bom_and_both_ratings(demo: Path) -> None:
    result = run(demo, "export", "ratings")
    assert result.exit_code == 0
    header = result.output.splitlines()[0]
    assert header.startswith("\ufeffemployee_id,name,")
    assert "computed_rating" in header.split(",") and "final_rating" in header.split(",")


def test_export_scores_json_shows_only_published_group_figures(demo: Path) -> None:
    rows = json.loads(run(demo, "export", "scores", "--format", "json").output)
    with Workspace(demo) as workspace:
        hidden = workspace.db.execute(
            "SELECT employee_id, competency_id, rater_group FROM group_scores WHERE NOT publishable AND rater_group = 'peer' LIMIT 1"
        ).fetchone()
    assert hidden is not None
    row = next(r for r in rows if (r["employee_id"], r["competency_id"]) == hidden[:2])
    assert row["peer"] is None


def test_export_xlsx_has_a_styled_frozen_header_and_sized_columns(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "ratings.xlsx"
    result = run(demo, "export", "ratings", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote 120 rows of ratings of cycle 2026-Q4 to {target}")
    sheet = openpyxl.load_workbook(target).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "employee_id" and sheet["A1"].font.bold and sheet["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert sheet.column_dimensions["B"].width >= 8 and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.max_row == 121


@pytest.mark.parametrize("kind", ["ratings", "scores", "plans", "audit"])
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_every_export_in_every_format(demo: Path, tmp_path: Path, kind: str, fmt: str) -> None:
    target = tmp_path / f"{kind}.{fmt}"
    result = run(demo, "export", kind, "-o", str(target))  # the format from the suffix
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if fmt == "csv":
        assert data.startswith("\ufeff".encode())
    elif fmt == "json":
        assert isinstance(json.loads(data), list)
    else:
        assert openpyxl.load_workbook(io.BytesIO(data)).active["A1"].value is not None


def test_reports_refuse_results_made_stale_by_a_later_import(demo: Path, tmp_path: Path) -> None:
    """Behaviour figures are derived from the answers, so they must be the answers that were scored."""
    from competency.cli import main

    def run(workspace: Path, *args: str) -> click.testing.Result:
        return CliRunner().invoke(main, ["--workspace", str(workspace), *args])

    copy = tmp_path / "w.duckdb"
    copy.write_bytes(demo.read_bytes())
    potential = tmp_path / "potential.csv"
    potential.write_text("employee_id,potential\nE000005,high\n", encoding="utf-8")
    assert run(copy, "import", "potential", str(potential), "--replace").exit_code == 0
    result = run(copy, "report", "individual", "--employee", "E000005", "--out", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == (
        "the results of cycle 2026-Q4 are out of date: data was imported after it was scored\n"
        "  hint: run `competency score --cycle 2026-Q4` again\n"
    )
    assert run(copy, "score").exit_code == 0
    assert run(copy, "report", "individual", "--employee", "E000005", "--out", str(tmp_path)).exit_code == 0
