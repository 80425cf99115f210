"""`report …` (HTML and Markdown reports) and `export …` (CSV, XLSX, JSON tables)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from competency.cli._base import is_terminal, lang_option, open_workspace
from competency.workflow.exports import export as export_table
from competency.workflow.exports import write_export
from competency.workflow.reports import report_calibration, report_individual, report_org, report_plan, report_team

DEFAULT_OUT = Path("competency-reports")
SHOWN_PATHS = 10  # up to this many files written are listed one by one


def _options(formats: tuple[str, ...]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--cycle, --format, --lang, --out and --force, shared by every report."""

    def wrap(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option("--force", is_flag=True, help="Replace reports of the same name in OUT (without it, nothing is written if one exists).")(command)
        command = click.option(
            "--out", type=click.Path(path_type=Path, file_okay=False), default=DEFAULT_OUT, show_default=True, help="Folder for the reports (created)."
        )(command)
        command = lang_option(command)
        command = click.option("--format", "fmt", type=click.Choice(formats), default=formats[0], show_default=True, help="Report format.")(command)
        return click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")(command)

    return wrap


def _who(names: tuple[str, ...], everyone: bool, option: str) -> list[str] | None:
    """The people named, or None for --all; exactly one of the two."""
    if names and everyone:
        raise click.UsageError(f"{option} cannot be used with --all")
    if not names and not everyone:
        raise click.UsageError(f"name someone with {option} ID (repeat it for more), or use --all")
    return list(names) or None


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal (on stderr); nothing in a pipe."""
    if not is_terminal():
        yield None
        return
    bar: Any = None

    def advance(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield advance
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def _written(paths: list[Path], what: str, out: Path) -> None:
    if len(paths) <= SHOWN_PATHS:
        for path in paths:
            click.echo(str(path))
    else:
        click.echo(f"wrote {len(paths)} {what} to {out}")


@click.group()
def report() -> None:
    """Reports as self-contained HTML (charts inline, prints on A4) or Markdown.

    \b
    Example:
        competency report individual --employee E000123 --lang en
        competency report team --all --out reports/
    """


@dataclass(frozen=True)
class _Who:
    """A report's choice of people: a repeatable ID option, or --all."""

    option: str
    help: str
    everyone: str


@dataclass(frozen=True)
class _Report:
    """One `report` command: the workflow function it calls and what it writes."""

    name: str
    run: Callable[..., list[Path]]
    formats: tuple[str, ...]
    what: str  # the files written, as the progress bar and the summary line name them
    help: str
    who: _Who | None = None


def _report_command(spec: _Report) -> click.Command:
    def command(
        ctx: click.Context, cycle_id: str | None, fmt: str, lang: str, out: Path, force: bool, names: tuple[str, ...] = (), everyone: bool = False
    ) -> None:
        if spec.who is None:
            with open_workspace(ctx, read_only=True) as workspace:
                paths = spec.run(workspace, cycle_id, fmt, lang, out, force=force)
        else:
            who = _who(names, everyone, spec.who.option)
            with open_workspace(ctx, read_only=True) as workspace, _progress(spec.what) as progress:
                paths = spec.run(workspace, cycle_id, who, fmt, lang, out, progress, force=force)
        _written(paths, spec.what, out)

    decorated = _options(spec.formats)(click.pass_context(command))
    if spec.who is not None:
        decorated = click.option("--all", "everyone", is_flag=True, help=spec.who.everyone)(decorated)
        decorated = click.option(spec.who.option, "names", multiple=True, metavar="ID", help=spec.who.help)(decorated)
    return click.command(name=spec.name, help=spec.help)(decorated)


REPORTS = (
    _Report(
        "individual", report_individual, ("html", "md"), "individual reports",
        """A person's 360 report: rating and why, competency profile, scores by rater group,
    behaviours, blind spots, KPIs, comments and the development plan.

    Only figures that keep raters anonymous appear; comments come unattributed
    in a fixed order that says nothing about who wrote them.

    \b
    Example:
        competency report individual --employee E000123 --lang en
        competency report individual --all --format md --out reports/people
    """,
        _Who("--employee", "This person (repeat for more).", "Everyone rated in the cycle."),
    ),
    _Report(
        "plan", report_plan, ("html", "md"), "plans",
        """A development plan on its own, to print and sign (from `competency plan generate`).

    \b
    Example:
        competency report plan --employee E000123
        competency report plan --all --lang en --out plans/
    """,
        _Who("--employee", "This person (repeat for more).", "Everyone with a plan in the cycle."),
    ),
    _Report(
        "team", report_team, ("html", "md"), "team reports",
        """A manager's team: heat map of people × competencies, strengths and gaps, ratings.

    \b
    Example:
        competency report team --manager E000002 --lang en
        competency report team --all
    """,
        _Who("--manager", "This manager's team (repeat for more).", "Every manager's team."),
    ),
    _Report(
        "calibration", report_calibration, ("html",), "reports",
        """The calibration meeting's report: distributions against the guideline, the 9-box,
    manager leniency, rater agreement, and every change with the audit log.

    \b
    Example:
        competency report calibration --cycle 2026-Q4 --lang en
    """,
    ),
    _Report(
        "org", report_org, ("html",), "reports",
        """The organisation summary: competency averages by department and region, the rating
    distribution, and the trend across cycles.

    \b
    Example:
        competency report org --lang en --out reports/
    """,
    ),
)
for _spec in REPORTS:
    report.add_command(_report_command(_spec))


# --------------------------------------------------------------------------- export

_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


def _export_command(kind: str, summary: str, example: str) -> click.Command:
    @click.command(name=kind, help=f"{summary}\n\nCSV is UTF-8 with a BOM for Excel; cells a spreadsheet would run as formulas are made inert. An existing -o file is replaced only with --force.\n\n\b\nExample:\n    {example}")
    @click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
    @click.option("--format", "fmt", type=click.Choice(("csv", "xlsx", "json")), help="Format (default: from the -o file's suffix, else csv).")
    @click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file (default: standard output; XLSX needs a file).")
    @click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
    @click.pass_context
    def command(ctx: click.Context, cycle_id: str | None, fmt: str | None, output: Path | None, force: bool) -> None:
        fmt = fmt or (_SUFFIXES.get(output.suffix.lower(), "csv") if output else "csv")
        if fmt == "xlsx" and output is None:
            raise click.UsageError("--format xlsx needs -o FILE: a workbook is not text")
        with open_workspace(ctx, read_only=True) as workspace:
            if output is None:
                click.echo(export_table(workspace, kind, cycle_id, fmt)[1], nl=False)
                return
            cycle, rows = write_export(workspace, kind, cycle_id, fmt, output, force=force)
        click.echo(f"wrote {rows} rows of {kind} of cycle {cycle} to {output}")

    return command


@click.group()
def export() -> None:
    """Tables for HR systems and Excel: ratings, scores, plans, the audit log.

    \b
    Example:
        competency export ratings -o ratings.xlsx
        competency export scores --format json > scores.json
    """


for _kind, _summary, _example in (
    ("ratings", "Everyone's computed and final rating, indices, 9-box and flags.", "competency export ratings --cycle 2026-Q4 -o ratings.xlsx"),
    ("scores", "Per person and competency: 360 score, self, level, gap, and the published group figures.", "competency export scores -o scores.csv"),
    ("plans", "Development plans: one row per person, focus competency and action.", "competency export plans --format json -o plans.json"),
    ("audit", "The cycle's audit log of calibration changes, with its hash chain.", "competency export audit -o audit.csv"),
):
    export.add_command(_export_command(_kind, _summary, _example))
