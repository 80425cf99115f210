"""A person's result in plain language: figures, what was not shown and why,
and every rule that fired. Pure: gathered data in, text or JSON-ready data out.

Only counts and means of rater groups appear; no rater is ever named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from competency.files.bundle import ModelBundle
from competency.i18n import CATALOGUE, t
from competency.publication.reasons import reason_text
from competency.rules import Ruleset, TraceEntry, explain_json, explain_text
from competency.rules.explain import labelled
from competency.scoring.config import ScoringConfig
from competency._text import number

GROUP_ORDER = ("manager", "peer", "direct_report", "customer", "others", "all_others", "self")


@dataclass(frozen=True)
class PersonResult:
    """Everything stored about one person in one cycle."""

    cycle_id: str
    employee: dict[str, Any]
    result: dict[str, Any] | None
    competencies: list[dict[str, Any]]
    figures: list[dict[str, Any]]  # competency-level figures
    kpis: list[dict[str, Any]]
    outputs: dict[str, Any]
    trace: list[TraceEntry]


def withheld_reason(reason: str | None, config: ScoringConfig, lang: str) -> str:
    return "" if reason is None else reason_text(reason, config.anonymity, lang)


def _figure_line(figures: list[dict[str, Any]], config: ScoringConfig, lang: str) -> tuple[str, list[str]]:
    shown, hidden = [], []
    for figure in sorted(figures, key=lambda f: GROUP_ORDER.index(f["figure"]) if f["figure"] in GROUP_ORDER else 99):
        key = f"group.{figure['figure']}"
        name = t(key, lang) if key in CATALOGUE else figure["figure"]  # a configured group the catalogue lacks keeps its id
        if figure["publishable"]:
            shown.append(f"{name} {number(figure['mean'])} ({figure['raters']})")
        else:
            hidden.append(f"{name}: {withheld_reason(figure['reason'], config, lang)}")
    return " · ".join(shown), hidden


def render_text(person: PersonResult, bundle: ModelBundle, config: ScoringConfig, ruleset: Ruleset, lang: str) -> str:
    model, scale = bundle.model, bundle.model.scale
    employee = person.employee
    role = bundle.roles.role(employee["role"])
    role_name = role.name.get(lang) if role else employee["role"]
    lines = [f"{employee.get('name') or ''} ({employee['employee_id']}) · {role_name} · {employee.get('department') or ''} / {employee.get('region') or ''} · {t('explain.cycle', lang)} {person.cycle_id}"]
    result = person.result or {}
    rating = result.get("rating")
    final = result.get("final_rating", rating)
    calibrated = f" → {t('explain.final', lang)} {labelled(ruleset, 'rating', final, lang)}" if result.get("overridden") else ""
    lines.append(
        f"{t('explain.rating', lang)}: {labelled(ruleset, 'rating', rating, lang) if rating else t('explain.not_rated', lang)}{calibrated}"
        f" · {t('explain.nine_box', lang)}: {labelled(ruleset, 'nine_box', result.get('nine_box'), lang) if result.get('nine_box') else '—'}"
        f" · {t('explain.flags', lang)}: {', '.join(result.get('flags') or []) or t('explain.none', lang)}"
    )
    reasons = [e.note.get(lang) for e in person.trace if e.note is not None and ((e.kind == "table" and e.rows) or (e.kind in ("cap", "floor") and e.changed))]
    if reasons:
        lines.append(f"{t('explain.why', lang)}: " + "; ".join(reasons))
    anonymity = config.anonymity
    lines += ["", t("explain.competencies", lang) + ":", "  " + t("explain.answers_rule", lang).format(share=f"{config.answered_share:.0%}", k=anonymity.group_minimum, k_all=anonymity.all_others_minimum)]
    by_competency: dict[str, list[dict[str, Any]]] = {}
    for figure in person.figures:
        by_competency.setdefault(figure["competency_id"], []).append(figure)
    for row in person.competencies:
        competency = model.competency(row["competency_id"])
        name = competency.name.get(lang) if competency else row["competency_id"]
        if row["score"] is None:
            head = f"  {name}: {t('explain.no_score', lang)}"
        else:
            level = scale.by_value(row["level"]) if row["level"] is not None else None
            label = f"{row['level']} {level.label.get(lang)}" if level else "—"
            gap = row["gap"]
            head = (
                f"  {name}: {number(row['score'])} → {t('explain.level', lang)} {label} · {t('explain.required', lang)} {row['required']}"
                f" · {t('explain.gap', lang)} {gap if gap is not None else '—'} · {t('explain.raters', lang)} {row['raters']}"
            )
        lines.append(head)
        shown, hidden = _figure_line(by_competency.get(row["competency_id"], []), config, lang)
        if shown:
            lines.append(f"      {shown}")
        lines += [f"      {t('explain.suppressed', lang)} — {h}" for h in hidden]
    lines.append(f"  {t('explain.competency_index', lang)}: {number(result.get('competency_index'))}")
    lines += ["", t("explain.kpis", lang) + ":"]
    if not person.kpis:
        lines.append(f"  {t('explain.no_kpis', lang)}")
    for row in person.kpis:
        kpi = bundle.kpis.kpi(row["kpi_id"])
        name = kpi.name.get(lang) if kpi else row["kpi_id"]
        lines.append(
            f"  {name}: {t('explain.actual', lang)} {row['actual']:g} / {t('explain.target', lang)} {row['target']:g}"
            f" → {t('explain.attainment', lang)} {number(row['attainment'])} → {number(row['score'])} ({row['weight']:.0%})"
        )
    lines.append(f"  {t('explain.kpi_index', lang)}: {number(result.get('kpi_index'))}")
    lines += ["", t("explain.rules", lang) + ":", explain_text(ruleset, person.outputs, person.trace, lang)]
    return "\n".join(lines).rstrip() + "\n"


def render_json(person: PersonResult, ruleset: Ruleset) -> dict[str, Any]:
    inputs = {name: value for name, value in person.outputs.items() if name in ruleset.inputs}
    outputs = {name: value for name, value in person.outputs.items() if name not in ruleset.inputs}
    return {
        "cycle": person.cycle_id,
        "employee": person.employee,
        "result": person.result,
        "competencies": person.competencies,
        "figures": person.figures,
        "kpis": person.kpis,
        "rules": explain_json(ruleset, inputs, outputs, person.trace),
    }
