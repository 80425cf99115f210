"""360 answers: who rates whom (the relation `pairs`) and every answer (a query).

A person is rated by themself, their manager, up to three peers (others with
the same manager), up to three of their direct reports and, for some
supervisors, one to three customers. A few peers and direct reports do not
answer, which leaves some small rater groups.

Scores: each person has a latent level per competency (general ability, the
office they work in, a profile per competency); each rater adds a leniency of
their own (a few managers are lenient with their whole team), self-ratings are
inflated on average by a personal amount (so blind spots exist), every answer
adds noise; the result is rounded and clipped to 1..4. About 5 % of answers
are blank ("cannot rate").
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency._sql import Relation, create_table, drop, new_relation, quote_number
from competency.files.bundle import ModelBundle
from competency.sample import _vocab
from competency.sample._flaws import misspell
from competency.sample._org import REP, RM, SUP
from competency.sample._sql import bits, normal, normal_of, pick, text, text_list, uniform

# Rater order within a person: self, manager, peers, direct reports, customers.
SELF, MANAGER, FIRST_PEER, FIRST_REPORT, FIRST_CUSTOMER = 0, 1, 2, 5, 8
GROUP_SIZE = 3
NO_ANSWER_SHARE = 0.07
CUSTOMER_SHARE = 0.3

CENTRE = 2.85
ROLE_OFFSET = {REP: 0.0, SUP: 0.1, RM: 0.2}
ABILITY_WEIGHT, PROFILE_WEIGHT, NOISE_WEIGHT = 0.42, 0.28, 1.1
RELATIONSHIP_BIAS = {"self": 0.3, "manager": 0.0, "peer": 0.05, "direct_report": 0.1, "customer": 0.15}
SELF_BIAS_SPREAD, LENIENCY_SPREAD, HALO_SPREAD, ITEM_SPREAD = 0.35, 0.18, 0.15, 0.12
LENIENT_AS_MANAGER, LENIENT_OTHERWISE = 1.1, 0.25
BLANK_SHARE = {"self": 0.01, "manager": 0.02, "peer": 0.06, "direct_report": 0.06, "customer": 0.15}
COMMENT_SHARE = 0.015

ITEM_COLUMNS = ("slot", "item_id", "competency", "typo", "item_offset")
PAIR_COLUMNS = ("p", "e", "ord", "rel", "rater", "cust", "mean", "blank_below")
ANSWER_COLUMNS = ("key", "e", "ord", "rel", "rater", "cust", "slot", "score", "comment")


@dataclass(frozen=True)
class Item:
    slot: int  # place on the survey form
    item_id: str
    competency: int
    typo: str  # a misspelling that is no item id, for the planted flaws


def survey_items(bundle: ModelBundle, items_per_rater: int | None) -> list[Item]:
    """The behaviours every rater answers, in model order. With a cap, the form
    takes the competencies' first behaviours, then their second ones, and so on,
    so that every competency stays on it."""
    competencies = bundle.model.competencies
    ranked = sorted(
        ((b_index, c_index, behaviour.id) for c_index, c in enumerate(competencies) for b_index, behaviour in enumerate(c.behaviors)),
    )
    if items_per_rater is not None:
        if items_per_rater < 1:
            raise ValueError(f"items_per_rater must be at least 1, not {items_per_rater}")
        ranked = ranked[:items_per_rater]
    chosen = {item_id for _, _, item_id in ranked}
    known = {b.id for c in competencies for b in c.behaviors}
    on_form = [(c_index, b.id) for c_index, c in enumerate(competencies) for b in c.behaviors if b.id in chosen]
    return [Item(slot, item_id, c_index, misspell(item_id, known)) for slot, (c_index, item_id) in enumerate(on_form)]


def build_items(con: duckdb.DuckDBPyConnection, items: list[Item], seed: int) -> Relation:
    """The survey form: each item's place, id, competency (its number), typo and offset."""
    form = new_relation("form", ITEM_COLUMNS[:4])
    create_table(con, form.name, "slot INTEGER, item_id VARCHAR, competency INTEGER, typo VARCHAR", [(i.slot, i.item_id, i.competency, i.typo) for i in items])
    table = new_relation("items", ITEM_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {table} AS
        SELECT slot, item_id, competency, typo, {ITEM_SPREAD} * {normal(seed, 'item', 'item_id')} AS item_offset FROM {form}
    """)
    drop(con, form)
    return table.check(con)


def build_pairs(con: duckdb.DuckDBPyConnection, seed: int, people: Relation) -> Relation:
    """One row per person and rater, numbered densely (`p`) in file order, with the
    rater's mean score for the person and the share of answers left blank."""
    pair_list = _pair_list(con, seed, people)
    role_offset = " ".join(f"WHEN {text(role)} THEN {offset}" for role, offset in ROLE_OFFSET.items())
    rel_bias = " ".join(f"WHEN {text(rel)} THEN {bias}" for rel, bias in RELATIONSHIP_BIAS.items())
    blank = " ".join(f"WHEN {text(rel)} THEN {share}" for rel, share in BLANK_SHARE.items())
    s = seed
    pairs = new_relation("pairs", PAIR_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {pairs} AS
        SELECT row_number() OVER (ORDER BY l.e, l.ord) - 1 AS p, l.e, l.ord, l.rel, l.rater, l.cust,
               {CENTRE} + (CASE e.role {role_offset} END) + e.office_effect + {ABILITY_WEIGHT} * e.ability
               + (CASE l.rel {rel_bias} END)
               + CASE WHEN l.rel = 'self' THEN {SELF_BIAS_SPREAD} * e.self_bias ELSE 0 END
               + CASE WHEN l.cust IS NOT NULL THEN {LENIENCY_SPREAD} * {normal(s, 'customer_leniency', 'l.cust')}
                      WHEN l.rel = 'self' THEN 0
                      ELSE {LENIENCY_SPREAD} * {normal(s, 'leniency', 'l.rater')}
                           + CASE WHEN r.lenient THEN (CASE WHEN l.rel = 'manager' THEN {LENIENT_AS_MANAGER} ELSE {LENIENT_OTHERWISE} END)
                                  ELSE 0 END END
               + {HALO_SPREAD} * {normal(s, 'halo', 'l.e', 'l.ord')} AS mean,
               CAST(round((CASE l.rel {blank} END) * 1024) AS BIGINT) AS blank_below
        FROM {pair_list} l JOIN {people} e ON e.num = l.e LEFT JOIN {people} r ON r.num = l.rater
    """)
    drop(con, pair_list)
    return pairs.check(con)


def _pair_list(con: duckdb.DuckDBPyConnection, seed: int, people: Relation) -> Relation:
    """Who rates whom: the person (e), the rater's place among the person's raters
    (ord), the relationship, and the rater (a person's number, or a customer's)."""
    s = seed
    answers = f"{uniform(s, 'answers', 'e.num', 'q.num')} >= {NO_ANSWER_SHARE}"
    pair_list = new_relation("pair_list", ("e", "ord", "rel", "rater", "cust"))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {pair_list} AS
        SELECT num AS e, {SELF} AS ord, 'self' AS rel, num AS rater, NULL::BIGINT AS cust FROM {people}
        UNION ALL
        SELECT num, {MANAGER}, 'manager', mgr, NULL FROM {people} WHERE mgr IS NOT NULL
        UNION ALL
        SELECT e.num, {FIRST_PEER} + t.j - 1, 'peer', q.num, NULL
        FROM {people} e JOIN range(1, {GROUP_SIZE + 1}) t(j) ON t.j < e.team_size
        JOIN {people} q ON q.team = e.team AND q.k = (e.k + t.j) % e.team_size
        WHERE {answers}
        UNION ALL
        SELECT e.num, {FIRST_REPORT} + (q.k - e.start + q.team_size) % q.team_size, 'direct_report', q.num, NULL
        FROM (SELECT *, {_report_start(s)} AS start FROM {people} WHERE reports > 0) e
        JOIN {people} q ON q.mgr = e.num
        WHERE (q.k - e.start + q.team_size) % q.team_size < {GROUP_SIZE} AND {answers}
        UNION ALL
        SELECT e.num, {FIRST_CUSTOMER} + t.j, 'customer', NULL, e.sup * {GROUP_SIZE} + t.j + 1
        FROM {people} e JOIN range(0, {GROUP_SIZE}) t(j) ON t.j <= {pick(s, 'customers', GROUP_SIZE, 'e.num')}
        WHERE e.role = '{SUP}' AND {uniform(s, 'has_customers', 'e.num')} < {CUSTOMER_SHARE}
    """)
    return pair_list


def _report_start(seed: int) -> str:
    """Where a manager's choice of three direct reports starts among their reports."""
    return f"CAST(hash({quote_number(int(seed))}::BIGINT, 'report_start', num) % reports AS BIGINT)"


def answers_query(seed: int, pairs: Relation, items: Relation, items_on_form: int, numbers: range) -> str:
    """The answers of the pairs numbered `numbers`, keyed densely in file order:
    key = p × items + slot. Columns (`ANSWER_COLUMNS`): key, e, ord, rel, rater,
    cust, slot (the item's place on the form), score, comment."""
    s = seed
    h = "h_answer"
    noise = f"((({h} & 1048575) + (({h} >> 20) & 1048575)) / 1048576.0 - 1.0)"
    tone = f"{bits(h, 60, 4)}"

    def comment_from(options: tuple[str, ...]) -> str:
        return f"{text_list(options)}[{tone} % {len(options)} + 1]"

    return f"""
        WITH raw AS (
            SELECT pr.p * {quote_number(items_on_form)} + it.slot AS key, pr.e, pr.ord, pr.rel, pr.rater, pr.cust, it.slot,
                   pr.mean + it.item_offset AS mean, pr.blank_below,
                   hash({quote_number(int(s))}::BIGINT, 'profile', pr.e, it.competency) AS h_profile,
                   hash({quote_number(int(s))}::BIGINT, 'answer', pr.e, pr.ord, it.slot) AS {h}
            FROM {pairs} pr CROSS JOIN {items} it
            WHERE pr.p >= {quote_number(numbers.start)} AND pr.p < {quote_number(numbers.stop)}
        ),
        scored AS (
            SELECT key, e, ord, rel, rater, cust, slot, {h},
                   CASE WHEN {bits(h, 40, 10)} < blank_below THEN NULL
                        ELSE CAST(least(4, greatest(1, round(
                            mean + {PROFILE_WEIGHT} * {normal_of('h_profile')} + {NOISE_WEIGHT} * {noise}))) AS INTEGER)
                   END AS score
            FROM raw
        )
        SELECT key, e, ord, rel, rater, cust, slot, score,
               CASE WHEN score IS NULL OR rel = 'self' OR {bits(h, 50, 10)} >= {round(COMMENT_SHARE * 1024)} THEN NULL
                    WHEN score >= 4 THEN {comment_from(_vocab.COMMENTS_HIGH)}
                    WHEN score <= 2 THEN {comment_from(_vocab.COMMENTS_LOW)}
                    ELSE {comment_from(_vocab.COMMENTS_MIDDLE)} END AS comment
        FROM scored
    """
