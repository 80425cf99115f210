"""Any valid model survives dump → YAML → load unchanged, and validates clean."""

from __future__ import annotations

import yaml
from hypothesis import given, settings

from competency.files.yaml_loader import parse_yaml
from competency.domain import CompetencyModel
from competency.files.bundle import Documents
from competency.files.kinds import check_document
from tests.examples import examples

from tests.property.strategies import competency_models


@settings(max_examples=examples(60), deadline=None)
@given(competency_models())
def test_dump_then_load_is_identity(model: CompetencyModel) -> None:
    text = yaml.safe_dump(model.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
    document = parse_yaml(text, "generated.yaml")
    assert CompetencyModel.model_validate(document.data) == model
    context = Documents()
    context.add(document)
    assert check_document(document, context) == []
