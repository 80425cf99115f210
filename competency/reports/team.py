"""The team report for a manager: the team's people × competencies, its
strengths and gaps, and everyone's rating. Pure: rows in, context out.

It shows each member's 360 scores (made of published figures only) and
results; no group figure and no comment of anyone appears here. A team-level
figure (a competency's team mean, its margin over the requirement, how many
are below it, the strengths and gaps drawn from them) is an aggregate of
people: withheld, with its reason, when fewer than the cycle's
`anonymity.people_k` members have a score for that competency.
"""

from __future__ import annotations

from collections import Counter
from statistics import mean
from typing import Any

from competency.i18n import t
from competency.publication.reasons import PEOPLE_MINIMUM, too_few_people
from competency.reports import svg
from competency.reports._labels import Labels
from competency.reports.data import CycleFrame

SHOWN = 3  # strengths and gaps listed


def team_context(manager: dict[str, Any], members: list[dict[str, Any]], scores: dict[str, list[dict[str, Any]]], frame: CycleFrame,
                 labels: Labels) -> dict[str, Any]:
    """The team report's context: heat map, per-competency summary, strengths and gaps, ratings, members."""
    lang = labels.lang
    members = sorted(members, key=lambda m: (m.get("name") or "", m["employee_id"]))
    by_person = {m["employee_id"]: {s["competency_id"]: s for s in scores.get(m["employee_id"], [])} for m in members}
    used = [c for c in labels.competency_order if any(c in by_person[m["employee_id"]] for m in members)]

    values = [[(by_person[m["employee_id"]].get(c) or {}).get("score") for c in used] for m in members]
    marks = [[((by_person[m["employee_id"]].get(c) or {}).get("gap") or 0) > 0 for c in used] for m in members]
    heat = svg.heatmap(
        t("report.heatmap", lang), [_person_label(m) for m in members], [labels.competency(c) for c in used], values, labels.low, labels.high, marks=marks,
    ) if members and used else None

    summary = []
    for cid in used:
        rows = [by_person[m["employee_id"]][cid] for m in members if cid in by_person[m["employee_id"]]]
        summary.append(_competency_summary(cid, rows, labels))
    with_margin = [s for s in summary if s["margin"] is not None]
    strengths = sorted(with_margin, key=lambda s: -s["margin"])[:SHOWN]
    gaps = sorted([s for s in with_margin if s not in strengths or s["below"]], key=lambda s: (-s["below"], s["margin"]))[:SHOWN]
    gaps = [g for g in gaps if g["below"] > 0 or g["margin"] < 0]

    order = labels.output_values(frame.scoring.rating.rating)
    counts = Counter(m.get("final_rating") for m in members if m.get("final_rating") is not None)
    distribution = [{"rating": r, "label": labels.rating(r), "count": counts.get(r, 0)} for r in order]
    chart = svg.count_bars(
        t("report.rating_distribution", lang), [d["rating"] for d in distribution],
        [(t("report.people", lang), [d["count"] for d in distribution], svg.COLOURS["final"])], unit="",
    ) if members else None

    people = [_member(m, by_person[m["employee_id"]], used, labels) for m in members]
    return {
        "cycle_id": frame.cycle_id,
        "manager": labels.person(manager),
        "members": people,
        "competencies": [labels.competency(c) for c in used],
        "heatmap": heat,
        "summary": summary,
        "summary_withheld": labels.withheld_notes([(s["name"], s["reason"]) for s in summary]),
        "strengths": strengths,
        "gaps": gaps,
        "distribution": distribution,
        "distribution_chart": chart,
    }


def _member(member: dict[str, Any], person_scores: dict[str, dict[str, Any]], used: list[str], labels: Labels) -> dict[str, Any]:
    """A team member's row: results, and their 360 score and gap in each competency the team has."""
    return {
        "id": member["employee_id"],
        "name": member.get("name") or member["employee_id"],
        "role": labels.role(member.get("role")),
        "final": member.get("final_rating"),
        "final_label": labels.rating(member.get("final_rating")),
        "computed": member.get("rating"),
        "changed": member.get("final_rating") != member.get("rating"),
        "nine_box": labels.nine_box(member.get("nine_box")),
        "potential": labels.potential(member.get("potential")),
        "competency_index": member.get("competency_index"),
        "kpi_index": member.get("kpi_index"),
        "values": [(person_scores.get(c) or {}).get("score") for c in used],
        "gaps": [labels.competency(c) for c in used if ((person_scores.get(c) or {}).get("gap") or 0) > 0],
        "scores": [{"name": labels.competency(c), **(person_scores.get(c) or {})} for c in used if c in person_scores],
    }


def _person_label(member: dict[str, Any]) -> str:
    return f"{member.get('name') or member['employee_id']} ({member['employee_id']})"


def _competency_summary(cid: str, rows: list[dict[str, Any]], labels: Labels) -> dict[str, Any]:
    """The team's figures for one competency; the ones over people withheld when fewer than people_k have a score.

    The required level is the roles' (not anyone's result) and the head count is
    not an average: both stay.
    """
    scored = [r["score"] for r in rows if r["score"] is not None]
    required = [r["required"] for r in rows if r["required"] is not None]
    figures = {"id": cid, "name": labels.competency(cid), "required": mean(required) if required else None,
               "people": len(rows), "scored": len(scored)}
    if too_few_people(len(scored), labels.scoring.anonymity.people_k):
        return {**figures, "mean": None, "margin": None, "below": None, "reason": PEOPLE_MINIMUM}
    return {
        **figures,
        "mean": mean(scored) if scored else None,
        "margin": (mean(scored) - mean(required)) if scored and required else None,
        "below": len([r for r in rows if (r["gap"] or 0) > 0]),
        "reason": None,
    }
