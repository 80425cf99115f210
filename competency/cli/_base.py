"""What every command shares: error mapping, exit codes, common options, opening the workspace."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from competency.cli._terminal import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    INTERRUPTED,
    interrupted_said,
    is_query_interrupt,
    silence,
    terminal_session,
)
from competency.errors import CompetencyError
from competency._text import terminal_text

if TYPE_CHECKING:  # the workspace (and DuckDB) load only when a command opens one
    from competency.store.workspace import Workspace

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class CompetencyGroup(click.Group):
    """A click group that turns library errors into messages and exit codes.

    Data and file errors exit 1 with the library's message; usage errors exit 2
    (click's own); anything unexpected is a bug and exits 3 with a one-line
    message — never a traceback, unless COMPETENCY_DEBUG=1 asks for it. A reader
    that goes away (`| head`) ends the command quietly (141); Ctrl-C exits 130.
    Everything printed passes `terminal_text` (cli/_terminal.py).
    """

    def main(self, *args: Any, **kwargs: Any) -> Any:
        with terminal_session():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CompetencyError as error:
            _say(str(error))
            ctx.exit(EXIT_DATA)
        except click.ClickException as error:
            error.message = terminal_text(error.message)  # it may quote what was typed
            raise
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            _interrupted(ctx)
        except BrokenPipeError:
            silence(sys.stdout)
            ctx.exit(EXIT_BROKEN_PIPE)
        except Exception as error:  # noqa: BLE001 - the last line of defence against a traceback
            _unexpected(ctx, error)


def _unexpected(ctx: click.Context, error: Exception) -> None:
    """A DuckDB failure that has a meaning for the user (a full disk, a damaged
    file, Ctrl-C during a query) exits as such; anything else is a bug."""
    if is_query_interrupt(error):
        _interrupted(ctx)
    if type(error).__module__.lstrip("_").startswith("duckdb"):
        from competency.store.workspace import database_failure

        failure = database_failure(error, workspace_path(ctx))
        if failure is not None:
            _say(str(failure))
            ctx.exit(EXIT_DATA)
    if os.environ.get("COMPETENCY_DEBUG") == "1":
        raise error
    _say(
        f"internal error: {type(error).__name__}: {error}\n"
        "This is a bug in competency, not in your files. Run again with COMPETENCY_DEBUG=1 to see the details and report them."
    )
    ctx.exit(EXIT_INTERNAL)


def _interrupted(ctx: click.Context) -> None:
    interrupted_said()
    _say(INTERRUPTED)
    ctx.exit(EXIT_INTERRUPTED)


def _say(message: str) -> None:
    """A message on standard error; what it quotes from files or data cannot drive the terminal."""
    click.echo(terminal_text(message), err=True)


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


def workspace_path(ctx: click.Context) -> Path:
    """The workspace named by --workspace / $COMPETENCY_WORKSPACE (default ./competency.duckdb)."""
    from competency.store.workspace import default_workspace_path

    return Path(ctx.find_root().params.get("workspace") or default_workspace_path())


def open_workspace(ctx: click.Context, *, create: bool = True, read_only: bool = False) -> Workspace:
    """The command's workspace. `read_only=True` for commands that only read: several
    run at once, and none adds anything to the file (a workspace of an earlier
    version is upgraded first, once, as any command would)."""
    from competency.errors import WorkspaceNeedsUpgrade
    from competency.store.workspace import Workspace

    path = workspace_path(ctx)
    if not read_only:
        return Workspace(path, create=create)
    try:
        return Workspace(path, read_only=True)
    except WorkspaceNeedsUpgrade:
        Workspace(path, create=False).close()
        return Workspace(path, read_only=True)
