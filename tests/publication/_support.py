"""A small two-cycle organisation for the publication tests, built through the real CLI,
and the machinery to capture every output and to change answers behind the tool's back.

Person P (E1, a sales supervisor) is rated in both cycles by
- self and the manager E0 (identified groups, always shown),
- three peers E2, E3, E4 (a published group; E4 leaves one execution behaviour blank),
- two direct reports E5, E6 on team management and leadership,
- two customers C1, C2 on relationships, integrity and market insight.
The direct reports and the customers never count for the same competency, so the
pool "others" never reaches 3 raters: both groups are withheld everywhere, not
pooled, and "all except self" is withheld wherever they take part (it would reveal
them by difference from the peers' figure). The other supervisors have self,
manager, three peers and the two customers; the representatives self and manager,
so the calibration tables have something to show.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import re
import shutil
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import click
import duckdb
from click.testing import CliRunner, Result

from competency.cli import main
from tests.ingest._support import responses_csv
from tests.reports._support import ITEMS, Person, items_for, write_csv

FIRST, SUBJECT = "2026-Q3", "2026-Q4"
P = "E1"
MANAGER = "E0"
PEERS = ("E2", "E3", "E4")

PEOPLE = [
    Person("E0", "王经理", role="regional_sales_manager", department="华东大区", potential="high"),
    Person("E1", "张三", role="sales_supervisor", manager_id="E0", potential="high", sales_attainment=1.02),
    Person("E2", "李四", role="sales_supervisor", manager_id="E0", sales_attainment=0.97),
    Person("E3", "王五", role="sales_supervisor", manager_id="E0", region="south", sales_attainment=1.12),
    Person("E4", "赵六", role="sales_supervisor", manager_id="E0", region="south", potential="low", sales_attainment=0.93),
    Person("E5", "下属甲", manager_id="E1", sales_attainment=1.08),
    Person("E6", "下属乙", manager_id="E1", region="south", sales_attainment=0.88),
    Person("E7", "下属丙", manager_id="E1", potential="low", sales_attainment=1.2),
]


def behaviours(*competencies: str) -> tuple[str, ...]:
    """The survey items of these competencies, in model order."""
    return tuple(item for competency in competencies for item in ITEMS[competency])


@dataclass(frozen=True)
class Rater:
    """One rater of one person: answers to `items` (every behaviour of the person's role when
    None), cycling through `pattern`, blank ("cannot rate") on `skip`, and a comment on the first."""

    employee_id: str
    rater_id: str
    relationship: str
    pattern: tuple[int, ...]
    comment: str = ""
    items: tuple[str, ...] | None = None
    skip: tuple[str, ...] = ()

    def rows(self, role: str) -> list[list[object]]:
        items = items_for(role) if self.items is None else self.items
        return [
            [self.employee_id, self.rater_id, self.relationship, item,
             "" if item in self.skip else self.pattern[n % len(self.pattern)], self.comment if n == 0 else ""]
            for n, item in enumerate(items)
        ]


LEADING = behaviours("team_management", "leadership")
CUSTOMER_FACING = behaviours("relationships", "integrity", "market_insight")


def thirds(items: tuple[str, ...]) -> tuple[str, ...]:
    """The third behaviour of each competency among `items`: left blank by some withheld raters, so
    that their means (averages of 4 and 5 answers) fall off the grid the shown figures lie on."""
    return tuple(item for item in items if any(item == ITEMS[c][2] for c in ITEMS))


DIRECT_REPORT_COMMENTS = ("下属秘密评语 E5", "direct report secret E6")
CUSTOMER_COMMENTS = ("客户秘密评语 C1", "customer secret C2")


def raters(cycle: str) -> list[Rater]:
    """Every rater of the cycle; the second cycle's manager and peers rate P a little higher.

    The withheld groups answer low and unevenly, some leaving a behaviour blank, so that their
    means appear nowhere else (the patterns, and E4's attainment, were tuned until no withheld
    mean equals a shown figure: test_the_withheld_figures_are_recognisable keeps it so).
    E5 and C2 also answer two behaviours of a competency each — too few to count for it.
    The customers rate every supervisor, enough people to be judged in the raters table.
    """
    later = cycle == SUBJECT
    out = [
        Rater(P, P, "self", (4, 4, 3)),
        Rater(P, MANAGER, "manager", (3, 3, 4) if later else (2, 3, 2), comment="经理: 推进有力"),
        Rater(P, "E2", "peer", (3, 4, 2, 3) if later else (2, 3, 2), comment="peer note: reliable partner"),
        Rater(P, "E3", "peer", (4, 2, 3, 3, 4), comment="同事评语: 乐于分享"),
        Rater(P, "E4", "peer", (3, 3, 4, 2) if later else (2, 2, 3), comment="peer note: could delegate more",
              skip=("exe_executes_sales_plan",)),
        Rater(P, "E5", "direct_report", (1, 1, 1, 2), comment=DIRECT_REPORT_COMMENTS[0],
              items=LEADING + behaviours("execution")[:2], skip=thirds(LEADING)),
        Rater(P, "E6", "direct_report", (2, 1, 2, 1, 1), comment=DIRECT_REPORT_COMMENTS[1], items=LEADING),
        Rater(P, "C1", "customer", (1, 2, 1), comment=CUSTOMER_COMMENTS[0], items=CUSTOMER_FACING, skip=thirds(CUSTOMER_FACING)),
        Rater(P, "C2", "customer", (1, 1, 1, 2), comment=CUSTOMER_COMMENTS[1], items=CUSTOMER_FACING + behaviours("influence")[:2]),
    ]
    for person in ("E2", "E3", "E4"):
        out += [Rater(person, person, "self", (3, 4)), Rater(person, MANAGER, "manager", (3, 2, 3) if person != "E4" else (2, 2, 3))]
        out += [Rater(person, peer, "peer", (3, 3, 2) if peer < person else (4, 3, 3)) for peer in ("E1", *PEERS) if peer != person]
        out += [Rater(person, "C1", "customer", (1, 2, 1, 1), items=CUSTOMER_FACING, skip=thirds(CUSTOMER_FACING)),
                Rater(person, "C2", "customer", (2, 1, 2, 2), items=CUSTOMER_FACING, skip=behaviours("integrity")[1:2])]
    for person in ("E5", "E6", "E7"):
        out += [Rater(person, person, "self", (3, 3, 4)), Rater(person, P, "manager", (3, 2) if person != "E7" else (4, 3))]
    out.append(Rater(MANAGER, MANAGER, "self", (3, 4)))
    return out


def _lines(rows: list[list[object]]) -> list[str]:
    """Rows as CSV lines (quoted where needed), for tests.ingest._support.responses_csv."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().splitlines()


def cli(workspace: Path, *args: str) -> Result:
    """`competency --workspace WORKSPACE ARGS…` through click's CliRunner."""
    return CliRunner().invoke(main, ["--workspace", str(workspace), *args], env={"COMPETENCY_LANG": "en"})


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
        roster = write_csv(files / "roster.csv", ["employee_id", "name", "role", "manager_id", "department", "region"],
                      [[p.employee_id, p.name, p.role, p.manager_id, p.department, p.region] for p in PEOPLE])
        responses = responses_csv(files, *_lines([row for r in raters(cycle) for row in r.rows(roles[r.employee_id])]))
        kpis = write_csv(files / "kpis.csv", ["employee_id", "kpi_id", "actual", "target"],
                    [[p.employee_id, "sales_attainment", p.sales_attainment - (0.05 if cycle == FIRST else 0), 1.0] for p in PEOPLE])
        potential = write_csv(files / "potential.csv", ["employee_id", "potential"], [[p.employee_id, p.potential] for p in PEOPLE])
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
    """The click command at this verb path of `competency`, None when there is none
    (through `get_command`: `competency` loads a command only when it is asked for)."""
    command: click.Command | None = main
    for word in words:
        if not isinstance(command, click.Group):
            return None
        command = command.get_command(click.Context(command), word)
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


def missing_format(output: Output) -> bool:
    """True when the output can't be produced at all: no such command or no such format."""
    return any("no such command" in gap or "no --format" in gap for gap in missing(output))


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


# ---------------------------------------------------------------- changes behind the tool's back


def withheld_groups(workspace: Path) -> list[str]:
    """P's anonymous rater groups in the subject cycle that are withheld in every competency
    they appear in — neither published on their own nor pooled into "others"."""
    with duckdb.connect(str(workspace), read_only=True) as db:
        return [group for (group,) in db.execute(
            """SELECT rater_group FROM group_scores
               WHERE cycle_id = ? AND employee_id = ? AND rater_group IN ('peer', 'direct_report', 'customer')
               GROUP BY rater_group HAVING bool_and(published_as IS NULL) ORDER BY rater_group""",
            [SUBJECT, P],
        ).fetchall()]


def rewrite_withheld_answers(workspace: Path) -> int:
    """Mirror every score (s → 5 − s on the 1–4 scale) and reword every comment that the
    withheld groups' raters gave P in the subject cycle; returns the number of answers changed."""
    groups = withheld_groups(workspace)
    assert groups, "the scenario must leave one of P's anonymous groups withheld, not pooled"
    with duckdb.connect(str(workspace)) as db:
        changed = db.execute(
            """UPDATE responses SET score = 5 - score,
                      comment = CASE WHEN coalesce(comment, '') = '' THEN comment ELSE 'rewritten: ' || md5(comment) END
               WHERE cycle_id = ? AND employee_id = ? AND relationship IN (SELECT unnest(?))""",
            [SUBJECT, P, groups],
        ).fetchone()
    assert changed[0] > 0
    return changed[0]


def swap_peer_answers(workspace: Path, item: str, one: str = PEERS[0], two: str = PEERS[1]) -> tuple[object, object]:
    """Swap what two of P's peers answered on one behaviour (score and comment) in the subject
    cycle; returns their scores before the swap."""
    query = "SELECT score, comment FROM responses WHERE cycle_id = ? AND employee_id = ? AND item_id = ? AND rater_id = ?"
    update = "UPDATE responses SET score = ?, comment = ? WHERE cycle_id = ? AND employee_id = ? AND item_id = ? AND rater_id = ?"
    with duckdb.connect(str(workspace)) as db:
        first, second = (db.execute(query, [SUBJECT, P, item, rater]).fetchone() for rater in (one, two))
        assert first[0] != second[0], "swapping equal answers would prove nothing"
        db.execute(update, [*second, SUBJECT, P, item, one])
        db.execute(update, [*first, SUBJECT, P, item, two])
    return first[0], second[0]


def rewrite_manager_answers(workspace: Path) -> None:
    """Lower every score P's manager gave in the subject cycle by one (1 stays 1): a shown figure changes."""
    with duckdb.connect(str(workspace)) as db:
        db.execute("UPDATE responses SET score = greatest(score - 1, 1) WHERE cycle_id = ? AND employee_id = ? AND rater_id = ?",
                   [SUBJECT, P, MANAGER])


SWAPPED_ITEM = "exe_understands_instructions"  # the peers E2 and E3 answered it 3 and 4, each with a comment
# E2 answered every execution behaviour, E4 all but one; they answered this one 4 and 3.
UNEVEN_SWAPPED_ITEM = "exe_sets_goals_seeks_solutions"

CHANGES: dict[str, Callable[[Path], object]] = {
    "unchanged": lambda workspace: None,
    "unchanged again": lambda workspace: None,
    "withheld answers rewritten": rewrite_withheld_answers,
    "peer answers swapped": lambda workspace: swap_peer_answers(workspace, SWAPPED_ITEM),
    "peer answers swapped, uneven": lambda workspace: swap_peer_answers(workspace, UNEVEN_SWAPPED_ITEM, "E2", "E4"),
    "manager answers lowered": rewrite_manager_answers,
}


def variant_workspace(root: Path, change: str) -> Path:
    """Where `capture_variants` keeps the workspace of one change."""
    return root / re.sub(r"\W+", "-", change) / "competency.duckdb"


def prepare_and_capture(base: Path, root: Path, change: str, outputs: list[Output]) -> dict[str, dict[str, str]]:
    """Copy `base` under `root`, apply the named change behind the tool's back, score and plan
    the subject cycle again through the CLI, then capture every output that exists, by id."""
    workspace = variant_workspace(root, change)
    folder = workspace.parent
    folder.mkdir(parents=True)
    shutil.copy(base, workspace)
    CHANGES[change](workspace)
    ok(cli(workspace, "score", "--cycle", SUBJECT))
    ok(cli(workspace, "plan", "generate", "--cycle", SUBJECT))
    return {o.id: capture(workspace, o, folder / "out" / str(n)) for n, o in enumerate(outputs) if not missing_format(o)}


def capture_variants(base: Path, root: Path, plan: dict[str, list[Output]]) -> dict[str, dict[str, dict[str, str]]]:
    """`prepare_and_capture` for each change in `plan` (change -> outputs), two at a time in
    fresh processes, to use both cores (CliRunner swaps sys.stdout, so threads can't share one)."""
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = {change: pool.submit(prepare_and_capture, base, root, change, outputs) for change, outputs in plan.items()}
        return {change: future.result() for change, future in futures.items()}
