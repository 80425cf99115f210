"""What the model knows, as small temporary tables for the row checks to join.

Coded columns (relationship, role, KPI, potential) hold few distinct values
even in a file of millions of rows. Each distinct spelling is resolved once in
Python — aliases, case and spacing forgiven, a did-you-mean hint for the
unknown ones — and the answers are loaded as a map table
`{prefix}_map_<column>(raw, value)` holding each spelling both as the file
has it and trimmed, so the SQL pass may join on either.
The hints of all maps are gathered in `{prefix}_hints` for the reason texts.
Item ids are matched exactly against `{prefix}_items`; the hints for unknown
ones come from the rejected rows (`hint_unknown_items`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import duckdb

from competency._sql import quote_text
from competency.ingest.columns import KIND_COLUMNS, POTENTIAL_LEVELS, POTENTIAL_VALUES, RELATIONSHIP_ALIASES, normalise
from competency.ingest.headers import Layout
from competency.ingest.mapping import LoadedMapping
from competency.ingest.readers import Staging
from competency.files.bundle import ModelBundle
from competency._text import did_you_mean

# Hints are computed for at most this many distinct unknown values of a column;
# past that the file is wrong wholesale and the reason without a hint says enough.
MAX_HINTED = 2000


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return repr(float(value))
    return quote_text(str(value))


def _table(db: duckdb.DuckDBPyConnection, name: str, columns: str, rows: Iterable[Sequence[object]]) -> None:
    """A small table from Python values."""
    db.execute(f"CREATE TEMP TABLE {name} ({columns})")
    _insert(db, name, rows)


def _insert(db: duckdb.DuckDBPyConnection, name: str, rows: Iterable[Sequence[object]]) -> None:
    """Python values into a table, in one statement (row-by-row inserts cost a round trip each)."""
    values = ", ".join("(" + ", ".join(_literal(value) for value in row) + ")" for row in rows)
    if values:
        db.execute(f"INSERT INTO {name} VALUES {values}")


def hint(value: str, choices: Sequence[str]) -> str:
    """'did you mean …?' for a near miss; the whole list when it is short; else nothing."""
    said = did_you_mean(value, choices)
    if said.startswith("did you mean") or len(choices) <= 8:
        return said
    return ""


def _words(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Spelling → code, keyed by the normalised spelling."""
    return {normalise(word): code for word, code in pairs}


def _resolvers(bundle: ModelBundle, loaded: LoadedMapping | None) -> dict[str, tuple[str, Callable[[str], str | None], list[str]]]:
    """Per coded column: the reason code for an unknown value, a resolver, and the known codes."""
    groups = list(bundle.model.rater_groups)
    relations = _words((word, group) for word, group in RELATIONSHIP_ALIASES.items() if group in groups)
    relations |= _words((group, group) for group in groups)
    if loaded is not None:
        relations |= _words(loaded.mapping.relationships.items())
    roles = _words((word, role.id) for role in bundle.roles.roles for word in (role.id, role.name.en, role.name.zh))
    kpis = _words((word, kpi.id) for kpi in bundle.kpis.kpis for word in (kpi.id, kpi.name.en, kpi.name.zh))
    potential = _words(POTENTIAL_VALUES.items())
    return {
        "relationship": ("unknown_relationship", lambda raw: relations.get(normalise(raw)), groups),
        "role": ("unknown_role", lambda raw: roles.get(normalise(raw)), [role.id for role in bundle.roles.roles]),
        "kpi_id": ("unknown_kpi", lambda raw: kpis.get(normalise(raw)), [kpi.id for kpi in bundle.kpis.kpis]),
        "potential": ("unknown_potential", lambda raw: potential.get(normalise(raw)), list(POTENTIAL_LEVELS)),
    }


def raw_sql(column: str) -> str:
    """A staged value as the checks see it: NULL as '', surrounding spaces trimmed."""
    return f"trim(coalesce({column}, ''))"


def create_lookups(db: duckdb.DuckDBPyConnection, prefix: str, staging: Staging, layout: Layout, bundle: ModelBundle, loaded: LoadedMapping | None) -> None:
    """The map tables for the coded columns of this file, the hints, and the model's tables."""
    # Every coded column of the kind gets its map, empty when the file lacks the column
    # (a file without rows, such as an empty JSON list, has no columns at all).
    resolvers = {column: resolver for column, resolver in _resolvers(bundle, loaded).items() if column in KIND_COLUMNS[layout.kind].columns}
    present = [column for column in resolvers if column in layout.columns]
    # One scan finds the distinct values of every coded column at once, as the file has
    # them (trimming every row costs more than the scan); each is trimmed afterwards.
    selected = ", ".join(f"coalesce({staging.column(layout.columns[column])}, '') AS c{i}" for i, column in enumerate(present))
    with_trimmed = ", ".join(f"c{i}, trim(c{i})" for i in range(len(present)))
    rows = db.execute(f"SELECT {with_trimmed} FROM (SELECT DISTINCT {selected} FROM {staging.table})").fetchall() if present else []
    spellings: dict[str, set[tuple[str, str]]] = {column: set() for column in resolvers}  # (as given, trimmed)
    for row in rows:
        for i, column in enumerate(present):
            spellings[column].add((row[2 * i], row[2 * i + 1]))
    hints: list[tuple[str, str, str]] = []
    for column, (code, resolve, known) in resolvers.items():
        # The map answers both spellings: some checks join on the value as the file has it,
        # others trimmed. A blank value is missing, so it is never mapped, not even by a
        # mapping file's entry for ''.
        mapped = {spelling: value for given, trimmed in sorted(spellings[column]) if trimmed and (value := resolve(given)) is not None for spelling in (given, trimmed)}
        _table(db, f"{prefix}_map_{column}", "raw VARCHAR, value VARCHAR", sorted(mapped.items()))
        unknown = sorted({trimmed for _, trimmed in spellings[column] if trimmed and trimmed not in mapped})[:MAX_HINTED]
        hints += [(code, value, text) for value in unknown if (text := hint(value, known))]
    _table(db, f"{prefix}_hints", "code VARCHAR, value VARCHAR, hint VARCHAR", hints)
    if layout.kind == "responses":
        # Item ids are exact (ids the analyst copies, not words people type), so they
        # need no scan of the file: unknown ones get their hints from the rejected rows.
        items = ((b.id, c.id, position) for position, (c, b) in enumerate(bundle.model.behaviors()))
        _table(db, f"{prefix}_items", "item_id VARCHAR, competency_id VARCHAR, item_pos INTEGER", items)
        wide = [(staging.column(index), item, staging.headers[index], position) for position, (index, item) in enumerate(layout.items, start=1)]
        _table(db, f"{prefix}_wide", "col VARCHAR, item_id VARCHAR, label VARCHAR, position INTEGER", wide)
    if layout.kind == "kpis":
        _table(db, f"{prefix}_kpi_targets", "kpi_id VARCHAR, target DOUBLE", ((k.id, k.target) for k in bundle.kpis.kpis))
        role_targets = [(role.id, kpi_id, rk.target) for role in bundle.roles.roles for kpi_id, rk in role.kpis.items() if rk.target is not None]
        _table(db, f"{prefix}_role_targets", "role_id VARCHAR, kpi_id VARCHAR, target DOUBLE", role_targets)


def hint_unknown_items(db: duckdb.DuckDBPyConnection, prefix: str, rejected: str, bundle: ModelBundle) -> None:
    """Add did-you-mean hints for the unknown item ids among the rejected rows."""
    known = sorted(behaviour.id for _, behaviour in bundle.model.behaviors())
    unknown = [row[0] for row in db.execute(f"SELECT DISTINCT bad FROM {rejected} WHERE code = 'unknown_item' ORDER BY 1 LIMIT {MAX_HINTED}").fetchall()]
    _insert(db, f"{prefix}_hints", [("unknown_item", raw, text) for raw in unknown if (text := hint(raw, known))])
