"""The `decisions:` of development rules: rule-language steps, run for everyone at
once in SQL, that must set

- `plan.type`         — improvement, development or growth;
- `plan.focus_count`  — how many focus competencies the plan has.

They read these names (besides `competency.<id>`, `score.*` and `employee.*`):

    person.final_rating   the calibrated final rating, A > B > C > D (null: not rated)
    person.rating         the computed rating before calibration
    person.gaps           how many competencies are below the role's required level
    person.blind_spots    how many competencies the person rates ≥ gap above others
    person.below_top      how many scored competencies are below the top level
    person.scored         how many competencies have a 360 score
    person.has_next_role  true when the role reports to another role

Errors keep the line and column of the rules file.
"""

from __future__ import annotations

from typing import Any

from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog
from competency.errors import SourceProblem
from competency.files.yaml_loader import PathKey, YamlDocument
from competency.rules import Ruleset, Schema, build_schema
from competency.rules.expr import BOOL, Type, enum
from competency.rules.loading import parse_ruleset

PLAN_TYPES: tuple[str, ...] = ("improvement", "development", "growth")
RATINGS: tuple[str, ...] = ("A", "B", "C", "D")
PLAN_TYPE = "plan.type"
FOCUS_COUNT = "plan.focus_count"


def decision_schema(model: CompetencyModel, kpis: KpiCatalog | None, roles: RoleCatalog | None) -> Schema:
    """The names development decisions may read (see the module's docstring)."""
    base = build_schema(model, kpis, roles)
    keep = {
        name: type_
        for name, type_ in base.types.items()
        if name.startswith("competency.")
        or name in ("score.competency_index", "score.kpi_index")
        or name in ("employee.role", "employee.potential", "employee.department", "employee.region", "employee.id", "employee.manager_id")
    }
    count = Type("number", low=0.0, high=float(len(model.competencies)))
    rating = enum(RATINGS, ordered=True)
    scale = Type("number", low=float(model.scale.minimum), high=float(model.scale.maximum))
    keep.update(
        {
            "score.ability": scale,
            "score.performance": scale,
            "person.final_rating": rating,
            "person.rating": rating,
            "person.gaps": count,
            "person.blind_spots": count,
            "person.below_top": count,
            "person.scored": count,
            "person.has_next_role": BOOL,
        }
    )
    return Schema(keep, {name: "input" for name in keep})


def _decisions_document(document: YamlDocument, data: dict[str, Any]) -> YamlDocument:
    """The `decisions:` list seen as a rule set of the same file: paths under
    `decisions` become `steps`, so every error keeps its line and column."""
    prefix = ("decisions",)
    spans = {("steps", *path[1:]): span for path, span in document.spans.items() if path[:1] == prefix}
    spans[()] = document.spans.get((), spans.get(("steps",)))  # type: ignore[assignment]
    spans = {k: v for k, v in spans.items() if v is not None}
    ruleset = {"kind": "ruleset", "id": str(data.get("id") or "development"), "version": "0", "name": "decisions", "steps": data["decisions"]}
    return YamlDocument(document.file, document.text, ruleset, spans)


def parse_decisions(document: YamlDocument, schema: Schema) -> tuple[Ruleset | None, list[SourceProblem]]:
    """The decisions as a checked rule set, and every problem (placed in `document`)."""
    data = document.data if isinstance(document.data, dict) else {}
    if not isinstance(data.get("decisions"), list) or not data["decisions"]:
        return None, []  # the field check says so
    ruleset, problems = parse_ruleset(_decisions_document(document, data), schema)
    if ruleset is None:
        return None, problems
    problems += _required_outputs(document, ruleset)
    return (ruleset if not problems else None), problems


def _required_outputs(document: YamlDocument, ruleset: Ruleset) -> list[SourceProblem]:
    problems = []
    produced = [name for name in ruleset.outputs]
    plan_type = ruleset.schema.get(PLAN_TYPE) if PLAN_TYPE in produced else None
    where: PathKey = ("decisions",)
    if plan_type is None:
        problems.append(
            document.problem(where, f"the decisions never set '{PLAN_TYPE}'", f"add a table whose output is named {PLAN_TYPE}, with values: [{', '.join(PLAN_TYPES)}]", at_key=True)
        )
    elif plan_type.kind != "enum" or not set(plan_type.values) <= set(PLAN_TYPES):
        step = ruleset.schema.origins.get(PLAN_TYPE)
        index = next(i for i, s in enumerate(document.data["decisions"]) if isinstance(s, dict) and s.get("id") == step)
        others = sorted(set(plan_type.values) - set(PLAN_TYPES)) if plan_type.kind == "enum" else []
        what = f"unknown plan type {', '.join(repr(o) for o in others)}" if others else f"'{PLAN_TYPE}' must be a choice of plan types, not {plan_type.describe()}"
        problems.append(document.problem((*where, index, "output"), what, f"plan types are {', '.join(PLAN_TYPES)}", at_key=True))
    focus = ruleset.schema.get(FOCUS_COUNT) if FOCUS_COUNT in produced else None
    if focus is None:
        problems.append(document.problem(where, f"the decisions never set '{FOCUS_COUNT}'", f"add a step (compute or table with type: number) named {FOCUS_COUNT}", at_key=True))
    elif focus.kind != "number":
        step = ruleset.schema.origins.get(FOCUS_COUNT)
        index = next(i for i, s in enumerate(document.data["decisions"]) if isinstance(s, dict) and s.get("id") == step)
        problems.append(document.problem((*where, index), f"'{FOCUS_COUNT}' must be a number, not {focus.describe()}", "declare the table's output with type: number", at_key=True))
    return problems
