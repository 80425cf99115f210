"""`calibrate status|set|undo|suggest|log|lock|reopen` and `agreement`."""

from __future__ import annotations

from typing import Any

import click

from competency._text import csv_text
from competency.calibration import audit, render, render_changes
from competency.cli._base import format_option, lang_option, open_workspace
from competency.cli.verify_cmd import parse_head, run_verify
from competency._text import json_text
from competency.workflow import calibrate as flow
from competency.workflow import verify as verification

SCOPES = click.Choice(["department", "region", "manager"])
TABLES = ("scopes", "managers", "raters", "nine-box", "adverse-impact")
cycle_option = click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
by_option = click.option("--by", "by", required=True, metavar="NAME", help="Who makes the change (recorded in the audit log).")


def _json(data: Any) -> str:
    return json_text(render.plain(data))


def _csv(rows: list[dict[str, Any]]) -> str:
    columns = list(rows[0]) if rows else ["(no rows)"]
    return csv_text(columns, [render.plain(row) for row in rows])


def _change_text(change: Any) -> str:
    what = {"manual": "set", "suggested": "set", "undo": "undid the latest override of"}[change.kind]
    rating = change.rating if change.rating is not None else f"computed ({change.final or '—'})"
    head = f"{what} {change.employee_id} {change.name or ''}".rstrip()
    return f"{head}: {change.previous or '—'} → {rating} in cycle {change.cycle_id} (audit seq {change.seq})"


@click.group()
def calibrate() -> None:
    """Calibrate a cycle's ratings: distribution against guidelines, leniency,
    overrides with reasons, suggested moves, the audit log and the lock.

    \b
    Example:
        competency calibrate status --by department --lang en
        competency calibrate set E000123 B --reason "KPIs understate the merger work" --by "Li Na"
    """


@calibrate.command("status")
@cycle_option
@click.option("--by", "by", type=SCOPES, help="Only scopes of this kind (with the whole organisation); default: every scope the guidelines name.")
@click.option("--attribute", metavar="COLUMN", help="Adverse-impact check on this roster column (e.g. gender): four-fifths rule on the A/B rate.")
@click.option("--names", is_flag=True, help="List the people in each 9-box cell.")
@click.option("--table", "table", type=click.Choice(TABLES), default="scopes", show_default=True, help="Which table --format csv writes.")
@format_option(("text", "json", "csv"))
@lang_option
@click.pass_context
def status(ctx: click.Context, cycle_id: str | None, by: str | None, attribute: str | None, names: bool, table: str, fmt: str, lang: str) -> None:
    """Final ratings per scope against the guidelines, the 9-box, lenient or severe
    managers, how many raters of each group are lenient or severe, and (with
    --attribute) adverse impact.

    Off-guideline scopes are marked `!`; a manager whose standardised difference
    from the organisation is beyond the guidelines' z threshold is flagged. A
    manager's own answers are compared with the published figures of the same
    people (never with withheld groups); a team of fewer people than the anonymity
    minimum shows no averages. The raters table (--table raters) counts, per
    peer, direct-report and customer group, the raters who are lenient, severe,
    within or not judged: no row describes one rater.

    \b
    Example:
        competency calibrate status --lang en
        competency calibrate status --by manager --attribute gender --format json
        competency calibrate status --format csv --table managers > managers.csv
        competency calibrate status --format csv --table raters --lang zh
    """
    if fmt == "csv" and table == "adverse-impact" and not attribute:
        raise click.UsageError("--table adverse-impact needs --attribute COLUMN")
    with open_workspace(ctx, read_only=True) as workspace:
        found = flow.calibration_status(workspace, cycle_id, by=by, attribute=attribute, names=names)
    if fmt == "json":
        click.echo(_json(found))
    elif fmt == "csv":
        rows = {
            "scopes": lambda: render.scope_rows(found, lang),
            "managers": lambda: render.manager_rows(found.managers, found.scale, found.anonymity, lang),
            "raters": lambda: render.rater_rows(found, lang),
            "nine-box": lambda: [{**c, "names": ", ".join(c.get("names", []))} if names else c for c in found.nine_box],
            "adverse-impact": lambda: render.adverse_rows(found),
        }[table]()
        click.echo(_csv(rows), nl=False)
    else:
        click.echo(render.status_text(found, lang, names), nl=False)


@calibrate.command("set")
@click.argument("employee_id")
@click.argument("rating")
@click.option("--reason", help="Why (required): recorded with the override and in the audit log.")
@click.option("--code", help="A reason code from the guidelines (evidence, guideline, data_error, …).")
@by_option
@cycle_option
@format_option(("text", "json"))
@click.pass_context
def set_(ctx: click.Context, employee_id: str, rating: str, reason: str | None, code: str | None, by: str, cycle_id: str | None, fmt: str) -> None:
    """Override one person's final rating, with a reason; the cycle becomes `calibrating`.

    \b
    Example:
        competency calibrate set E000123 B --reason "led the key-account merger" --code evidence --by "Li Na"
    """
    with open_workspace(ctx, create=False) as workspace:
        change = flow.set_rating(workspace, employee_id, rating, reason=reason, by=by, code=code, cycle_id=cycle_id)
    click.echo(_json(change) if fmt == "json" else _change_text(change))


@calibrate.command("undo")
@click.argument("employee_id", required=False)
@click.option("--reason", help="Why the override is taken back (required).")
@by_option
@cycle_option
@format_option(("text", "json"))
@click.pass_context
def undo(ctx: click.Context, employee_id: str | None, reason: str | None, by: str, cycle_id: str | None, fmt: str) -> None:
    """Undo the latest override of EMPLOYEE (or the latest of anyone): the rating
    goes back to what it was before it, recorded as a new row.

    \b
    Example:
        competency calibrate undo E000123 --reason "set on the wrong person" --by "Li Na"
        competency calibrate undo --reason "meeting decided otherwise" --by "Li Na"
    """
    with open_workspace(ctx, create=False) as workspace:
        change = flow.undo(workspace, employee_id, reason=reason, by=by, cycle_id=cycle_id)
    click.echo(_json(change) if fmt == "json" else _change_text(change))


@calibrate.command("suggest")
@cycle_option
@click.option("--scope", type=SCOPES, help="Only bring scopes of this kind within their guidelines (default: every kind the guidelines name).")
@click.option("--apply", "apply", is_flag=True, help="Make the moves (recorded as overrides of kind `suggested`); without it nothing changes.")
@click.option("--by", "by", metavar="NAME", help="Who applies the moves (needed with --apply).")
@format_option(("text", "json"))
@lang_option
@click.pass_context
def suggest(ctx: click.Context, cycle_id: str | None, scope: str | None, apply: bool, by: str | None, fmt: str, lang: str) -> None:
    """Suggest the fewest one-step moves that bring every scope within its guideline,
    moving the people whose score lies nearest their band boundary; each move explained.

    \b
    Example:
        competency calibrate suggest --lang en
        competency calibrate suggest --apply --by "Li Na"
    """
    if apply and not by:
        raise click.UsageError("--apply needs --by NAME: who applies the moves")
    if by and not apply:
        raise click.UsageError("--by names who applies the moves; add --apply (without it nothing changes)")
    with open_workspace(ctx, create=False, read_only=not apply) as workspace:
        result = flow.suggest(workspace, cycle_id, scope=scope, apply_by=by if apply else None, lang=lang)
    if fmt == "json":
        click.echo(_json({"cycle_id": result.cycle_id, "score": result.score, **render.plain(result.suggestion), "applied": render.plain(result.applied)}))
    else:
        click.echo(render_changes.suggestion_text(result.suggestion, result.score, lang, len(result.applied) if apply else None), nl=False)


@calibrate.command("log")
@cycle_option
@click.option("--all", "all_cycles", is_flag=True, help="Every cycle's rows, not just one cycle's.")
@click.option("--verify", is_flag=True, help="Check the log (hashes, links, MACs), every override and status against it, and every stored result against a re-computation; exit 1 naming the first fault.")
@click.option(
    "--head", "head", is_flag=False, flag_value="", default=None, metavar="[SEQ:HASH]", callback=parse_head,
    help="Alone: print the log's head, to keep outside the workspace. With --verify and the kept head: the log must still hold it.",
)
@click.option("--anchor", is_flag=True, help="Sign the log of a workspace from before keyed audit logs, after checking its chain (needs --by).")
@click.option("--by", "by", metavar="NAME", help="With --anchor: who vouches for the old rows (recorded in the audit log).")
@format_option(("text", "csv", "json"))
@lang_option
@click.pass_context
def log(ctx: click.Context, cycle_id: str | None, all_cycles: bool, verify: bool, head: Any, anchor: bool, by: str | None, fmt: str, lang: str) -> None:
    """The audit log of rating changes, locks and reopenings, oldest first; --verify
    checks that no row, override or result was changed behind the tool's back.

    Each row is chained to the one before by its hash and signed with the audit
    key, which lives outside the workspace (see `competency verify`). --head prints
    the log's head: kept elsewhere, `--verify --head SEQ:HASH` later shows whether
    rows were removed or the log rewritten.

    \b
    Example:
        competency calibrate log --format csv > audit.csv
        competency calibrate log --verify
        competency calibrate log --head > ~/audit-head.txt
        competency calibrate log --verify --head "$(cat ~/audit-head.txt)"
    """
    _log_options(verify, head, anchor, by)
    if verify:
        run_verify(ctx, cycle_id, head or None)
        return
    with open_workspace(ctx, create=False, read_only=not anchor) as workspace:
        if anchor:
            row = verification.anchor(workspace, by=by, cycle_id=cycle_id)
            click.echo(f"audit log anchored: seq {row['seq']} signs the {row['seq'] - 1} rows before it with the audit key")
            return
        if head is not None:
            click.echo(verification.log_head(workspace))
            return
        rows = flow.audit_rows(workspace, cycle_id, all_cycles=all_cycles)
    if fmt == "json":
        click.echo(_json(rows))
    elif fmt == "csv":
        click.echo(csv_text(audit.COLUMNS, rows), nl=False)
    else:
        click.echo(render_changes.log_text(rows, lang), nl=False)


def _log_options(verify: bool, head: Any, anchor: bool, by: str | None) -> None:
    """Which of --verify, --head, --anchor and --by go together."""
    if anchor and (verify or head is not None):
        raise click.UsageError("--anchor signs the log; run --verify or --head separately")
    if anchor and not by:
        raise click.UsageError("--anchor needs --by NAME: who vouches for the rows written before keyed audit logs")
    if by and not anchor:
        raise click.UsageError("--by names who anchors the log; add --anchor")
    if verify and head == "":
        raise click.UsageError("--verify --head needs the head you kept: --head SEQ:HASH")
    if head and not verify:
        raise click.UsageError("--head SEQ:HASH checks a kept head; add --verify (a bare --head prints the current one)")


@calibrate.command("lock")
@by_option
@click.option("--reason", help="An optional note, recorded in the audit log.")
@cycle_option
@click.pass_context
def lock(ctx: click.Context, by: str, reason: str | None, cycle_id: str | None) -> None:
    """Make the cycle final: no more overrides, imports or scoring until it is reopened.

    \b
    Example:
        competency calibrate lock --by "Li Na"
    """
    with open_workspace(ctx, create=False) as workspace:
        row = flow.lock(workspace, by=by, reason=reason, cycle_id=cycle_id)
    click.echo(f"cycle {row['cycle_id']} is final (was {row['previous']}); audit seq {row['seq']}")


@calibrate.command("reopen")
@click.option("--reason", help="Why the final cycle is opened again (required).")
@by_option
@cycle_option
@click.pass_context
def reopen(ctx: click.Context, reason: str | None, by: str, cycle_id: str | None) -> None:
    """Open a final cycle again for calibration, recording why in the audit log.

    \b
    Example:
        competency calibrate reopen --reason "appeal upheld for E000123" --by "Li Na"
    """
    with open_workspace(ctx, create=False) as workspace:
        row = flow.reopen(workspace, by=by, reason=reason, cycle_id=cycle_id)
    click.echo(f"cycle {row['cycle_id']} is calibrating again (was final); audit seq {row['seq']}")


@click.command()
@cycle_option
@format_option(("text", "json", "csv"))
@lang_option
@click.pass_context
def agreement(ctx: click.Context, cycle_id: str | None, fmt: str, lang: str) -> None:
    """Rater agreement per competency: ICC(1) and ICC(1,k) (one-way random effects:
    each person has their own raters), Cronbach's alpha of its items, rwg(J).

    \b
    Example:
        competency agreement --lang en
        competency agreement --format csv > agreement.csv
    """
    with open_workspace(ctx, read_only=True) as workspace:
        report = flow.rater_agreement(workspace, cycle_id)
    if fmt == "json":
        click.echo(_json(report))
    elif fmt == "csv":
        click.echo(csv_text(render.AGREEMENT_COLUMNS, [render.plain(row) for row in render.agreement_rows(report)]), nl=False)
    else:
        click.echo(render.agreement_text(report, lang), nl=False)
