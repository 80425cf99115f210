"""The development plan as a printable document, from `competency.workflow.plans.plan_document`.

The plan document carries every text in both languages (`{"zh": …, "en": …}`);
this picks the reader's language throughout, so the templates only read plain
values. Pure: a document in, a context out.
"""

from __future__ import annotations

from typing import Any

from competency.i18n import t
from competency.reports import svg
from competency.reports._labels import Labels

_TEXT_KEYS = {"zh", "en", "origin"}


def localised(value: Any, lang: str) -> Any:
    """The value with every bilingual text replaced by its text in `lang`."""
    kind = type(value)
    if kind is dict:
        if "zh" in value and "en" in value and len(value) <= 3 and value.keys() <= _TEXT_KEYS:
            return value[lang]
        return {k: localised(v, lang) for k, v in value.items()}
    if kind is list:
        return [localised(v, lang) for v in value]
    return value


def plan_context(document: dict[str, Any], labels: Labels, *, charts: bool = True) -> dict[str, Any]:
    """The plan in the reader's language, with the names the templates need added (and a chart per focus)."""
    plan = localised(document, "zh" if labels.lang == "zh" else "en")
    plan["final_rating_label"] = labels.rating(plan.get("final_rating"))
    lang = labels.lang
    for focus in plan.get("focus", []):
        target = (focus.get("target_level") or {}).get("value")
        focus["chart"] = None if not charts else svg.bars(
            focus["competency"]["name"],
            [svg.Bar(t("report.score_360", lang), focus.get("score"), svg.COLOURS["others"]), svg.Bar(t("report.self", lang), focus.get("self_score"), svg.COLOURS["self"])],
            labels.low, labels.high, reference=target, reference_label=t("plan.target_level", lang),
        )
        for behaviour in focus.get("behaviours", []):
            behaviour["figure_label"] = labels.group(behaviour.get("figure") or "")
        focus["mix_rows"] = [(kind, share) for kind, share in (focus.get("mix") or {}).items()]
    for behaviour in plan.get("strengths", {}).get("behaviours", []):
        behaviour["figure_label"] = labels.group(behaviour.get("figure") or "")
    return plan
