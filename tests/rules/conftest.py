"""Fixtures for the rule-language tests (the model and helpers: support.py)."""

from __future__ import annotations

import duckdb
import pytest

from competency.rules import Schema, build_schema
from tests.rules.support import sales_kpis, sales_model, sales_roles


@pytest.fixture(scope="session")
def schema() -> Schema:
    return build_schema(sales_model(), sales_kpis(), sales_roles())


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    yield connection
    connection.close()
