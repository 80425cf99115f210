"""Every kind of YAML file, in one table: its `kind:` value, its name for
`competency schema`, its pydantic shape, and the check `validate` runs on it.

The table is plain data built at import: nothing registers itself elsewhere,
so `validate_paths` gives the same answer in a fresh interpreter as anywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from competency._text import did_you_mean
from competency.calibration.check import check_guidelines
from competency.calibration.guidelines import Guidelines
from competency.development import ActionLibrary, DevelopmentRulesEditorShape, check_action_library_document, check_development_rules_document
from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog
from competency.errors import Location, SourceErrors, SourceProblem
from competency.files.bundle import Documents, bundle_from_documents, check_model_document, context_folders, kind_of, kind_problems, parse_all, yaml_files
from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import YamlDocument
from competency.ingest.mapping import ImportMapping, cross_check
from competency.rules import RULE_FILE_SHAPES, check_rule_document
from competency.scoring.config import ScoringConfig, check_scoring

Checker = Callable[[YamlDocument, Documents], list[SourceProblem]]


@dataclass(frozen=True)
class Kind:
    """One kind of file: what its `kind:` line says, the name of its editor schema,
    its shape, and the check of a whole document given the files beside it."""

    kind: str
    schema_name: str
    shape: type[BaseModel]
    check: Checker


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
    for model_id in context.model_ids():
        documents = [context.find(kind, model_id) for kind in ("competency_model", "kpi_definitions", "role_profiles")]
        if all(documents):
            try:
                return bundle_from_documents(documents, "models")
            except SourceErrors:
                return None
    return None


KINDS: tuple[Kind, ...] = (
    Kind("competency_model", "model", CompetencyModel, check_model_document),
    Kind("kpi_definitions", "kpis", KpiCatalog, check_model_document),
    Kind("role_profiles", "roles", RoleCatalog, check_model_document),
    Kind("import_mapping", "import_mapping", ImportMapping, _check_mapping_file),
    Kind("scoring", "scoring", ScoringConfig, _check_scoring_file),
    Kind("ruleset", "ruleset", RULE_FILE_SHAPES["ruleset"], check_rule_document),
    Kind("decision_table", "decision_table", RULE_FILE_SHAPES["decision_table"], check_rule_document),
    Kind("action_library", "action_library", ActionLibrary, check_action_library_document),
    Kind("development_rules", "development_rules", DevelopmentRulesEditorShape, check_development_rules_document),
    Kind("guidelines", "guidelines", Guidelines, check_guidelines),
)
BY_KIND = {k.kind: k for k in KINDS}


def check_document(document: YamlDocument, context: Documents) -> list[SourceProblem]:
    """Every problem of one parsed document, given the files around it."""
    problems = kind_problems(document, sorted(BY_KIND))
    if problems:
        return problems
    return BY_KIND[kind_of(document)].check(document, context)


def validate_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[SourceProblem]]:
    """Check files (and folders of files), given as paths or text; the files beside
    them serve as context for references. Returns the files checked and every problem."""
    files = yaml_files(Path(p) for p in paths)
    for file in files:
        if not file.exists():
            raise SourceErrors([SourceProblem(Location(str(file), 1, 1), "no such file or folder", "check the path")])
    documents, problems = parse_all(files)
    named = {Path(d.file).resolve() for d in documents}
    siblings = {p for f in files for p in yaml_files(context_folders(f)) if p.resolve() not in named}
    context_documents, _ = parse_all(sorted(siblings))  # a broken sibling is not this call's concern
    context = Documents()
    for document in [*documents, *context_documents]:
        context.add(document)
    for document in documents:
        problems += check_document(document, context)
    return files, problems
