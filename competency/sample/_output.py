"""The SELECTs that spell out the four files, planted flaws applied, in file order."""

from __future__ import annotations

from dataclasses import dataclass

from competency._sql import Relation, quote_number
from competency.files.bundle import ModelBundle
from competency.sample import _flaws
from competency.sample._answers import Item
from competency.sample._kpis import potential_expression
from competency.sample._sql import padded_id, text, text_list


@dataclass(frozen=True)
class IdFormat:
    """How ids are written for an organisation of `employees` people."""

    employees: int

    @property
    def width(self) -> int:
        return max(6, len(str(self.employees)))

    def employee_id(self, number: str) -> str:
        return padded_id("E", number, self.width)

    def unknown_id(self, flaw_index: str) -> str:
        """An id past the roster's end: someone who is not (or no longer) on it."""
        return self.employee_id(f"{quote_number(self.employees)} + 1 + {flaw_index}")


def roster_query(ids: IdFormat, people: Relation, flaws: Relation) -> str:
    return f"""
        SELECT {ids.employee_id('p.num')} AS employee_id, p.name, p.role,
               CASE WHEN p.mgr IS NULL THEN NULL ELSE {ids.employee_id('p.mgr')} END AS manager_id,
               p.department, p.region, p.gender, p.hire_date
        FROM {people} p LEFT JOIN {flaws} f ON f.key = p.num - 1
        ORDER BY p.num, coalesce(f.copy, 0)
    """


def responses_query(ids: IdFormat, items: list[Item], answers: str, flaws: Relation) -> str:
    """The `answers` (a query of `answers_query`): sorted on numbers only (the
    cheaper sort), then spelled out."""
    return f"""
        SELECT CASE WHEN kind = 'unknown_employee' THEN {ids.unknown_id('idx')} ELSE {ids.employee_id('e')} END AS employee_id,
               CASE WHEN cust IS NOT NULL THEN {padded_id('C', 'cust', 6)} ELSE {ids.employee_id('rater')} END AS rater_id,
               CASE kind WHEN 'unknown_relationship' THEN 'peers' WHEN 'self_marked_peer' THEN 'peer' ELSE rel END AS relationship,
               CASE WHEN kind = 'unknown_item' THEN {text_list(i.typo for i in items)}[slot + 1]
                    ELSE {text_list(i.item_id for i in items)}[slot + 1] END AS item_id,
               CASE WHEN kind = 'score_out_of_range' THEN 5 ELSE score END AS score,
               comment
        FROM (
            SELECT a.key * 2 + coalesce(f.copy, 0) AS sort_key, a.e, a.rater, a.cust, a.rel, a.slot, a.score, a.comment, f.kind, f.idx
            FROM ({answers}) a LEFT JOIN {flaws} f ON f.key = a.key
            ORDER BY sort_key
        )
    """


def kpis_query(ids: IdFormat, bundle: ModelBundle, kpi_rows: Relation, flaws: Relation) -> str:
    misspelt = _flaws.misspelt_kpi([kpi.id for kpi in bundle.kpis.kpis])
    not_numbers = text_list(_flaws.NOT_NUMBERS)
    return f"""
        SELECT CASE WHEN f.kind = 'unknown_employee' THEN {ids.unknown_id('f.idx')} ELSE {ids.employee_id('k.e')} END AS employee_id,
               CASE WHEN f.kind = 'unknown_kpi' THEN {misspelt} ELSE k.kpi_id END AS kpi_id,
               CASE WHEN f.kind = 'non_numeric_actual' THEN {not_numbers}[f.idx % {len(_flaws.NOT_NUMBERS)} + 1]
                    ELSE k.actual END AS actual,
               k.target
        FROM {kpi_rows} k LEFT JOIN {flaws} f ON f.key = k.key
        ORDER BY k.key
    """


def potential_query(ids: IdFormat, seed: int, people: Relation, flaws: Relation) -> str:
    return f"""
        SELECT {ids.employee_id('p.num')} AS employee_id,
               CASE WHEN f.kind IS NOT NULL THEN {text(_flaws.UNKNOWN_POTENTIAL)} ELSE {potential_expression(seed)} END AS potential
        FROM {people} p LEFT JOIN {flaws} f ON f.key = p.num - 1
        ORDER BY p.num
    """
