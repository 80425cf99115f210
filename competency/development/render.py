"""A plan document as Markdown or plain text, in one language.

The same walk over the document writes both: Markdown headings and bullets,
or plain text with underlined headings and indented items. For Markdown, every
text of the document (names, notes, action titles — anything a person or a
roster wrote) is escaped first, so it can never add a link, markup or HTML.
"""

from __future__ import annotations

from typing import Any

from competency.i18n import t
from competency._text import display_width, markdown_text, number


class _Writer:
    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.lines: list[str] = []

    def heading(self, text: str, level: int) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
        if self.markdown:
            self.lines.append(f"{'#' * level} {text}")
        else:
            self.lines.append(text)
            if level <= 2:
                self.lines.append(("=" if level == 1 else "-") * display_width(text))
        self.lines.append("")

    def line(self, text: str = "") -> None:
        self.lines.append(text)

    def item(self, text: str, depth: int = 0) -> None:
        indent = "  " * depth
        self.lines.append(f"{indent}- {text}" if self.markdown else f"{indent}  • {text}")

    def field(self, label: str, value: str) -> None:
        self.lines.append(f"**{label}:** {value}  " if self.markdown else f"{label}: {value}")

    def text(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _escaped(value: Any) -> Any:
    """Every string in `value` made inert in Markdown; keys (which name fields) are kept."""
    if isinstance(value, str):
        return markdown_text(value)
    if isinstance(value, dict):
        return {key: _escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    return value


def _level(level: dict[str, Any] | None, lang: str) -> str:
    return "—" if level is None else f"{level['value']} {level['label'][lang]}"


def _name(person: dict[str, Any] | None) -> str:
    if not person:
        return "—"
    return f"{person['name']} ({person['id']})" if person.get("name") else str(person["id"])


def render_plan(document: dict[str, Any], lang: str, fmt: str = "md") -> str:
    """The plan in `lang` (zh or en) as Markdown (`md`) or plain text (`text`)."""
    w = _Writer(fmt == "md")
    if w.markdown:
        document = _escaped(document)
    employee, plan, period = document["employee"], document["plan"], document["period"]
    w.heading(f"{t('plan.title', lang)} · {employee.get('name') or employee['id']} ({employee['id']})", 1)
    w.field(t("plan.role", lang), employee["role"]["name"][lang] if employee.get("role") else "—")
    w.field(t("plan.department", lang), employee.get("department") or "—")
    w.field(t("plan.manager", lang), _name(employee.get("manager")))
    w.field(t("plan.cycle", lang), document["cycle"])
    w.field(t("plan.final_rating", lang), document.get("final_rating") or t("plan.not_rated", lang))
    w.field(t("plan.type", lang), plan["label"][lang])
    for entry in plan["decided_by"]:
        if entry.get("note"):
            w.field(t("plan.why", lang), entry["note"][lang])
    w.field(t("plan.period", lang), f"{period['quarter']} ({period['starts']} – {period['due']})")
    if period.get("review_date"):
        w.field(t("plan.review_date", lang), period["review_date"])
    for note in plan.get("notes") or []:
        w.line()
        w.line(note[lang])
    if document.get("improvement"):
        w.heading(t("plan.expectations", lang), 2)
        for expectation in document["improvement"]["expectations"]:
            w.item(expectation[lang])
    if document.get("growth"):
        growth = document["growth"]
        w.heading(f"{t('plan.growth', lang)}: {growth['next_role']['name'][lang]}" if growth.get("next_role") else t("plan.growth_in_post", lang), 2)
        w.line(growth["note"][lang])
        if growth["opportunities"]:
            w.line()
            w.line(f"{t('plan.opportunities', lang)}:")
            for opportunity in growth["opportunities"]:
                w.item(opportunity[lang])
    _strengths(w, document, lang)
    w.heading(t("plan.focus", lang), 2)
    if plan.get("reason"):
        w.line(plan["reason"][lang])
    if not document["focus"] and not plan.get("reason"):
        w.line(t("plan.no_focus", lang))
    for focus in document["focus"]:
        _focus(w, focus, lang)
    _learning_cycle(w, document["learning_cycle"], lang)
    return w.text()


def _strengths(w: _Writer, document: dict[str, Any], lang: str) -> None:
    strengths = document["strengths"]
    if strengths["competencies"] or strengths["behaviours"]:
        w.heading(t("plan.strengths", lang), 2)
        for entry in strengths["competencies"]:
            w.item(f"{entry['competency']['name'][lang]} {number(entry['score'])}")
        if strengths["behaviours"]:
            w.line()
            w.line(f"{t('plan.strength_behaviours', lang)}:")
            for entry in strengths["behaviours"]:
                w.item(f"{entry['behaviour']['text'][lang]} ({entry['competency']['name'][lang]}, {number(entry['score'])})")
    if document["hidden_strengths"]:
        w.heading(t("plan.hidden_strengths", lang), 3)
        for entry in document["hidden_strengths"]:
            w.item(f"{entry['competency']['name'][lang]}: {t('plan.others', lang)} {number(entry['score'])}, {t('plan.self', lang)} {number(entry['self_score'])}")
    if document["blind_spots"]:
        w.heading(t("plan.blind_spots", lang), 3)
        for entry in document["blind_spots"]:
            w.item(f"{entry['competency']['name'][lang]}: {t('plan.self', lang)} {number(entry['self_score'])}, {t('plan.others', lang)} {number(entry['score'])}")


def _focus(w: _Writer, focus: dict[str, Any], lang: str) -> None:
    w.heading(f"{focus['rank']}. {focus['competency']['name'][lang]} — {focus['why'][lang]}", 3)
    w.field(t("plan.current_level", lang), f"{_level(focus['current_level'], lang)} ({number(focus['score'])})")
    w.field(t("plan.target_level", lang), f"{_level(focus['target_level'], lang)} · {t('plan.due', lang)} {focus['due']}")
    w.line()
    w.line(f"{t('plan.behaviours', lang)}:")
    if focus["behaviours"]:
        for b in focus["behaviours"]:
            w.item(f"{b['behaviour']['text'][lang]} ({number(b['score'])})")
    else:
        w.item(t("plan.no_behaviours", lang))
    w.line()
    w.field(t("plan.goal", lang), focus["goal"][lang])
    w.line()
    mix = " / ".join(f"{t('plan.action.' + kind, lang)} {round(share * 100)}%" for kind, share in focus["mix"].items())
    w.line(f"{t('plan.actions', lang)} ({t('plan.mix', lang)}: {mix}):")
    for a in focus["actions"]:
        w.item(f"[{a['type_label'][lang]}] {a['title'][lang]} — {a['weeks']} {t('plan.weeks', lang)}, {a['hours']:g} {t('plan.hours', lang)}")
        if a.get("description"):
            w.item(a["description"][lang], 1)
        w.item(f"{t('plan.evidence', lang)}: {a['evidence'][lang]}", 1)
    w.line()
    w.line(f"{t('plan.partners', lang)}:")
    if focus["partners"]:
        for p in focus["partners"]:
            w.item(f"{p['label'][lang]}: {p['name'] or ''} ({p['employee_id']})")
    else:
        w.item(t("plan.no_partner", lang))
    w.line()
    w.line(f"{t('plan.checkpoints', lang)}:")
    for c in focus["checkpoints"]:
        review = f" — {t('plan.checkpoint.review', lang)}" if c["formal_review"] else ""
        w.item(f"{c['date']} {c['title'][lang]}: {c['what'][lang]}{review}")


def _learning_cycle(w: _Writer, cycle: dict[str, Any], lang: str) -> None:
    w.heading(f"{t('plan.learning_cycle', lang)} · {cycle['quarter']}", 2)
    for phase in ("plan", "act", "reflect"):
        w.line(f"{cycle[phase]['title'][lang]}:")
        for question in cycle[phase]["questions"]:
            w.item(question[lang])
        w.line()
