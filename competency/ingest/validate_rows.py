"""The row checks: every staged unit gets a reason code, or none.

A unit is a file row (for a wide responses file, one answer: a row × an item
column). `check_rows` returns a `Checked`:

- `coded`: every unit with its file `row_number`, the values to store, and
  `code` — NULL when the unit passes the row checks, else the first reason
  that applies (the order of each CASE below is the order in which reasons
  are reported) —, `bad` (the offending value, for the message and the
  did-you-mean hint) and `ref` (the row or earlier import a duplicate repeats);
- `rejected`: the rejected units, duplicates (`duplicates.py`) and, for a
  roster, broken chains of managers (`managers.py`) included;
- `accepted`: SQL for the units to store.

`coded` is materialised once: evaluating its joins costs more than reading
the table back (measured on 20 M answers: 4 s per evaluation, 6.4 s to write
it, under a second per pass over it). The reason texts are made from the
codes in `reasons.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency._sql import Relation, quote_number, quote_text
from competency.files.bundle import ModelBundle
from competency.domain import Scale
from competency.ingest.columns import KIND_COLUMNS, WIDE_REQUIRED
from competency.ingest.duplicates import reject
from competency.ingest.headers import Layout
from competency.ingest.lookups import Lookups, raw_sql
from competency.ingest.numbers import number_sql, score_sql
from competency.ingest.managers import check_managers
from competency.ingest.staging import Staging, temp_table


@dataclass(frozen=True)
class Checked:
    """The judged units of one import (see the module's docstring)."""

    coded: Relation
    rejected: Relation
    unit: tuple[str, ...]  # the columns naming one unit
    decode: str = ""  # a join giving back the values kept as numbers in `coded`

    @property
    def accepted(self) -> str:
        """SQL: the units to store."""
        return f"SELECT * FROM (SELECT c.* FROM {self.coded} c ANTI JOIN {self.rejected} USING ({', '.join(self.unit)}) WHERE c.code IS NULL) {self.decode}"


def check_rows(
    db: duckdb.DuckDBPyConnection, prefix: str, staging: Staging, layout: Layout, lookups: Lookups, cycle_id: str, bundle: ModelBundle, *, prior_data: bool
) -> Checked:
    """Judge every unit of the staged file. `prior_data`: the kind already has rows this cycle."""
    builders = {"roster": _roster, "responses": _responses, "kpis": _kpis, "potential": _potential}
    coded = temp_table(db, f"{prefix}_coded", builders[layout.kind](staging, layout, lookups, cycle_id, bundle, prior_data))
    # Answers keep their item as its number, not its id and competency: a table of
    # millions of answers is a third smaller, so it stays in memory.
    decode = f"JOIN {lookups.items} USING (item_pos)" if layout.kind == "responses" else ""
    rejected = reject(db, prefix, coded, layout.kind)
    checked = Checked(coded, rejected, ("row_number", "item_pos") if layout.wide else ("row_number",), decode)
    if layout.kind == "roster":
        check_managers(db, prefix, coded, rejected)
    return checked


def _shape(staging: Staging, layout: Layout) -> str:
    """SQL for a row's shape problem: the reader's, or too few fields to reach every column
    the file must have (missing optional columns at the end of a row are just empty).
    A short row whose values hold a line break is most likely rows joined by a stray
    quote that a later one closed, and is told so."""
    required = WIDE_REQUIRED if layout.wide else KIND_COLUMNS[layout.kind].required
    needed = [layout.columns[name] for name in required if name in layout.columns] + [index for index, _ in layout.items]
    if not needed:
        return staging.problem_sql
    values = " || ".join(f"coalesce({staging.column(i)}, '')" for i in range(len(staging.headers)))
    joined = quote_text(" (a quoted value runs over several lines here: is a quote missing or extra?)")
    why = f"CASE WHEN regexp_matches({values}, '[\\r\\n]') THEN {joined} ELSE ' (is the file cut short?)' END"
    short = f"'too few fields: ' || {staging.fields_sql} || {quote_text(f' of {len(staging.headers)}')} || {why}"
    return f"coalesce({staging.problem_sql}, CASE WHEN NOT ({staging.has_field(max(needed))}) THEN {short} END)"


def _source(staging: Staging, layout: Layout, extra: dict[str, str] | None = None, untrimmed: tuple[str, ...] = ()) -> str:
    """The staged rows with standard names; blank rows are left out (they are not data),
    unless the reader counts every row (JSON) or the row's shape is broken (fields past
    the header, an unclosed quote: a row that would otherwise vanish unreported).

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
    not_blank = f"({first} >= '!' AND {first} < chr(127)) OR {raw_sql(first)} <> '' OR trim({everything}) <> '' OR {staging.problem_sql} IS NOT NULL"
    where = "" if staging.every_row_counts else f" WHERE {not_blank}"
    return f"SELECT {', '.join(fields)} FROM {staging.table}{where}"


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


# ---------------------------------------------------------------- roster

def _roster(staging: Staging, layout: Layout, lookups: Lookups, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
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
        LEFT JOIN {lookups.maps['role']} m ON m.raw = s.role
    """
    return _with_bad(coded, {"unknown_role": "role"})


# ---------------------------------------------------------------- responses

# Matched as the file has them, and trimmed only where that finds nothing (see `_source`).
_EXACT_ANSWER_COLUMNS = ("employee_id", "relationship", "item_id", "score")


def _answers(staging: Staging, layout: Layout, lookups: Lookups) -> str:
    """SQL: one row per answer: a long file's rows, or a wide file's rows × item columns."""
    if not layout.wide:
        return f"SELECT *, NULL::VARCHAR AS label FROM ({_source(staging, layout, untrimmed=_EXACT_ANSWER_COLUMNS)})"
    items = {staging.column(index): raw_sql(staging.column(index)) for index, _ in layout.items}
    return f"""
        SELECT a.* EXCLUDE (col, cell, item_id, score, comment), w.item_id, a.cell AS score,
               CASE WHEN w.position = 1 THEN a.comment ELSE '' END AS comment, w.label
        FROM (UNPIVOT ({_source(staging, layout, items, _EXACT_ANSWER_COLUMNS)}) ON {', '.join(items)} INTO NAME col VALUE cell) a
        JOIN {lookups.wide} w ON w.col = a.col
    """


def _resolved(answers: str, lookups: Lookups, cycle_id: str, scale: Scale) -> str:
    """SQL: the answers with their person, item number, score and rater group found.

    The match on the value as given serves almost every row; the trimmed one (a second
    join, evaluated only where the first found nothing) forgives surrounding spaces. A
    matched value is already trimmed: roster ids and item ids are. The relationship map
    holds both spellings, so one join serves."""
    roster = _roster_ids(cycle_id)
    return f"""
        SELECT s.* EXCLUDE (employee_id, item_id),
               coalesce(r.roster_id, rt.roster_id) AS roster_id,
               CASE WHEN r.roster_id IS NOT NULL THEN s.employee_id ELSE trim(s.employee_id) END AS employee_id,
               coalesce(i.item_pos, it.item_pos) AS item_pos,
               CASE WHEN i.item_pos IS NOT NULL THEN s.item_id ELSE trim(s.item_id) END AS item_id,
               w.value AS rel
        FROM (SELECT *, {score_sql('score', scale)} AS score_value FROM ({answers})) s
        LEFT JOIN {roster} r ON r.roster_id = s.employee_id
        LEFT JOIN {roster} rt ON rt.roster_id = CASE WHEN r.roster_id IS NULL THEN trim(s.employee_id) END
        LEFT JOIN {lookups.items} i ON i.item_id = s.item_id
        LEFT JOIN {lookups.items} it ON it.item_id = CASE WHEN i.item_pos IS NULL THEN trim(s.item_id) END
        LEFT JOIN {lookups.maps['relationship']} w ON w.raw = s.relationship
    """


def _responses(staging: Staging, layout: Layout, lookups: Lookups, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
    scale = bundle.model.scale
    resolved = _resolved(_answers(staging, layout, lookups), lookups, cycle_id, scale)
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
            WHEN {number} IS NULL AND trim(s.score) <> '' THEN 'score_not_number'
            WHEN {number} NOT BETWEEN {quote_number(scale.minimum)} AND {quote_number(scale.maximum)} THEN 'score_off_scale'
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

def _kpis(staging: Staging, layout: Layout, lookups: Lookups, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
    stored = _stored("kpi_actuals", cycle_id, {"employee_id": "s.employee_id", "kpi_id": "k.value"}) if prior_data else _no_stored()
    target = f"coalesce({number_sql('s.target')}, rt.target, kt.target)"
    coded = f"""
        SELECT s.*, k.value AS kpi, {number_sql('s.actual')} AS actual_value, {target} AS target_value, p.prior AS ref,
          CASE
            WHEN s.shape IS NOT NULL THEN 'shape'
            WHEN s.employee_id = '' THEN 'missing_employee_id'
            WHEN r.roster_id IS NULL THEN 'unknown_employee'
            WHEN s.kpi_id = '' THEN 'missing_kpi_id'
            WHEN k.value IS NULL THEN 'unknown_kpi'
            WHEN s.actual = '' THEN 'missing_actual'
            WHEN {number_sql('s.actual')} IS NULL THEN 'actual_not_number'
            WHEN s.target <> '' AND {number_sql('s.target')} IS NULL THEN 'target_not_number'
            WHEN {target} IS NULL THEN 'missing_target'
            WHEN {target} <= 0 THEN 'target_not_positive'
            WHEN p.prior IS NOT NULL THEN 'duplicate_stored'
          END AS code
        FROM ({_source(staging, layout)}) s
        {_roster_join(cycle_id)}
        LEFT JOIN {lookups.maps['kpi_id']} k ON k.raw = s.kpi_id
        LEFT JOIN {lookups.role_targets} rt ON rt.role_id = r.roster_role AND rt.kpi_id = k.value
        LEFT JOIN {lookups.kpi_targets} kt ON kt.kpi_id = k.value
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

def _potential(staging: Staging, layout: Layout, lookups: Lookups, cycle_id: str, bundle: ModelBundle, prior_data: bool) -> str:
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
        LEFT JOIN {lookups.maps['potential']} v ON v.raw = s.potential
        {stored}
    """
    return _with_bad(coded, {"unknown_employee": "employee_id", "unknown_potential": "potential"})
