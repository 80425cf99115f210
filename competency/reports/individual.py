"""The individual 360 report: what one person reads about their cycle.

Pure: a `PersonData` and the cycle's labels in, the template's context out.
Anonymity is kept by construction: only figures the scoring stage marked
publishable are used (the 360 score itself is made of them), suppressed groups
are named with their reason but never with a value or a count, and comments
come without rater or group, in an order set by a keyed hash of their text.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from competency.i18n import t
from competency.reports import svg
from competency.publication.reasons import POOLED
from competency.reports._labels import CHART_GROUPS, Labels
from competency.reports.data import CycleFrame, PersonData
from competency.rules import trace_from_row
from competency.rules.trace import TraceEntry
from competency._text import number

DISAGREEMENT = 1.0  # rater groups whose means spread this far apart disagree
EXTREMES = 3  # highest and lowest behaviours shown
SCORED_GROUPS = ("manager", "peer", "direct_report", "customer", "others")  # the groups a 360 score is made of


def comment_order(comments: Sequence[str], key: str) -> list[str]:
    """Comments in a stable order that says nothing about who wrote them.

    Sorted by an HMAC of the text keyed by the person and cycle: the same
    comments always come out in the same order, unrelated to rater, group or
    the order they were imported in.
    """
    secret = key.encode()
    return sorted(comments, key=lambda text: (hmac.new(secret, text.encode(), hashlib.sha256).digest(), text))


def rating_reasons(trace: list[TraceEntry], rating_name: str, nine_box_name: str, lang: str) -> dict[str, list[str]]:
    """The plain-language reasons of the trace, as `explain` gives them: the rating
    table's row and every cap or floor that changed the rating; the 9-box row;
    the flags that fired."""
    reasons: dict[str, list[str]] = {"rating": [], "nine_box": [], "flags": [], "steps": []}
    for entry in trace:
        if entry.note is None:
            continue
        note = entry.note.get(lang)
        if entry.kind == "table" and entry.rows:
            reasons["rating" if entry.output == rating_name else "nine_box" if entry.output == nine_box_name else "steps"].append(note)
        elif entry.kind in ("cap", "floor") and entry.changed:
            reasons["rating" if entry.output == rating_name else "steps"].append(note)
        elif entry.kind == "flag" and entry.fired:
            reasons["flags"].append(note)
    return reasons


def _self_view(competency: dict[str, Any]) -> dict[str, Any]:
    return {"name": competency["name"], "self": competency["self_score"], "others": competency["score"], "difference": competency["self_score"] - competency["score"]}


def _figures(figures: list[dict[str, Any]], labels: Labels) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """A competency's group figures: shown (publishable, with a mean), withheld with the reason, and the groups pooled."""
    shown, withheld, pooled = [], [], []
    for figure in sorted(figures, key=lambda f: CHART_GROUPS.index(f["figure"]) if f["figure"] in CHART_GROUPS else 99):
        group = figure["figure"]
        if figure["publishable"] and figure["mean"] is not None:
            shown.append({"group": group, "label": labels.group(group), "mean": figure["mean"], "raters": figure["raters"]})
        elif not figure["publishable"]:
            withheld.append({"group": group, "label": labels.group(group), "reason": labels.reason(figure["reason"])})
            if figure["reason"] == POOLED:
                pooled.append(group)
    return shown, withheld, pooled


def _competency(row: dict[str, Any], figures: list[dict[str, Any]], labels: Labels, charts: bool) -> dict[str, Any]:
    """One competency's entry: its results, its group figures, how far the groups disagree, its bar chart."""
    lang, name = labels.lang, labels.competency(row["competency_id"])
    shown, withheld, pooled = _figures(figures, labels)
    spread_of = [f["mean"] for f in shown if f["group"] in SCORED_GROUPS]
    spread = max(spread_of) - min(spread_of) if len(spread_of) >= 2 else None
    bars = [svg.Bar(f["label"], f["mean"], svg.COLOURS.get(f["group"], "#1f6fb2"), number(f["mean"])) for f in shown] if charts else []
    if charts and row["score"] is not None:
        bars.insert(0, svg.Bar(t("report.score_360", lang), row["score"], "#0b3d6b", number(row["score"])))
    return {
        "id": row["competency_id"],
        "name": name,
        "score": row["score"],
        "self_score": row["self_score"],
        "level": labels.level(row["level"]),
        "required": labels.level(row["required"]),
        "gap": row["gap"],
        "weight": row["weight"],
        "blind_spot": row["blind_spot"],
        "hidden_strength": row["hidden_strength"],
        "raters": row["raters"],
        "shown": shown,
        "withheld": withheld,
        "pooled": pooled,
        "spread": spread,
        "disagree": spread is not None and spread >= DISAGREEMENT - 1e-9,
        "chart": svg.bars(name, bars, labels.low, labels.high, reference=row["required"], reference_label=t("report.required_level", lang))
        if bars else Markup(""),
    }


def _extremes(behaviours: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The highest and the lowest scored behaviours, up to EXTREMES each and never the same one twice."""
    scored = [b for block in behaviours for b in block["rows"] if b["score"] is not None]
    ranked = sorted(scored, key=lambda b: (-b["score"], b["order"]))
    n = min(EXTREMES, len(ranked) // 2)
    lowest = sorted(ranked[len(ranked) - n :], key=lambda b: (b["score"], b["order"])) if n else []
    return ranked[:n], lowest


def _radar(person: PersonData, labels: Labels) -> Markup:
    lang, rows = labels.lang, person.competencies
    return svg.radar(
        t("report.profile", lang),
        [labels.competency(row["competency_id"]) for row in rows],
        [
            svg.Series(t("report.required_level", lang), [row["required"] for row in rows], svg.COLOURS["required"], dashed=True),
            svg.Series(t("report.score_360", lang), [row["score"] for row in rows], svg.COLOURS["others"], filled=True),
            svg.Series(t("report.self", lang), [row["self_score"] for row in rows], svg.COLOURS["self"]),
        ],
        labels.low,
        labels.high,
    )


def _rating(result: dict[str, Any], labels: Labels) -> dict[str, Any]:
    rating, final = result.get("rating"), result.get("final_rating", result.get("rating"))
    return {
        "final": final,
        "final_label": labels.rating(final),
        "computed": rating,
        "computed_label": labels.rating(rating),
        "changed": final != rating,
        "overridden": bool(result.get("overridden")),
        "override_reason": result.get("override_reason"),
        "nine_box": labels.nine_box(result.get("nine_box")),
        "potential": labels.potential(result.get("potential")),
        **{key: result.get(key) for key in ("ability", "performance", "competency_index", "kpi_index")},
    }


def _kpi(row: dict[str, Any], labels: Labels) -> dict[str, Any]:
    unit = labels.kpis[row["kpi_id"]].unit if row["kpi_id"] in labels.kpis else ""
    return {"name": labels.kpi(row["kpi_id"]), "unit": unit, **{key: row[key] for key in ("actual", "target", "attainment", "score", "weight")}}


def individual_context(person: PersonData, frame: CycleFrame, labels: Labels, *, charts: bool = True) -> dict[str, Any]:
    """Everything the individual templates show, in the reader's language (`charts`: draw the SVG; Markdown has none)."""
    scoring = frame.scoring
    trace = trace_from_row(frame.ruleset, person.trace_row) if person.trace_row else []
    figures_by: dict[str, list[dict[str, Any]]] = {}
    for figure in person.figures:
        figures_by.setdefault(figure["competency_id"], []).append(figure)
    competencies = [_competency(row, figures_by.get(row["competency_id"], []), labels, charts) for row in person.competencies]
    behaviours, groups_present = _behaviours(person, labels)
    highest, lowest = _extremes(behaviours)
    return {
        "cycle_id": frame.cycle_id,
        "person": labels.person(person.employee),
        "rating": _rating(person.result or {}, labels),
        "reasons": rating_reasons(trace, scoring.rating.rating, scoring.rating.nine_box, labels.lang),
        "radar": _radar(person, labels) if competencies and charts else Markup(""),
        "competencies": competencies,
        "behaviours": behaviours,
        "behaviour_groups": [(g, labels.group(g)) for g in groups_present],
        "highest": highest,
        "lowest": lowest,
        # Flagged in SQL by the gate, with the development rules' thresholds, as the plan flags them.
        "blind_spots": [_self_view(c) for c in competencies if c["blind_spot"]],
        "hidden_strengths": [_self_view(c) for c in competencies if c["hidden_strength"]],
        "blind_spot_gap": frame.blind_spot_gap,
        "hidden_strength_gap": frame.hidden_strength_gap,
        "disagreement": [c["name"] for c in competencies if c["disagree"]],
        "disagreement_gap": DISAGREEMENT,
        "kpis": [_kpi(row, labels) for row in person.kpis],
        "comments": comment_order(person.comments, f"{frame.cycle_id}/{person.employee['employee_id']}"),
        "plan": None,  # the development plan, added by the caller when there is one
        "anonymity": {"k": scoring.anonymity.group_minimum, "k_all": scoring.anonymity.all_others_minimum},
    }


def _behaviours(person: PersonData, labels: Labels) -> tuple[list[dict[str, Any]], list[str]]:
    """Behaviour rows per competency with their published group figures and their one 360
    score (from the gate, as the plan shows it), and the groups with any figure."""
    by_item: dict[str, dict[str, float]] = {}
    seen: set[str] = set()
    for item_id, group, value in person.items:
        if value is not None:
            values = by_item.get(item_id)
            if values is None:
                values = by_item[item_id] = {}
            values[group] = value
            seen.add(group)
    present = [g for g in CHART_GROUPS if g in seen]
    blocks = []
    for row in person.competencies:
        cid = row["competency_id"]
        name = labels.competency(cid)
        rows = []
        for item_id in labels.items_of.get(cid, []):
            values = by_item.get(item_id) or {}
            score = person.behaviour_scores.get(item_id)
            rows.append({
                "id": item_id,
                "text": labels.item_texts[item_id],
                "competency": name,
                "order": labels.item_order[item_id],
                "values": [number(values.get(g)) for g in present],
                "score": score,
                "score_text": number(score),
            })
        blocks.append({"name": name, "rows": rows})
    return blocks, present
