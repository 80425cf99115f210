"""A person's trace and outputs as text (zh or en) or as JSON-ready data.

Used by `competency rules try` and meant for `competency explain`: each step
on a line with what it produced, then the values it read and its reason.
"""

from __future__ import annotations

from typing import Any

from competency.i18n import t
from competency.rules.expr import Value
from competency.rules.ruleset import Ruleset
from competency.rules.tables import DecisionTable
from competency.rules.trace import TraceEntry
from competency.rules.unary import show_number



def word(key: str, lang: str) -> str:
    return t(f"rules.{key}", lang)


def show(value: Value, lang: str) -> str:
    if value is None:
        return word("null", lang)
    if isinstance(value, bool):
        return word("true" if value else "false", lang)
    if isinstance(value, float):
        return show_number(value)
    if isinstance(value, list):
        return "[" + ", ".join(show(v, lang) for v in value) + "]"
    return str(value)


def labelled(ruleset: Ruleset, name: str | None, value: Value, lang: str) -> str:
    """A value with its bilingual label when a table declares one (nine_box → 明星)."""
    text = show(value, lang)
    for step in ruleset.steps:
        if isinstance(step, DecisionTable) and step.output == name and isinstance(value, str) and value in step.labels:
            return f"{text} ({step.labels[value].get(lang)})"
    return text


def render_text(ruleset: Ruleset, outputs: dict[str, Value], trace: list[TraceEntry], lang: str = "zh") -> str:
    lines = [f"{word('rule_set', lang)} {ruleset.id} {ruleset.version} — {ruleset.name.get(lang)}", "", f"{word('steps', lang)}:"]
    for number, entry in enumerate(trace, start=1):
        lines.append(f"{number:>3}. {entry.step} ({word(entry.kind, lang)})  {_produced(ruleset, entry, lang)}")
        if entry.read:
            read = ", ".join(f"{name}={show(value, lang)}" for name, value in entry.read.items())
            lines.append(f"       {word('read', lang)}: {read}")
        if entry.note is not None and (entry.kind not in ("cap", "floor", "flag") or entry.fired):
            lines.append(f"       {entry.note.get(lang)}")
    lines += ["", f"{word('outputs', lang)}:"]
    width = max((len(name) for name in outputs), default=0)
    for name, value in outputs.items():
        lines.append(f"  {name.ljust(width)}  {labelled(ruleset, name, value, lang)}")
    return "\n".join(lines)


def _produced(ruleset: Ruleset, entry: TraceEntry, lang: str) -> str:
    value = labelled(ruleset, entry.output, entry.value, lang)
    if entry.kind == "table":
        rows = f"{word('row', lang)} {', '.join(entry.rows)}" if entry.rows else word("no_row", lang)
        return f"{entry.output} = {value}  [{rows}]"
    if entry.kind in ("cap", "floor"):
        if not entry.fired:
            return f"{word('not_fired', lang)}"
        if entry.changed:
            return f"{word('fired', lang)}: {entry.output} {show(entry.before, lang)} → {show(entry.value, lang)}"
        return f"{word('fired', lang)}, {word('unchanged', lang)}: {entry.output} = {value}"
    if entry.kind == "flag":
        return word("fired", lang) if entry.fired else word("not_fired", lang)
    return f"{entry.output} = {value}"


def render_json(ruleset: Ruleset, inputs: dict[str, Value], outputs: dict[str, Value], trace: list[TraceEntry]) -> dict[str, Any]:
    return {
        "ruleset": ruleset.id,
        "version": ruleset.version,
        "inputs": inputs,
        "outputs": outputs,
        "trace": [entry.to_json() for entry in trace],
    }
