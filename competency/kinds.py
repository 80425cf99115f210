"""Every kind of YAML file beyond the model files, registered with the validator
and the schema generator in one place."""

from __future__ import annotations

from pydantic import ValidationError

from competency._pydantic_errors import problems_from
from competency._yaml import YamlDocument
from competency.editor_schema import register_schema
from competency.errors import SourceProblem
from competency.loading import Documents, register_kind
from competency.rules import RULE_FILE_SHAPES, check_rule_document
from competency.scoring.config import ScoringConfig, check_scoring
from competency.suggest import did_you_mean


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


register_kind("scoring", _check_scoring_file)
register_schema("scoring", "scoring", ScoringConfig)
register_kind("ruleset", check_rule_document)
register_kind("decision_table", check_rule_document)
for _kind, _shape in RULE_FILE_SHAPES.items():
    register_schema(_kind, _kind, _shape)
