"""The model verbs: validate files, show a model, write schemas."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from competency._text import json_text
from competency.errors import NotFound, SourceErrors, SourceProblem
from competency.files.bundle import ModelBundle, load_bundle
from competency.files.kinds import validate_paths
from competency.reports.outline import outline
from competency.files.shipped import default_model_folder, shipped_path


@dataclass(frozen=True)
class Validation:
    """What `validate` looked at and what it found."""

    files: list[Path]
    problems: list[SourceProblem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def report(self) -> str:
        if self.ok:
            names = "\n".join(f"  ok  {file}" for file in self.files)
            return f"{names}\n{len(self.files)} file(s) valid."
        return SourceErrors(self.problems).render()


def validate(paths: list[Path]) -> Validation:
    """Check the given files and folders; the shipped models and rules when none."""
    if not paths:
        paths = [shipped_path("models"), shipped_path("rules")]
    files, problems = validate_paths(paths)
    return Validation(files, problems)


def show_model(folder: Path | None, lang: str, competency_id: str | None, as_json: bool) -> str:
    """The model of `folder` (the shipped one by default) as an outline or JSON."""
    bundle: ModelBundle = load_bundle(folder or default_model_folder())
    if competency_id is not None and bundle.model.competency(competency_id) is None:
        from competency._text import did_you_mean

        known = [c.id for c in bundle.model.competencies]
        raise NotFound(f"no competency '{competency_id}' in model '{bundle.model.id}'", hint=did_you_mean(competency_id, known))
    if as_json:
        payload = {"model": bundle.model.model_dump(mode="json"), "kpis": bundle.kpis.model_dump(mode="json"), "roles": bundle.roles.model_dump(mode="json")}
        if competency_id is not None:
            payload = bundle.model.competency(competency_id).model_dump(mode="json")  # type: ignore[union-attr]
        return json_text(payload)
    return outline(bundle, lang, competency_id)
