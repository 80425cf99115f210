"""One focus competency of a plan document: why it was chosen, the goal, the
behaviours to work on, the actions, the partners and the monthly checkpoints."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from competency._text import number
from competency.development.inputs import PlanInputs
from competency.development.selection import mix_of
from competency.development.texts import PHASES, Bilingual, PlanNames, bilingual, iso, learning_cycle, message
from competency.i18n import CATALOGUE
from competency.scoring.config import ScoringConfig

if TYPE_CHECKING:
    from competency.development.document import PlanRows


def _band_minimum(scoring: ScoringConfig | None, level: int) -> float | None:
    if scoring is None:
        return None
    return next((band.minimum for band in scoring.level_bands if band.level == level), None)


def _source_text(row: dict[str, Any], names: PlanNames, next_role: dict[str, Any] | None) -> Bilingual:
    source = row["source"]
    if source == "gap":
        return message("plan.source.gap", required=row["required"])
    if source == "blind_spot":
        return message("plan.source.blind_spot", self=number(row["self_score"]), others=number(row["score"]))
    if source == "next_role":
        role = next_role["name"] if next_role else {"zh": "", "en": ""}
        return message("plan.source.next_role", role=role, goal=row["goal"])
    return message("plan.source.stretch")


def _goal(row: dict[str, Any], behaviours: list[dict[str, Any]], names: PlanNames, due: str, quarter: str, inputs: PlanInputs, scoring: ScoringConfig | None) -> Bilingual:
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
        score=number(row["score"]),
        minimum=number(minimum) if minimum is not None else str(row["target_level"]),
        behaviours=listed,
    )
    if row["source"] == "blind_spot":
        extra = message("plan.goal_text_blind_spot", self=number(row["self_score"]), gap=f"{inputs.rules.blind_spots.gap:g}")
        text = {lang: f"{text[lang]}{'' if lang == 'zh' else ' '}{extra[lang]}" for lang in ("zh", "en")}
    return text


def _partners_text(partners: list[dict[str, Any]]) -> Bilingual:
    if not partners:
        return message("plan.hr_partner")
    return {lang: ("、" if lang == "zh" else ", ").join(p["name"] or p["employee_id"] for p in partners) for lang in ("zh", "en")}


def _checkpoints(plan: dict[str, Any], partners: list[dict[str, Any]], checkpoints: list[str], inputs: PlanInputs) -> list[dict[str, Any]]:
    found = []
    who = _partners_text(partners)
    review = iso(plan.get("review_date"))
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


def _action(action: Any) -> dict[str, Any]:
    return {
        "id": action.id,
        "type": action.type,
        "type_label": message(f"plan.action.{action.type}"),
        "title": bilingual(action.title),
        "description": bilingual(action.description),
        "weeks": action.weeks,
        "hours": action.hours,
        "evidence": bilingual(action.evidence),
        "behaviours": list(action.behaviors),
    }


def focus_entry(row: dict[str, Any], rows: PlanRows, names: PlanNames, inputs: PlanInputs, scoring: ScoringConfig | None, checkpoints: list[str]) -> dict[str, Any]:
    """The plan document's entry for the focus `row` (a stored plan_focus row) of the plan `rows`."""
    plan, cid = rows.plan, row["competency_id"]
    quarter, due = plan["quarter"], iso(plan["due"]) or ""
    people = {p["partner_id"]: p.get("name") for p in rows.partners}
    behaviours = [
        {"behaviour": names.behaviour(b["item_id"]), "score": b["mean"], "figure": b["figure"]}
        for b in sorted((b for b in rows.behaviours if b["competency_id"] == cid), key=lambda b: b["rank"])
    ]
    ranked = sorted((a for a in rows.actions if a["competency_id"] == cid), key=lambda a: a["rank"])
    chosen = [names.actions[a["action_id"]][1] for a in ranked if a["action_id"] in names.actions]
    partners = [
        {"kind": p["partner_kind"], "label": message(f"plan.partner.{p['partner_kind']}"), "employee_id": p["partner_id"], "name": people.get(p["partner_id"])}
        for p in sorted((p for p in rows.partners if p["competency_id"] == cid), key=lambda p: (p["partner_kind"] != "manager", p["partner_id"]))
    ]
    return {
        "rank": row["rank"],
        "competency": names.competency(cid),
        "source": row["source"],
        "why": _source_text(row, names, names.role(plan.get("next_role"))),
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
        "actions": [_action(a) for a in chosen],
        "mix": mix_of(chosen),
        "partners": partners,
        "checkpoints": _checkpoints(plan, partners, checkpoints, inputs),
        "learning_cycle": learning_cycle(inputs, quarter),
    }
