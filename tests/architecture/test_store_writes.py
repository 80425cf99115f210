"""Only competency/store/ writes the stored workspace tables.

Two checks: the SQL text written in every other module names no stored table
as the target of a write; and a whole quarter run through the command line
(imports, scoring, plans, reports, calibration, lock and reopen, a withdrawn
release) sends no write of a stored table from a module outside store/, which
also catches table names that are only known when the statement runs."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from competency.cli import main
from competency.store import migrations, workspace
from tests.architecture._modules import PACKAGE, modules, string_constants

STORED_TABLES = frozenset(
    name.lower() for _, sql in migrations.MIGRATIONS for name in re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", sql)
) | {"schema_migrations"}
_WRITE = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+REPLACE\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE|COPY|ALTER\s+TABLE|DROP\s+TABLE(?:\s+IF\s+EXISTS)?"
    r"|CREATE\s+(?:OR\s+REPLACE\s+)?TABLE(?:\s+IF\s+NOT\s+EXISTS)?)\s+\"?(\w+)\"?",
    re.IGNORECASE,
)


def written_tables(sql: str) -> set[str]:
    """The stored tables a piece of SQL writes to."""
    return {target.lower() for target in _WRITE.findall(sql)} & STORED_TABLES



def test_no_module_outside_store_writes_a_stored_table_in_its_sql_text() -> None:
    found = []
    for name, path in modules().items():
        if name.startswith("competency.store"):
            continue
        for line, text in string_constants(path):
            for table in sorted(written_tables(text)):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: writes {table}")
    assert found == []


def test_the_write_finder_reads_sql_as_meant() -> None:
    assert written_tables("INSERT INTO overrides VALUES (?)") == {"overrides"}
    assert written_tables('UPDATE "cycles" SET status = ?') == {"cycles"}
    assert written_tables("DELETE FROM responses WHERE cycle_id = ?") == {"responses"}
    assert written_tables("CREATE OR REPLACE TEMP TABLE s_people AS SELECT * FROM roster") == set()
    assert written_tables("SELECT * FROM person_results") == set()
    assert written_tables("COPY (SELECT * FROM roster) TO 'x.csv'") == set()


class _Recording:
    """A DuckDB connection that notes which module sends each write of a stored table."""

    def __init__(self, db: duckdb.DuckDBPyConnection, writers: list[tuple[str, str]]) -> None:
        self._db = db
        self._writers = writers

    def _note(self, sql: Any) -> None:
        tables = written_tables(str(sql))
        if not tables:
            return
        frame = sys._getframe(2)
        while frame is not None and frame.f_globals.get("__name__") in ("competency._sql", __name__):
            frame = frame.f_back
        module = frame.f_globals.get("__name__", "?") if frame is not None else "?"
        self._writers += [(module, table) for table in sorted(tables)]

    def execute(self, sql: Any, *args: Any, **kwargs: Any) -> Any:
        self._note(sql)
        return self._db.execute(sql, *args, **kwargs)

    def executemany(self, sql: Any, *args: Any, **kwargs: Any) -> Any:
        self._note(sql)
        return self._db.executemany(sql, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


@pytest.fixture
def writers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    real_connect = duckdb.connect
    monkeypatch.setattr(workspace.duckdb, "connect", lambda *a, **k: _Recording(real_connect(*a, **k), seen), raising=True)
    yield seen
    monkeypatch.setattr(workspace.duckdb, "connect", real_connect)


def test_a_whole_quarter_writes_stored_tables_only_from_store(tmp_path: Path, writers: list[tuple[str, str]]) -> None:
    runner = CliRunner()
    ws = str(tmp_path / "demo" / "competency.duckdb")

    def run(*args: str) -> None:
        result = runner.invoke(main, ["--workspace", ws, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    demo = runner.invoke(main, ["demo", "--out", str(tmp_path / "demo"), "--lang", "en"], catch_exceptions=False)
    assert demo.exit_code == 0, demo.output
    someone = duckdb.connect(ws, read_only=True).execute("SELECT min(employee_id) FROM person_results WHERE rating = 'B'").fetchone()[0]
    run("calibrate", "set", someone, "A", "--reason", "evidence from the key-account review", "--code", "evidence", "--by", "Li Na")
    run("calibrate", "undo", someone, "--reason", "entered for the wrong person", "--by", "Li Na")
    run("calibrate", "set", someone, "A", "--reason", "evidence from the key-account review", "--code", "evidence", "--by", "Li Na")
    run("calibrate", "lock", "--by", "Li Na")
    run("calibrate", "reopen", "--reason", "appeal upheld", "--by", "Li Na")
    run("plan", "generate")
    run("score", "--withdraw-release", "--reason", "wrong peers imported, nothing handed out yet", "--by", "Li Na")
    written = {table for _, table in writers}
    assert {"cycles", "cycle_files", "roster", "responses", "group_scores", "person_results", "overrides", "audit_log", "plans", "releases", "released_raters"} <= written
    assert sorted({(module, table) for module, table in writers if not module.startswith("competency.store")}) == []
