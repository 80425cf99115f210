"""Names of things in the reader's language: competencies, levels, groups,
rule outputs, and the reasons a figure was not shown."""

from __future__ import annotations

from typing import Any

from competency.reports.explain import GROUP_ORDER
from competency.publication.reasons import reason_text  # the one place that words the anonymity reasons
from competency.files.bundle import ModelBundle
from competency.i18n import CATALOGUE, t
from competency.rules import Ruleset
from competency.rules.tables import DecisionTable
from competency.scoring.config import ScoringConfig

__all__ = ["GROUP_ORDER", "Labels", "reason_text"]

# Figures drawn per competency, in this order: the identified groups, the
# anonymous ones, the pool, everyone but self, and self last.
CHART_GROUPS = ("manager", "peer", "direct_report", "customer", "others", "all_others", "self")


class Labels:
    """Looks names up for one cycle's model and rules in one language."""

    def __init__(self, bundle: ModelBundle, scoring: ScoringConfig, ruleset: Ruleset, lang: str) -> None:
        self.lang = lang
        self.bundle = bundle
        self.scoring = scoring
        self.ruleset = ruleset
        model = bundle.model
        self.competency_names = {c.id: c.name.get(lang) for c in model.competencies}
        self.competency_order = [c.id for c in model.competencies]
        self.item_texts = {b.id: b.text.get(lang) for _, b in model.behaviors()}
        self.item_competency = {b.id: c.id for c, b in model.behaviors()}
        self.item_order = {b.id: i for i, (_, b) in enumerate(model.behaviors())}
        self.items_of = {c.id: [b.id for b in c.behaviors] for c in model.competencies}
        self.levels = {level.value: level.label.get(lang) for level in model.scale.levels}
        self.low, self.high = model.scale.minimum, model.scale.maximum
        self.roles = {r.id: r.name.get(lang) for r in bundle.roles.roles}
        self.kpis = {k.id: k for k in bundle.kpis.kpis}
        self.groups = {g: t(f"group.{g}", lang) for g in GROUP_ORDER}
        self.tables = {s.output: s for s in ruleset.steps if isinstance(s, DecisionTable)}

    def competency(self, competency_id: str) -> str:
        return self.competency_names.get(competency_id, competency_id)

    def level(self, value: int | None) -> str:
        return "—" if value is None else f"{value} {self.levels.get(value, '')}".strip()

    def person(self, row: dict[str, Any]) -> dict[str, str]:
        """Who someone is, as report headers show it, from a roster row."""
        return {
            "id": row["employee_id"],
            "name": row.get("name") or row["employee_id"],
            "role": self.role(row.get("role")),
            "department": row.get("department") or "",
            "region": row.get("region") or "",
            "manager": row.get("manager_name") or row.get("manager_id") or "",
        }

    def role(self, role_id: str | None) -> str:
        return self.roles.get(role_id or "", role_id or "")

    def group(self, group: str) -> str:
        return self.groups.get(group, group)

    def kpi(self, kpi_id: str) -> str:
        kpi = self.kpis.get(kpi_id)
        return kpi.name.get(self.lang) if kpi else kpi_id

    def output(self, name: str, value: Any) -> str:
        """A rule output's label (rating 'B' → 'B 基本达到标准'), or the value itself."""
        if value is None:
            return "—"
        table = self.tables.get(name)
        if table is not None and value in table.labels:
            text = table.labels[value].get(self.lang)
            # 'B 基本达到标准' → '基本达到标准': the value is shown beside its label anyway
            return text[len(str(value)) + 1 :] if text.startswith(f"{value} ") else text
        return str(value)

    def output_values(self, name: str) -> list[str]:
        """An output's possible values, best first for an ordered choice (A, B, C, D)."""
        table = self.tables.get(name)
        return list(table.output_type.values) if table is not None else []

    def rating(self, value: Any) -> str:
        return self.output(self.scoring.rating.rating, value)

    def nine_box(self, value: Any) -> str:
        return self.output(self.scoring.rating.nine_box, value)

    def potential(self, value: Any) -> str:
        key = f"report.potential.{value}"
        return t(key, self.lang) if key in CATALOGUE else ("—" if value is None else str(value))

    def reason(self, reason: str | None) -> str:
        """Why a figure is not shown, in words."""
        return "" if reason is None else reason_text(reason, self.scoring.anonymity, self.lang)

    def withheld_notes(self, names_and_reasons: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
        """What a table does not show and why: one entry per reason, naming each thing once, in order."""
        by_reason: dict[str, list[str]] = {}
        for name, reason in names_and_reasons:
            if reason is not None and name not in by_reason.setdefault(reason, []):
                by_reason[reason].append(name)
        return [{"names": names, "reason": self.reason(reason)} for reason, names in by_reason.items()]
