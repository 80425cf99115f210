"""A small two-cycle organisation for the publication tests, built through the real CLI.

Person P (E1, a sales supervisor) is rated in both cycles by
- self and the manager E0 (identified groups, always shown),
- three peers E2, E3, E4 on every behaviour (a published group),
- two direct reports E5, E6 on team management and leadership only,
- two customers C1, C2 on relationships, integrity and market insight only.
The direct reports and the customers never rate the same competency, so the pool
"others" never reaches 3 raters: both groups are withheld everywhere, not pooled,
and "all except self" is withheld wherever they take part (it would reveal them
by difference from the peers' figure). Everyone else has self, manager and,
for the supervisors, three peers, so the calibration tables have something to show.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import click
from click.testing import CliRunner, Result

from competency.cli import main
from tests.ingest._support import responses_csv
from tests.reports._support import ITEMS, Person, items_for

FIRST, SUBJECT = "2026-Q3", "2026-Q4"
P = "E1"
MANAGER = "E0"
PEERS = ("E2", "E3", "E4")
WITHHELD_RATERS = ("E5", "E6", "C1", "C2")  # P's direct reports and customers

PEOPLE = [
    Person("E0", "王经理", role="regional_sales_manager", department="华东大区", potential="high"),
    Person("E1", "张三", role="sales_supervisor", manager_id="E0", potential="high", sales_attainment=1.02),
    Person("E2", "李四", role="sales_supervisor", manager_id="E0", sales_attainment=0.97),
    Person("E3", "王五", role="sales_supervisor", manager_id="E0", region="south", sales_attainment=1.12),
    Person("E4", "赵六", role="sales_supervisor", manager_id="E0", region="south", potential="low", sales_attainment=0.91),
    Person("E5", "下属甲", manager_id="E1", sales_attainment=1.08),
    Person("E6", "下属乙", manager_id="E1", region="south", sales_attainment=0.88),
    Person("E7", "下属丙", manager_id="E1", potential="low", sales_attainment=1.2),
]


@dataclass(frozen=True)
class Rater:
    """One rater of one person: answers to the behaviours of `competencies` (all of the
    person's role when None), cycling through `pattern`, and a comment on the first answer."""

    employee_id: str
    rater_id: str
    relationship: str
    pattern: tuple[int, ...]
    comment: str = ""
    competencies: tuple[str, ...] | None = None

    def rows(self, role: str) -> list[list[object]]:
        items = items_for(role) if self.competencies is None else [i for c in self.competencies for i in ITEMS[c]]
        return [
            [self.employee_id, self.rater_id, self.relationship, item, self.pattern[n % len(self.pattern)], self.comment if n == 0 else ""]
            for n, item in enumerate(items)
        ]


def raters(cycle: str) -> list[Rater]:
    """Every rater of the cycle; the second cycle's manager and peers rate P a little higher."""
    later = cycle == SUBJECT
    out = [
        Rater(P, P, "self", (4, 4, 3)),
        Rater(P, MANAGER, "manager", (3, 3, 4) if later else (2, 3, 2), comment="经理: 推进有力"),
        Rater(P, "E2", "peer", (3, 4, 2, 3) if later else (2, 3, 2), comment="peer note: reliable partner"),
        Rater(P, "E3", "peer", (4, 2, 3, 3, 4), comment="同事评语: 乐于分享"),
        Rater(P, "E4", "peer", (3, 3, 4, 2) if later else (2, 2, 3), comment="peer note: could delegate more"),
        # The withheld groups: low, uneven answers whose means appear nowhere else.
        Rater(P, "E5", "direct_report", (1, 2, 1), comment="下属秘密评语 E5", competencies=("team_management", "leadership")),
        Rater(P, "E6", "direct_report", (2, 1, 1, 2), comment="direct report secret E6", competencies=("team_management", "leadership")),
        Rater(P, "C1", "customer", (4, 3, 4), comment="客户秘密评语 C1", competencies=("relationships", "integrity", "market_insight")),
        Rater(P, "C2", "customer", (1, 4, 4, 4), comment="customer secret C2", competencies=("relationships", "integrity", "market_insight")),
    ]
    for person in ("E2", "E3", "E4"):
        out += [Rater(person, person, "self", (3, 4)), Rater(person, MANAGER, "manager", (3, 2, 3) if person != "E4" else (2, 2, 3))]
        out += [Rater(person, peer, "peer", (3, 3, 2) if peer < person else (4, 3, 3)) for peer in ("E1", *PEERS) if peer != person]
    for person in ("E5", "E6", "E7"):
        out += [Rater(person, person, "self", (3, 3, 4)), Rater(person, P, "manager", (3, 2) if person != "E7" else (4, 3))]
    out.append(Rater(MANAGER, MANAGER, "self", (3, 4)))
    return out


def _csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _lines(rows: list[list[object]]) -> list[str]:
    """Rows as CSV lines (quoted where needed), for tests.ingest._support.responses_csv."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().splitlines()


def cli(workspace: Path, *args: str, lang: str = "en") -> Result:
    """`competency --workspace WORKSPACE ARGS…` through click's CliRunner, with $COMPETENCY_LANG set."""
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args], env={"COMPETENCY_LANG": lang})


def ok(result: Result) -> Result:
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}{result.stderr}"
    return result


def build_workspace(folder: Path) -> Path:
    """Both cycles opened, imported, scored and planned through the CLI; returns the workspace file."""
    workspace = folder / "competency.duckdb"
    roles = {p.employee_id: p.role for p in PEOPLE}
    for cycle in (FIRST, SUBJECT):
        files = folder / cycle
        files.mkdir(parents=True)
        roster = _csv(files / "roster.csv", ["employee_id", "name", "role", "manager_id", "department", "region"],
                      [[p.employee_id, p.name, p.role, p.manager_id, p.department, p.region] for p in PEOPLE])
        responses = responses_csv(files, *_lines([row for r in raters(cycle) for row in r.rows(roles[r.employee_id])]))
        kpis = _csv(files / "kpis.csv", ["employee_id", "kpi_id", "actual", "target"],
                    [[p.employee_id, "sales_attainment", p.sales_attainment - (0.05 if cycle == FIRST else 0), 1.0] for p in PEOPLE])
        potential = _csv(files / "potential.csv", ["employee_id", "potential"], [[p.employee_id, p.potential] for p in PEOPLE])
        ok(cli(workspace, "cycle", "open", cycle))
        for kind, file in (("roster", roster), ("responses", responses), ("kpis", kpis), ("potential", potential)):
            ok(cli(workspace, "import", kind, str(file), "--cycle", cycle, "--strict"))
        ok(cli(workspace, "score", "--cycle", cycle))
        ok(cli(workspace, "plan", "generate", "--cycle", cycle))
    return workspace


# ---------------------------------------------------------------- outputs


@dataclass(frozen=True)
class Output:
    """One output of the tool: a command (verb path and arguments) in one format and language."""

    words: tuple[str, ...]  # the verb path, e.g. ("calibrate", "status")
    fmt: str
    lang: str
    args: tuple[str, ...] = ()  # arguments beyond --cycle, --lang, --format and where the output goes

    @property
    def id(self) -> str:
        return f"{' '.join((*self.words, *self.args))} [{self.fmt}, {self.lang}]"


def command_of(words: tuple[str, ...]) -> click.Command | None:
    """The click command at this verb path of `competency`, None when there is none."""
    command: click.Command = main
    for word in words:
        if not isinstance(command, click.Group) or word not in command.commands:
            return None
        command = command.commands[word]
    return command


def missing(output: Output) -> list[str]:
    """What the output needs that the CLI lacks: the verb, its --lang, or the format."""
    name = "competency " + " ".join(output.words)
    command = command_of(output.words)
    if command is None:
        return [f"{name}: no such command"]
    params = {p.name: p for p in command.params}
    gaps = [] if "lang" in params else [f"{name}: no --lang option (run with $COMPETENCY_LANG instead)"]
    choices = getattr(params["fmt"].type, "choices", ()) if "fmt" in params else ()
    if output.fmt not in choices:
        gaps.append(f"{name}: no --format {output.fmt}")
    return gaps


def argv(output: Output, scratch: Path) -> list[str]:
    """The command line of an output for the subject cycle; files go under `scratch`."""
    command = command_of(output.words)
    assert command is not None
    params = {p.name for p in command.params}
    line = [*output.words, *output.args, "--format", output.fmt]
    if "cycle_id" in params:
        line += ["--cycle", SUBJECT]
    if "lang" in params:
        line += ["--lang", output.lang]
    if "out" in params:  # a report: the files it writes into a folder of their own
        line += ["--out", str(scratch)]
    elif output.fmt == "xlsx":
        line += ["-o", str(scratch / f"{output.words[-1]}.xlsx")]
    return line


def _text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _cells(path: Path) -> str:
    """An XLSX workbook as the values of its cells, sheet by sheet (the zip itself carries timestamps)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(f"[{sheet.title}] {row!r}" for sheet in book.worksheets for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def capture(workspace: Path, output: Output, scratch: Path) -> dict[str, str]:
    """Run one output and return what it produced, part by part: exit code, standard
    output and error, and every file it wrote (XLSX as cell values)."""
    scratch.mkdir(parents=True)
    result = CliRunner().invoke(main, ["--workspace", str(workspace), *argv(output, scratch)], env={"COMPETENCY_LANG": output.lang})
    parts = {"exit": str(result.exit_code), "stdout": _text(result.stdout_bytes), "stderr": _text(result.stderr_bytes or b"")}
    for file in sorted(p for p in scratch.rglob("*") if p.is_file()):
        name = file.relative_to(scratch).as_posix()
        parts[f"file {name}"] = _cells(file) if file.suffix == ".xlsx" else _text(file.read_bytes())
    # Where the files went and which workspace was read are the caller's choice, not the data's.
    return {part: text.replace(str(scratch), "<out>").replace(str(workspace), "<workspace>") for part, text in parts.items()}
