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


def _sheets(db: duckdb.DuckDBPyConnection, cycle_id: str, answers: str) -> int:
    """One pass over the answers: table `a_sheets`, one row per person × rater ×
    competency (an answer sheet) with the count and sum of its answers and, per
    item slot (the competency's items numbered 1…k), the answer given. Returns
    the most items any competency has."""
    db.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE a_items AS
        SELECT competency_id, item_id, row_number() OVER (PARTITION BY competency_id ORDER BY item_id) AS slot,
               count(*) OVER (PARTITION BY competency_id) AS k
        FROM (SELECT DISTINCT competency_id, item_id FROM {answers} WHERE cycle_id = $cycle)
        """,
        {"cycle": cycle_id},
    )
    slots = db.execute("SELECT coalesce(max(k), 0) FROM a_items").fetchone()[0]
    columns = "".join(f", sum(r.score) FILTER (WHERE i.slot = {j}) AS s{j}" for j in range(1, slots + 1))
    db.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE a_sheets AS
        SELECT r.employee_id, r.rater_id, r.relationship <> 'self' AS other, r.competency_id, any_value(i.k) AS k,
               count(r.score) AS answered, sum(r.score) AS total{columns}
        FROM {answers} r JOIN a_items i USING (competency_id, item_id)
        WHERE r.cycle_id = $cycle
        GROUP BY r.employee_id, r.rater_id, r.relationship, r.competency_id
        """,
        {"cycle": cycle_id},
    )
    return slots


def _icc_sums(db: duckdb.DuckDBPyConnection, answered_share: float) -> dict[str, tuple]:
    rows = db.execute(
        """
        WITH counted AS (
            SELECT competency_id, employee_id, total / answered AS x FROM a_sheets
            WHERE other AND answered > 0 AND answered >= $share * k - 1e-9
        ),
        g AS (SELECT competency_id, employee_id, count(*) AS n, sum(x) AS t, sum(x * x) AS q FROM counted GROUP BY ALL HAVING count(*) >= 2)
        SELECT competency_id, count(*), sum(n)::BIGINT, sum(n * n)::DOUBLE, sum(t), sum(t * t / n), sum(q) FROM g GROUP BY ALL
        """,
        {"share": answered_share},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _alpha_sums(db: duckdb.DuckDBPyConnection, slots: int) -> dict[str, tuple]:
    """Per competency over complete sheets: items, sheets, Σ item variances, variance of the sum."""
    item_variances = " + ".join(f"coalesce(var_samp(s{j}), 0)" for j in range(1, slots + 1)) or "0"
    rows = db.execute(
        f"""
        WITH items AS (SELECT DISTINCT competency_id, k FROM a_items),
        complete AS (
            SELECT competency_id, count(*) AS sheets, var_samp(total) AS total_variance, {item_variances} AS item_variances
            FROM a_sheets WHERE answered = k GROUP BY ALL
        )
        SELECT i.competency_id, i.k, coalesce(c.sheets, 0), c.item_variances, c.total_variance
        FROM items i LEFT JOIN complete c USING (competency_id)
        """
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def _rwg(db: duckdb.DuckDBPyConnection, slots: int, options: int) -> dict[str, tuple]:
    """Per competency: people with rwg(J), its median, and the share at or above the cut-off.
    Per person, s̄² is the mean over items (with two answers or more) of the non-self
    raters' variance on the item; J the number of such items."""
    variances = ", ".join(f"var_samp(s{j})" for j in range(1, slots + 1))
    rows = db.execute(
        f"""
        WITH per_person AS (
            SELECT competency_id, list_filter([{variances}], lambda v: v IS NOT NULL) AS v
            FROM a_sheets WHERE other GROUP BY employee_id, competency_id
        ),
        pc AS (SELECT competency_id, list_avg(v) / $sigma AS ratio, len(v) AS j FROM per_person WHERE len(v) > 0),
        rwg AS (SELECT competency_id, CASE WHEN ratio >= 1 THEN 0 ELSE j * (1 - ratio) / (j * (1 - ratio) + ratio) END AS r FROM pc)
        SELECT competency_id, count(*), median(r), avg(CASE WHEN r >= $cutoff THEN 1 ELSE 0 END) FROM rwg GROUP BY ALL
        """,
        {"sigma": uniform_null_variance(options), "cutoff": RWG_CUTOFF},
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def competency_agreement(
    db: duckdb.DuckDBPyConnection, cycle_id: str, competencies: list[str], answered_share: float, options: int, answers: str
) -> list[CompetencyAgreement]:
    """Agreement figures per competency, in the model's order (competencies without answers left out).

    `answers`: the table of answers measured, with the columns of `responses`; outputs
    pass the gate's published answers."""
    slots = _sheets(db, cycle_id, answers)
    icc, alpha, rwg = _icc_sums(db, answered_share), _alpha_sums(db, slots), _rwg(db, slots, options)
    db.execute("DROP TABLE IF EXISTS a_sheets; DROP TABLE IF EXISTS a_items")
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
