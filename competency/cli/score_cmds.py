"""`score`, `explain`, `results` and `history`."""

from __future__ import annotations

import click

from competency.cli._base import format_option, lang_option, open_workspace
from competency._text import json_text
from competency.reports.explain import render_json, render_text
from competency._text import csv_text, text_table
from competency.workflow.results import RESULT_COLUMNS, cycle_results, history as person_history, person_result
from competency.workflow.scoring import Withdrawal, score_cycle


@click.command()
@click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
@click.option(
    "--withdraw-release",
    "withdraw",
    is_flag=True,
    help="Correcting a data error before anything of this cycle was handed out: its earlier scoring runs no longer count as released (needs --reason and --by; audited).",
)
@click.option("--reason", help="With --withdraw-release: why, for the audit log.")
@click.option("--by", "actor", help="With --withdraw-release: who, for the audit log.")
@format_option(("text", "json"))
@click.pass_context
def score(ctx: click.Context, cycle_id: str | None, withdraw: bool, reason: str | None, actor: str | None, fmt: str) -> None:
    """Score everyone in a cycle: 360 figures, KPI scores, ratings, 9-box, flags.

    Uses the model and rules frozen when the cycle was opened. Scoring again
    replaces the cycle's results. Every scoring run counts as released: a later
    run withholds figures whose raters differ from a released one's by fewer
    than k (cross_release).

    \b
    Examples:
        competency score --cycle 2026-Q4
        competency score --withdraw-release --reason "wrong peers imported, nothing handed out yet" --by "Li Na"
    """
    if withdraw and not (reason and actor):
        raise click.UsageError("--withdraw-release needs --reason and --by: the withdrawal is written to the audit log")
    if not withdraw and (reason or actor):
        raise click.UsageError("--reason and --by go with --withdraw-release")
    with open_workspace(ctx, create=False) as workspace:
        summary = score_cycle(workspace, cycle_id, withdraw=Withdrawal(reason, actor) if withdraw else None)
    if fmt == "json":
        click.echo(json_text(summary.__dict__))
        return
    click.echo(f"scored cycle {summary.cycle_id}: {summary.people} people, {summary.rated} rated")
    click.echo("ratings: " + ", ".join(f"{k} {v}" for k, v in summary.distribution.items()))
    click.echo("9-box:   " + ", ".join(f"{k} {v}" for k, v in summary.nine_box.items()))
    if summary.flags:
        click.echo("flags:   " + ", ".join(f"{k} {v}" for k, v in summary.flags.items()))
    click.echo(f"figures: {summary.published_figures} publishable, {summary.suppressed_figures} withheld to protect raters' anonymity")


@click.command()
@click.argument("employee_id")
@click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
@lang_option
@format_option(("text", "json"))
@click.pass_context
def explain(ctx: click.Context, employee_id: str, cycle_id: str | None, lang: str, fmt: str) -> None:
    """Explain one person's rating: figures, what was withheld and why, every rule that fired.

    \b
    Example:
        competency explain E000123 --lang en
    """
    with open_workspace(ctx, read_only=True) as workspace:
        person, inputs, ruleset = person_result(workspace, employee_id, cycle_id)
    if fmt == "json":
        click.echo(json_text(render_json(person, ruleset)))
    else:
        click.echo(render_text(person, inputs.bundle, inputs.scoring, ruleset, lang), nl=False)


@click.command()
@click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
@format_option(("table", "csv", "json"))
@click.pass_context
def results(ctx: click.Context, cycle_id: str | None, fmt: str) -> None:
    """Ratings, indices, 9-box and flags of everyone in a cycle.

    CSV has a BOM for Excel; cells that a spreadsheet would run as formulas are made inert.

    \b
    Example:
        competency results --format csv > ratings.csv
    """
    with open_workspace(ctx, read_only=True) as workspace:
        _, rows = cycle_results(workspace, cycle_id)
    if fmt == "json":
        click.echo(json_text(rows))
    elif fmt == "csv":
        click.echo(csv_text(RESULT_COLUMNS, rows), nl=False)
    else:
        click.echo(text_table(RESULT_COLUMNS, rows), nl=False)


@click.command()
@click.argument("employee_id")
@format_option(("table", "json"))
@click.pass_context
def history(ctx: click.Context, employee_id: str, fmt: str) -> None:
    """One person's results across cycles.

    \b
    Example:
        competency history E000123
    """
    with open_workspace(ctx, read_only=True) as workspace:
        rows = person_history(workspace, employee_id)
    if fmt == "json":
        click.echo(json_text(rows))
    else:
        click.echo(text_table(list(rows[0]), rows), nl=False)
