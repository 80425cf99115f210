"""What the model knows, as small temporary tables for the row checks to join.

Coded columns (relationship, role, KPI, potential) hold few distinct values
even in a file of millions of rows. Each distinct spelling is resolved once in
Python — aliases, case and spacing forgiven, a did-you-mean hint for the
unknown ones — and the answers are loaded as a map table `(raw, value)` per
column holding each spelling both as the file has it and trimmed, so the SQL
pass may join on either. `create_lookups` returns them, with the model's
tables, as one `Lookups`. The hints for the reason texts are gathered as rows
and become a table once the rejected rows are known (`hints_table`), which
adds did-you-mean hints for the unknown item ids among them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import duckdb

from competency._sql import Relation, create_table, new_relation, quote_number
from competency.ingest.columns import KIND_COLUMNS, POTENTIAL_LEVELS, POTENTIAL_VALUES, RELATIONSHIP_ALIASES, normalise
from competency.ingest.headers import Layout
from competency.ingest.mapping import LoadedMapping
from competency.ingest.staging import Staging
from competency.files.bundle import ModelBundle
from competency._text import did_you_mean

# Hints are computed for at most this many distinct unknown values of a column;
# past that the file is wrong wholesale and the reason without a hint says enough.
MAX_HINTED = 2000


# The columns of each lookup table, and the SQL that creates it.
MAP = ("raw", "value"), "raw VARCHAR, value VARCHAR"
HINTS = ("code", "value", "hint"), "code VARCHAR, value VARCHAR, hint VARCHAR"
ITEMS = ("item_id", "competency_id", "item_pos"), "item_id VARCHAR, competency_id VARCHAR, item_pos INTEGER"
WIDE = ("col", "item_id", "label", "position"), "col VARCHAR, item_id VARCHAR, label VARCHAR, position INTEGER"
KPI_TARGETS = ("kpi_id", "target"), "kpi_id VARCHAR, target DOUBLE"
ROLE_TARGETS = ("role_id", "kpi_id", "target"), "role_id VARCHAR, kpi_id VARCHAR, target DOUBLE"


@dataclass(frozen=True)
class Lookups:
    """The tables the row checks join: a map per coded column of the kind (`maps`),
    the model's items and the wide file's item columns (responses), the KPI
    targets (kpis); and the hints found so far, as rows (code, value, hint)."""

    maps: dict[str, Relation]
    hints: tuple[tuple[str, str, str], ...]
    items: Relation | None = None
    wide: Relation | None = None
    kpi_targets: Relation | None = None
    role_targets: Relation | None = None


def _table(db: duckdb.DuckDBPyConnection, stem: str, shape: tuple[tuple[str, ...], str], rows: Iterable[Sequence[object]]) -> Relation:
    """A small temp table of Python values, with the columns `shape` declares."""
    columns, sql = shape
    relation = new_relation(stem, columns)
    create_table(db, relation.name, sql, list(rows))
    return relation.check(db)


def hint(value: str, choices: Sequence[str]) -> str:
    """'did you mean …?' for a near miss; the whole list when it is short; else nothing."""
    said = did_you_mean(value, choices)
    if said.startswith("did you mean") or len(choices) <= 8:
        return said
    return ""


def _words(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Spelling → code, keyed by the normalised spelling."""
    return {normalise(word): code for word, code in pairs}


_ALSO_CALLED = re.compile(r"^(.+?)\s*[（(]\s*(.+?)\s*[）)]$")


def name_forms(name: str) -> tuple[str, ...]:
    """A name, and for a name with another in brackets (区域销售主管(区域经理)) each of
    the two as well: files use either."""
    both = _ALSO_CALLED.match(name.strip())
    return (name, *both.groups()) if both else (name,)


def _resolvers(bundle: ModelBundle, loaded: LoadedMapping | None) -> dict[str, tuple[str, Callable[[str], str | None], list[str]]]:
    """Per coded column: the reason code for an unknown value, a resolver, and the known codes."""
    groups = list(bundle.model.rater_groups)
    relations = _words((word, group) for word, group in RELATIONSHIP_ALIASES.items() if group in groups)
    relations |= _words((group, group) for group in groups)
    if loaded is not None:
        relations |= _words(loaded.mapping.relationships.items())
    roles = _words((word, role.id) for role in bundle.roles.roles for name in (role.id, role.name.en, role.name.zh) for word in name_forms(name))
    kpis = _words((word, kpi.id) for kpi in bundle.kpis.kpis for name in (kpi.id, kpi.name.en, kpi.name.zh) for word in name_forms(name))
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


def create_lookups(db: duckdb.DuckDBPyConnection, prefix: str, staging: Staging, layout: Layout, bundle: ModelBundle, loaded: LoadedMapping | None) -> Lookups:
    """The map tables for the coded columns of this file, their hints, and the model's tables."""
    # Every coded column of the kind gets its map, empty when the file lacks the column
    # (a file without rows, such as an empty JSON list, has no columns at all).
    resolvers = {column: resolver for column, resolver in _resolvers(bundle, loaded).items() if column in KIND_COLUMNS[layout.kind].columns}
    spellings = _spellings(db, staging, layout, list(resolvers))
    maps: dict[str, Relation] = {}
    hints: list[tuple[str, str, str]] = []
    for column, (code, resolve, known) in resolvers.items():
        # The map answers both spellings: some checks join on the value as the file has it,
        # others trimmed. A blank value is missing, so it is never mapped, not even by a
        # mapping file's entry for ''.
        mapped = {spelling: value for given, trimmed in sorted(spellings[column]) if trimmed and (value := resolve(given)) is not None for spelling in (given, trimmed)}
        maps[column] = _table(db, f"{prefix}_map_{column}", MAP, sorted(mapped.items()))
        unknown = sorted({trimmed for _, trimmed in spellings[column] if trimmed and trimmed not in mapped})[:MAX_HINTED]
        hints += [(code, value, text) for value in unknown if (text := hint(value, known))]
    return Lookups(maps, tuple(hints), **_model_tables(db, prefix, staging, layout, bundle))


def _model_tables(db: duckdb.DuckDBPyConnection, prefix: str, staging: Staging, layout: Layout, bundle: ModelBundle) -> dict[str, Relation]:
    """The model's items and the wide file's item columns (responses), its KPI targets (kpis)."""
    if layout.kind == "responses":
        # Item ids are exact (ids the analyst copies, not words people type), so they
        # need no scan of the file: unknown ones get their hints from the rejected rows.
        items = [(b.id, c.id, position) for position, (c, b) in enumerate(bundle.model.behaviors())]
        wide = [(staging.column(index), item, staging.headers[index], position) for position, (index, item) in enumerate(layout.items, start=1)]
        return {"items": _table(db, f"{prefix}_items", ITEMS, items), "wide": _table(db, f"{prefix}_wide", WIDE, wide)}
    if layout.kind == "kpis":
        role_targets = [(role.id, kpi_id, rk.target) for role in bundle.roles.roles for kpi_id, rk in role.kpis.items() if rk.target is not None]
        return {
            "kpi_targets": _table(db, f"{prefix}_kpi_targets", KPI_TARGETS, [(k.id, k.target) for k in bundle.kpis.kpis]),
            "role_targets": _table(db, f"{prefix}_role_targets", ROLE_TARGETS, role_targets),
        }
    return {}


def _spellings(db: duckdb.DuckDBPyConnection, staging: Staging, layout: Layout, columns: list[str]) -> dict[str, set[tuple[str, str]]]:
    """Each coded column's distinct values in the file: (as given, trimmed)."""
    present = [column for column in columns if column in layout.columns]
    # One scan finds the distinct values of every coded column at once, as the file has
    # them (trimming every row costs more than the scan); each is trimmed afterwards.
    selected = ", ".join(f"coalesce({staging.column(layout.columns[column])}, '') AS c{i}" for i, column in enumerate(present))
    with_trimmed = ", ".join(f"c{i}, trim(c{i})" for i in range(len(present)))
    rows = db.execute(f"SELECT {with_trimmed} FROM (SELECT DISTINCT {selected} FROM {staging.table})").fetchall() if present else []
    spellings: dict[str, set[tuple[str, str]]] = {column: set() for column in columns}
    for row in rows:
        for i, column in enumerate(present):
            spellings[column].add((row[2 * i], row[2 * i + 1]))
    return spellings


def hints_table(db: duckdb.DuckDBPyConnection, prefix: str, lookups: Lookups, rejected: Relation, bundle: ModelBundle, cycle_id: str) -> Relation:
    """The hints for the reason texts: those of the maps, did-you-mean hints for the
    unknown item ids among the rejected rows (a responses file), and for an unknown
    employee id the roster's id that differs from it only in leading zeros."""
    hints = list(lookups.hints)
    if lookups.items is not None:
        known = sorted(behaviour.id for _, behaviour in bundle.model.behaviors())
        query = f"SELECT DISTINCT bad FROM {rejected} WHERE code = 'unknown_item' ORDER BY 1 LIMIT {quote_number(MAX_HINTED)}"
        hints += [("unknown_item", raw, text) for (raw,) in db.execute(query).fetchall() if (text := hint(raw, known))]
    hints += _leading_zero_hints(db, rejected, cycle_id)
    return _table(db, f"{prefix}_hints", HINTS, hints)


def _leading_zero_hints(db: duckdb.DuckDBPyConnection, rejected: Relation, cycle_id: str) -> list[tuple[str, str, str]]:
    """Unknown employee ids that match a roster id once leading zeros are dropped from
    both (Excel drops them when a column of ids is read as numbers: 000010 → 10)."""
    query = f"""
        SELECT DISTINCT b.bad, min(r.employee_id)
        FROM (SELECT DISTINCT bad FROM {rejected} WHERE code = 'unknown_employee' ORDER BY 1 LIMIT {quote_number(MAX_HINTED)}) b
        JOIN roster r ON r.cycle_id = ? AND ltrim(r.employee_id, '0') = ltrim(trim(b.bad), '0') AND ltrim(trim(b.bad), '0') <> ''
        GROUP BY b.bad
    """
    return [
        ("unknown_employee", raw, f"the roster has '{known}', which differs only in leading zeros: keep the id column as text in Excel, or fix the ids")
        for raw, known in db.execute(query, [cycle_id]).fetchall()
    ]
