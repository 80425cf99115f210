"""The quarter through the CLI, re-reading the workspace after each step."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from competency.cli import main
from competency.sample import generate
from competency.store.workspace import Workspace


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("org")
    generate(folder, 80, seed=11)
    return folder


def run(workspace: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args])


def rows(workspace: Path, sql: str) -> list[tuple]:
    with Workspace(workspace) as w:
        return w.db.execute(sql).fetchall()


def test_a_whole_quarter(org: Path, tmp_path: Path) -> None:
    ws = tmp_path / "w.duckdb"
    opened = run(ws, "cycle", "open", "2026-Q4")
    assert opened.exit_code == 0, opened.output
    assert opened.output.startswith("opened cycle 2026-Q4 with model sales 2026.1; froze ")
    assert rows(ws, "SELECT cycle_id, status FROM cycles") == [("2026-Q4", "open")]
    frozen = rows(ws, "SELECT name, kind FROM cycle_files ORDER BY name")
    assert ("models/model.yaml", "competency_model") in frozen and ("rules/rating.yaml", "ruleset") in frozen

    for kind in ("roster", "responses", "kpis", "potential"):
        result = run(ws, "import", kind, str(org / f"{kind}.csv"), "--rejects", str(tmp_path / f"{kind}.rejected.csv"))
        assert result.exit_code == 0, result.output
        first = result.output.splitlines()[0]
        total, accepted, rejected = (int(part.split()[0]) for part in first.split(": ", 1)[1].split(", "))
        assert accepted + rejected == total
    assert rows(ws, "SELECT count(*) FROM roster") == [(80,)]
    again = run(ws, "import", "roster", str(org / "roster.csv"))
    assert again.output == "roster.csv: already imported (same content); nothing changed\n"

    scored = run(ws, "score", "--format", "json")
    assert scored.exit_code == 0, scored.output
    summary = json.loads(scored.output)
    assert summary["people"] == 80 and summary["rated"] == sum(v for k, v in summary["distribution"].items() if k != "unrated")
    assert rows(ws, "SELECT status FROM cycles") == [("scored",)]
    assert rows(ws, "SELECT count(*) FROM person_results") == [(80,)]

    table = run(ws, "results", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(table.output.lstrip("\ufeff"))))
    assert len(parsed) == 80
    stored = dict(rows(ws, "SELECT employee_id, rating FROM person_results"))
    assert {r["employee_id"]: r["rating"] or None for r in parsed} == stored

    someone = parsed[0]["employee_id"]
    explained = run(ws, "explain", someone, "--format", "json")
    payload = json.loads(explained.output)
    assert payload["employee"]["employee_id"] == someone
    assert payload["rules"]["outputs"]["rating"] == stored[someone]
    text = run(ws, "explain", someone, "--lang", "zh")
    assert "素质得分" in text.output and "规则如何得出评级" in text.output

    history = run(ws, "history", someone, "--format", "json")
    assert [h["cycle_id"] for h in json.loads(history.output)] == ["2026-Q4"]
    shown = run(ws, "cycle", "show", "--format", "json")
    assert [i["kind"] for i in json.loads(shown.output)["imports"]] == ["roster", "responses", "kpis", "potential"]


def test_explain_never_names_a_rater(org: Path, tmp_path: Path) -> None:
    """Explanations show group counts and means, never who answered."""
    ws = tmp_path / "w.duckdb"
    run(ws, "cycle", "open", "2026-Q4")
    for kind in ("roster", "responses", "kpis", "potential"):
        run(ws, "import", kind, str(org / f"{kind}.csv"), "--rejects", str(tmp_path / f"{kind}.rejected.csv"))
    run(ws, "score")
    person, raters = rows(ws, "SELECT employee_id, list(DISTINCT rater_id) FROM responses WHERE relationship IN ('peer', 'direct_report', 'customer') GROUP BY ALL LIMIT 1")[0]
    for fmt in ("text", "json"):
        output = run(ws, "explain", person, "--format", fmt).output
        assert not any(rater in output for rater in raters)


def test_commands_on_a_missing_workspace_say_what_to_do(tmp_path: Path) -> None:
    result = run(tmp_path / "none.duckdb", "results")
    assert result.exit_code == 1
    assert result.output == (
        f"no workspace at {tmp_path / 'none.duckdb'}\n"
        "  hint: open a cycle first (`competency cycle open 2026-Q4`), or name the workspace with --workspace or $COMPETENCY_WORKSPACE\n"
    )


def test_unknown_cycle_and_employee(org: Path, tmp_path: Path) -> None:
    ws = tmp_path / "w.duckdb"
    run(ws, "cycle", "open", "2026-Q4")
    wrong = run(ws, "score", "--cycle", "2026-Q3")
    assert wrong.exit_code == 1
    assert wrong.output == f"no cycle '2026-Q3' in workspace {ws}\n  hint: did you mean '2026-Q4'?\n"
    empty = run(ws, "score")
    assert empty.output == "cycle 2026-Q4 has no roster yet\n  hint: import one first: `competency import roster roster.csv`\n"


def test_demo_writes_results_plans_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "--out", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Demo cycle 2026-Q4: 120 people" in result.output
    ratings = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(ratings) == 120
    spread = {r["rating"] for r in ratings}
    assert {"A", "B", "C", "D"} <= spread
    assert len(list((out / "plans").glob("*.md"))) == 120
    assert (out / "reports" / "index.html").is_file()
    assert result.output.count("How the rules reached the rating:") == 3
    rejected = (out / "rejected" / "responses.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rejected) == 1 + 6  # header + the six planted bad answers
