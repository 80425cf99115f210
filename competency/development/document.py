"""One person's plan as a JSON-ready document, from the stored plan rows.

Pure: the rows `plan generate` stored, the cycle's model, rules and library in;
a dict out. Every text is bilingual (`{"zh": …, "en": …}`) so that reports
can render either language; numbers stay numbers, dates are ISO strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from competency.development.actions import ACTION_TYPES
from competency.development.generate import PlanInputs
from competency.development.selection import mix_of
from competency.domain import Text
from competency.i18n import CATALOGUE
from competency.rules import trace_from_row
from competency.scoring.config import ScoringConfig

Bilingual = dict[str, str]
PHASES = ("plan", "act", "reflect")


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


def bilingual(text: Text | None) -> Bilingual | None:
    return None if text is None else {"zh": text.zh, "en": text.en}


def message(key: str, **values: Any) -> Bilingual:
    """A catalogue text in both languages; bilingual values are filled in per language."""
    return {lang: CATALOGUE[key][lang].format(**{k: (v[lang] if isinstance(v, dict) else v) for k, v in values.items()}) for lang in ("zh", "en")}


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)


class _Names:
    """Model texts by id."""

    def __init__(self, inputs: PlanInputs) -> None:
        model = inputs.bundle.model
        self.model = model
        self.competencies = {c.id: c for c in model.competencies}
        self.behaviours = {b.id: (c.id, b) for c, b in model.behaviors()}
        self.roles = {r.id: r for r in inputs.bundle.roles.roles}
        self.actions = {a.id: (c, a) for c, a in inputs.library.actions()}

    def competency(self, competency_id: str) -> dict[str, Any]:
        found = self.competencies.get(competency_id)
        return {"id": competency_id, "name": bilingual(found.name) if found else {"zh": competency_id, "en": competency_id}}

    def level(self, value: int | None) -> dict[str, Any] | None:
        if value is None:
            return None
        level = self.model.scale.by_value(value)
        return {"value": value, "label": bilingual(level.label) if level else {"zh": str(value), "en": str(value)}}

    def behaviour(self, item_id: str) -> dict[str, Any]:
        found = self.behaviours.get(item_id)
        return {"id": item_id, "text": bilingual(found[1].text) if found else {"zh": item_id, "en": item_id}}

    def role(self, role_id: str | None) -> dict[str, Any] | None:
        if role_id is None:
            return None
        found = self.roles.get(role_id)
        return {"id": role_id, "name": bilingual(found.name) if found else {"zh": role_id, "en": role_id}}


def _band_minimum(scoring: ScoringConfig | None, level: int) -> float | None:
    if scoring is None:
        return None
    return next((band.minimum for band in scoring.level_bands if band.level == level), None)


def _source_text(row: dict[str, Any], names: _Names, next_role: dict[str, Any] | None) -> Bilingual:
    source = row["source"]
    if source == "gap":
        return message("plan.source.gap", required=row["required"])
    if source == "blind_spot":
        return message("plan.source.blind_spot", self=_num(row["self_score"]), others=_num(row["score"]))
    if source == "next_role":
        role = next_role["name"] if next_role else {"zh": "", "en": ""}
        return message("plan.source.next_role", role=role, goal=row["goal"])
    return message("plan.source.stretch")


def _goal(row: dict[str, Any], behaviours: list[dict[str, Any]], names: _Names, due: str, quarter: str, inputs: PlanInputs, scoring: ScoringConfig | None) -> Bilingual:
    level, target = names.level(row["level"]), names.level(row["target_level"])
    minimum = _band_minimum(scoring, row["target_level"])
    listed = {
        lang: "; ".join(b["behaviour"]["text"][lang].rstrip("。.") for b in behaviours) if behaviours else CATALOGUE["plan.goal_all_behaviours"][lang]
        for lang in ("zh", "en")
    }
    text = message(
        "plan.goal_text",
        due=due,
        competency=names.competency(row["competency_id"])["name"],
        level=row["level"],
        level_label=level["label"] if level else "",
        target=row["target_level"],
        target_label=target["label"] if target else "",
        next=quarter,
        score=_num(row["score"]),
        minimum=_num(minimum) if minimum is not None else str(row["target_level"]),
        behaviours=listed,
    )
    if row["source"] == "blind_spot":
        extra = message("plan.goal_text_blind_spot", self=_num(row["self_score"]), gap=f"{inputs.rules.blind_spots.gap:g}")
        text = {lang: f"{text[lang]}{'' if lang == 'zh' else ' '}{extra[lang]}" for lang in ("zh", "en")}
    return text


def _learning_cycle(inputs: PlanInputs, quarter: str) -> dict[str, Any]:
    cycle = inputs.rules.learning_cycle
    return {
        "quarter": quarter,
        **{
            phase: {"title": bilingual(getattr(cycle, phase).title), "questions": [bilingual(q) for q in getattr(cycle, phase).questions]}
            for phase in PHASES
        },
    }


def _partners_text(partners: list[dict[str, Any]]) -> Bilingual:
    if not partners:
        return message("plan.hr_partner")
    return {lang: ("、" if lang == "zh" else ", ").join(p["name"] or p["employee_id"] for p in partners) for lang in ("zh", "en")}


def _checkpoints(plan: dict[str, Any], partners: list[dict[str, Any]], checkpoints: list[str], inputs: PlanInputs) -> list[dict[str, Any]]:
    found = []
    who = _partners_text(partners)
    review = _iso(plan.get("review_date"))
    for index, (day, phase) in enumerate(zip(checkpoints, PHASES), start=1):
        entry = {
            "month": index,
            "date": day,
            "phase": phase,
            "title": bilingual(getattr(inputs.rules.learning_cycle, phase).title),
            "what": message(f"plan.checkpoint.{phase}", partners=who),
            "formal_review": day == review,
        }
        found.append(entry)
    return found


def _decision(plan: dict[str, Any], inputs: PlanInputs) -> list[dict[str, Any]]:
    raw = plan.get("decision")
    if not raw:
        return []
    row = json.loads(raw) if isinstance(raw, str) else raw
    entries = []
    for entry in trace_from_row(inputs.decisions, row):
        entries.append({"step": entry.step, "rule": entry.rule, "output": entry.output, "value": entry.value, "read": dict(entry.read), "note": bilingual(entry.note)})
    return entries


def plan_document(rows: PlanRows, inputs: PlanInputs, scoring: ScoringConfig | None, cycle_id: str, checkpoints: list[str]) -> dict[str, Any]:
    """The JSON-ready plan of one person.

    `rows.plan` is the stored `plans` row plus `gaps` (competencies below the
    role's required level); `checkpoints` are the plan period's month ends.
    """
    names = _Names(inputs)
    plan, employee = rows.plan, rows.employee
    quarter, due = plan["quarter"], _iso(plan["due"]) or ""
    plan_type = plan["plan_type"]
    next_role = names.role(plan.get("next_role"))
    people = {p["partner_id"]: p.get("name") for p in rows.partners}
    focus = []
    for row in sorted(rows.focus, key=lambda r: r["rank"]):
        cid = row["competency_id"]
        behaviours = [
            {"behaviour": names.behaviour(b["item_id"]), "score": b["mean"], "figure": b["figure"]}
            for b in sorted((b for b in rows.behaviours if b["competency_id"] == cid), key=lambda b: b["rank"])
        ]
        chosen = [names.actions[a["action_id"]][1] for a in sorted((a for a in rows.actions if a["competency_id"] == cid), key=lambda a: a["rank"]) if a["action_id"] in names.actions]
        partners = [
            {"kind": p["partner_kind"], "label": message(f"plan.partner.{p['partner_kind']}"), "employee_id": p["partner_id"], "name": people.get(p["partner_id"])}
            for p in sorted((p for p in rows.partners if p["competency_id"] == cid), key=lambda p: (p["partner_kind"] != "manager", p["partner_id"]))
        ]
        focus.append(
            {
                "rank": row["rank"],
                "competency": names.competency(cid),
                "source": row["source"],
                "why": _source_text(row, names, next_role),
                "score": row["score"],
                "self_score": row["self_score"],
                "current_level": names.level(row["level"]),
                "target_level": names.level(row["target_level"]),
                "required": row["required"],
                "goal_level": row["goal"],
                "priority": row["priority"],
                "behaviours": behaviours,
                "goal": _goal(row, behaviours, names, due, quarter, inputs, scoring),
                "due": due,
                "actions": [
                    {
                        "id": a.id,
                        "type": a.type,
                        "type_label": message(f"plan.action.{a.type}"),
                        "title": bilingual(a.title),
                        "description": bilingual(a.description),
                        "weeks": a.weeks,
                        "hours": a.hours,
                        "evidence": bilingual(a.evidence),
                        "behaviours": list(a.behaviors),
                    }
                    for a in chosen
                ],
                "mix": mix_of(chosen),
                "partners": partners,
                "checkpoints": _checkpoints(plan, partners, checkpoints, inputs),
                "learning_cycle": _learning_cycle(inputs, quarter),
            }
        )
    insights: dict[str, list[dict[str, Any]]] = {"strength": [], "strength_behaviour": [], "hidden_strength": [], "blind_spot": []}
    for row in sorted(rows.insights, key=lambda r: (r["kind"], r["rank"])):
        entry: dict[str, Any] = {"competency": names.competency(row["competency_id"]), "score": row["score"]}
        if row["kind"] == "strength_behaviour":
            entry.update({"behaviour": names.behaviour(row["item_id"]), "figure": row["figure"]})
        else:
            entry["self_score"] = row["self_score"]
        insights.setdefault(row["kind"], []).append(entry)
    reason = _reason(plan, len(focus))
    notes = []
    if focus and not any(f["source"] == "gap" for f in focus) and _meets_requirements(rows):
        notes.append(message("plan.note.meets_requirements"))
    role = names.role(employee.get("role"))
    role_profile = names.roles.get(employee.get("role") or "")
    return {
        "cycle": cycle_id,
        "employee": {
            "id": employee["employee_id"],
            "name": employee.get("name"),
            "role": role,
            "department": employee.get("department"),
            "region": employee.get("region"),
            "manager": {"id": employee.get("manager_id"), "name": employee.get("manager_name")} if employee.get("manager_id") else None,
        },
        "final_rating": plan.get("final_rating"),
        "plan": {
            "type": plan_type,
            "label": bilingual(inputs.rules.plan_labels.get(plan_type)) or {"zh": plan_type, "en": plan_type},
            "decided_by": _decision(plan, inputs),
            "focus_count": plan["focus_count"],
            "reason": reason,
            "notes": notes,
        },
        "period": {"quarter": quarter, "starts": _iso(plan["starts"]), "due": due, "checkpoints": checkpoints, "review_date": _iso(plan.get("review_date"))},
        "strengths": {"competencies": insights["strength"], "behaviours": insights["strength_behaviour"]},
        "hidden_strengths": insights["hidden_strength"],
        "blind_spots": insights["blind_spot"],
        "focus": focus,
        "improvement": {
            "expectations": [bilingual(e) for e in inputs.rules.improvement.expectations],
            "review_date": _iso(plan.get("review_date")),
        }
        if plan_type == "improvement"
        else None,
        "growth": {
            "next_role": next_role,
            "note": bilingual(inputs.rules.growth.note),
            "opportunities": [bilingual(o) for o in role_profile.profile.development_opportunities] if role_profile else [],
        }
        if plan_type == "growth"
        else None,
        "learning_cycle": _learning_cycle(inputs, quarter),
        "action_types": list(ACTION_TYPES),
    }


def _reason(plan: dict[str, Any], focus_count: int) -> Bilingual | None:
    key = plan.get("reason")
    if not key:
        return None
    return message(f"plan.reason.{key}", n=focus_count, count=plan["focus_count"])


def _meets_requirements(rows: PlanRows) -> bool:
    """No competency below the role's required level (`gaps`: counted by the caller)."""
    return rows.plan.get("gaps") == 0
