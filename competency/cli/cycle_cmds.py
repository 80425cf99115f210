"""`cycle open|list|show` and `import`."""

from __future__ import annotations

from pathlib import Path

import click

from competency.cli._base import format_option, open_workspace
from competency._text import json_text
from competency.ingest import ImportSummary
from competency.workflow import cycles as cycle_flow
from competency.workflow.imports import IMPORT_KINDS, run_import


@click.group()
def cycle() -> None:
    """Open and look at quarterly cycles."""


@cycle.command("open")
@click.argument("cycle_id")
@click.option("--model", "model_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), help="Model folder (default: the shipped sales model).")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False, exists=True), help="Rules folder (default: the shipped sales rules).")
@click.pass_context
def cycle_open(ctx: click.Context, cycle_id: str, model_dir: Path | None, rules_dir: Path | None) -> None:
    """Open a cycle, freezing copies of the model and rule files it uses.

    Re-scoring the cycle later uses these frozen copies, so its results stay
    the same even after the YAML files change.

    \b
    Example:
        competency cycle open 2026-Q4
        competency cycle open 2027-Q1 --model my-org/models/sales --rules my-org/rules/sales
    """
    with open_workspace(ctx) as workspace:
        opened = cycle_flow.open_cycle(workspace, cycle_id, model_dir, rules_dir)
        files = cycle_flow.cycle_summary(workspace, opened.cycle_id)["files"]
    click.echo(f"opened cycle {opened.cycle_id} with model {opened.model_id} {opened.model_version}; froze {len(files)} files")


@cycle.command("list")
@format_option(("table", "json"))
@click.pass_context
def cycle_list(ctx: click.Context, fmt: str) -> None:
    """List the cycles of the workspace.

    \b
    Example:
        competency cycle list --format json
    """
    with open_workspace(ctx, read_only=True) as workspace:
        cycles = cycle_flow.list_cycles(workspace)
    if fmt == "json":
        click.echo(json_text([{"cycle": c.cycle_id, "status": c.status, "opened_at": str(c.opened_at), "model": c.model_id, "version": c.model_version} for c in cycles]))
        return
    if not cycles:
        click.echo("no cycles yet; open one with `competency cycle open 2026-Q4`")
    for c in cycles:
        click.echo(f"{c.cycle_id:<12} {c.status:<12} opened {str(c.opened_at)[:19]}  model {c.model_id} {c.model_version}")


@cycle.command("show")
@click.argument("cycle_id", required=False)
@format_option(("text", "json"))
@click.pass_context
def cycle_show(ctx: click.Context, cycle_id: str | None, fmt: str) -> None:
    """Show a cycle: status, frozen files, imports and row counts.

    \b
    Example:
        competency cycle show 2026-Q4
    """
    with open_workspace(ctx, read_only=True) as workspace:
        chosen = cycle_flow.resolve_cycle(workspace, cycle_id)
        summary = cycle_flow.cycle_summary(workspace, chosen.cycle_id)
    if fmt == "json":
        click.echo(json_text(summary))
        return
    click.echo(f"cycle {summary['cycle']}: {summary['status']} (opened {summary['opened_at'][:19]}, model {summary['model']})")
    click.echo("frozen files:")
    for f in summary["files"]:
        click.echo(f"  {f['name']:<36} {f['kind']:<18} sha256 {f['sha256'][:12]}")
    click.echo("imports:")
    for i in summary["imports"] or []:
        note = " (replaced)" if i["superseded"] else ""
        click.echo(f"  {i['kind']:<10} {i['file']:<30} accepted {i['accepted']:>8}  rejected {i['rejected']:>6}{note}")
    if not summary["imports"]:
        click.echo("  none yet")
    click.echo("rows: " + ", ".join(f"{k} {v}" for k, v in summary["rows"].items()))
    withheld = summary["withheld"]
    click.echo(
        f"figures withheld to protect raters: {sum(withheld.values())}"
        + (" (" + ", ".join(f"{reason} {n}" for reason, n in withheld.items()) + ")" if withheld else "")
        + f"; by the cross-release guard: {withheld.get('cross_release', 0)}; scoring runs released: {summary['releases']}"
    )


@click.command("import")
@click.argument("kind", type=click.Choice(IMPORT_KINDS))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False, exists=True))
@click.option("--cycle", "cycle_id", help="The cycle (default: the one opened last).")
@click.option("--mapping", type=click.Path(path_type=Path, dir_okay=False, exists=True), help="YAML mapping of columns (Chinese headers, wide 360 layouts).")
@click.option("--sheet", help="The sheet of an Excel workbook to import (default: the mapping's `sheet:`, else the first).")
@click.option("--replace", is_flag=True, help="Replace this kind of data for the cycle instead of adding to it.")
@click.option("--strict", is_flag=True, help="Fail the whole import if any row is rejected.")
@click.option("--rejects", "rejects_path", type=click.Path(path_type=Path, dir_okay=False), help="Where to write rejected rows (default: FILE.rejected.csv beside the file).")
@click.option("--force", is_flag=True, help="Replace an existing rejects file (without it, the import is refused and nothing is imported).")
@click.pass_context
def import_(
    ctx: click.Context, kind: str, file: Path, cycle_id: str | None, mapping: Path | None, sheet: str | None, replace: bool, strict: bool, rejects_path: Path | None, force: bool
) -> None:
    """Import a roster, 360 responses, KPI results or potential ratings.

    CSV (UTF-8, with or without BOM, or GB18030), XLSX and JSON are read.
    Every row is used or rejected with its reason and row number; rejected
    rows are written to a CSV file to fix and import again — never over the
    workspace or the file imported, and over an existing file only with
    --force. Importing the same file twice changes nothing.

    \b
    Examples:
        competency import roster roster.csv
        competency import responses survey.xlsx --mapping survey-mapping.yaml
        competency import kpis kpis-q4.csv --replace
    """
    with open_workspace(ctx, create=False) as workspace:
        summary = run_import(workspace, kind, file, cycle_id=cycle_id, mapping=mapping, replace=replace, strict=strict, rejects_path=rejects_path, force=force, sheet=sheet)
    click.echo(describe_import(summary))


def describe_import(summary: ImportSummary) -> str:
    """Counts first, then the commonest reasons for rejection and where the rows went."""
    if summary.skipped_as_duplicate_file:
        return f"{summary.file_name}: already imported (same content); nothing changed"
    lines = [f"{summary.kind} {summary.file_name}: {summary.rows_total} rows, {summary.accepted} accepted, {summary.rejected} rejected" + (" (replaced earlier data)" if summary.replaced else "")]
    for reason, count in list(summary.reasons.items())[:8]:
        lines.append(f"  {count:>6} × {reason}")
    if summary.rejected and summary.rejects_file is not None:
        lines.append(f"rejected rows with their reasons: {summary.rejects_file}")
    return "\n".join(lines)
