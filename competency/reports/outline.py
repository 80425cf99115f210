"""A competency model as a readable outline for HR (the text of `model show`)."""

from __future__ import annotations

from competency.domain import Competency, Role, Text
from competency.files.bundle import ModelBundle
from competency.i18n import t


def _pct(weight: float) -> str:
    return f"{weight * 100:g}%"


def _competency_lines(competency: Competency, bundle: ModelBundle, lang: str) -> list[str]:
    scale = bundle.model.scale
    say = lambda text: text.get(lang)  # noqa: E731 - a short local alias keeps the lines readable
    lines = [
        f"{say(competency.name)} ({competency.id}) · {t('cluster', lang)} {competency.cluster} · {t('weight', lang)} {competency.weight:g}",
        f"  {t('definition', lang)}: {say(competency.definition)}",
        f"  {t('behaviors', lang)}:",
        *(f"    - [{b.id}] {say(b.text)}" for b in competency.behaviors),
        f"  {t('anchors', lang)}:",
    ]
    for level in reversed(scale.ordered()):
        anchor = competency.anchors.get(level.key)
        if anchor is not None:
            lines.append(f"    {level.value} {say(level.label)}: {say(anchor)}")
    if competency.traits:
        lines.append(f"  {t('traits', lang)}:")
        lines += [f"    - {say(trait.name)}" + (f": {say(trait.description)}" if trait.description else "") for trait in competency.traits]
    if competency.interview_questions:
        lines.append(f"  {t('interview_questions', lang)}:")
        lines += [f"    - {say(q)}" for q in competency.interview_questions]
    return lines


def _role_lines(role: Role, bundle: ModelBundle, lang: str) -> list[str]:
    say = lambda text: text.get(lang)  # noqa: E731
    scale, model = bundle.model.scale, bundle.model
    boss = f" · {t('reports_to', lang)} {role.reports_to}" if role.reports_to else ""
    lines = [f"{say(role.name)} ({role.id}){boss}", f"  {t('summary', lang)}: {say(role.profile.summary)}", f"  {t('required_levels', lang)}:"]
    for competency_id, need in role.competencies.items():
        competency = model.competency(competency_id)
        level = scale.by_value(need.required)
        name = say(competency.name) if competency else competency_id
        label = say(level.label) if level else ""
        lines.append(f"    - {name}: ≥ {need.required} {label} ({t('weight', lang)} {_pct(need.weight)})")
    if role.kpis:
        lines.append(f"  {t('kpis', lang)}:")
        for kpi_id, use in role.kpis.items():
            kpi = bundle.kpis.kpi(kpi_id)
            lines.append(f"    - {say(kpi.name) if kpi else kpi_id} ({t('weight', lang)} {_pct(use.weight)})")
    for field in ("performance_standards", "required_experience", "required_knowledge", "development_opportunities"):
        texts: list[Text] = getattr(role.profile, field)
        lines.append(f"  {t(field, lang)}:")
        lines += [f"    - {say(text)}" for text in texts]
    return lines


def outline(bundle: ModelBundle, lang: str, competency_id: str | None = None) -> str:
    """The model (or one competency of it) as indented text in `lang`."""
    model = bundle.model
    say = lambda text: text.get(lang)  # noqa: E731
    chosen = [c for c in model.competencies if competency_id in (None, c.id)]
    lines = []
    if competency_id is None:
        levels = " · ".join(f"{level.value} {say(level.label)}" for level in reversed(model.scale.ordered()))
        lines += [f"{say(model.name)} ({model.id}, {t('version', lang)} {model.version})", f"{t('scale', lang)}: {levels}", "", f"== {t('competencies', lang)} =="]
    for competency in chosen:
        lines += ["", *_competency_lines(competency, bundle, lang)]
    if competency_id is None:
        lines += ["", f"== {t('kpis', lang)} =="]
        for kpi in bundle.kpis.kpis:
            direction = t(f"direction.{kpi.direction}", lang)
            target = f", {t('target', lang)} {kpi.target:g}" if kpi.target is not None else ""
            lines.append(f"- {say(kpi.name)} ({kpi.id}) · {kpi.unit} · {direction}{target} · {t('curve', lang)} {kpi.curve.threshold:g} → {kpi.curve.target:g} → {kpi.curve.stretch:g}")
        lines += ["", f"== {t('roles', lang)} =="]
        for role in bundle.roles.roles:
            lines += ["", *_role_lines(role, bundle, lang)]
    return "\n".join(lines) + "\n"
