"""Plans for everyone at once, over tables.

`build_plans` reads a scored cycle (roster, `final_results`, competency
scores, behaviour scores) and hands back `PlanTables`, one temp relation per
stored plan table, made one statement per step and no Python loop over people:

1. `people.planned_people` — who, their final rating, each competency's score,
   self score, level, gap, blind spot and hidden strength; the development
   decisions (rule language, compiled to SQL) set the plan type and focus count;
2. `focus.choose_focus`   — focus competencies from the sources the plan type
   lists, the first N;
3. `focus.focus_behaviours`, `focus.insights` — the weakest behaviours of each
   focus; strengths, strongest behaviours, hidden strengths and blind spots;
4. `selection.assign_actions` — actions from the library, mixed by type;
5. `partners.choose_partners` — the manager and a colleague at the rules' level;
6. the plan rows themselves, with the period they run in and, when the focus
   is shorter than decided, why.

The store then replaces the cycle's plans with them (`competency.store.plans`,
in the caller's transaction). Nothing here reads files, the clock or the environment.
"""

from __future__ import annotations

import duckdb

from competency._sql import Relation, drop, new_relation, relations
from competency.development.calendar import PlanPeriod
from competency.development.focus import behaviour_scores, choose_focus, focus_behaviours, insights
from competency.development.inputs import PlanInputs
from competency.development.lookups import load_lookups
from competency.development.partners import choose_partners
from competency.development.people import Planned, planned_people
from competency.development.selection import assign_actions
from competency.development.tables import PLAN_COLUMNS, PlanTables
from competency.publication import gate
from competency.scoring.config import ScoringConfig


def _plan_rows(db: duckdb.DuckDBPyConnection, planned: Planned, focus: Relation, period: PlanPeriod, review_month: int) -> Relation:
    """One plan per person: its type, focus count, period, and the reason code when the focus is shorter than decided."""
    plans = new_relation("plan_rows", PLAN_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {plans} AS
        WITH counts AS (SELECT employee_id, count(*) AS n FROM {focus} GROUP BY ALL)
        SELECT p.employee_id, pl.plan_type, p.final_rating, p.role,
               CASE WHEN pl.plan_type = 'growth' THEN p.next_role END AS next_role, p.manager_id, pl.focus_count,
               CASE WHEN coalesce(c.n, 0) >= pl.focus_count THEN NULL
                    WHEN pl.focus_count = 0 THEN 'rules_no_focus'
                    WHEN i."person.scored" = 0 THEN 'not_scored'
                    WHEN i."person.below_top" = 0 THEN 'all_top'
                    WHEN coalesce(c.n, 0) = 0 THEN 'no_candidates'
                    ELSE 'fewer_candidates' END AS reason,
               $quarter AS quarter, $starts AS starts, $due AS due,
               CASE WHEN pl.plan_type = 'improvement' THEN $review END AS review_date,
               pl.decision
        FROM {planned.people} p JOIN {planned.decided} pl USING (employee_id) JOIN {planned.facts} i USING (employee_id)
        LEFT JOIN counts c USING (employee_id)
        """,
        {"quarter": period.quarter, "starts": period.starts, "due": period.due, "review": period.month_end(review_month)},
    )
    return plans.check(db)


def build_plans(db: duckdb.DuckDBPyConnection, cycle_id: str, inputs: PlanInputs, scoring: ScoringConfig, period: PlanPeriod) -> PlanTables:
    """Everyone's plan for `period`, as temp relations (see the module's docstring); the caller drops them."""
    lookups = load_lookups(db, inputs)
    planned = planned_people(db, cycle_id, inputs, lookups)
    focus = choose_focus(db, inputs, planned, lookups)
    # Everyone's behaviour scores (see scoring.behaviours): the focus competencies' weakest
    # behaviours and the other competencies' strongest.
    derived = gate.behaviours(db, cycle_id, inputs.bundle, scoring)
    items = behaviour_scores(db, derived, lookups)
    drop(db, *relations(derived))
    behaviours = focus_behaviours(db, inputs, items, focus)
    found = insights(db, inputs, planned, items, focus)
    actions = assign_actions(db, inputs, focus, behaviours)
    partners = choose_partners(db, inputs, planned, focus)
    plans = _plan_rows(db, planned, focus, period, inputs.rules.improvement.review_month)
    drop(db, items, *relations(planned), *relations(lookups))
    return PlanTables(plans, focus, behaviours, actions, partners, found)
