"""Action libraries and development rules: checks for `validate`, loading for plans.

Both kinds name their competency model with `model:`; the checks read it (and
its KPI and role files) from the files validated together, so references are
checked against the real model: unknown competencies, levels, behaviours and
rule names get a "did you mean".
"""

from __future__ import annotations

from typing import Any


from competency.files.yaml_loader import YamlDocument
from competency.development.actions import ActionLibrary, check_library
from competency.development.inputs import PlanInputs
from competency.development.decisions import decision_schema, parse_decisions
from competency.development.rules import DevelopmentRules, check_rules
from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog
from competency.errors import Location, NoPlanRules, SourceErrors, SourceProblem
from competency.files.bundle import Documents, ModelBundle, kind_of
from competency._text import did_you_mean

ACTION_LIBRARY = "action_library"
DEVELOPMENT_RULES = "development_rules"


def _model_document(document: YamlDocument, context: Documents) -> tuple[YamlDocument | None, list[SourceProblem]]:
    data = document.data if isinstance(document.data, dict) else {}
    model_id = data.get("model")
    if not isinstance(model_id, str):
        return None, []  # the field check reports a missing or odd `model:`
    model = context.find("competency_model", model_id)
    if model is None:
        return None, [document.problem(("model",), f"no competency model with id '{model_id}' found beside this file", did_you_mean(model_id, context.model_ids()))]
    return model, []


def _dedupe(problems: list[SourceProblem]) -> list[SourceProblem]:
    seen: set[tuple[Any, ...]] = set()
    unique = []
    for problem in problems:
        key = (problem.location, problem.message)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def check_action_library_document(document: YamlDocument, context: Documents) -> list[SourceProblem]:
    """The check `validate` runs on an action library (see competency/files/kinds.py)."""
    model, problems = _model_document(document, context)
    return problems + check_library(document, model.data if model is not None else None)


def check_development_rules_document(document: YamlDocument, context: Documents) -> list[SourceProblem]:
    """The check `validate` runs on development rules (see competency/files/kinds.py)."""
    model_document, problems = _model_document(document, context)
    model_id = model_document.data.get("id") if model_document is not None else None
    model = context.validated("competency_model", model_id, CompetencyModel) if model_id else None
    kpis = context.validated("kpi_definitions", model_id, KpiCatalog) if model is not None else None
    roles = context.validated("role_profiles", model_id, RoleCatalog) if model is not None else None
    libraries = [str(d.data.get("id")) for d in context.by_kind.get(ACTION_LIBRARY, []) if isinstance(d.data, dict)]
    return _dedupe(problems + check_rules(document, model, kpis, roles, libraries))


def plan_inputs(documents: list[YamlDocument], bundle: ModelBundle, where: str) -> PlanInputs:
    """The development rules and action library among `documents` (a cycle's frozen
    rule files), checked against `bundle`; raises with every problem found."""
    rules_documents = [d for d in documents if kind_of(d) == DEVELOPMENT_RULES]
    if len(rules_documents) != 1:
        count = "no" if not rules_documents else str(len(rules_documents))
        raise NoPlanRules(
            f"{where} has {count} development rules files (kind: development_rules); plans need exactly one",
            hint="put one in the rules folder (the shipped one is rules/sales/development.yaml) and open a new cycle with it"
        )
    document = rules_documents[0]
    context = Documents()
    for model_document in documents:
        context.add(model_document)
    problems = check_development_rules_document(document, context)
    library_id = document.data.get("action_library") if isinstance(document.data, dict) else None
    library_documents = [d for d in documents if kind_of(d) == ACTION_LIBRARY and isinstance(d.data, dict) and d.data.get("id") == library_id]
    if problems:
        raise SourceErrors(problems)
    if not library_documents:
        raise NoPlanRules(f"{where} has no action library with id '{library_id}'", hint="put the action library (kind: action_library) beside the development rules")
    library_document = library_documents[0]
    problems = check_action_library_document(library_document, context)
    if problems:
        raise SourceErrors(problems)
    rules = DevelopmentRules.model_validate(document.data)
    library = ActionLibrary.model_validate(library_document.data)
    if library.model != bundle.model.id or rules.model != bundle.model.id:
        raise SourceErrors([SourceProblem(Location(document.file, 1, 1), f"the development rules and action library must belong to model '{bundle.model.id}'", "set `model:` in both files")])
    decisions, problems = parse_decisions(document, decision_schema(bundle.model, bundle.kpis, bundle.roles))
    if problems or decisions is None:
        raise SourceErrors(problems)
    return PlanInputs(bundle, rules, decisions, library)
