"""Load competency-model files (YAML → pydantic) with errors that point at the source.

A *bundle* is what one organisation's model consists of: the competency model,
its KPI definitions and its role profiles, usually the three files of one
folder (`models/sales/`). Files say what they are with a top-level `kind:`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from competency.files import crossref as _crossref
from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import YamlDocument, read_yaml
from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog
from competency.errors import Location, SourceErrors, SourceProblem
from competency._text import did_you_mean

MODEL_KINDS: dict[str, type[BaseModel]] = {
    "competency_model": CompetencyModel,
    "kpi_definitions": KpiCatalog,
    "role_profiles": RoleCatalog,
}
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Documents:
    """Parsed YAML files by kind, for checks that reach across files."""

    by_kind: dict[str, list[YamlDocument]] = field(default_factory=dict)

    def add(self, document: YamlDocument) -> None:
        self.by_kind.setdefault(kind_of(document) or "", []).append(document)

    def find(self, kind: str, model_id: Any) -> YamlDocument | None:
        """The document of `kind` belonging to model `model_id`."""
        for document in self.by_kind.get(kind, []):
            data = document.data
            key = "id" if kind == "competency_model" else "model"
            if isinstance(data, dict) and data.get(key) == model_id:
                return document
        return None

    def validated(self, kind: str, model_id: Any, cls: type[BaseModel]) -> Any:
        """The document of `kind` for model `model_id` as a `cls`; None when it is missing
        or invalid (its own check reports why)."""
        document = self.find(kind, model_id)
        if document is None:
            return None
        try:
            return cls.model_validate(document.data)
        except ValidationError:
            return None

    def model_ids(self) -> list[str]:
        return [d.data.get("id") for d in self.by_kind.get("competency_model", []) if isinstance(d.data, dict)]


def kind_of(document: YamlDocument) -> str | None:
    data = document.data
    return data.get("kind") if isinstance(data, dict) and isinstance(data.get("kind"), str) else None


def kind_problems(document: YamlDocument, kinds: list[str]) -> list[SourceProblem]:
    """What is wrong with a file's `kind:` line, given every kind there is."""
    data = document.data
    if not isinstance(data, dict):
        what = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        return [SourceProblem(Location(document.file, 1, 1), f"the file is {what}", f"start it with `kind: …` (one of {', '.join(kinds)})")]
    kind = data.get("kind")
    if kind is None:
        return [SourceProblem(Location(document.file, 1, 1), "missing `kind:` at the top of the file", f"add `kind: …`, one of {', '.join(kinds)}", document.line(1))]
    if kind not in kinds:
        return [document.problem(("kind",), f"unknown kind '{kind}'", did_you_mean(str(kind), kinds))]
    return []


def check_model_document(document: YamlDocument, context: Documents) -> list[SourceProblem]:
    """Every problem of a model, KPI or role file, given the files around it."""
    kind = kind_of(document)
    assert kind in MODEL_KINDS, kind
    problems: list[SourceProblem] = []
    try:
        MODEL_KINDS[kind].model_validate(document.data)
    except ValidationError as error:
        problems += problems_from(error, document, MODEL_KINDS[kind])
    if kind == "competency_model":
        return _prefer_positioned(problems, _crossref.check_model(document))
    model_id = document.data.get("model")
    model = context.find("competency_model", model_id)
    if model is None and isinstance(model_id, str):
        problems.append(document.problem(("model",), f"no competency model with id '{model_id}' found beside this file", did_you_mean(model_id, context.model_ids())))
    if kind == "kpi_definitions":
        problems += _crossref.check_kpis(document)
    else:
        kpis = context.find("kpi_definitions", model_id)
        problems += _crossref.check_roles(document, model.data if model else None, kpis.data if kpis else None)
    return problems


def _prefer_positioned(field_problems: list[SourceProblem], cross_problems: list[SourceProblem]) -> list[SourceProblem]:
    """Where a cross-check says the same as a field validator, keep the cross-check's
    more precise position."""
    said = {p.message for p in cross_problems}
    return [p for p in field_problems if p.message not in said] + cross_problems


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named, folders expanded (sorted, hidden files skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in YAML_SUFFIXES and not p.name.startswith(".") and p.is_file())
        else:
            found.append(path)
    return found


def context_folders(file: Path) -> list[Path]:
    """Where the files a file refers to may be: its own folder, and the `models/`
    folder of the organisation folder it sits in (rule files name their model)."""
    folders = [file.parent]
    for ancestor in file.resolve().parents:
        if (ancestor / "models").is_dir():
            folders.append(ancestor / "models")
            break
    return folders


def parse_all(files: Iterable[Path]) -> tuple[list[YamlDocument], list[SourceProblem]]:
    documents, problems = [], []
    for file in files:
        try:
            documents.append(read_yaml(file))
        except SourceErrors as error:
            problems += error.problems
    return documents, problems



@dataclass(frozen=True)
class ModelBundle:
    """A competency model with its KPI definitions and role profiles."""

    model: CompetencyModel
    kpis: KpiCatalog
    roles: RoleCatalog
    files: tuple[Path, ...]


def load_bundle(folder: Path) -> ModelBundle:
    """Load and check the model, KPI and role files of one folder."""
    documents, problems = parse_all(yaml_files([folder]))
    if problems:
        raise SourceErrors(problems)
    return bundle_from_documents(documents, str(folder))


def bundle_from_documents(documents: list[YamlDocument], where: str) -> ModelBundle:
    """Check parsed model files together and build the bundle (or raise every problem)."""
    context = Documents()
    for document in documents:
        context.add(document)
    models = [d for d in documents if kind_of(d) in MODEL_KINDS]
    problems = [p for document in models for p in check_model_document(document, context)]
    if problems:
        raise SourceErrors(problems)
    found = {kind: context.by_kind.get(kind, []) for kind in MODEL_KINDS}
    for kind, docs in found.items():
        if len(docs) != 1:
            count = "no" if not docs else str(len(docs))
            raise SourceErrors([SourceProblem(Location(where, 1, 1), f"{count} files of kind '{kind}' in this folder", "a model folder holds exactly one model, one KPI file and one role file")])
    model = CompetencyModel.model_validate(found["competency_model"][0].data)
    kpis = KpiCatalog.model_validate(found["kpi_definitions"][0].data)
    roles = RoleCatalog.model_validate(found["role_profiles"][0].data)
    return ModelBundle(model, kpis, roles, tuple(Path(d.file) for d in models))
