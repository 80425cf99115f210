"""The words of each rejection reason, made in SQL from the checked rows.

A reason reads `<label>: <detail>`; the label alone (the text before the
first ': ') is what the summary counts, so it never holds a value that varies
from row to row. No reason ever holds a rater id: rater ids are only in the
stored raw row and the analyst's rejects file (anonymity of 360 feedback).
"""

from __future__ import annotations

from competency._sql import quote_text
from competency.files.bundle import ModelBundle


def quoted(column: str) -> str:
    """A value in single quotes, cut to 40 characters, as SQL."""
    return f"'''' || CASE WHEN length({column}) > 40 THEN left({column}, 37) || '…' ELSE {column} END || ''''"


def _with_hint(label: str) -> str:
    return f"{quote_text(label + ': ')} || {quoted('c.bad')} || coalesce('; ' || h.hint, '')"


_DUPLICATE_IN_FILE = {
    "roster": "'duplicate employee_id: ' || {bad} || ' is also on row ' || c.ref",
    "responses": "'duplicate answer: same rater, employee and item as row ' || c.ref",
    "kpis": "'duplicate KPI figure: same employee and KPI as row ' || c.ref",
    "potential": "'duplicate potential: same employee as row ' || c.ref",
}
_DUPLICATE_STORED = {
    "responses": "'duplicate answer: same rater, employee and item already imported (import ' || c.ref || ')'",
    "kpis": "'duplicate KPI figure: same employee and KPI already imported (import ' || c.ref || ')'",
    "potential": "'duplicate potential: same employee already imported (import ' || c.ref || ')'",
}


def reason_sql(kind: str, cycle_id: str, bundle: ModelBundle, *, wide: bool) -> str:
    """A SQL expression over `c` (checked rows) and `h` (hints) giving the reason text."""
    scale = bundle.model.scale
    column = " || ' (column ' || " + quoted("c.label") + " || ')'" if wide else ""
    cases = {
        "shape": "c.bad",
        "missing_employee_id": "'missing employee_id'",
        "unknown_employee": f"'unknown employee: ' || {quoted('c.bad')} || {quote_text(f' is not in the roster of cycle {cycle_id}')} || coalesce('; ' || h.hint, '')",
        "missing_role": "'missing role'",
        "unknown_role": _with_hint("unknown role"),
        "own_manager": "'manager loop: manager_id is the employee''s own id'",
        "unknown_manager": f"'unknown manager: manager_id ' || {quoted('c.bad')} || ' is not in the roster'",
        "manager_rejected": f"'manager rejected: the row of manager ' || {quoted('c.bad')} || ' (row ' || c.ref || ') is rejected'",
        "manager_loop": f"'manager loop: the managers above, from manager_id ' || {quoted('c.bad')} || ', run in a circle'",
        "missing_rater_id": "'missing rater_id'",
        "missing_item_id": "'missing item_id'",
        "unknown_item": _with_hint("unknown item"),
        "missing_relationship": "'missing relationship'",
        "unknown_relationship": _with_hint("unknown relationship"),
        "self_not_marked": f"'self-rating not marked self: the rater is the employee, but the relationship is ' || {quoted('c.bad')}",
        "self_other_rater": "'self with another rater: the relationship is ''self'' but the rater is not the employee'",
        "score_not_number": f"'score not a number: ' || {quoted('c.bad')}{column}",
        "score_off_scale": f"'score off the scale: ' || c.bad || {quote_text(f' is outside {scale.minimum}..{scale.maximum}')}{column}",
        "missing_kpi_id": "'missing kpi_id'",
        "unknown_kpi": _with_hint("unknown KPI"),
        "missing_actual": "'missing actual'",
        "actual_not_number": f"'actual not a number: ' || {quoted('c.bad')}",
        "target_not_number": f"'target not a number: ' || {quoted('c.bad')}",
        "missing_target": "'missing target for a KPI that has no default'",
        "target_not_positive": "'target not above 0: ' || c.bad",
        "missing_potential": "'missing potential'",
        "unknown_potential": _with_hint("unknown potential"),
        "duplicate_in_file": _DUPLICATE_IN_FILE[kind].format(bad=quoted("c.bad")),
    }
    if kind in _DUPLICATE_STORED:
        cases["duplicate_stored"] = _DUPLICATE_STORED[kind]
    whens = "\n".join(f"WHEN {quote_text(code)} THEN {text}" for code, text in cases.items())
    return f"CASE c.code {whens} END"


def label_sql(reason: str) -> str:
    """The summary label of a reason: the text before the first ': '."""
    return f"split_part({reason}, ': ', 1)"
