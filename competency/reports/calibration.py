"""The calibration report: the rating distribution per scope against the
guideline, the 9-box grid with counts and names, manager leniency, rater
agreement and the audit log. Pure: rows in, context out.

Leniency and agreement are read from published group figures only, so they
say nothing a person's own report does not. An average over fewer than
`people_k` people (a team of two, a competency rated for one person) is not
shown: it carries the reason `people_minimum` instead. Rating counts stay.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from statistics import mean
from typing import Any

from competency.calibration.leniency import ManagerLeniency
from competency.i18n import t
from competency.publication.reasons import PEOPLE_MINIMUM, too_few_people
from competency.reports import svg
from competency.reports._labels import Labels
from competency.reports.data import CycleFrame
from competency.reports.individual import DISAGREEMENT
from competency.rules.tables import DecisionTable

ANONYMOUS = ("peer", "direct_report", "customer", "others")


def nine_box_layout(frame: CycleFrame) -> tuple[list[list[str | None]], list[str], list[str]] | None:
    """The 9-box table's cells as a grid: rows top (best) to bottom, columns left to right.

    Read from the rule set's table: one numeric input (performance, left to
    right by its intervals) and one choice (potential, top to bottom in the
    order the rows list it). None when the table has another shape.
    """
    table = next((s for s in frame.ruleset.steps if isinstance(s, DecisionTable) and s.output == frame.scoring.rating.nine_box), None)
    if table is None or len(table.inputs) != 2:
        return None
    numeric = [i for i, inp in enumerate(table.inputs) if inp.domain.interval is not None]
    if len(numeric) != 1:
        return None
    x, y = numeric[0], 1 - numeric[0]
    lows: list[float] = []
    texts: list[str] = []
    cells: dict[tuple[float, str], str] = {}
    for row in table.rows:
        tx, ty = row.tests[x], row.tests[y]
        if len(tx.items) != 1 or tx.items[0].interval is None or len(ty.items) != 1 or ty.items[0].text is None or tx.negated or ty.negated:
            return None
        low = tx.items[0].interval.low
        text = ty.items[0].text
        if low is None:
            low = float("-inf")
        if low not in lows:
            lows.append(low)
        if text not in texts:
            texts.append(text)
        cells[(low, text)] = str(row.output)
    lows.sort()
    grid = [[cells.get((low, text)) for low in lows] for text in texts]
    return grid, [table.inputs[x].name] * len(lows), texts


def calibration_context(people: list[dict[str, Any]], figures: list[dict[str, Any]], audit: list[dict[str, Any]], frame: CycleFrame,
                        labels: Labels, extras: dict[str, Any] | None = None) -> dict[str, Any]:
    """The calibration report's context.

    `extras` carries what the calibration stage computed when it is available
    (`competency.workflow.report_extras.calibration_extras`): `guidelines` (name),
    `checks` {(kind, scope): bound checks}, `managers` (leniency against the
    organisation, rows of `manager_row`) and `agreement` {competency: ICC, alpha, rwg}.
    Without it the report shows the distributions, the published-figure
    leniency and agreement it can compute itself.
    """
    extras = extras or {}
    checks = extras.get("checks") or {}
    rated = [p for p in people if p.get("final_rating") is not None]
    distributions = _distributions(rated, frame, labels, checks)
    teams_off = _teams_off(people, checks)
    grid, box_list = _nine_box(people, frame, labels)
    return {
        "cycle_id": frame.cycle_id,
        "status": frame.status,
        "guidelines": extras.get("guidelines"),
        "people": len(people),
        "rated": len(rated),
        "changed": [
            {"id": p["employee_id"], "name": p.get("name") or p["employee_id"], "computed": p["rating"], "final": p["final_rating"]}
            for p in rated if p["rating"] != p["final_rating"]
        ],
        "distributions": distributions,
        "off_count": sum(1 for d in distributions if d["off"]) + len(teams_off),
        "checked_count": sum(1 for c in checks.values() if c["checked"]),
        "teams_off": teams_off,
        "nine_box_chart": grid,
        "nine_box": box_list,
        "leniency": _with_reasons(extras["managers"], labels) if extras.get("managers") is not None else _leniency(people, figures, labels),
        "leniency_from_calibration": extras.get("managers") is not None,
        "leniency_threshold": extras.get("z_threshold"),
        "leniency_minimum_effect": extras.get("minimum_effect"),
        "agreement": _agreement(figures, labels, extras.get("agreement") or {}),
        "audit": audit,
    }


def _distributions(rated: list[dict[str, Any]], frame: CycleFrame, labels: Labels, checks: dict[Any, Any]) -> list[dict[str, Any]]:
    """The organisation's, then each region's and department's distribution of ratings."""
    lang = labels.lang
    order = labels.output_values(frame.scoring.rating.rating)
    scopes = [("organisation", None, t("report.scope.organisation", lang), rated)]
    for kind in ("region", "department"):
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in rated:
            if p.get(kind):
                groups[p[kind]].append(p)
        scopes += [(kind, name, f"{t(f'report.scope.{kind}', lang)}: {name}", members) for name, members in sorted(groups.items())]
    return [_distribution(kind, name, title, members, order, labels, checks.get((kind, name))) for kind, name, title, members in scopes]


def _teams_off(people: list[dict[str, Any]], checks: dict[Any, Any]) -> list[dict[str, Any]]:
    """Managers' teams checked and off their guideline, with the bounds they miss."""
    names = {p["employee_id"]: p.get("name") or p["employee_id"] for p in people}
    return [
        {"id": scope, "name": names.get(scope or "", scope), "people": check["size"], "bounds": [b for b in check["bounds"] if not b["within"]]}
        for (kind, scope), check in sorted(checks.items(), key=lambda kv: str(kv[0][1]))
        if kind == "manager" and check["checked"] and any(not b["within"] for b in check["bounds"])
    ]


def _nine_box(people: list[dict[str, Any]], frame: CycleFrame, labels: Labels) -> tuple[Any, list[dict[str, Any]]]:
    """The 9-box chart (None when the rule set's table has another shape) and the people per cell."""
    lang = labels.lang
    layout = nine_box_layout(frame)
    boxes: dict[str, list[str]] = defaultdict(list)
    for p in sorted(people, key=lambda p: (p.get("name") or "", p["employee_id"])):
        boxes[p.get("nine_box") or ""].append(p.get("name") or p["employee_id"])
    grid = None
    if layout is not None:
        cells, _, potentials = layout
        grid_cells = [[(labels.nine_box(c) if c else "", len(boxes.get(c, [])) if c else 0, boxes.get(c, []) if c else []) for c in row] for row in cells]
        columns = [t(k, lang) for k in ("report.performance_low", "report.performance_mid", "report.performance_high")] if len(cells[0]) == 3 else [""] * len(cells[0])
        grid = svg.nine_box(
            t("report.nine_box", lang), grid_cells, columns, [labels.potential(p) for p in potentials],
            t("report.performance", lang), t("report.potential", lang), more=t("report.more", lang),
        )
    box_list = [
        {"label": labels.nine_box(key) if key else t("report.unplaced", lang), "count": len(members), "names": members}
        for key, members in sorted(boxes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return grid, box_list


def _distribution(kind: str, name: str | None, title: str, members: list[dict[str, Any]], order: list[str], labels: Labels,
                  check: dict[str, Any] | None) -> dict[str, Any]:
    """One scope: computed and final counts per rating, a chart of the shares, and the guideline's verdicts."""
    lang = labels.lang
    n = len(members) or 1
    computed, final = Counter(p["rating"] for p in members), Counter(p["final_rating"] for p in members)
    bounds = check["bounds"] if check and check["checked"] else []
    # A bound on one rating is drawn on its bar: an upper bound as the most, a lower bound as the least allowed share.
    markers = {b["ratings"][0]: b["limit"] for b in bounds if len(b["ratings"]) == 1}
    return {
        "kind": kind,
        "scope": name,
        "title": title,
        "people": len(members),
        "rows": [{"rating": r, "label": labels.rating(r), "computed": computed.get(r, 0), "final": final.get(r, 0)} for r in order],
        "checked": bool(check and check["checked"]),
        "minimum": check.get("minimum") if check else None,
        "bounds": bounds,
        "off": any(not b["within"] for b in bounds),
        "chart": svg.count_bars(
            title, order,
            [(t("report.computed", lang), [100 * computed.get(r, 0) / n for r in order], svg.COLOURS["computed"]),
             (t("report.final", lang), [100 * final.get(r, 0) / n for r in order], svg.COLOURS["final"])],
            (t("report.guideline", lang), [markers.get(r) for r in order]) if markers else None,
            width=420,
        ),
    }


# The parts of a manager's leniency the report shows (the answers part only `calibrate status`).
REPORT_PARTS = ("rating", "score")


def manager_row(manager: ManagerLeniency) -> dict[str, Any]:
    """A manager's row of the report as the calibration stage judged it: flagged by the
    same verdict as `calibrate status` (the guidelines' z threshold and minimum effect),
    on the parts the report shows."""
    row: dict[str, Any] = {"id": manager.manager_id, "name": manager.name, "people": manager.team}
    for part in REPORT_PARTS:
        d = getattr(manager, part)
        row.update({f"{part}_mean": d.mean, f"{part}_d": d.d, f"{part}_z": d.z})
    row["flag"] = manager.flag_among(REPORT_PARTS)
    return row


def _too_few(people: int, labels: Labels) -> bool:
    return too_few_people(people, labels.scoring.anonymity.people_k)


def _with_reasons(managers: list[dict[str, Any]], labels: Labels) -> list[dict[str, Any]]:
    """The calibration stage's manager rows (their means already withheld for small
    teams), each with the reason in words when its team is too small for an average."""
    return [{**m, "withheld": m.get("withheld") or (labels.reason(PEOPLE_MINIMUM) if _too_few(m["people"], labels) else "")} for m in managers]


def _leniency(people: list[dict[str, Any]], figures: list[dict[str, Any]], labels: Labels) -> list[dict[str, Any]]:
    """Per manager: their own figures for their people against the anonymous groups' published
    figures; no averages for a team of fewer than people_k people."""
    names = {p["employee_id"]: p.get("name") or p["employee_id"] for p in people}
    own: dict[str, list[float]] = defaultdict(list)
    others: dict[str, list[float]] = defaultdict(list)
    team: dict[str, set[str]] = defaultdict(set)
    for f in figures:
        manager = f["manager_id"]
        if not manager:
            continue
        if f["rater_group"] == "manager":
            own[manager].append(f["mean"])
            team[manager].add(f["employee_id"])
        elif f["rater_group"] in ANONYMOUS:
            others[manager].append(f["mean"])
    high_shares = {}
    best = labels.output_values(labels.scoring.rating.rating)[:1]
    for manager in own:
        members = [p for p in people if p.get("manager_id") == manager and p.get("final_rating") is not None]
        high_shares[manager] = (sum(1 for p in members if p["final_rating"] in best) / len(members)) if members else None
    rows = []
    for manager, values in own.items():
        withheld = _too_few(len(team[manager]), labels)
        m_mean = None if withheld else mean(values)
        o_mean = mean(others[manager]) if others.get(manager) and not withheld else None
        rows.append({
            "id": manager,
            "name": names.get(manager, manager),
            "people": len(team[manager]),
            "manager_mean": m_mean,
            "others_mean": o_mean,
            "difference": (m_mean - o_mean) if m_mean is not None and o_mean is not None else None,
            "top_share": None if withheld else high_shares.get(manager),
            "withheld": labels.reason(PEOPLE_MINIMUM) if withheld else "",
        })
    return sorted(rows, key=lambda r: -(r["difference"] if r["difference"] is not None else -9))


def _agreement(figures: list[dict[str, Any]], labels: Labels, statistics: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Per competency: how far apart the published rater-group means are for a person, and the
    calibration stage's ICC, alpha and rwg when it computed them for enough people."""
    per: dict[tuple[str, str], list[float]] = defaultdict(list)
    for f in figures:
        if f["rater_group"] != "self":
            per[(f["competency_id"], f["employee_id"])].append(f["mean"])
    spreads: dict[str, list[float]] = defaultdict(list)
    for (cid, _), values in per.items():
        if len(values) >= 2:
            spreads[cid].append(max(values) - min(values))
    rows = []
    for cid in labels.competency_order:
        values = spreads.get(cid) or []
        stats = statistics.get(cid) or {}
        if not values and not stats:
            continue
        withheld = _too_few(len(values), labels)
        shown = values if values and not withheld else []
        disagree = sum(1 for v in shown if v >= DISAGREEMENT - 1e-9)
        rows.append({
            "name": labels.competency(cid),
            "people": len(values),
            "mean_spread": mean(shown) if shown else None,
            "disagree": disagree if shown else None,
            "share": disagree / len(shown) if shown else None,
            "withheld": labels.reason(PEOPLE_MINIMUM) if withheld else "",
            **{k: stats.get(k) for k in ("icc1", "icc1k", "alpha", "rwg_median", "rwg_agree_share")},
        })
    return rows
