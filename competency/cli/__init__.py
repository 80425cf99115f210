"""The `competency` command line: parse, call one workflow function, format.

The commands load only when called: `competency --help` reads their one-line
summaries from the table below instead of importing every workflow (a test
keeps each summary equal to its command's own)."""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from competency import __version__
from competency.cli._base import CompetencyGroup

# name → (module, attribute, the command's one-line summary as `--help` shows it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "agreement": ("competency.cli.calibrate_cmds", "agreement", "Rater agreement per competency: ICC(1) and ICC(1,k) (one-way random effects: each person has their own raters), Cronbach's alpha of its items, rwg(J)."),
    "calibrate": ("competency.cli.calibrate_cmds", "calibrate", "Calibrate a cycle's ratings: distribution against guidelines, leniency, overrides with reasons, suggested moves, the audit log and the lock."),
    "cycle": ("competency.cli.cycle_cmds", "cycle", "Open and look at quarterly cycles."),
    "demo": ("competency.cli.demo_cmd", "demo", "Run a whole quarter on the shipped sample sales organisation."),
    "explain": ("competency.cli.score_cmds", "explain", "Explain one person's rating: figures, what was withheld and why, every rule that fired."),
    "export": ("competency.cli.report_cmds", "export", "Tables for HR systems and Excel: ratings, scores, plans, the audit log."),
    "history": ("competency.cli.score_cmds", "history", "One person's results across cycles."),
    "import": ("competency.cli.cycle_cmds", "import_", "Import a roster, 360 responses, KPI results or potential ratings."),
    "init": ("competency.cli.model_cmds", "init", "Copy the shipped model and rules into FOLDER for your organisation to adapt."),
    "model": ("competency.cli.model_cmds", "model", "Look at a competency model."),
    "plan": ("competency.cli.plan_cmds", "plan", "Development plans: generate them from a scored cycle, show one, review them a cycle later."),
    "report": ("competency.cli.report_cmds", "report", "Reports as self-contained HTML (charts inline, prints on A4) or Markdown."),
    "results": ("competency.cli.score_cmds", "results", "Ratings, indices, 9-box and flags of everyone in a cycle."),
    "rules": ("competency.cli.rules_cmd", "rules", "Check and try rule sets (ratings, caps, 9-box)."),
    "schema": ("competency.cli.model_cmds", "schema", "Print the JSON Schema of a kind of YAML file, for editors."),
    "score": ("competency.cli.score_cmds", "score", "Score everyone in a cycle: 360 figures, KPI scores, ratings, 9-box, flags."),
    "validate": ("competency.cli.model_cmds", "validate", "Check competency models, KPI and role files, and rule sets."),
    "verify": ("competency.cli.verify_cmd", "verify", "Check that nothing was changed behind the tool's back: the audit log, every override and every stored result."),
}




class LazyGroup(CompetencyGroup):
    """The root group: imports a command's module when the command is run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attribute)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing of `--help`, from the summaries (cut to the width as click cuts them)."""
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, click.Command(name, help=summary).get_short_help_str(limit)) for name, (_, _, summary) in sorted(COMMANDS.items())]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
