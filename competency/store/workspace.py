"""The workspace: one DuckDB file holding cycles, imports and results.

This is the only module that opens the database. Every command that writes
does so inside `Workspace.transaction()`, so a failure or an interrupt leaves
the workspace as it was.
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
from competency.errors import WorkspaceError
from competency.store.migrations import MIGRATIONS

DEFAULT_PATH = Path("competency.duckdb")
ENV_PATH = "COMPETENCY_WORKSPACE"
ENV_MEMORY = "COMPETENCY_MEMORY_LIMIT"


def default_workspace_path() -> Path:
    return Path(os.environ.get(ENV_PATH) or DEFAULT_PATH)


def now() -> datetime:
    """The current time in UTC, naive, as stored in the workspace."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Workspace:
    """An open workspace. Use as a context manager so the file is released."""

    def __init__(self, path: Path, *, create: bool = True, memory_limit: str | None = None) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise WorkspaceError(
                f"no workspace at {self.path}",
                hint=f"open a cycle first (`competency cycle open 2026-Q4`), or name the workspace with --workspace or ${ENV_PATH}"
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = duckdb.connect(str(self.path))
        except duckdb.IOException as error:
            if "lock" in str(error).lower():
                raise WorkspaceError(
                    f"workspace {self.path} is in use by another process",
                    hint="wait for the other competency command to finish, or close the program holding the file"
                ) from None
            raise WorkspaceError(f"cannot open workspace {self.path}: {error}") from None
        except duckdb.Error as error:
            raise WorkspaceError(f"{self.path} is not a competency workspace: {error}") from None
        limit = memory_limit or os.environ.get(ENV_MEMORY) or "4GB"
        if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", limit, flags=re.IGNORECASE):
            raise WorkspaceError(f"memory limit {limit!r} is not a size", hint="write it like 4GB or 512MB")
        spill = Path(tempfile.gettempdir()) / "competency-spill"
        self.db.execute(f"SET memory_limit = {quote_text(limit)}")
        self.db.execute(f"SET temp_directory = {quote_path(spill)}")
        self.db.execute("SET preserve_insertion_order = false")
        self._migrate()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)")
        applied = {row[0] for row in self.db.execute("SELECT name FROM schema_migrations").fetchall()}
        for name, sql in MIGRATIONS:
            if name in applied:
                continue
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
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
