"""`validate`, `schema` and `model show`."""

from __future__ import annotations

from pathlib import Path

import click

from competency.cli._base import EXIT_DATA, lang_option
from competency.files.editor_schema import SCHEMA_KINDS, schema_text, write_all
from competency.files.outputs import OutputFile
from competency.workflow import models as workflow


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check competency models, KPI and role files, and rule sets.

    With no PATHS, checks the shipped files. Folders are searched for
    .yaml/.yml files. Every error names its file, line and column.

    \b
    Example:
        competency validate models/sales/ rules/sales/rating.yaml
    """
    result = workflow.validate(list(paths))
    click.echo(result.report(), err=not result.ok)
    if not result.ok:
        raise SystemExit(EXIT_DATA)


@click.command()
@click.option("--kind", "kind", type=click.Choice(sorted(SCHEMA_KINDS)), default="model", show_default=True, help="Which kind of file.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of printing.")
@click.option("--all", "all_kinds", type=click.Path(path_type=Path, file_okay=False), help="Write every schema as KIND.json into this folder.")
@click.option("--force", is_flag=True, help="Replace existing files (without it, nothing is written if one exists).")
def schema(kind: str, output: Path | None, all_kinds: Path | None, force: bool) -> None:
    """Print the JSON Schema of a kind of YAML file, for editors.

    \b
    Example: save it, then put this first line in a model file:
        competency schema --kind model -o model.schema.json
        # yaml-language-server: $schema=model.schema.json
    """
    if all_kinds is not None:
        for path in write_all(all_kinds, force=force):
            click.echo(f"wrote {path}")
        return
    text = schema_text(kind)
    if output is None:
        click.echo(text, nl=False)
    else:
        OutputFile(output, force=force).write(text)
        click.echo(f"wrote {output}")


@click.group()
def model() -> None:
    """Look at a competency model."""


@model.command("show")
@click.argument("competency_id", required=False)
@click.option("--model-dir", type=click.Path(path_type=Path, file_okay=False, exists=True), help="A model folder (default: the shipped sales model).")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def model_show(competency_id: str | None, model_dir: Path | None, lang: str, fmt: str) -> None:
    """Show the model as an outline: competencies, behaviours, anchors, roles.

    Give a COMPETENCY_ID to show only that competency.

    \b
    Examples:
        competency model show --lang en
        competency model show relationships --lang zh
    """
    click.echo(workflow.show_model(model_dir, lang, competency_id, fmt == "json"), nl=False)


@click.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option("--force", is_flag=True, help="Write into a folder that is not empty, replacing files of the same names.")
def init(folder: Path, force: bool) -> None:
    """Copy the shipped model and rules into FOLDER for your organisation to adapt.

    Writes FOLDER/models/, FOLDER/rules/ and FOLDER/schemas/; every file starts
    with the line that lets editors complete and check it. Then validate and
    open cycles with your copy.

    \b
    Example:
        competency init my-org
        competency validate my-org
        competency cycle open 2027-Q1 --model my-org/models/sales --rules my-org/rules/sales
    """
    from competency.workflow.init import init_folder

    written = init_folder(folder, force=force)
    click.echo(f"wrote {len(written)} files into {folder}/ (models, rules, schemas)")
    click.echo(f"next: edit them, then `competency validate {folder}`")
