"""The `competency` command line: parse, call one workflow function, format."""

from __future__ import annotations

from pathlib import Path

import click

from competency import __version__
from competency.cli._base import CompetencyGroup
from competency.cli.calibrate_cmds import agreement, calibrate
from competency.cli.cycle_cmds import cycle, import_
from competency.cli.demo_cmd import demo
from competency.cli.model_cmds import init, model, schema, validate
from competency.cli.plan_cmds import plan
from competency.cli.report_cmds import export, report
from competency.cli.rules_cmd import rules
from competency.cli.score_cmds import explain, history, results, score


@click.group(cls=CompetencyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="competency")
@click.option(
    "--workspace",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar="COMPETENCY_WORKSPACE",
    help="The workspace file (default ./competency.duckdb, or $COMPETENCY_WORKSPACE).",
)
def main(workspace: Path | None) -> None:
    """Rule-based competency assessment: 360 feedback and KPIs into explained
    ratings, calibration and development plans.

    \b
    Start with:
        competency validate           check the shipped model and rules
        competency model show --lang en
    """


main.add_command(validate)
main.add_command(schema)
main.add_command(model)
main.add_command(rules)
for _command in (demo, init, cycle, import_, score, explain, results, history, calibrate, agreement, plan, report, export):
    main.add_command(_command)
