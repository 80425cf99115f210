"""`plan generate`, `plan show` and `plan review`."""

from __future__ import annotations

import time

import click

from competency.cli._base import format_option, lang_option, open_workspace
from competency._text import json_text
from competency.i18n import t
from competency.reports.render import signed
from competency._text import number
from competency.workflow.plans import generate_plans, review_plans, show_plan


@click.group()
def plan() -> None:
    """Development plans: generate them from a scored cycle, show one, review them a cycle later.

    \b
    Example:
        competency plan generate
        competency plan show E000123 --lang en
    """


@plan.command()
@click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
@click.option("--employee", "employees", multiple=True, metavar="ID", help="Only this person (repeat for more); their earlier plans are replaced.")
@format_option(("text", "json"))
@click.pass_context
def generate(ctx: click.Context, cycle_id: str | None, employees: tuple[str, ...], fmt: str) -> None:
    """Make everyone's development plan from the cycle's final ratings and scores.

    Uses the development rules and action library frozen when the cycle was
    opened. Replaces the cycle's earlier plans (or only those of --employee),
    in one transaction; the same inputs always give the same plans.

    \b
    Example:
        competency plan generate --cycle 2026-Q4
        competency plan generate --employee E000123 --employee E000124
    """
    started = time.perf_counter()
    with open_workspace(ctx, create=False) as workspace:
        summary = generate_plans(workspace, cycle_id, list(employees) or None)
    if fmt == "json":
        click.echo(json_text(summary.__dict__))
        return
    seconds = time.perf_counter() - started
    click.echo(f"plans for cycle {summary.cycle_id} (running in {summary.quarter}): {summary.plans} people, in {seconds:.1f} s")
    click.echo("plan types: " + ", ".join(f"{k} {v}" for k, v in summary.by_type.items()))
    click.echo(f"focus: {summary.focus} competencies, {summary.actions} actions ({summary.mean_actions} per plan), {summary.colleague_partners} colleague partners")
    click.echo("effort mix: " + ", ".join(f"{k} {round(v * 100)}%" for k, v in summary.mix.items()))
    if summary.empty_with_reason:
        click.echo("fewer focus than decided, with the reason: " + ", ".join(f"{k} {v}" for k, v in summary.empty_with_reason.items()))


@plan.command()
@click.argument("employee_id")
@click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
@lang_option
@format_option(("text", "md", "json"))
@click.pass_context
def show(ctx: click.Context, employee_id: str, cycle_id: str | None, lang: str, fmt: str) -> None:
    """One person's development plan: strengths, blind spots, focus, goals, actions, partners.

    `--format md` writes Markdown; `--format json` the document with every
    text in both languages (what reports render).

    \b
    Example:
        competency plan show E000123 --lang en --format md > E000123.md
    """
    with open_workspace(ctx, read_only=True) as workspace:
        shown = show_plan(workspace, employee_id, cycle_id, lang, fmt)
    click.echo(json_text(shown) if fmt == "json" else shown, nl=fmt == "json")


@plan.command()
@click.option("--cycle", "cycle_id", help="The cycle whose scores measure the change (default: the one opened last).")
@click.option("--plans-from", "plans_from", metavar="CYCLE", help="The cycle whose plans are reviewed (default: the latest earlier cycle with plans).")
@lang_option
@format_option(("text", "json"))
@click.pass_context
def review(ctx: click.Context, cycle_id: str | None, plans_from: str | None, lang: str, fmt: str) -> None:
    """Review the previous cycle's plans: did the targeted competencies and behaviours change?

    For each plan: each focus competency's change since the plan (improved,
    unchanged, declined or not re-measured, by the threshold in the
    development rules) and its behaviours; then the mean change of targeted
    competencies by action type, beside the competencies not targeted.

    \b
    Example:
        competency plan review --cycle 2027-Q1
    """
    with open_workspace(ctx, read_only=True) as workspace:
        result = review_plans(workspace, cycle_id, plans_from)
    if fmt == "json":
        click.echo(json_text(result))
        return
    click.echo(f"{t('plan.review.title', lang)}: {t('plan.review.since', lang)} {result['plans_from']} → {result['cycle']}")
    click.echo(t("plan.review.threshold", lang).format(threshold=f"{result['threshold']:g}"))
    click.echo(", ".join(f"{t('plan.review.status.' + k, lang)} {v}" for k, v in result["focus_status"].items()))
    click.echo()
    for plan_ in result["plans"]:
        for focus in plan_["focus"]:
            click.echo(f"{plan_['employee_id']}  {focus['competency_id']:<16} {number(focus['before'])} → {number(focus['after'])}  {signed(focus['change']):>6}  {t('plan.review.status.' + focus['status'], lang)}")
            for behaviour in focus["behaviours"]:
                click.echo(f"          {behaviour['item_id']:<38} {number(behaviour['before'])} → {number(behaviour['after'])}  {signed(behaviour['change']):>6}  {t('plan.review.status.' + behaviour['status'], lang)}")
    click.echo()
    click.echo(t("plan.review.by_type", lang) + ":")
    for row in result["by_action_type"]:
        click.echo(f"  {t('plan.action.' + row['action_type'], lang)}: {signed(row['mean_change'])} ({row['remeasured']}/{row['focuses']})")
    if result["baseline"]:
        baseline = result["baseline"]
        click.echo(f"  {t('plan.review.baseline', lang)}: {signed(baseline['mean_change'])} ({baseline['remeasured']})")
