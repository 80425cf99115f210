"""What every command shares: error mapping, exit codes, common options."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from competency.errors import CompetencyError

if TYPE_CHECKING:  # the workspace (and DuckDB) load only when a command opens one
    from competency.store.workspace import Workspace

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class CompetencyGroup(click.Group):
    """A click group that turns library errors into messages and exit codes.

    Data and file errors exit 1 with the library's message; usage errors exit 2
    (click's own); anything unexpected is a bug and exits 3 with a one-line
    message — never a traceback, unless COMPETENCY_DEBUG=1 asks for it.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CompetencyError as error:
            click.echo(str(error), err=True)
            ctx.exit(EXIT_DATA)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was changed by the unfinished command", err=True)
            ctx.exit(130)
        except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
            if os.environ.get("COMPETENCY_DEBUG") == "1":
                raise
            click.echo(
                f"internal error: {type(error).__name__}: {error}\n"
                "This is a bug in competency, not in your files. Run again with COMPETENCY_DEBUG=1 to see the details and report them.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=lambda: os.environ.get("COMPETENCY_LANG", "zh"),
    show_default="zh, or $COMPETENCY_LANG",
    help="Language of labels and texts.",
)


def is_terminal() -> bool:
    return sys.stdout.isatty()


def format_option(choices: tuple[str, ...]) -> Any:
    """`--format`, the first choice being the default."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True, help="Output format.")


def open_workspace(ctx: click.Context, *, create: bool = True) -> Workspace:
    """The workspace named by --workspace / $COMPETENCY_WORKSPACE (default ./competency.duckdb)."""
    from competency.store.workspace import Workspace, default_workspace_path

    path = ctx.find_root().params.get("workspace") or default_workspace_path()
    return Workspace(Path(path), create=create)

