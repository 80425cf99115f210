"""One person's plan as a JSON-ready document, from the stored plan rows.

Pure: the rows `plan generate` stored, the cycle's model, rules and library in;
a dict out. Every text is bilingual (`{"zh": …, "en": …}`) so that reports
can render either language; numbers stay numbers, dates are ISO strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from competency.development.actions import ACTION_TYPES
from competency.development.focus_entry import focus_entry
from competency.development.inputs import PlanInputs
from competency.development.texts import Bilingual, PlanNames, bilingual, iso, learning_cycle, message
from competency.rules import trace_from_row
from competency.scoring.config import ScoringConfig

INSIGHT_KINDS = ("strength", "strength_behaviour", "hidden_strength", "blind_spot")


@dataclass
class PlanRows:
    """What is stored about one person's plan."""

    plan: dict[str, Any]
    employee: dict[str, Any]
    focus: list[dict[str, Any]] = field(default_factory=list)
    behaviours: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    partners: list[dict[str, Any]] = field(default_factory=list)
    insights: list[dict[str, Any]] = field(default_factory=list)


def _decision(plan: dict[str, Any], inputs: PlanInputs) -> list[dict[str, Any]]:
    raw = plan.get("decision")
    if not raw:
        return []
    row = json.loads(raw) if isinstance(raw, str) else raw
    entries = []
    for entry in trace_from_row(inputs.decisions, row):
        entries.append({"step": entry.step, "rule": entry.rule, "output": entry.output, "value": entry.value, "read": dict(entry.read), "note": bilingual(entry.note)})
    return entries


def _reason(plan: dict[str, Any], focus_count: int) -> Bilingual | None:
    key = plan.get("reason")
    if not key:
        return None
    return message(f"plan.reason.{key}", n=focus_count, count=plan["focus_count"])


def _meets_requirements(rows: PlanRows) -> bool:
    """No competency below the role's required level (`gaps`: counted by the caller)."""
    return rows.plan.get("gaps") == 0


def _insights(rows: PlanRows, names: PlanNames) -> dict[str, list[dict[str, Any]]]:
    """Strengths, strongest behaviours, hidden strengths and blind spots, each kind in rank order."""
    insights: dict[str, list[dict[str, Any]]] = {kind: [] for kind in INSIGHT_KINDS}
    for row in sorted(rows.insights, key=lambda r: (r["kind"], r["rank"])):
        entry: dict[str, Any] = {"competency": names.competency(row["competency_id"]), "score": row["score"]}
        if row["kind"] == "strength_behaviour":
            entry.update({"behaviour": names.behaviour(row["item_id"]), "figure": row["figure"]})
        else:
            entry["self_score"] = row["self_score"]
        insights.setdefault(row["kind"], []).append(entry)
    return insights


def _employee(employee: dict[str, Any], names: PlanNames) -> dict[str, Any]:
    return {
        "id": employee["employee_id"],
        "name": employee.get("name"),
        "role": names.role(employee.get("role")),
        "department": employee.get("department"),
        "region": employee.get("region"),
        "manager": {"id": employee.get("manager_id"), "name": employee.get("manager_name")} if employee.get("manager_id") else None,
    }


def _plan(rows: PlanRows, inputs: PlanInputs, focus: list[dict[str, Any]]) -> dict[str, Any]:
    """The plan's type, how it was decided, and why its focus is shorter or needs a note."""
    plan, plan_type = rows.plan, rows.plan["plan_type"]
    notes = []
    if focus and not any(f["source"] == "gap" for f in focus) and _meets_requirements(rows):
        notes.append(message("plan.note.meets_requirements"))
    return {
        "type": plan_type,
        "label": bilingual(inputs.rules.plan_labels.get(plan_type)) or {"zh": plan_type, "en": plan_type},
        "decided_by": _decision(plan, inputs),
        "focus_count": plan["focus_count"],
        "reason": _reason(plan, len(focus)),
        "notes": notes,
    }


def _growth(rows: PlanRows, names: PlanNames, inputs: PlanInputs) -> dict[str, Any]:
    role_profile = names.roles.get(rows.employee.get("role") or "")
    return {
        "next_role": names.role(rows.plan.get("next_role")),
        "note": bilingual(inputs.rules.growth.note),
        "opportunities": [bilingual(o) for o in role_profile.profile.development_opportunities] if role_profile else [],
    }


def plan_document(rows: PlanRows, inputs: PlanInputs, scoring: ScoringConfig | None, cycle_id: str, checkpoints: list[str]) -> dict[str, Any]:
    """The JSON-ready plan of one person.

    `rows.plan` is the stored `plans` row plus `gaps` (competencies below the
    role's required level); `checkpoints` are the plan period's month ends.
    """
    names = PlanNames(inputs)
    plan = rows.plan
    quarter, due = plan["quarter"], iso(plan["due"]) or ""
    focus = [focus_entry(row, rows, names, inputs, scoring, checkpoints) for row in sorted(rows.focus, key=lambda r: r["rank"])]
    insights = _insights(rows, names)
    improvement = {"expectations": [bilingual(e) for e in inputs.rules.improvement.expectations], "review_date": iso(plan.get("review_date"))}
    return {
        "cycle": cycle_id,
        "employee": _employee(rows.employee, names),
        "final_rating": plan.get("final_rating"),
        "plan": _plan(rows, inputs, focus),
        "period": {"quarter": quarter, "starts": iso(plan["starts"]), "due": due, "checkpoints": checkpoints, "review_date": iso(plan.get("review_date"))},
        "strengths": {"competencies": insights["strength"], "behaviours": insights["strength_behaviour"]},
        "hidden_strengths": insights["hidden_strength"],
        "blind_spots": insights["blind_spot"],
        "focus": focus,
        "improvement": improvement if plan["plan_type"] == "improvement" else None,
        "growth": _growth(rows, names, inputs) if plan["plan_type"] == "growth" else None,
        "learning_cycle": learning_cycle(inputs, quarter),
        "action_types": list(ACTION_TYPES),
    }
