"""Every kind of YAML file beyond the model files, registered with the validator
and the schema generator in one place."""

from __future__ import annotations

from pydantic import ValidationError

from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import YamlDocument
from competency.files.editor_schema import register_schema
from competency.errors import SourceProblem
from competency.ingest.mapping import ImportMapping, cross_check
from competency.files.bundle import Documents, bundle_from_documents, register_kind
from competency.rules import RULE_FILE_SHAPES, check_rule_document
from competency.scoring.config import ScoringConfig, check_scoring
from competency._text import did_you_mean


def _model_facts(document: YamlDocument, context: Documents) -> tuple[list[str] | None, list[int] | None, list[SourceProblem]]:
    """Rater groups and scale levels of the model a file names with `model:`."""
    model_id = document.data.get("model")
    model = context.find("competency_model", model_id)
    if model is None or not isinstance(model.data, dict):
        if not isinstance(model_id, str):
            return None, None, []
        return None, None, [document.problem(("model",), f"no competency model with id '{model_id}' found beside this file", did_you_mean(model_id, context.model_ids()))]
    groups = model.data.get("rater_groups") or ["self", "manager", "peer", "direct_report", "customer"]
    scale = model.data.get("scale") or {}
    levels = [level.get("value") for level in scale.get("levels", []) if isinstance(level, dict)]
    return list(groups), levels, []


def _check_scoring_file(document: YamlDocument, context: Documents) -> list[SourceProblem]:
    problems: list[SourceProblem] = []
    try:
        ScoringConfig.model_validate(document.data)
    except ValidationError as error:
        problems += problems_from(error, document, ScoringConfig)
    groups, levels, missing = _model_facts(document, context)
    return problems + missing + check_scoring(document, groups, levels)


def _check_mapping_file(document: YamlDocument, context: Documents) -> list[SourceProblem]:
    """An import mapping names columns, rater groups and behaviours of the model beside it."""
    problems: list[SourceProblem] = []
    try:
        ImportMapping.model_validate(document.data)
    except ValidationError as error:
        problems += problems_from(error, document, ImportMapping)
    bundle = _first_bundle(context)
    applies_to = document.data.get("applies_to") if isinstance(document.data, dict) else None
    kind = applies_to if applies_to in ("roster", "responses", "kpis", "potential") else "responses"
    if bundle is not None and isinstance(document.data, dict):
        problems += cross_check(document, kind, bundle)
    return problems


def _first_bundle(context: Documents):  # noqa: ANN202 - ModelBundle | None
    """The model found beside a file (or in its organisation's models folder), if it loads."""
    from competency.errors import SourceErrors

    for model_id in context.model_ids():
        documents = [context.find(kind, model_id) for kind in ("competency_model", "kpi_definitions", "role_profiles")]
        if all(documents):
            try:
                return bundle_from_documents(documents, "models")
            except SourceErrors:
                return None
    return None


register_kind("import_mapping", _check_mapping_file)
register_schema("import_mapping", "import_mapping", ImportMapping)
register_kind("scoring", _check_scoring_file)
register_schema("scoring", "scoring", ScoringConfig)
register_kind("ruleset", check_rule_document)
register_kind("decision_table", check_rule_document)
for _kind, _shape in RULE_FILE_SHAPES.items():
    register_schema(_kind, _kind, _shape)
# Development plans (issue 6): the action library and the development rules.
from competency.development import ActionLibrary, DevelopmentRulesEditorShape, check_action_library_document, check_development_rules_document  # noqa: E402

register_kind("action_library", check_action_library_document)
register_schema("action_library", "action_library", ActionLibrary)
register_kind("development_rules", check_development_rules_document)
register_schema("development_rules", "development_rules", DevelopmentRulesEditorShape)

# Rating guidelines for calibration (`kind: guidelines`).
from competency.calibration.check import check_guidelines  # noqa: E402
from competency.calibration.guidelines import Guidelines  # noqa: E402

register_kind("guidelines", check_guidelines)
register_schema("guidelines", "guidelines", Guidelines)
