"""The workspace: one DuckDB file holding cycles, imports and results.

This is the only module that opens the database. Every command that writes
does so inside `Workspace.transaction()`, so a failure or an interrupt leaves
the workspace as it was. Commands that only read open it read-only, so several
can run at once; they never migrate or add anything.

A file is opened only when it is ours: a file that is not a DuckDB database, a
DuckDB database without our `schema_migrations`, or a workspace of a newer
schema is refused before anything is written to it.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from competency._sql import quote_path, quote_text
from competency.errors import WorkspaceError, WorkspaceNeedsUpgrade
from competency.store.migrations import MIGRATIONS

DEFAULT_PATH = Path("competency.duckdb")
ENV_PATH = "COMPETENCY_WORKSPACE"
ENV_MEMORY = "COMPETENCY_MEMORY_LIMIT"
_MAGIC = b"DUCK"  # bytes 8–11 of every DuckDB database file
_UNCHANGED = "the file was not changed"


def default_workspace_path() -> Path:
    return Path(os.environ.get(ENV_PATH) or DEFAULT_PATH)


def now() -> datetime:
    """The current time in UTC, naive, as stored in the workspace."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Workspace:
    """An open workspace. Use as a context manager so the file is released.

    `read_only=True` opens an existing workspace for reading only: several
    readers can share it, none waits for another, and it must be at this
    version's schema already (`WorkspaceNeedsUpgrade` otherwise)."""

    def __init__(self, path: Path, *, create: bool = True, memory_limit: str | None = None, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        limit = memory_limit or os.environ.get(ENV_MEMORY) or "4GB"
        if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", limit, flags=re.IGNORECASE):
            raise WorkspaceError(f"memory limit {limit!r} is not a size", hint="write it like 4GB or 512MB")
        if (read_only or not create) and not self.path.exists():
            raise WorkspaceError(
                f"no workspace at {self.path}",
                hint=f"open a cycle first (`competency cycle open 2026-Q4`), or name the workspace with --workspace or ${ENV_PATH}"
            )
        _refuse_other_files(self.path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = _connect(self.path, read_only)
        try:
            spill = Path(tempfile.gettempdir()) / "competency-spill"
            self.db.execute(f"SET memory_limit = {quote_text(limit)}")
            self.db.execute(f"SET temp_directory = {quote_path(spill)}")
            self.db.execute("SET preserve_insertion_order = false")
            pending = _pending_migrations(self.db, self.path, read_only)
            if pending and read_only:
                raise WorkspaceNeedsUpgrade(
                    f"workspace {self.path} was written by an earlier version of competency and must be upgraded before it is read",
                    hint="run any command that changes it once (or read it with the command line, which upgrades it first)",
                )
            self._migrate(pending)
        except BaseException:
            self.db.close()
            raise

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _migrate(self, pending: list[tuple[str, str]]) -> None:
        if not pending:
            return
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
        for name, sql in pending:
            with self.transaction():
                self.db.execute(sql)
                self.db.execute("INSERT INTO schema_migrations VALUES (?, ?)", [name, now()])

    def migrations(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """All or nothing: commit when the block ends, roll back on any error."""
        self.db.execute("BEGIN TRANSACTION")
        try:
            yield self.db
        except BaseException:
            try:
                self.db.execute("ROLLBACK")
            except duckdb.Error:
                pass  # the failure itself ended the transaction; report the failure, not this
            raise
        try:
            self.db.execute("COMMIT")
        except duckdb.Error as error:
            raise (database_failure(error, self.path) or error) from None


def _refuse_other_files(path: Path) -> None:
    """A file that exists but is not a DuckDB database (an empty file, a CSV, a
    spreadsheet, a damaged header) is never opened: DuckDB would read a CSV as a view."""
    try:
        with path.open("rb") as file:
            head = file.read(12)
    except FileNotFoundError:
        return
    except OSError as error:
        raise WorkspaceError(f"cannot read workspace {path}: {error.strerror}", hint="check the path and its permissions") from None
    if not head:
        raise WorkspaceError(
            f"{path} is an empty file, not a competency workspace",
            hint="delete it, or name another file with --workspace: `competency cycle open` starts a new workspace",
        )
    if head[8:12] != _MAGIC:
        raise WorkspaceError(
            f"{path} is not a competency workspace: it is not a DuckDB database file",
            hint="name the workspace with --workspace (e.g. competency.duckdb); data files are read by `competency import`. "
            f"If it was a workspace, it is damaged: restore it from a backup. {_UNCHANGED.capitalize()}.",
        )


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            if read_only:
                raise WorkspaceError(
                    f"workspace {path} is being written by another competency command; try again when it has finished",
                    hint="if no competency command is running, close the program holding the file",
                ) from None
            raise WorkspaceError(
                f"workspace {path} is in use by another process",
                hint="wait for the other competency command to finish, or close the program holding the file"
            ) from None
        raise database_failure(error, path) or WorkspaceError(f"cannot open workspace {path}: {_first_line(error)}") from None
    except duckdb.Error as error:
        raise database_failure(error, path) or WorkspaceError(f"{path} is not a competency workspace: {_first_line(error)}") from None


def _pending_migrations(db: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> list[tuple[str, str]]:
    """The migrations this workspace still needs; refuses a database that is not
    ours and a workspace of a newer schema, before anything is written."""
    found = db.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary").fetchall()
    tables = {row[0] for row in found}
    if "schema_migrations" not in tables:
        if tables:
            raise WorkspaceError(
                f"{path} is a DuckDB database but not a competency workspace (it has no schema_migrations table)",
                hint=f"name your competency workspace with --workspace, or a new file to start one; {_UNCHANGED}",
            )
        if read_only:
            raise WorkspaceError(f"workspace {path} is empty", hint="open a cycle first (`competency cycle open 2026-Q4`)")
        return list(MIGRATIONS)
    applied = {row[0] for row in db.execute("SELECT name FROM schema_migrations").fetchall()}
    unknown = applied - {name for name, _ in MIGRATIONS}
    if unknown:
        from competency import __version__

        raise WorkspaceError(
            f"workspace {path} was written by a newer version of competency: its schema is at {max(unknown)}, "
            f"and this version ({__version__}) knows the schema up to {MIGRATIONS[-1][0]}",
            hint=f"upgrade competency to open it (pip install --upgrade competency); {_UNCHANGED}",
        )
    return [(name, sql) for name, sql in MIGRATIONS if name not in applied]


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def database_failure(error: BaseException, path: Path) -> WorkspaceError | None:
    """A DuckDB failure said as what it means for the user — a full disk, a
    damaged file — or None when it is neither (then it is a bug)."""
    text = str(error)
    if "no space left on device" in text.lower() or "disk is full" in text.lower():
        return WorkspaceError(
            f"the disk is full: workspace {path} could not be written, so the command stopped and its changes were not saved",
            hint=f"free some space on the disk of the workspace and of the temporary folder ({tempfile.gettempdir()}), "
            "then run the command again",
        )
    if "corrupt" in text.lower() or "checksum" in text.lower() or "not a valid duckdb database file" in text.lower():
        return WorkspaceError(
            f"workspace {path} is damaged: {_first_line(error)}",
            hint="restore it from a backup copy (competency cannot repair it); copy the damaged file away before trying anything else",
        )
    return None
