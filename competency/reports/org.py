"""The organisation summary: competency averages by department and region,
the rating distribution, and the trend across cycles. Pure: rows in, context out.

Averages over fewer than k people arrive withheld from `load.org_rows` (no
value, a reason code): they show as "—" and each table names them with the
reason, so a department of one never shows its one person's scores.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from competency.i18n import t
from competency.reports import svg
from competency.reports._labels import Labels
from competency.reports.data import CycleFrame


def _scope_table(averages: list[dict[str, Any]], kind: str, used: list[str], labels: Labels, title: str) -> dict[str, Any]:
    rows = [row for row in averages if row["scope_kind"] == kind]
    cells: dict[str, dict[str, float | None]] = defaultdict(dict)
    people: dict[str, int] = {}
    for row in rows:
        cells[row["scope"]][row["competency_id"]] = row["score"]
        people[row["scope"]] = max(people.get(row["scope"], 0), row["people"])
    scopes = sorted(cells)
    names = {s: f"{s} ({people[s]})" for s in scopes}
    values = [[cells[s].get(c) for c in used] for s in scopes]
    return {
        "rows": [{"scope": s, "people": people[s], "values": v} for s, v in zip(scopes, values)],
        "chart": svg.heatmap(title, [names[s] for s in scopes], [labels.competency(c) for c in used], values, labels.low, labels.high) if scopes else None,
        "withheld": labels.withheld_notes(_withheld_cells(rows, names, used, labels)),
    }


def _withheld_cells(rows: list[dict[str, Any]], names: dict[str, str], used: list[str], labels: Labels) -> list[tuple[str, str | None]]:
    """(what, reason) for each scope with withheld cells: the scope alone when every cell
    with people behind it is withheld, else the scope and its withheld competencies — a
    department of 12 with one supervisor withholds only its supervisors' competencies."""
    figures = Counter(row["scope"] for row in rows if row["people"])
    withheld: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        if row["reason"] is not None:
            withheld[(row["scope"], row["reason"])].append(row["competency_id"])
    out: list[tuple[str, str | None]] = []
    for (scope, reason), competencies in sorted(withheld.items()):
        if len(competencies) == figures[scope]:
            out.append((names[scope], reason))
        else:
            out.append((f"{names[scope]}: {', '.join(labels.competency(c) for c in used if c in competencies)}", reason))
    return out


def _history(trend: list[dict[str, Any]], order: list[str]) -> list[dict[str, Any]]:
    """Per cycle: head count, share of each rating among the rated, index means (None where withheld)."""
    history = []
    for row in trend:
        counts = {r["rating"]: r["people"] for r in row["ratings"] or []}  # none: withheld, or nobody rated
        history.append({
            "cycle_id": row["cycle_id"],
            "people": row["people"],
            "shares": [counts.get(r, 0) / row["rated"] for r in order] if counts else [None] * len(order),
            "competency_index": row["competency_index"],
            "kpi_index": row["kpi_index"],
            "reason": row["reason"],
        })
    return history


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

    history = _history(trend, order)
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
        "history_withheld": labels.withheld_notes([(h["cycle_id"], h["reason"]) for h in history]),
        "trend_chart": trend_chart,
    }
