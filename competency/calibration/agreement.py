"""Rater agreement per competency: ICC(1), ICC(1,k), Cronbach's alpha, rwg(J).

Which ICC. In 360 feedback each person is rated by their own manager, peers
and reports: raters differ from person to person and are not crossed with
them, so a rater's own severity cannot be separated from error. That is
Shrout & Fleiss's Case 1, the one-way random-effects model: ICC(1) is the
reliability of one rater, ICC(1,k) of the mean of the k raters a person has
(k = k0 of the unbalanced ANOVA). Data: each non-self rater's mean over the
competency's items (a rater counts after answering the scoring file's share
of them, as in scoring); people with fewer than two such raters are left out.

Cronbach's alpha: the internal consistency of a competency's items over every
answer sheet (person × rater, self included) that answered all of them.

rwg(J): per person × competency, the agreement of the non-self raters on the
J items against random answering over the scale's A options; reported as the
median and the share of people at or above 0.70 (the customary cut-off).

Only answers behind published figures are measured (`gate.stage_published_answers`:
counted raters of groups published themselves or in the pool), so a withheld
group's answers change no figure here; the workflow hands that table in.

The sums are DuckDB SQL: one pass over the answers builds the answer sheets
(person × rater × competency, with each item's answer in its slot), and the
three figures are aggregates of that table. The coefficients come from
`stats` (the same functions the published examples are tested against).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency._sql import Relation, drop, new_relation, quote_ident, quote_number
from competency.calibration.stats import alpha_from_variances, oneway_from_totals, uniform_null_variance

RWG_CUTOFF = 0.70


@dataclass(frozen=True)
class CompetencyAgreement:
    competency_id: str
    people: int  # people with two raters or more (ICC)
    ratings: int  # rater scores behind the ICC
    k0: float | None  # the ANOVA's mean raters per person
    icc1: float | None
    icc1k: float | None
    items: int
    sheets: int  # complete answer sheets behind alpha
    alpha: float | None
    rwg_people: int
    rwg_median: float | None
    rwg_agree_share: float | None  # share of people with rwg(J) >= 0.70


@dataclass(frozen=True)
class _Sheets:
    """The answer sheets of one measurement, as temp relations: `items` numbers each
    competency's items (competency_id, item_id, slot, k); `sheets` holds one row per
    person × rater × competency with the count and sum of its answers and, per item
    slot, the answer given (s1 … s{slots}); `slots` is the most items any competency has."""

    items: Relation
    sheets: Relation
    slots: int


def _sheets(db: duckdb.DuckDBPyConnection, cycle_id: str, answers: Relation) -> _Sheets:
    """One pass over the answers: number the items, then build the answer sheets."""
    items = new_relation("a_items", ("competency_id", "item_id", "slot", "k"))
    db.execute(
        f"""
        CREATE TEMP TABLE {items} AS
        SELECT competency_id, item_id, row_number() OVER (PARTITION BY competency_id ORDER BY item_id) AS slot,
               count(*) OVER (PARTITION BY competency_id) AS k
        FROM (SELECT DISTINCT competency_id, item_id FROM {answers} WHERE cycle_id = $cycle)
        """,
        {"cycle": cycle_id},
    )
    slots = db.execute(f"SELECT coalesce(max(k), 0) FROM {items}").fetchone()[0]
    slot_columns = tuple(f"s{j}" for j in range(1, slots + 1))
    sheets = new_relation("a_sheets", ("employee_id", "rater_id", "other", "competency_id", "k", "answered", "total", *slot_columns))
    columns = "".join(f", sum(r.score) FILTER (WHERE i.slot = {quote_number(j)}) AS {quote_ident(c)}" for j, c in enumerate(slot_columns, start=1))
    db.execute(
        f"""
        CREATE TEMP TABLE {sheets} AS
        SELECT r.employee_id, r.rater_id, r.relationship <> 'self' AS other, r.competency_id, any_value(i.k) AS k,
               count(r.score) AS answered, sum(r.score) AS total{columns}
        FROM {answers} r JOIN {items} i USING (competency_id, item_id)
        WHERE r.cycle_id = $cycle
        GROUP BY r.employee_id, r.rater_id, r.relationship, r.competency_id
        """,
        {"cycle": cycle_id},
    )
    return _Sheets(items.check(db), sheets.check(db), slots)


def _icc_sums(db: duckdb.DuckDBPyConnection, sheets: _Sheets, answered_share: float) -> dict[str, tuple]:
    rows = db.execute(
        f"""
        WITH counted AS (
            SELECT competency_id, employee_id, total / answered AS x FROM {sheets.sheets}
            WHERE other AND answered > 0 AND answered >= $share * k - 1e-9
        ),
        g AS (SELECT competency_id, employee_id, count(*) AS n, sum(x) AS t, sum(x * x) AS q FROM counted GROUP BY ALL HAVING count(*) >= 2)
        SELECT competency_id, count(*), sum(n)::BIGINT, sum(n * n)::DOUBLE, sum(t), sum(t * t / n), sum(q) FROM g GROUP BY ALL
        """,
        {"share": answered_share},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _slots(sheets: _Sheets) -> list[str]:
    """The item-slot columns of the sheets, quoted."""
    return [quote_ident(f"s{j}") for j in range(1, sheets.slots + 1)]


def _alpha_sums(db: duckdb.DuckDBPyConnection, sheets: _Sheets) -> dict[str, tuple]:
    """Per competency over complete sheets: items, sheets, Σ item variances, variance of the sum."""
    item_variances = " + ".join(f"coalesce(var_samp({s}), 0)" for s in _slots(sheets)) or "0"
    rows = db.execute(
        f"""
        WITH items AS (SELECT DISTINCT competency_id, k FROM {sheets.items}),
        complete AS (
            SELECT competency_id, count(*) AS sheets, var_samp(total) AS total_variance, {item_variances} AS item_variances
            FROM {sheets.sheets} WHERE answered = k GROUP BY ALL
        )
        SELECT i.competency_id, i.k, coalesce(c.sheets, 0), c.item_variances, c.total_variance
        FROM items i LEFT JOIN complete c USING (competency_id)
        """
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _rwg(db: duckdb.DuckDBPyConnection, sheets: _Sheets, options: int) -> dict[str, tuple]:
    """Per competency: people with rwg(J), its median, and the share at or above the cut-off.
    Per person, s̄² is the mean over items (with two answers or more) of the non-self
    raters' variance on the item; J the number of such items."""
    variances = ", ".join(f"var_samp({s})" for s in _slots(sheets))
    rows = db.execute(
        f"""
        WITH per_person AS (
            SELECT competency_id, list_filter([{variances}], lambda v: v IS NOT NULL) AS v
            FROM {sheets.sheets} WHERE other GROUP BY employee_id, competency_id
        ),
        pc AS (SELECT competency_id, list_avg(v) / $sigma AS ratio, len(v) AS j FROM per_person WHERE len(v) > 0),
        rwg AS (SELECT competency_id, CASE WHEN ratio >= 1 THEN 0 ELSE j * (1 - ratio) / (j * (1 - ratio) + ratio) END AS r FROM pc)
        SELECT competency_id, count(*), median(r), avg(CASE WHEN r >= $cutoff THEN 1 ELSE 0 END) FROM rwg GROUP BY ALL
        """,
        {"sigma": uniform_null_variance(options), "cutoff": RWG_CUTOFF},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def competency_agreement(
    db: duckdb.DuckDBPyConnection, cycle_id: str, competencies: list[str], answered_share: float, options: int, answers: Relation
) -> list[CompetencyAgreement]:
    """Agreement figures per competency, in the model's order (competencies without answers left out).

    `answers`: the answers measured (cycle_id, employee_id, rater_id, relationship, item_id,
    competency_id, score at least); outputs pass the gate's published answers."""
    staged = _sheets(db, cycle_id, answers)
    icc, alpha, rwg = _icc_sums(db, staged, answered_share), _alpha_sums(db, staged), _rwg(db, staged, options)
    drop(db, staged.sheets, staged.items)
    found = []
    for competency in [c for c in competencies if c in alpha] + sorted(set(alpha) - set(competencies)):
        targets, observations, n_squared, total, between, squares = icc.get(competency, (0, 0, 0.0, 0.0, 0.0, 0.0))
        oneway = oneway_from_totals(targets=targets, observations=observations, sum_n_squared=n_squared, total=total, between=between, squares=squares)
        items, sheets, item_variances, total_variance = alpha[competency]
        coefficient = alpha_from_variances(items, item_variances, total_variance) if sheets >= 2 and item_variances is not None else None
        rwg_people, rwg_median, rwg_share = rwg.get(competency, (0, None, None))
        found.append(
            CompetencyAgreement(
                competency,
                oneway.targets,
                oneway.observations,
                None if oneway.icc1 is None else oneway.k0,
                oneway.icc1,
                oneway.icc1k,
                items,
                sheets,
                coefficient,
                rwg_people,
                rwg_median,
                rwg_share,
            )
        )
    return found
