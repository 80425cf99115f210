"""The organisation summary: competency averages by department and region,
the rating distribution, and the trend across cycles. Pure: rows in, context out."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from competency.messages import t
from competency.reports import svg
from competency.reports._labels import Labels
from competency.reports.data import CycleFrame


def _scope_table(averages: list[dict[str, Any]], kind: str, used: list[str], labels: Labels, title: str) -> dict[str, Any]:
    cells: dict[str, dict[str, float | None]] = defaultdict(dict)
    people: dict[str, int] = {}
    for row in averages:
        if row["scope_kind"] == kind:
            cells[row["scope"]][row["competency_id"]] = row["score"]
            people[row["scope"]] = max(people.get(row["scope"], 0), row["people"])
    scopes = sorted(cells)
    values = [[cells[s].get(c) for c in used] for s in scopes]
    return {
        "rows": [{"scope": s, "people": people[s], "values": v} for s, v in zip(scopes, values)],
        "chart": svg.heatmap(title, [f"{s} ({people[s]})" for s in scopes], [labels.competency(c) for c in used], values, labels.low, labels.high) if scopes else None,
    }


def org_context(averages: list[dict[str, Any]], people: list[dict[str, Any]], trend: list[dict[str, Any]], frame: CycleFrame, labels: Labels) -> dict[str, Any]:
    lang = labels.lang
    used = [c for c in labels.competency_order if any(r["competency_id"] == c for r in averages)]
    order = labels.output_values(frame.scoring.rating.rating)
    rated = [p for p in people if p.get("final_rating") is not None]
    final = Counter(p["final_rating"] for p in rated)
    computed = Counter(p["rating"] for p in rated)
    n = len(rated) or 1
    distribution = [
        {"rating": r, "label": labels.rating(r), "computed": computed.get(r, 0), "final": final.get(r, 0), "share": final.get(r, 0) / n}
        for r in order
    ]
    chart = svg.count_bars(
        t("report.rating_distribution", lang), order,
        [(t("report.computed", lang), [100 * d["computed"] / n for d in distribution], svg.COLOURS["computed"]),
         (t("report.final", lang), [100 * d["final"] / n for d in distribution], svg.COLOURS["final"])],
    ) if rated else None

    cycles: dict[str, dict[str, Any]] = {}
    for row in trend:
        c = cycles.setdefault(row["cycle_id"], {"cycle_id": row["cycle_id"], "people": 0, "counts": Counter(), "ci": [0.0, 0], "kpi": [0.0, 0]})
        c["people"] += row["people"]
        if row["final_rating"] is not None:
            c["counts"][row["final_rating"]] += row["people"]
        c["ci"][0] += row["ci_sum"] or 0.0
        c["ci"][1] += row["ci_n"]
        c["kpi"][0] += row["kpi_sum"] or 0.0
        c["kpi"][1] += row["kpi_n"]
    history = [
        {
            "cycle_id": c["cycle_id"],
            "people": c["people"],
            "shares": [c["counts"].get(r, 0) / (sum(c["counts"].values()) or 1) for r in order],
            "competency_index": c["ci"][0] / c["ci"][1] if c["ci"][1] else None,
            "kpi_index": c["kpi"][0] / c["kpi"][1] if c["kpi"][1] else None,
        }
        for c in cycles.values()
    ]
    trend_chart = svg.trend(
        t("report.trend", lang), [h["cycle_id"] for h in history],
        [svg.Series(t("report.competency_index", lang), [h["competency_index"] for h in history], svg.COLOURS["others"]),
         svg.Series(t("report.kpi_index", lang), [h["kpi_index"] for h in history], svg.COLOURS["manager"])],
        labels.low, labels.high,
    ) if len(history) > 1 else None
    return {
        "cycle_id": frame.cycle_id,
        "people": len(people),
        "rated": len(rated),
        "competencies": [labels.competency(c) for c in used],
        "departments": _scope_table(averages, "department", used, labels, t("report.by_department", lang)),
        "regions": _scope_table(averages, "region", used, labels, t("report.by_region", lang)),
        "distribution": distribution,
        "distribution_chart": chart,
        "ratings": order,
        "history": history,
        "trend_chart": trend_chart,
    }
