"""What reaches the terminal: names that carry escape sequences, a reader that goes
away, Ctrl-C, numbers JSON cannot hold, and Markdown that would run HTML."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from competency.cli import main
from competency.store.workspace import Workspace
from competency._text import json_text, safe_cell, terminal_text
from tests.hostile._scored import scored_workspace

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
INTERRUPTED = "interrupted; nothing was changed by the unfinished command\n"
HOSTILE = {
    "E000002": "\x1b]0;owned\x07罗洁\x1b[2J\x07",  # retitles the window, clears the screen, rings the bell
    "E000003": "<script>alert(1)</script> *bold* [link](javascript:x)",
    "E000004": '=HYPERLINK("http://evil.example")',
    "E000005": "Li\x9b31m\x1bP+q\x1b\\ Na\rX",  # C1 CSI, a DCS request, a bare CR
}
# Anything a terminal acts on: ESC, C0 (but tab and newline; CR only before a newline), DEL, C1.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scored and planned workspace whose roster holds hostile names."""
    return scored_workspace(tmp_path_factory.mktemp("hostile"), roster_names=HOSTILE, plans=True)


def run(workspace: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args])


def stored_name(workspace: Path, employee_id: str) -> str:
    with Workspace(workspace, read_only=True) as w:
        return w.db.execute("SELECT name FROM roster WHERE employee_id = ?", [employee_id]).fetchone()[0]


def test_the_names_are_stored_as_written(hostile: Path) -> None:
    """The import keeps them (it is data, not the terminal's business); printing is where they are made safe."""
    assert CONTROL.search(stored_name(hostile, "E000002"))


@pytest.mark.parametrize(
    "command",
    [("results",), ("results", "--format", "csv"), ("explain", "E000002", "--lang", "en"), ("history", "E000002"), ("cycle", "list"), ("plan", "show", "E000002", "--format", "text")],
)
def test_no_control_character_reaches_the_terminal(command: tuple[str, ...], hostile: Path) -> None:
    """Escape sequences are dropped whole; Chinese and the rest of the name are kept."""
    result = run(hostile, *command)
    assert result.exit_code == 0, result.output
    assert not CONTROL.search(result.output)
    if command[0] in ("results", "explain"):
        assert "罗洁" in result.output and "owned" not in result.output


def test_json_output_keeps_the_name_exactly_and_prints_no_control_character(hostile: Path) -> None:
    """JSON escapes C0, DEL and C1 as \\u sequences: the text round-trips and the terminal sees none."""
    result = run(hostile, "results", "--format", "json")
    assert not CONTROL.search(result.output)
    names = {row["employee_id"]: row["name"] for row in json.loads(result.output)}
    assert names["E000002"] == stored_name(hostile, "E000002")
    assert names["E000005"] == stored_name(hostile, "E000005")


def test_an_error_quoting_a_hostile_text_is_made_safe(hostile: Path) -> None:
    result = run(hostile, "explain", "\x1b]0;owned\x07E9\x07")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "no employee 'E9' in cycle 2026-Q4"


def test_terminal_text_strips_every_kind_of_sequence() -> None:
    assert terminal_text("\x1b]0;title\x07a\x1b]8;;http://x\x1b\\b\x1b]8;;\x1b\\c\x1b[1;31md\x1b(0e\x1bPq#0\x1b\\f\x07g\x9bh\ri\r\nj\tk") == "abcdefghi\r\nj\tk"
    assert terminal_text("张三 Zhang San") == "张三 Zhang San"


def test_the_spreadsheet_neutraliser_covers_tab_and_cr() -> None:
    """One neutraliser: = + - @ and a leading tab or CR make a cell a formula to some spreadsheet."""
    cells = ("=1+1", "+1+cmd|' /C calc'!A0", "-1+2", "-", "@SUM(A1)", "\t=1", "\r=1", "1", "张三", "-1", "+2.5", "-3e2")
    assert [safe_cell(v) for v in cells] == [
        "'=1+1", "'+1+cmd|' /C calc'!A0", "'-1+2", "'-", "'@SUM(A1)", "'\t=1", "'\r=1", "1", "张三", "-1", "+2.5", "-3e2",
    ]


def test_a_formula_in_a_name_is_inert_in_the_printed_csv(hostile: Path) -> None:
    result = run(hostile, "results", "--format", "csv")
    assert '"\'=HYPERLINK(""http://evil.example"")"' in result.output


def test_json_output_is_strict_without_nan_or_infinity(hostile: Path, tmp_path: Path) -> None:
    """A stored infinity or NaN is written as null (JSON has no such numbers), never as Infinity."""
    import shutil

    path = tmp_path / "w.duckdb"
    shutil.copy(hostile, path)
    with Workspace(path) as workspace:
        workspace.db.execute("UPDATE person_results SET competency_index = 'inf'::DOUBLE, kpi_index = 'nan'::DOUBLE WHERE employee_id = 'E000001'")

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    rows = json.loads(run(path, "results", "--format", "json").output, parse_constant=refuse)
    first = next(row for row in rows if row["employee_id"] == "E000001")
    assert (first["competency_index"], first["kpi_index"]) == (None, None)
    explained = json.loads(run(path, "explain", "E000001", "--format", "json").output, parse_constant=refuse)
    assert explained["employee"]["employee_id"] == "E000001"


def test_json_text_writes_null_for_what_json_cannot_hold() -> None:
    assert json_text({"a": float("inf"), "b": [float("-inf"), float("nan"), 0.5], "c": "\x85"}) == '{\n  "a": null,\n  "b": [\n    null,\n    null,\n    0.5\n  ],\n  "c": "\\u0085"\n}'


def test_plan_markdown_escapes_what_a_person_wrote(hostile: Path) -> None:
    """`plan show --format md` printed <script> raw; now names are inert text."""
    result = run(hostile, "plan", "show", "E000003", "--format", "md", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "# Development plan · &lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\[link\\](javascript:x) (E000003)"
    )
    assert "<script>" not in result.output


def test_plan_markdown_drops_escape_sequences_whole(hostile: Path) -> None:
    result = run(hostile, "plan", "show", "E000002", "--format", "md", "--lang", "en")
    assert result.output.splitlines()[0] == "# Development plan · 罗洁 (E000002)"


def _child(code: str, workspace: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, str(workspace)], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("command", [("cycle", "show"), ("explain", "E000001", "--format", "json")])
def test_a_reader_that_goes_away_ends_the_command_quietly(command: tuple[str, ...], hostile: Path) -> None:
    """`competency cycle show | head -1`: exit 141 (as SIGPIPE would), nothing on stderr.

    `cycle show` is still buffered when it ends; `explain --format json` writes more than the buffer."""
    child = subprocess.Popen([sys.executable, "-m", "competency", "--workspace", str(hostile), *command], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    child.stdout.close()
    with child.stderr:
        stderr = child.stderr.read()
    assert (child.wait(timeout=60), stderr) == (141, b"")


SLOW_RESULTS = """
import sys, time
import competency.cli.score_cmds as commands

def slow(workspace, cycle_id):
    print("ready", file=sys.stderr, flush=True)
    {wait}

commands.cycle_results = slow
from competency.cli import main
main(["--workspace", sys.argv[1], "results"], prog_name="competency")
"""


@pytest.mark.parametrize(
    "wait",
    ["time.sleep(30)", "workspace.db.execute('SELECT count(*) FROM range(100000000000) t(a) WHERE a % 7 = 3').fetchall()"],
    ids=["in Python", "in a DuckDB query"],
)
def test_ctrl_c_exits_130_with_one_line(wait: str, hostile: Path) -> None:
    """Also while DuckDB runs a query on several threads (it can hang stopping one: the
    command then ends after a grace period, with the same line)."""
    child = _child(SLOW_RESULTS.format(wait=wait), hostile)
    assert child.stderr.readline() == "ready\n"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert (child.returncode, out, err) == (130, "", INTERRUPTED)


def test_the_table_lines_up_once_the_sequences_are_gone(hostile: Path) -> None:
    """Widths are measured on the text as printed: the role column starts at one place on every line."""
    from competency._text import display_width

    lines = run(hostile, "results").output.splitlines()
    starts = {display_width(line[: line.index(" " * 2 + role) + 2]) for line in lines[1:] for role in ("sales_supervisor", "sales_rep", "regional_sales_manager") if f"  {role}  " in line}
    assert starts == {display_width(lines[0][: lines[0].index("role")])}
