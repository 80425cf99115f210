"""`competency demo`."""

from __future__ import annotations

from pathlib import Path

import click

from competency.cli._base import is_terminal, lang_option
from competency.cli.cycle_cmds import describe_import
from competency.workflow.demo import DEMO_CYCLE, run_demo


@click.command()
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=Path("competency-demo"), show_default=True, help="Folder for the results (created).")
@lang_option
@click.option("--force", is_flag=True, help="Replace an earlier demo in OUT (files the demo did not write are never replaced).")
def demo(out: Path, lang: str, force: bool) -> None:
    """Run a whole quarter on the shipped sample sales organisation.

    Generates about 120 people (regional managers, supervisors, representatives)
    with 360 answers — some missing, some small rater groups, a few bad rows —
    and KPI results; opens a cycle, imports, scores, makes everyone's
    development plan, and writes the results, the plans and the reports (with
    reports/index.html) into OUT. The workspace stays in OUT for exploring
    with the other commands.

    OUT must be new or empty. A folder holding an earlier demo (recognised by
    the competency-demo.json it wrote, listing its files) is replaced with
    --force; a folder holding any other file is refused, even with --force.

    \b
    Example:
        competency demo --out demo --lang en
        competency --workspace demo/competency.duckdb explain E000010 --lang en
    """
    talk = (lambda step: click.echo(f"… {step}", err=True)) if is_terminal() else (lambda step: None)
    run = run_demo(out, lang, progress=talk, force=force)
    click.echo(f"Demo cycle {DEMO_CYCLE}: {run.score.people} people")
    for summary in run.imports:
        click.echo(describe_import(summary))
    total = max(run.score.people, 1)
    click.echo("")
    click.echo("Ratings:  " + "  ".join(f"{k} {v} ({v / total:.0%})" for k, v in run.score.distribution.items()))
    click.echo("9-box:    " + "  ".join(f"{k} {v}" for k, v in run.score.nine_box.items()))
    if run.score.flags:
        click.echo("Flags:    " + "  ".join(f"{k} {v}" for k, v in run.score.flags.items()))
    click.echo(f"Figures:  {run.score.published_figures} publishable, {run.score.suppressed_figures} withheld to protect raters")
    for text in run.examples:
        click.echo("\n" + "─" * 72 + "\n" + text.rstrip())
    click.echo("\n" + "─" * 72)
    click.echo(f"Written to {out}/: results.csv, results.json, plans/, reports/, rejected/, input/")
    click.echo(f"Open the reports: {run.index}")
    click.echo(f"Explore: competency --workspace {run.workspace} explain <EMPLOYEE_ID> --lang {lang}")
