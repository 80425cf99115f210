"""The row checks: every staged unit gets a reason code, or none.

A unit is a file row (for a wide responses file, one answer: a row × an item
column). `check_rows` returns a `Checked`:

- `coded`: every unit with its file `row_number`, the values to store, and
  `code` — NULL when the unit passes the row checks, else the first reason
  that applies (the order of each CASE below is the order in which reasons
  are reported) —, `bad` (the offending value, for the message and the
  did-you-mean hint) and `ref` (the row or earlier import a duplicate repeats);
- `rejected`: a table of the rejected units, duplicates and (for a roster)
  broken chains of managers included;
- `accepted`: SQL for the units to store.

`coded` is materialised once: evaluating its joins costs more than reading
the table back (measured on 20 M answers: 4 s per evaluation, 6.4 s to write
it, under a second per pass over it).

Duplicates are judged among the units that pass every other check, keeping
the first in file order, so "duplicate of row N" always names a row that is
stored. The reason texts are made from the codes in `reasons.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency._sql import quote_text
from competency.ingest.columns import KIND_COLUMNS, WIDE_REQUIRED
from competency.ingest.headers import Layout
from competency.ingest.lookups import hint_unknown_items, raw_sql
from competency.ingest.readers import Staging
from competency.files.bundle import ModelBundle

# What makes two rows duplicates, per kind (columns of the checked table).
DUPLICATE_KEYS = {
    "roster": ("employee_id",),
    "responses": ("rater_id", "employee_id", "item_pos"),  # item_pos: the item's number in the model
    "kpis": ("employee_id", "kpi"),
    "potential": ("employee_id",),
}


@dataclass(frozen=True)
class Checked:
    """The judged units of one import (see the module's docstring)."""

    coded: str  # a table name
    rejected: str  # a table name
    unit: tuple[str, ...]  # the columns naming one unit
    decode: str = ""  # a join giving back the values kept as numbers in `coded`

    @property
    def accepted(self) -> str:
        """SQL: the units to store."""
        return f"SELECT * FROM (SELECT c.* FROM {self.coded} c ANTI JOIN {self.rejected} USING ({', '.join(self.unit)}) WHERE c.code IS NULL) {self.decode}"


def check_rows(db: duckdb.DuckDBPyConnection, prefix: str, staging: Staging, layout: Layout, cycle_id: str, bundle: ModelBundle, *, prior_data: bool) -> Checked:
    """Judge every unit of the staged file. `prior_data`: the kind already has rows this cycle."""
    builders = {"roster": _roster, "responses": _responses, "kpis": _kpis, "potential": _potential}
    coded = builders[layout.kind](prefix, staging, layout, cycle_id, bundle, prior_data)
    # Answers keep their item as its number, not its id and competency: a table of
    # millions of answers is a third smaller, so it stays in memory.
    decode = f"JOIN {prefix}_items USING (item_pos)" if layout.kind == "responses" else ""
    checked = Checked(f"{prefix}_coded", f"{prefix}_rejected", ("row_number", "item_pos") if layout.wide else ("row_number",), decode)
    db.execute(f"CREATE TEMP TABLE {checked.coded} AS {coded}")
    _reject(db, prefix, checked, layout.kind)
    if layout.kind == "roster":
        _check_managers(db, prefix, checked)
    if layout.kind == "responses":
        hint_unknown_items(db, prefix, checked.rejected, bundle)
    return checked


def _shape(staging: Staging, layout: Layout) -> str:
    """SQL for a row's shape problem: the reader's, or too few fields to reach every column
    the file must have (missing optional columns at the end of a row are just empty)."""
    required = WIDE_REQUIRED if layout.wide else KIND_COLUMNS[layout.kind].required
    needed = [layout.columns[name] for name in required if name in layout.columns] + [index for index, _ in layout.items]
    if not needed:
        return staging.problem_sql
    short = f"'too few fields: ' || {staging.fields_sql} || {quote_text(f' of {len(staging.headers)} (is the file cut short?)')}"
    return f"coalesce({staging.problem_sql}, CASE WHEN NOT ({staging.has_field(max(needed))}) THEN {short} END)"


def _source(staging: Staging, layout: Layout, extra: dict[str, str] | None = None, untrimmed: tuple[str, ...] = ()) -> str:
    """The staged rows with standard names; blank rows are left out (they are not data).

    Values are trimmed, except the `untrimmed` columns: trimming costs about half a
    second per column of 20 M answers, so those are matched as the file has them
    and trimmed only where that finds nothing (see `_responses`).
    """
    fields = [f"{staging.row_sql} AS row_number", f"{_shape(staging, layout)} AS shape"]
    for name in KIND_COLUMNS[layout.kind].columns:
        index = layout.columns.get(name)
        value = "''" if index is None else f"coalesce({staging.column(index)}, '')" if name in untrimmed else raw_sql(staging.column(index))
        fields.append(f"{value} AS {name}")
    fields += [f"{expression} AS {name}" for name, expression in (extra or {}).items()]
    # A first value starting with a printable ASCII character (a bytes compare) makes the
    # row not blank; the other rows pay for trimming the first value, and only rows whose
    # first value is blank for trimming the whole row.
    first = staging.column(0) if staging.headers else "''"
    everything = " || ".join(f"coalesce({staging.column(i)}, '')" for i in range(len(staging.headers))) or "''"
    not_blank = f"({first} >= '!' AND {first} < chr(127)) OR {raw_sql(first)} <> '' OR trim({everything}) <> ''"
    return f"SELECT {', '.join(fields)} FROM {staging.table} WHERE {not_blank}"


def _stored(table: str, cycle_id: str, keys: dict[str, str]) -> str:
    """A join to the cycle's stored rows with the same key (appending imports)."""
    on = " AND ".join(f"p.{stored} = {mine}" for stored, mine in keys.items())
    return (
        f"LEFT JOIN (SELECT {', '.join(keys)}, min(import_id) AS prior FROM {table} WHERE cycle_id = {quote_text(cycle_id)} GROUP BY ALL) p ON {on}"
    )


def _no_stored() -> str:
    return "LEFT JOIN (SELECT NULL::BIGINT AS prior) p ON false"


def _roster_ids(cycle_id: str) -> str:
    """SQL: the cycle's roster as (roster_id, roster_role)."""
    return f"(SELECT employee_id AS roster_id, role AS roster_role FROM roster WHERE cycle_id = {quote_text(cycle_id)})"


def _roster_join(cycle_id: str) -> str:
    return f"LEFT JOIN {_roster_ids(cycle_id)} r ON r.roster_id = s.employee_id"


def _with_bad(coded: str, bad: dict[str, str], drop: tuple[str, ...] = ("shape",)) -> str:
    """Add `bad`, the value each reason names; leave out columns no later step reads."""
    whens = " ".join(f"WHEN {quote_text(code)} THEN {column}" for code, column in bad.items())
    return f"SELECT * EXCLUDE ({', '.join(drop)}), CASE code WHEN 'shape' THEN shape {whens} END AS bad FROM ({coded})"


def _reject(db: duckdb.DuckDBPyConnection, prefix: str, checked: Checked, kind: str) -> None:
    """Create the rejected table: units failing a row check, and later copies of a key
    among the units that pass them ('duplicate_in_file')."""
    keys = DUPLICATE_KEYS[kind]
    columns = ", ".join(keys)
    passing = f"SELECT * FROM {checked.coded} WHERE code IS NULL"
    if kind == "responses":
        # Grouping millions of answers by (rater, person, item) is slow; by (rater, person)
        # with a bit per item it is fast, and finds the pairs that answer an item twice.
        db.execute(f"""
            CREATE TEMP TABLE {prefix}_repeats AS SELECT DISTINCT rater_id, employee_id FROM (
                SELECT rater_id, employee_id FROM {checked.coded} WHERE code IS NULL
                GROUP BY rater_id, employee_id, item_pos // 64
                HAVING count(*) > bit_count(bit_or(1::UBIGINT << (item_pos % 64)::UBIGINT)))
        """)
        # Their answers are few; kept once, they are read twice below instead of the whole table.
        db.execute(f"CREATE TEMP TABLE {prefix}_repeated AS SELECT c.* FROM {checked.coded} c SEMI JOIN {prefix}_repeats USING (rater_id, employee_id) WHERE c.code IS NULL")
        passing = f"SELECT * FROM {prefix}_repeated"
    db.execute(f"CREATE TEMP TABLE {prefix}_duplicates AS SELECT {columns}, min(row_number) AS first_row FROM ({passing}) GROUP BY ALL HAVING count(*) > 1")
    same = " AND ".join(f"c.{key} = d.{key}" for key in keys)
    db.execute(f"""
        CREATE TEMP TABLE {checked.rejected} AS
        SELECT * FROM {checked.coded} WHERE code IS NOT NULL
        UNION ALL BY NAME
        SELECT c.* REPLACE ('duplicate_in_file' AS code, d.first_row AS ref, c.employee_id AS bad)
        FROM ({passing}) c JOIN {prefix}_duplicates d ON {same} WHERE c.row_number > d.first_row
    """)


# ---------------------------------------------------------------- roster

def _roster(prefix: str, staging: Staging, layout: Layout, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
    attributes = {f"attr_{i}": raw_sql(staging.column(index)) for i, index in enumerate(layout.attributes.values())}
    coded = f"""
        SELECT s.*, m.value AS role_id, NULL::BIGINT AS ref,
          CASE
            WHEN s.shape IS NOT NULL THEN 'shape'
            WHEN s.employee_id = '' THEN 'missing_employee_id'
            WHEN s.role = '' THEN 'missing_role'
            WHEN m.value IS NULL THEN 'unknown_role'
            WHEN s.manager_id = s.employee_id THEN 'own_manager'
          END AS code
        FROM ({_source(staging, layout, attributes)}) s
        LEFT JOIN {prefix}_map_role m ON m.raw = s.role
    """
    return _with_bad(coded, {"unknown_role": "role"})


MANAGER_CODES = ("unknown_manager", "manager_rejected", "manager_loop")


def _check_managers(db: duckdb.DuckDBPyConnection, prefix: str, judged: Checked) -> None:
    """Accept a person only when their chain of managers reaches the top (a blank manager_id).

    Walking down from the top finds everyone reachable; the rest have an
    unknown manager, a rejected manager (perhaps through another rejected
    manager), or a chain that runs in a circle. Their rows join the rejected.
    """
    checked = f"{prefix}_judged"
    db.execute(f"""
        CREATE TEMP TABLE {checked} AS
        SELECT c.* REPLACE (coalesce(r.code, c.code) AS code) FROM {judged.coded} c LEFT JOIN {judged.rejected} r USING (row_number)
    """)
    db.execute(f"""
        CREATE TEMP TABLE {prefix}_reached AS
        WITH RECURSIVE reach(employee_id) AS (
            SELECT employee_id FROM {checked} WHERE code IS NULL AND manager_id = ''
            UNION
            SELECT c.employee_id FROM {checked} c JOIN reach r ON c.manager_id = r.employee_id WHERE c.code IS NULL
        ) SELECT DISTINCT employee_id FROM reach
    """)
    db.execute(f"""
        CREATE TEMP TABLE {prefix}_ids AS
        SELECT employee_id, min(row_number) AS first_row, bool_or(code IS NULL) AS candidate
        FROM {checked} WHERE employee_id <> '' GROUP BY employee_id
    """)
    # Below a manager who is missing or rejected on their own account: rejected too.
    db.execute(f"""
        CREATE TEMP TABLE {prefix}_below_rejected AS
        WITH RECURSIVE below(employee_id) AS (
            SELECT c.employee_id FROM {checked} c LEFT JOIN {prefix}_ids i ON i.employee_id = c.manager_id
            WHERE c.code IS NULL AND c.manager_id <> '' AND NOT coalesce(i.candidate, false)
            UNION
            SELECT c.employee_id FROM {checked} c JOIN below b ON c.manager_id = b.employee_id
            WHERE c.code IS NULL AND c.employee_id NOT IN (SELECT employee_id FROM {prefix}_reached)
        ) SELECT DISTINCT employee_id FROM below
    """)
    db.execute(f"""
        UPDATE {checked} AS c SET
            code = CASE WHEN i.employee_id IS NULL THEN 'unknown_manager'
                        WHEN b.employee_id IS NOT NULL THEN 'manager_rejected' ELSE 'manager_loop' END,
            bad = c.manager_id,
            ref = i.first_row
        FROM (SELECT u.employee_id AS who, u.manager_id AS boss FROM {checked} u
              WHERE u.code IS NULL AND u.employee_id NOT IN (SELECT employee_id FROM {prefix}_reached)) todo
        LEFT JOIN {prefix}_ids i ON i.employee_id = todo.boss
        LEFT JOIN {prefix}_below_rejected b ON b.employee_id = todo.who
        WHERE c.employee_id = todo.who AND c.code IS NULL
    """)
    codes = ", ".join(quote_text(code) for code in MANAGER_CODES)
    db.execute(f"INSERT INTO {judged.rejected} BY NAME SELECT * FROM {checked} WHERE code IN ({codes})")


# ---------------------------------------------------------------- responses

# Matched as the file has them, and trimmed only where that finds nothing (see `_source`).
_EXACT_ANSWER_COLUMNS = ("employee_id", "relationship", "item_id", "score")


def _responses(prefix: str, staging: Staging, layout: Layout, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
    if layout.wide:
        items = {staging.column(index): raw_sql(staging.column(index)) for index, _ in layout.items}
        answers = f"""
            SELECT a.* EXCLUDE (col, cell, item_id, score, comment), w.item_id, a.cell AS score,
                   CASE WHEN w.position = 1 THEN a.comment ELSE '' END AS comment, w.label
            FROM (UNPIVOT ({_source(staging, layout, items, _EXACT_ANSWER_COLUMNS)}) ON {', '.join(items)} INTO NAME col VALUE cell) a
            JOIN {prefix}_wide w ON w.col = a.col
        """
    else:
        answers = f"SELECT *, NULL::VARCHAR AS label FROM ({_source(staging, layout, untrimmed=_EXACT_ANSWER_COLUMNS)})"
    # The match on the value as given serves almost every row; the trimmed one (a second
    # join, evaluated only where the first found nothing) forgives surrounding spaces. A
    # matched value is already trimmed: roster ids and item ids are. The relationship map
    # holds both spellings, so one join serves.
    roster = _roster_ids(cycle_id)
    resolved = f"""
        SELECT s.* EXCLUDE (employee_id, item_id, exact_score),
               coalesce(r.roster_id, rt.roster_id) AS roster_id,
               CASE WHEN r.roster_id IS NOT NULL THEN s.employee_id ELSE trim(s.employee_id) END AS employee_id,
               coalesce(i.item_pos, it.item_pos) AS item_pos,
               CASE WHEN i.item_pos IS NOT NULL THEN s.item_id ELSE trim(s.item_id) END AS item_id,
               CASE WHEN s.exact_score IS NOT NULL THEN s.exact_score ELSE TRY_CAST(trim(s.score) AS DOUBLE) END AS score_value,
               w.value AS rel
        FROM (SELECT *, TRY_CAST(score AS DOUBLE) AS exact_score FROM ({answers})) s
        LEFT JOIN {roster} r ON r.roster_id = s.employee_id
        LEFT JOIN {roster} rt ON rt.roster_id = CASE WHEN r.roster_id IS NULL THEN trim(s.employee_id) END
        LEFT JOIN {prefix}_items i ON i.item_id = s.item_id
        LEFT JOIN {prefix}_items it ON it.item_id = CASE WHEN i.item_pos IS NULL THEN trim(s.item_id) END
        LEFT JOIN {prefix}_map_relationship w ON w.raw = s.relationship
    """
    scale = bundle.model.scale
    stored = _stored("responses", cycle_id, {"employee_id": "s.employee_id", "rater_id": "s.rater_id", "item_id": "s.item_id"}) if prior_data else _no_stored()
    number = "s.score_value"
    # A blank value has no match, so "missing" is told from "unknown" among the unmatched.
    coded = f"""
        SELECT s.*, p.prior AS ref,
          CASE
            WHEN s.shape IS NOT NULL THEN 'shape'
            WHEN s.roster_id IS NULL THEN CASE WHEN s.employee_id = '' THEN 'missing_employee_id' ELSE 'unknown_employee' END
            WHEN s.rater_id = '' THEN 'missing_rater_id'
            WHEN s.item_pos IS NULL THEN CASE WHEN s.item_id = '' THEN 'missing_item_id' ELSE 'unknown_item' END
            WHEN s.rel IS NULL THEN CASE WHEN trim(s.relationship) = '' THEN 'missing_relationship' ELSE 'unknown_relationship' END
            WHEN s.rater_id = s.employee_id AND s.rel <> 'self' THEN 'self_not_marked'
            WHEN s.rel = 'self' AND s.rater_id <> s.employee_id THEN 'self_other_rater'
            WHEN {number} IS NULL AND trim(s.score) <> '' OR isinf({number}) THEN 'score_not_number'
            WHEN isnan({number}) OR {number} NOT BETWEEN {scale.minimum} AND {scale.maximum} THEN 'score_off_scale'
            WHEN p.prior IS NOT NULL THEN 'duplicate_stored'
          END AS code
        FROM ({resolved}) s
        {stored}
    """
    relationship, score = "trim(relationship)", "trim(score)"
    bad = {"unknown_employee": "employee_id", "unknown_item": "item_id", "unknown_relationship": relationship, "self_not_marked": relationship}
    # The raw relationship and score are not stored, and the item id is decoded from its number: dropped once `bad` has them.
    return _with_bad(coded, bad | {"score_not_number": score, "score_off_scale": score}, drop=("shape", "relationship", "score", "item_id", "roster_id"))


# ---------------------------------------------------------------- kpis

def _kpis(prefix: str, staging: Staging, layout: Layout, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
    stored = _stored("kpi_actuals", cycle_id, {"employee_id": "s.employee_id", "kpi_id": "k.value"}) if prior_data else _no_stored()
    not_number = "TRY_CAST({0} AS DOUBLE) IS NULL OR isnan(TRY_CAST({0} AS DOUBLE)) OR isinf(TRY_CAST({0} AS DOUBLE))"
    target = "coalesce(TRY_CAST(NULLIF(s.target, '') AS DOUBLE), rt.target, kt.target)"
    coded = f"""
        SELECT s.*, k.value AS kpi, TRY_CAST(s.actual AS DOUBLE) AS actual_value, {target} AS target_value, p.prior AS ref,
          CASE
            WHEN s.shape IS NOT NULL THEN 'shape'
            WHEN s.employee_id = '' THEN 'missing_employee_id'
            WHEN r.roster_id IS NULL THEN 'unknown_employee'
            WHEN s.kpi_id = '' THEN 'missing_kpi_id'
            WHEN k.value IS NULL THEN 'unknown_kpi'
            WHEN s.actual = '' THEN 'missing_actual'
            WHEN {not_number.format('s.actual')} THEN 'actual_not_number'
            WHEN s.target <> '' AND ({not_number.format('s.target')}) THEN 'target_not_number'
            WHEN {target} IS NULL THEN 'missing_target'
            WHEN {target} <= 0 THEN 'target_not_positive'
            WHEN p.prior IS NOT NULL THEN 'duplicate_stored'
          END AS code
        FROM ({_source(staging, layout)}) s
        {_roster_join(cycle_id)}
        LEFT JOIN {prefix}_map_kpi_id k ON k.raw = s.kpi_id
        LEFT JOIN {prefix}_role_targets rt ON rt.role_id = r.roster_role AND rt.kpi_id = k.value
        LEFT JOIN {prefix}_kpi_targets kt ON kt.kpi_id = k.value
        {stored}
    """
    bad = {
        "unknown_employee": "employee_id",
        "unknown_kpi": "kpi_id",
        "actual_not_number": "actual",
        "target_not_number": "target",
        "target_not_positive": "coalesce(NULLIF(target, ''), CAST(target_value AS VARCHAR))",
    }
    return _with_bad(coded, bad)


# ---------------------------------------------------------------- potential

def _potential(prefix: str, staging: Staging, layout: Layout, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
    stored = _stored("potential", cycle_id, {"employee_id": "s.employee_id"}) if prior_data else _no_stored()
    coded = f"""
        SELECT s.*, v.value AS level, p.prior AS ref,
          CASE
            WHEN s.shape IS NOT NULL THEN 'shape'
            WHEN s.employee_id = '' THEN 'missing_employee_id'
            WHEN r.roster_id IS NULL THEN 'unknown_employee'
            WHEN s.potential = '' THEN 'missing_potential'
            WHEN v.value IS NULL THEN 'unknown_potential'
            WHEN p.prior IS NOT NULL THEN 'duplicate_stored'
          END AS code
        FROM ({_source(staging, layout)}) s
        {_roster_join(cycle_id)}
        LEFT JOIN {prefix}_map_potential v ON v.raw = s.potential
        {stored}
    """
    return _with_bad(coded, {"unknown_employee": "employee_id", "unknown_potential": "potential"})
