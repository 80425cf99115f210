"""The accepted units as the rows a cycle's table keeps: roster, responses,
kpi_actuals or potential (written by `competency.store.imports`)."""

from __future__ import annotations

import duckdb

from competency._sql import Relation, new_relation, quote_text
from competency.ingest.headers import Layout
from competency.store.imports import ACCEPTED_COLUMNS

# Per kind: the SQL of each stored column, over the checked units.
_VALUES = {
    "roster": ("employee_id", "NULLIF(name, '')", "role_id", "NULLIF(manager_id, '')", "NULLIF(department, '')", "NULLIF(region, '')", None),
    "responses": ("employee_id", "rater_id", "rel", "item_id", "competency_id", "score_value", "NULLIF(comment, '')"),
    "kpis": ("employee_id", "kpi", "actual_value", "target_value"),
    "potential": ("employee_id", "level"),
}


def _attributes_json(layout: Layout) -> str:
    """Extra roster columns as a JSON object (blank values as null); NULL when there are none."""
    if not layout.attributes:
        return "NULL"
    pairs = ", ".join(f"{quote_text(name)}, NULLIF(attr_{i}, '')" for i, name in enumerate(layout.attributes))
    return f"json_object({pairs})"


def accepted_rows(db: duckdb.DuckDBPyConnection, stem: str, accepted: str, layout: Layout) -> Relation:
    """A view of the units the query `accepted` selects, in the columns the kind's table keeps."""
    columns = ACCEPTED_COLUMNS[layout.kind]
    values = [_attributes_json(layout) if sql is None else sql for sql in _VALUES[layout.kind]]
    view = new_relation(stem, columns)
    selected = ", ".join(f"{sql} AS {name}" for sql, name in zip(values, columns, strict=True))
    db.execute(f"CREATE TEMP VIEW {view} AS SELECT {selected} FROM ({accepted})")
    return view
