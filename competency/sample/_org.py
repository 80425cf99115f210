"""The sales force: regional managers → supervisors → representatives.

Built as the relation `people` (with the `offices` they work in) in one pass
of set-based SQL. Teams are laid out one
regional unit after another (the regional manager, then each supervisor
followed by their representatives), so employee numbers follow the hierarchy;
the organisation is cut off after `employees` people.

Columns of `people`: num (employee number, from 1), role, mgr (the manager's
num, NULL for regional managers), unit (regional unit), sup (supervisor index,
NULL for regional managers), team (the manager's num, 0 for the regional
managers, who are peers of one another), k (place in the team, from 0),
team_size, reports, region, department, office (0..24), lenient, skew, the
latent draws ability / self_bias / drive, gender, name, hire_date.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency._sql import Relation, drop, new_relation, quote_number
from competency.sample import _vocab
from competency.sample._sql import normal, pick, text_list, uniform

REP, SUP, RM = "sales_representative", "sales_supervisor", "regional_sales_manager"

# Team sizes: 6–10 representatives per supervisor, a few small teams of 2–3
# (so that anonymity rules meet small groups); 4–8 supervisors per region unit.
SMALL_TEAM_SHARE = 0.06
LENIENT_SHARE = 0.05
STAR_OFFICE_SHARE = 0.1
TOUGH_OFFICE_SHARE = 0.08
# How much an office's people stand out (on the 1–4 scale).
STAR_EFFECT, TOUGH_EFFECT, OFFICE_SPREAD = 0.45, -0.4, 0.08
REFERENCE_DATE = "2026-06-30"

PEOPLE_COLUMNS = (
    "num", "role", "unit", "sup", "mgr", "team", "office", "department", "skew", "office_effect", "k", "team_size", "female",
    "reports", "region", "lenient", "ability", "self_bias", "drive", "gender", "name", "hire_date",
)  # fmt: skip
OFFICE_COLUMNS = ("office", "department", "skew")


@dataclass(frozen=True)
class Organisation:
    """The people of the sales force and the 25 offices they work in."""

    people: Relation
    offices: Relation


def build_people(con: duckdb.DuckDBPyConnection, employees: int, seed: int) -> Organisation:
    """The first `employees` people of the organisation, and its offices."""
    slots = _slots(con, employees // 13 + 2, seed)  # a unit has at least 1 + 4 × (1 + 2) people
    base = new_relation("people_base", ("num", "role", "unit", "sup", "mgr", "team", "office"))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {base} AS
        SELECT pos + 1 AS num, role, unit, sup, mgr_pos + 1 AS mgr, coalesce(mgr_pos + 1, 0) AS team,
               (unit % 5) * 5 + CASE WHEN role = '{RM}' THEN 0 ELSE {pick(seed, 'office', 5, 'sup')} END AS office
        FROM {slots} WHERE pos < {quote_number(employees)}
    """)
    offices = _offices(con, base, seed)
    people = _people(con, base, offices, seed)
    drop(con, slots, base)
    return Organisation(people.check(con), offices.check(con))


def _slots(con: duckdb.DuckDBPyConnection, units: int, seed: int) -> Relation:
    """Every place in the hierarchy in file order (`pos`), with its role, unit,
    supervisor and the place of its manager."""
    supervisors = units * 8
    s = seed
    unit_plan = new_relation("unit_plan", ("u", "size", "first_sup"))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {unit_plan} AS
        SELECT u, size, sum(size) OVER (ORDER BY u ROWS UNBOUNDED PRECEDING) - size AS first_sup
        FROM (SELECT range AS u, 4 + {pick(s, 'unit_size', 5, 'range')} AS size FROM range(0, {quote_number(units)}))
    """)
    sup_plan = new_relation("sup_plan", ("sup", "team", "before"))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {sup_plan} AS
        SELECT sup, team, sum(1 + team) OVER (ORDER BY sup ROWS UNBOUNDED PRECEDING) - (1 + team) AS before
        FROM (
            SELECT range AS sup,
                   CASE WHEN {uniform(s, 'small_team', 'range')} < {SMALL_TEAM_SHARE}
                        THEN 2 + {pick(s, 'small_size', 2, 'range')}
                        ELSE 6 + {pick(s, 'team_size', 5, 'range')} END AS team
            FROM range(0, {quote_number(supervisors)})
        )
    """)
    # A supervisor's place: the unit heads up to and including their own, plus
    # every earlier supervisor with their team.
    slots = new_relation("slots", ("pos", "role", "unit", "sup", "mgr_pos"))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {slots} AS
        WITH sups AS (
            SELECT p.sup, p.team, u.u, u.u + 1 + p.before AS pos
            FROM {unit_plan} u JOIN range(0, 8) t(j) ON t.j < u.size JOIN {sup_plan} p ON p.sup = u.first_sup + t.j
        ),
        heads AS (
            SELECT u.u, u.u + p.before AS pos FROM {unit_plan} u JOIN {sup_plan} p ON p.sup = u.first_sup
        )
        SELECT pos, '{RM}' AS role, u AS unit, NULL::BIGINT AS sup, NULL::BIGINT AS mgr_pos FROM heads
        UNION ALL
        SELECT s.pos, '{SUP}', s.u, s.sup, h.pos FROM sups s JOIN heads h USING (u)
        UNION ALL
        SELECT s.pos + 1 + t.k, '{REP}', s.u, s.sup, s.pos FROM sups s JOIN range(0, 10) t(k) ON t.k < s.team
    """)
    drop(con, unit_plan, sup_plan)
    return slots


def _offices(con: duckdb.DuckDBPyConnection, base: Relation, seed: int) -> Relation:
    """Offices that stand out: a few shine (most people rated high), a few are
    tough; the office of the first supervisor always shines, so that even a
    small organisation has a department off any rating guideline."""
    offices = new_relation("offices", OFFICE_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {offices} AS
        WITH o AS (
            SELECT range AS office, {uniform(seed, 'office_class', 'range')} AS x, {normal(seed, 'office_effect', 'range')} AS z
            FROM range(0, 25)
        )
        SELECT office, {text_list(_vocab.departments())}[office + 1] AS department,
               CASE WHEN x < {STAR_OFFICE_SHARE} OR office = (SELECT office FROM {base} WHERE sup = 0 LIMIT 1) THEN 'high'
                    WHEN x < {STAR_OFFICE_SHARE + TOUGH_OFFICE_SHARE} THEN 'low' END AS skew
        FROM o
    """)
    return offices


def _people(con: duckdb.DuckDBPyConnection, base: Relation, offices: Relation, seed: int) -> Relation:
    """Each person's team, office, latent draws, name and hire date."""
    s = seed
    # A few managers are lenient with their whole team; the first supervisor of
    # an ordinary office with five reports or more always is.
    first_lenient = f"""
        SELECT min(b.num) FROM {base} b JOIN {offices} o USING (office)
        WHERE b.role = '{SUP}' AND o.skew IS NULL
          AND b.num IN (SELECT mgr FROM {base} WHERE mgr IS NOT NULL GROUP BY mgr HAVING count(*) >= 5)
    """
    first_names = text_list(_vocab.GIVEN_FIRST)
    people = new_relation("people", PEOPLE_COLUMNS)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {people} AS
        WITH p AS (
            SELECT b.*, o.department, o.skew,
                   CASE o.skew WHEN 'high' THEN {STAR_EFFECT} WHEN 'low' THEN {TOUGH_EFFECT}
                        ELSE {OFFICE_SPREAD} * {normal(s, 'office_effect', 'b.office')} END AS office_effect,
                   row_number() OVER (PARTITION BY b.team ORDER BY b.num) - 1 AS k,
                   count(*) OVER (PARTITION BY b.team) AS team_size,
                   {uniform(s, 'gender', 'b.num')} < 0.42 AS female
            FROM {base} b JOIN {offices} o USING (office)
        )
        SELECT p.*,
               coalesce(r.reports, 0) AS reports,
               {text_list(_vocab.REGIONS)}[unit % 5 + 1] AS region,
               role <> '{REP}' AND ({uniform(s, 'lenient', 'num')} < {LENIENT_SHARE} OR num = ({first_lenient})) AS lenient,
               {normal(s, 'ability', 'num')} AS ability,
               {normal(s, 'self_bias', 'num')} AS self_bias,
               {normal(s, 'drive', 'num')} AS drive,
               CASE WHEN female THEN 'F' ELSE 'M' END AS gender,
               {text_list(_vocab.SURNAMES)}[{pick(s, 'surname', len(_vocab.SURNAMES), 'num')} + 1]
                 || CASE WHEN {uniform(s, 'two_char', 'num')} < 0.7
                         THEN {first_names}[{pick(s, 'given1', len(_vocab.GIVEN_FIRST), 'num')} + 1] ELSE '' END
                 || CASE WHEN female
                         THEN {text_list(_vocab.GIVEN_FEMALE)}[{pick(s, 'given2', len(_vocab.GIVEN_FEMALE), 'num')} + 1]
                         ELSE {text_list(_vocab.GIVEN_MALE)}[{pick(s, 'given2', len(_vocab.GIVEN_MALE), 'num')} + 1] END AS name,
               DATE '{REFERENCE_DATE}' - CAST(CASE role
                   WHEN '{REP}' THEN 60 + {pick(s, 'tenure', 2100, 'num')}
                   WHEN '{SUP}' THEN 1000 + {pick(s, 'tenure', 3000, 'num')}
                   ELSE 2200 + {pick(s, 'tenure', 4000, 'num')} END AS INTEGER) AS hire_date
        FROM p LEFT JOIN (SELECT mgr AS num, count(*) AS reports FROM {base} WHERE mgr IS NOT NULL GROUP BY mgr) r USING (num)
    """)
    return people
