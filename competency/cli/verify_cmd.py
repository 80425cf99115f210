"""`competency verify` (and the text `calibrate log --verify` prints)."""

from __future__ import annotations

from typing import Any

import click

from competency.cli._base import open_workspace


def parse_head(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """`--head SEQ:HASH` as (seq, hash); an empty value (a bare `--head`) is kept as it is."""
    if not value:
        return value
    from competency.calibration.audit import parse_head as parse

    try:
        return parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx, param) from None


def verified_text(found: Any) -> str:
    """What a successful verification checked, one line per part."""
    lines = [found.log.message()]
    if found.head is not None:
        seq, hash_ = found.head
        lines.append(f"head {seq}:{hash_[:12]}… kept elsewhere: still in the log")
    lines.append(f"overrides: {found.overrides}, each as its audit row records it")
    for cycle in found.cycles:
        if cycle.results is None:
            lines.append(f"cycle {cycle.cycle_id} ({cycle.status}): results not compared — the cycle has not been scored since its last import")
        else:
            lines.append(f"cycle {cycle.cycle_id} ({cycle.status}): {cycle.results} stored result rows equal a re-computation from its frozen inputs")
    return "\n".join(lines)


def run_verify(ctx: click.Context, cycle_id: str | None, head: tuple[int, str] | None) -> None:
    from competency.workflow.verify import verify as check

    with open_workspace(ctx, create=False, read_only=True) as workspace:
        found = check(workspace, cycle_id, head=head)
    click.echo(verified_text(found))


@click.command()
@click.option("--cycle", "cycle_id", help="Only this cycle's overrides, status and results (the log is always checked whole).")
@click.option("--head", "head", metavar="SEQ:HASH", callback=parse_head, help="A head printed earlier by `competency calibrate log --head` and kept elsewhere: the log must still hold it.")
@click.pass_context
def verify(ctx: click.Context, cycle_id: str | None, head: tuple[int, str] | None) -> None:
    """Check that nothing was changed behind the tool's back: the audit log, every override and every stored result.

    The audit log's hashes, links and head, and each row's MAC under the audit
    key (kept outside the workspace, in the user's config folder or
    $COMPETENCY_AUDIT_KEY_FILE); each override against its audit row; each
    cycle's status against its last audited change; and each scored cycle's
    results, re-computed from its frozen model and rules and the stored answers,
    KPIs and roster, against every stored result. Nothing is written. Exit 1
    names the first fault.

    \b
    Example:
        competency verify
        competency calibrate log --head > ~/audit-head.txt
        competency verify --cycle 2026-Q4 --head "$(cat ~/audit-head.txt)"
    """
    run_verify(ctx, cycle_id, head)
