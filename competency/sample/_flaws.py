"""The bad rows planted in the sample files, as an importer meets them in real exports.

A flaw either changes one row in place (the row stays where it was) or, for
duplicates, adds a copy right after the original (the copy is the bad row).
The rows are chosen by hash from disjoint slices, so that no row carries two
flaws. Each kind is planted once per 100,000 rows of its file, at least once.
For each file a relation `(key, kind, idx, copy)` names the rows (`Flaws`);
`copy` is 1 for an added duplicate, 0 otherwise.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import duckdb

from competency._sql import Relation, new_relation, quote_number
from competency.sample._files import PlantedFlaw
from competency.sample._sql import draw, text

ROWS_PER_FLAW = 100_000
NOT_NUMBERS = ("n/a", "待定", "—")
UNKNOWN_POTENTIAL = "very high"


@dataclass(frozen=True)
class Kind:
    name: str
    what: str
    relationships: tuple[str, ...] = ()  # for responses: the rater groups whose rows may carry it
    duplicate: bool = False


RESPONSE_KINDS = (
    Kind("unknown_employee", "an answer about an employee id that is not on the roster", ("manager", "peer", "direct_report")),
    Kind("score_out_of_range", "a score of 5 on the 1–4 scale", ("manager", "peer", "direct_report", "customer")),
    Kind("unknown_relationship", "the relationship typed `peers` instead of `peer`", ("peer",)),
    Kind("unknown_item", "an item id with a typo: no behaviour of the model", ("manager", "peer", "direct_report")),
    Kind("duplicate_answer", "the same answer given twice (rater, person and item repeated); the second copy is the bad row",
         ("manager", "peer", "direct_report", "customer"), duplicate=True),
    Kind("self_marked_peer", "a self-rating (rater = employee) marked `peer`", ("self",)),
)
KPI_KINDS = (
    Kind("unknown_employee", "a KPI figure for an employee id that is not on the roster"),
    Kind("unknown_kpi", "a KPI id with a typo: no KPI of the model"),
    Kind("non_numeric_actual", f"an actual that is no number ({', '.join(NOT_NUMBERS)})"),
)
POTENTIAL_KINDS = (Kind("unknown_potential", f"the potential `{UNKNOWN_POTENTIAL}`: not low, medium or high"),)
ROSTER_KINDS = (Kind("duplicate_employee", "an employee listed twice; the second copy is the bad row", duplicate=True),)


def misspell(identifier: str, known: set[str]) -> str:
    """The id with its last two letters swapped (or the last one dropped): a typo
    that is no known id."""
    for candidate in (identifier[:-2] + identifier[-1] + identifier[-2], identifier[:-1], identifier + "x"):
        if candidate and candidate != identifier and candidate not in known:
            return candidate
    return identifier + "_x"


def misspelt_kpi(kpi_ids: list[str]) -> str:
    """A SQL expression: the misspelling of the KPI id in column `k.kpi_id`."""
    known = set(kpi_ids)
    cases = " ".join(f"WHEN {text(kpi_id)} THEN {text(misspell(kpi_id, known))}" for kpi_id in kpi_ids)
    return f"CASE k.kpi_id {cases} ELSE k.kpi_id || 'x' END"


FLAW_COLUMNS = ("key", "kind", "idx", "copy")


@dataclass(frozen=True)
class Flaws:
    """The planted rows of each file."""

    roster: Relation
    responses: Relation
    kpis: Relation
    potential: Relation


def per_kind(rows: int) -> int:
    return max(1, rows // ROWS_PER_FLAW)


def _empty(con: duckdb.DuckDBPyConnection, stem: str) -> Relation:
    table = new_relation(stem, FLAW_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} (key BIGINT, kind VARCHAR, idx BIGINT, copy INTEGER)")
    return table


def _fill(con: duckdb.DuckDBPyConnection, stem: str, kinds: tuple[Kind, ...], source: Relation, key: str, slice_keys: tuple[str, ...],
          seed: int, count: int, where: dict[str, str] | None = None) -> Relation:
    """Pick `count` rows per kind from `source`, each kind from its own hash slice."""
    table = _empty(con, stem)
    for index, kind in enumerate(kinds):
        condition = f"{draw(seed, 'flaw_slice', *slice_keys)} % {quote_number(len(kinds))} = {quote_number(index)}"
        if where and kind.name in where:
            condition += f" AND {where[kind.name]}"
        picked = f"""
            SELECT {key} AS key, row_number() OVER (ORDER BY {draw(seed, 'flaw_pick', *slice_keys)}, {key}) - 1 AS idx
            FROM {source} WHERE {condition}
            ORDER BY {draw(seed, 'flaw_pick', *slice_keys)}, {key} LIMIT {quote_number(count)}
        """
        con.execute(f"INSERT INTO {table} SELECT key, {text(kind.name)}, idx, 1 FROM ({picked})")
        if kind.duplicate:  # the original stays a good row
            con.execute(f"INSERT INTO {table} SELECT key, NULL, idx, 0 FROM {table} WHERE kind = {text(kind.name)}")
        else:
            con.execute(f"UPDATE {table} SET copy = 0 WHERE kind = {text(kind.name)}")
    return table


def plant(con: duckdb.DuckDBPyConnection, seed: int, rows: dict[str, int], people: Relation, pairs: Relation, kpi_rows: Relation, items_on_form: int) -> Flaws:
    """Plant the flaws of the four files, given each file's rows before planting."""
    slot = f"CAST({draw(seed, 'flaw_slot', 'e', 'ord')} % {quote_number(items_on_form)} AS BIGINT)"
    where = {k.name: "rel IN (" + ", ".join(text(r) for r in k.relationships) + ")" for k in RESPONSE_KINDS}
    return Flaws(
        roster=_fill(con, "roster_flaws", ROSTER_KINDS, people, "num - 1", ("num",), seed, per_kind(rows["roster"]), {"duplicate_employee": "reports = 0"}),
        responses=_fill(con, "responses_flaws", RESPONSE_KINDS, pairs, f"p * {quote_number(items_on_form)} + {slot}", ("e", "ord"), seed, per_kind(rows["responses"]), where),
        kpis=_fill(con, "kpis_flaws", KPI_KINDS, kpi_rows, "key", ("e", "kpi_id"), seed, per_kind(rows["kpis"])),
        potential=_fill(con, "potential_flaws", POTENTIAL_KINDS, people, "num - 1", ("num",), seed, per_kind(rows["potential"])),
    )


def no_flaws(con: duckdb.DuckDBPyConnection) -> Flaws:
    return Flaws(*(_empty(con, f"{name}_flaws") for name in ("roster", "responses", "kpis", "potential")))


def planted(con: duckdb.DuckDBPyConnection, flaws: Relation, file: str, kinds: tuple[Kind, ...]) -> tuple[PlantedFlaw, ...]:
    """The flaws of one file with their row numbers (header = row 1; a row's
    number moves down by the duplicates planted before it)."""
    rows = con.execute(f"SELECT key, kind FROM {flaws} WHERE kind IS NOT NULL ORDER BY key").fetchall()
    duplicated = sorted(key for key, kind in rows if any(k.duplicate and k.name == kind for k in kinds))
    found = []
    for kind in kinds:
        keys = [key for key, name in rows if name == kind.name]
        numbers = tuple(sorted(2 + key + bisect_left(duplicated, key) + (1 if kind.duplicate else 0) for key in keys))
        if numbers:
            found.append(PlantedFlaw(file, kind.name, kind.what, numbers))
    return tuple(found)
