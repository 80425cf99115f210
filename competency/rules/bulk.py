"""A whole rule set as one DuckDB SELECT: the bulk path for many people.

`to_sql(ruleset, source)` reads a table or view with one column per input name
(named exactly like the name: `"competency.execution"`, `"employee.role"`;
numbers DOUBLE, texts VARCHAR) and returns one row per input row with:

- the `keep` columns and the inputs the rules read (cleaned as the Python side
  cleans them: numbers cast to DOUBLE, NaN/∞ → NULL);
- every output: computed names, table outputs, `flag.<id>`;
- the trace columns, enough to rebuild each person's trace (`trace_from_row`):
  `trace.<table>.in.<input>` (the table's input values), `trace.<table>.row`
  (the fired row id; a list for COLLECT), `trace.<step>.fired`,
  `trace.<step>.before` and `trace.<step>.changed` for caps and floors.

Each step's projections are chained as CTEs, so a step sees exactly the
values the steps before it produced — the same order as the Python loop.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from competency.rules.expr import Value
from competency.rules.ruleset import Ruleset
from competency.rules.steps import Bound
from competency.rules.sql import quote_ident, sql_type
from competency.rules.tables import DecisionTable
from competency.rules.trace import TraceEntry


def to_sql(ruleset: Ruleset, source: str = "inputs", *, keep: Iterable[str] = (), columns: Collection[str] | None = None) -> str:
    """A SELECT over the table or view `source`.

    `keep`: columns passed through untouched (e.g. an id). `columns`: the
    columns `source` has, when known; inputs it lacks are read as null.
    """
    keep = list(keep)
    select = [quote_ident(name) for name in keep]
    for name in ruleset.inputs:
        if name in keep:
            continue
        type_ = ruleset.schema.get(name)
        sql = sql_type(type_) if type_ is not None else "VARCHAR"
        if columns is not None and name not in columns:
            select.append(f"CAST(NULL AS {sql}) AS {quote_ident(name)}")
        elif sql == "DOUBLE":
            cast = f"CAST({quote_ident(name)} AS DOUBLE)"
            select.append(f"CASE WHEN isfinite({cast}) THEN {cast} END AS {quote_ident(name)}")
        else:
            select.append(f"CAST({quote_ident(name)} AS {sql}) AS {quote_ident(name)}")
    ctes = [f"s0 AS (SELECT {', '.join(select) or '1 AS _none'} FROM {quote_ident(source)})"]
    for step in ruleset.steps:
        for layer in step.sql_layers():
            replaced = [f"{sql} AS {quote_ident(column)}" for column, sql, replace in layer if replace]
            added = [f"{sql} AS {quote_ident(column)}" for column, sql, replace in layer if not replace]
            star = f"* REPLACE ({', '.join(replaced)})" if replaced else "*"
            previous = f"s{len(ctes) - 1}"
            ctes.append(f"s{len(ctes)} AS (SELECT {', '.join([star, *added])} FROM {previous})")
    return "WITH " + ",\n".join(ctes) + f"\nSELECT * FROM s{len(ctes) - 1}"


def trace_from_row(ruleset: Ruleset, row: Mapping[str, Any]) -> list[TraceEntry]:
    """Rebuild one person's trace from a row of `to_sql`'s result.

    A cap or floor later in the list may have changed a value after a step
    wrote it; the value right after that step is then the first such cap's
    `before` column, else the final column.
    """
    env: dict[str, Value] = {name: row.get(name) for name in ruleset.inputs}
    steps = list(ruleset.steps)
    trace = []
    for index, step in enumerate(steps):
        written = step.output if isinstance(step, DecisionTable) else step.writes
        value = row.get(written)
        for later in steps[index + 1 :]:
            if isinstance(later, Bound) and later.target == written:
                value = row.get(later.columns[1])
                break
        trace.append(step.replay(row, env, value))
    return trace
