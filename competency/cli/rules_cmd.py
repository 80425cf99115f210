"""The `rules` verbs: try a rule set on one hypothetical person."""

from __future__ import annotations

from pathlib import Path

import click

from competency.cli._base import lang_option
from competency._text import json_text
from competency.files.shipped import default_model_folder
from competency.rules.explain import render_json, render_text
from competency.rules.tryout import try_ruleset


@click.group("rules")
def rules() -> None:
    """Check and try rule sets (ratings, caps, 9-box).

    \b
    Example:
        competency rules try rules/sales/rating.yaml --set score.kpi_index=3.6
    """


@rules.command("try")
@click.argument("rules_file", metavar="RULES", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="NAME=VALUE",
    help="An input value (number, text or null); repeat for each. Unset inputs are null.",
)
@click.option(
    "--model",
    "model_folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of the competency model whose names the rules use (default: the shipped sales model).",
)
@lang_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Print text, or JSON for programs.",
)
def try_command(rules_file: Path, assignments: tuple[str, ...], model_folder: Path | None, lang: str, output_format: str) -> None:
    """Evaluate RULES for one hypothetical person and print each step's trace.

    \b
    Example:
        competency rules try rules/sales/rating.yaml \\
            --set score.competency_index=3.4 --set score.kpi_index=3.6 \\
            --set competency.execution=3.8 --set competency.integrity=1.5 \\
            --set kpi.sales_attainment=1.1 --set employee.potential=high --lang en
    """
    try:
        result = try_ruleset(rules_file, model_folder or default_model_folder(), list(assignments))
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--set'") from None
    if output_format == "json":
        click.echo(json_text(render_json(result.ruleset, result.inputs, result.outputs, result.trace)))
    else:
        click.echo(render_text(result.ruleset, result.outputs, result.trace, lang))
