"""Checks that span fields: unique ids, anchors for every level, references
between roles, competencies and KPIs, weights that add up.

They read the raw YAML data (not the validated objects) so they still run when
pydantic found other mistakes in the same file: the user sees every error of a
file at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from competency.files.yaml_loader import PathKey, YamlDocument
from competency.errors import SourceProblem
from competency._text import did_you_mean

WEIGHT_TOLERANCE = 1e-6


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list `data[key]`."""
    values = data.get(key) if isinstance(data, dict) else None
    if isinstance(values, list):
        for index, item in enumerate(values):
            if isinstance(item, dict):
                yield index, item


def _duplicate_ids(document: YamlDocument, entries: Iterable[tuple[PathKey, Any]], what: str) -> list[SourceProblem]:
    problems = []
    first: dict[Any, PathKey] = {}
    for path, value in entries:
        if value is None:
            continue
        if value in first:
            line = document.locate(first[value]).line
            problems.append(document.problem(path, f"duplicate {what} id '{value}' (first used on line {line})", "give each one its own id"))
        else:
            first[value] = path
    return problems


def _duplicate_values(document: YamlDocument, entries: Iterable[tuple[PathKey, Any]], attribute: str) -> list[SourceProblem]:
    seen: set[Any] = set()
    problems = []
    for path, value in entries:
        if value in seen:
            # Same words as the Scale validator, so the positioned copy replaces it.
            problems.append(document.problem(path, f"two levels share the {attribute} {value!r}; each level needs its own"))
        seen.add(value)
    return problems


def scale_keys(model_data: Any) -> dict[str, Any]:
    """Level key → level value of a raw model's scale."""
    scale = model_data.get("scale") if isinstance(model_data, dict) else None
    return {str(level.get("key")): level.get("value") for _, level in _items(scale, "levels")}


def check_model(document: YamlDocument) -> list[SourceProblem]:
    data = document.data
    problems: list[SourceProblem] = []
    levels = scale_keys(data)
    scale_levels = list(_items(data.get("scale") if isinstance(data, dict) else None, "levels"))
    for attribute in ("value", "key"):
        problems += _duplicate_values(document, ((("scale", "levels", i, attribute), level.get(attribute)) for i, level in scale_levels), attribute)
    competencies = list(_items(data, "competencies"))
    problems += _duplicate_ids(document, ((("competencies", i, "id"), c.get("id")) for i, c in competencies), "competency")
    behaviors = [
        (("competencies", i, "behaviors", j, "id"), b.get("id")) for i, c in competencies for j, b in _items(c, "behaviors")
    ]
    problems += _duplicate_ids(document, behaviors, "behaviour")
    groups = data.get("rater_groups") if isinstance(data, dict) else None
    if isinstance(groups, list):
        problems += _duplicate_ids(document, ((("rater_groups", i), g) for i, g in enumerate(groups)), "rater group")
    for i, competency in competencies:
        traits = [(("competencies", i, "traits", j, "id"), t.get("id")) for j, t in _items(competency, "traits")]
        problems += _duplicate_ids(document, traits, "trait")
        anchors = competency.get("anchors")
        if not isinstance(anchors, dict) or not levels:
            continue
        name = competency.get("id", f"#{i + 1}")
        for key in anchors:
            if str(key) not in levels:
                problems.append(
                    document.problem(
                        ("competencies", i, "anchors", key),
                        f"anchor for unknown level '{key}' in competency '{name}'",
                        did_you_mean(str(key), levels),
                        at_key=True,
                    )
                )
        for key in levels:
            if key not in {str(k) for k in anchors}:
                problems.append(
                    document.problem(
                        ("competencies", i, "anchors"),
                        f"competency '{name}' has no anchor for level '{key}'",
                        f"add `{key}: {{zh: …, en: …}}` under anchors: every level of the scale needs a behavioural description",
                        at_key=True,
                    )
                )
    return problems


def check_kpis(document: YamlDocument) -> list[SourceProblem]:
    kpis = list(_items(document.data, "kpis"))
    return _duplicate_ids(document, ((("kpis", i, "id"), k.get("id")) for i, k in kpis), "KPI")


def _check_weights(document: YamlDocument, path: PathKey, entries: dict[str, Any], what: str) -> list[SourceProblem]:
    weights = [e.get("weight") for e in entries.values() if isinstance(e, dict)]
    if not weights or not all(isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) for w in weights):
        return []  # missing, non-numeric or non-finite weights are reported by field validation
    total = sum(weights)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        return [
            document.problem(
                path,
                f"the {what} weights add up to {total:g}, not 1",
                "weights are shares of the whole: change them so that they add up to exactly 1",
                at_key=True,
            )
        ]
    return []


def check_roles(document: YamlDocument, model_data: Any, kpi_data: Any) -> list[SourceProblem]:
    """Roles against each other and against the model and KPI catalog they name."""
    problems: list[SourceProblem] = []
    roles = list(_items(document.data, "roles"))
    problems += _duplicate_ids(document, ((("roles", i, "id"), r.get("id")) for i, r in roles), "role")
    role_ids = {r.get("id") for _, r in roles}
    competency_ids = {c.get("id") for _, c in _items(model_data, "competencies")} if model_data is not None else None
    kpi_ids = {k.get("id") for _, k in _items(kpi_data, "kpis")} if kpi_data is not None else None
    levels = scale_keys(model_data) if model_data is not None else {}
    for i, role in roles:
        name = role.get("id", f"#{i + 1}")
        boss = role.get("reports_to")
        if boss is not None and boss not in role_ids:
            problems.append(document.problem(("roles", i, "reports_to"), f"role '{name}' reports to unknown role '{boss}'", did_you_mean(boss, role_ids - {None})))
        elif boss == name:
            problems.append(document.problem(("roles", i, "reports_to"), f"role '{name}' reports to itself", "name the role above it, or remove `reports_to`"))
        needs = role.get("competencies")
        if isinstance(needs, dict):
            for key, need in needs.items():
                if competency_ids is not None and key not in competency_ids:
                    problems.append(
                        document.problem(("roles", i, "competencies", key), f"role '{name}' requires unknown competency '{key}'", did_you_mean(str(key), competency_ids - {None}), at_key=True)
                    )
                required = need.get("required") if isinstance(need, dict) else None
                if levels and isinstance(required, int) and required not in levels.values():
                    values = ", ".join(str(v) for v in sorted(v for v in levels.values() if isinstance(v, int)))
                    problems.append(
                        document.problem(("roles", i, "competencies", key, "required"), f"required level {required} is not on the scale", f"use one of the scale's levels: {values}")
                    )
            problems += _check_weights(document, ("roles", i, "competencies"), needs, f"competency (role '{name}')")
        kpis = role.get("kpis")
        if isinstance(kpis, dict):
            for key in kpis:
                if kpi_ids is not None and key not in kpi_ids:
                    problems.append(document.problem(("roles", i, "kpis", key), f"role '{name}' uses unknown KPI '{key}'", did_you_mean(str(key), kpi_ids - {None}), at_key=True))
            problems += _check_weights(document, ("roles", i, "kpis"), kpis, f"KPI (role '{name}')")
    return problems
