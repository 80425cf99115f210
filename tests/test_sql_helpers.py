"""The SQL helpers every stage builds on: quoting, temp tables from rows, Relations."""

from __future__ import annotations

import math

import duckdb
import pytest

from competency._sql import Relation, create_table, drop, new_relation, quote_ident, quote_number, quote_path, quote_text


@pytest.fixture
def db() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_quoted_text_and_names_cannot_change_a_statement(db: duckdb.DuckDBPyConnection) -> None:
    hostile = "x'); DROP TABLE t; --\""
    db.execute(f"CREATE TABLE {quote_ident(hostile)} AS SELECT {quote_text(hostile)} AS v")
    assert db.execute(f"SELECT v FROM {quote_ident(hostile)}").fetchall() == [(hostile,)]


def test_numbers_are_finite_or_refused() -> None:
    assert (quote_number(3), quote_number(2.5), quote_number(-0.125)) == ("3", "2.5", "-0.125")
    for bad in (math.nan, math.inf, -math.inf, True, "1"):
        with pytest.raises(ValueError, match="not a finite number"):
            quote_number(bad)  # type: ignore[arg-type]


def test_a_path_with_quotes_reads_back(tmp_path, db: duckdb.DuckDBPyConnection) -> None:  # noqa: ANN001
    path = tmp_path / "o'brien's" / "a.csv"
    path.parent.mkdir()
    path.write_text("a\n1\n", encoding="utf-8")
    assert db.execute(f"SELECT a FROM read_csv({quote_path(path)})").fetchall() == [(1,)]


def test_a_temp_table_from_rows_keeps_values_and_nulls(db: duckdb.DuckDBPyConnection) -> None:
    create_table(db, "t", "name VARCHAR, score DOUBLE, n INTEGER", [("a'b", 1.5, None), (None, None, 3)])
    assert db.execute("SELECT * FROM t ORDER BY n NULLS FIRST").fetchall() == [("a'b", 1.5, None), (None, None, 3)]
    create_table(db, "t", "name VARCHAR", [])
    assert db.execute("SELECT count(*) FROM t").fetchall() == [(0,)]


def test_relations_have_their_own_names_and_are_held_to_their_columns(db: duckdb.DuckDBPyConnection) -> None:
    first, second = new_relation("people", ["id"]), new_relation("people", ["id"])
    assert first.name != second.name and first.name.startswith("people_")
    db.execute(f"CREATE TEMP TABLE {first} AS SELECT 1 AS id, 2 AS extra")
    with pytest.raises(RuntimeError, match=r"has columns \('id', 'extra'\), not the declared \('id',\)"):
        first.check(db)


def test_drop_removes_temp_tables_and_views_but_never_a_stored_table(db: duckdb.DuckDBPyConnection) -> None:
    db.execute("CREATE TABLE responses AS SELECT 1 AS a")
    table, view = new_relation("t", ["a"]), new_relation("v", ["a"])
    db.execute(f"CREATE TEMP TABLE {table} AS SELECT 1 AS a")
    db.execute(f"CREATE TEMP VIEW {view} AS SELECT 1 AS a")
    drop(db, table, view, Relation("responses", ("a",)))
    assert db.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall() == [(0,)]
    assert db.execute("SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal").fetchall() == [(0,)]
    assert db.execute("SELECT a FROM responses").fetchall() == [(1,)]
