"""Who plans are made for, their competencies, and what the development decisions say.

The decisions are rule-language steps (compiled to SQL, run for everyone at
once) reading the names listed in `competency.development.decisions`; they set
the plan type and the focus count.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency._sql import Relation, new_relation, quote_ident, quote_number, quote_text
from competency.development.decisions import FOCUS_COUNT, PLAN_TYPE
from competency.development.inputs import PlanInputs
from competency.development.lookups import Lookups
from competency.publication import gate
from competency.rules import to_sql

PEOPLE_COLUMNS = (
    "employee_id", "role", "manager_id", "department", "region", "final_rating", "rating", "potential",
    "competency_index", "kpi_index", "ability", "performance", "next_role",
)
COMPETENCY_COLUMNS = (
    "employee_id", "competency_id", "score", "self_score", "level", "required", "gap", "weight", "pos",
    "blind_spot", "hidden_strength", "below_top",
)
DECIDED_COLUMNS = ("employee_id", "plan_type", "focus_count", "decision")

# The names the decisions read (besides competency.<id>): SQL over the people (p) and their counts (c).
_FACTS = (
    ("person.final_rating", "p.final_rating"),
    ("person.rating", "p.rating"),
    ("employee.potential", "p.potential"),
    ("employee.role", "p.role"),
    ("employee.department", "p.department"),
    ("employee.region", "p.region"),
    ("employee.id", "p.employee_id"),
    ("employee.manager_id", "p.manager_id"),
    ("score.competency_index", "p.competency_index"),
    ("score.kpi_index", "p.kpi_index"),
    ("score.ability", "p.ability"),
    ("score.performance", "p.performance"),
    ("person.gaps", "CAST(coalesce(c.gaps, 0) AS DOUBLE)"),
    ("person.blind_spots", "CAST(coalesce(c.blind_spots, 0) AS DOUBLE)"),
    ("person.below_top", "CAST(coalesce(c.below_top, 0) AS DOUBLE)"),
    ("person.scored", "CAST(coalesce(c.scored, 0) AS DOUBLE)"),
    ("person.has_next_role", "p.next_role IS NOT NULL"),
)


@dataclass(frozen=True)
class Planned:
    """The people of the cycle and the decisions about them, as temp relations."""

    people: Relation  # PEOPLE_COLUMNS: roster, final results and the next post
    competencies: Relation  # COMPETENCY_COLUMNS: scores, gaps, blind spots and hidden strengths
    facts: Relation  # employee_id and what the decisions read (person.*, employee.*, score.*, competency.*)
    decided: Relation  # DECIDED_COLUMNS: plan type, focus count, the decisions' row as JSON


def _people(db: duckdb.DuckDBPyConnection, cycle_id: str, lookups: Lookups) -> Relation:
    people = new_relation("planned_people", PEOPLE_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {people} AS
        SELECT r.employee_id, r.role, r.manager_id, r.department, r.region,
               f.final_rating, f.rating, f.potential, f.competency_index, f.kpi_index, f.ability, f.performance,
               ro.next_role
        FROM roster r
        LEFT JOIN final_results f ON f.cycle_id = r.cycle_id AND f.employee_id = r.employee_id
        LEFT JOIN {lookups.roles} ro ON ro.role = r.role
        WHERE r.cycle_id = $cycle
        """,
        {"cycle": cycle_id},
    )
    return people.check(db)


def _competencies(db: duckdb.DuckDBPyConnection, cycle_id: str, inputs: PlanInputs, lookups: Lookups) -> Relation:
    """Each person's competency scores with the self-view flags, by the development rules' thresholds."""
    thresholds = inputs.rules.blind_spots
    blind_spot, hidden_strength = gate.self_view_sql("s.score", "s.self_score", thresholds.gap, thresholds.hidden_strength_gap)
    competencies = new_relation("planned_competencies", COMPETENCY_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {competencies} AS
        SELECT s.employee_id, s.competency_id, s.score, s.self_score, s.level, s.required, s.gap,
               coalesce(s.weight, 0) AS weight, d.pos,
               {blind_spot} AS blind_spot,
               {hidden_strength} AS hidden_strength,
               s.level IS NOT NULL AND s.level < {quote_number(inputs.bundle.model.scale.maximum)} AS below_top
        FROM competency_scores s JOIN {lookups.competencies} d USING (competency_id)
        WHERE s.cycle_id = $cycle
        """,
        {"cycle": cycle_id},
    )
    return competencies.check(db)


def _facts(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, people: Relation, competencies: Relation) -> Relation:
    """One row per person with every name the decisions may read."""
    competency_ids = [c.id for c in inputs.bundle.model.competencies]
    names = [quote_ident(f"competency.{cid}") for cid in competency_ids]
    pivots = ", ".join(f"max(score) FILTER (WHERE competency_id = {quote_text(cid)}) AS {name}" for cid, name in zip(competency_ids, names))
    facts = new_relation("plan_facts", ["employee_id", *(name for name, _ in _FACTS), *(f"competency.{cid}" for cid in competency_ids)])
    db.execute(
        f"""
        CREATE TEMP TABLE {facts} AS
        WITH c AS (
            SELECT employee_id,
                   count(*) FILTER (WHERE gap > 0) AS gaps,
                   count(*) FILTER (WHERE blind_spot AND below_top) AS blind_spots,
                   count(*) FILTER (WHERE below_top) AS below_top,
                   count(score) AS scored,
                   {pivots}
            FROM {competencies} GROUP BY employee_id
        )
        SELECT p.employee_id,
               {", ".join(f"{sql} AS {quote_ident(name)}" for name, sql in _FACTS)},
               {", ".join(f"c.{name}" for name in names)}
        FROM {people} p LEFT JOIN c USING (employee_id)
        """
    )
    return facts.check(db)


def _decide(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, facts: Relation) -> Relation:
    """The plan type (the rules' default when the decisions set none) and the focus count, kept between the rules' bounds."""
    rules = inputs.rules
    low, high = quote_number(rules.focus.minimum), quote_number(rules.focus.maximum)
    decisions = to_sql(inputs.decisions, facts.name, keep=["employee_id"], columns=facts.columns)
    decided = new_relation("plan_decided", DECIDED_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {decided} AS
        SELECT d.employee_id,
               coalesce(CAST(d.{quote_ident(PLAN_TYPE)} AS VARCHAR), {quote_text(rules.unrated_plan)}) AS plan_type,
               CAST(least(greatest(coalesce(round(d.{quote_ident(FOCUS_COUNT)}), {low}), {low}), {high}) AS INTEGER) AS focus_count,
               CAST(to_json(d) AS VARCHAR) AS decision
        FROM ({decisions}) d
        """
    )
    return decided.check(db)


def planned_people(db: duckdb.DuckDBPyConnection, cycle_id: str, inputs: PlanInputs, lookups: Lookups) -> Planned:
    """Everyone on the cycle's roster with their final results, competencies and decided plan."""
    people = _people(db, cycle_id, lookups)
    competencies = _competencies(db, cycle_id, inputs, lookups)
    facts = _facts(db, inputs, people, competencies)
    return Planned(people, competencies, facts, _decide(db, inputs, facts))
