"""The action library (`kind: action_library`): development actions per competency.

Each action suits people starting at some levels of the scale and is one of
three types (learning from experience is the best development, DOMAIN §3):

- `experience` — stretch assignments on the job;
- `exposure`   — coaching, feedback, mentoring, shadowing;
- `education`  — courses and reading.

It has a duration in weeks, an effort in hours (the 70/20/10 mix is counted
by effort) and the evidence that shows progress. The YAML:

    kind: action_library
    id: sales_actions
    version: "2026.1"
    model: sales
    name: {zh: 发展行动库, en: Development actions}
    competencies:
      execution:
        - id: exe_own_a_plan
          type: experience
          levels: [poor, average]
          weeks: 8
          hours: 28
          behaviors: [exe_sets_goals_seeks_solutions]
          title: {zh: …, en: …}
          evidence: {zh: …, en: …}

Field checks are pydantic's; references (competencies, level keys, behaviours)
and duplicate ids are checked on the raw YAML so that every mistake of a file
is reported at once, each at its line.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError

from competency.files.crossref import scale_keys
from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import YamlDocument
from competency.domain import CompetencyModel, Text
from competency.domain._base import Identifier, Number, Strict
from competency.errors import SourceProblem
from competency.rules._shapes import VersionText
from competency._text import did_you_mean

ACTION_TYPES: tuple[str, ...] = ("experience", "exposure", "education")
ActionType = Literal["experience", "exposure", "education"]


class Action(Strict):
    """One development action for one competency."""

    id: Identifier
    type: ActionType = Field(description="experience (on the job), exposure (coaching, feedback, mentoring) or education (courses, reading).")
    levels: list[Identifier] = Field(min_length=1, description="Level keys of the scale (e.g. poor, average) this action suits as a starting level.")
    weeks: int = Field(ge=1, le=26, description="How long it runs, in weeks.")
    hours: Number = Field(gt=0, le=400, description="The effort it takes, in hours; the 70/20/10 mix is counted by effort.")
    title: Text
    description: Text | None = None
    evidence: Text = Field(description="What shows progress: what the person or the partner can see or count.")
    behaviors: list[Identifier] = Field(default_factory=list, description="Behaviours (survey items) of the competency the action works on.")


class ActionLibrary(Strict):
    """Development actions of one competency model, by competency."""

    kind: str = Field(default="action_library", pattern="^action_library$")
    id: Identifier
    version: VersionText
    model: Identifier = Field(description="The id of the competency model the actions belong to.")
    name: Text
    description: Text | None = None
    competencies: dict[str, list[Action]] = Field(min_length=1, description="Competency id → its actions.")

    def actions(self) -> list[tuple[str, Action]]:
        return [(competency_id, action) for competency_id, actions in self.competencies.items() for action in actions]

    def action(self, action_id: str) -> tuple[str, Action] | None:
        return next(((c, a) for c, a in self.actions() if a.id == action_id), None)


def check_library(document: YamlDocument, model_data: Any) -> list[SourceProblem]:
    """Every problem of an action library: its fields, then its references to the model."""
    problems: list[SourceProblem] = []
    try:
        ActionLibrary.model_validate(document.data)
    except ValidationError as error:
        problems += problems_from(error, document, ActionLibrary)
    fields_ok = not problems
    data = document.data if isinstance(document.data, dict) else {}
    competencies = data.get("competencies")
    if not isinstance(competencies, dict):
        return problems
    model = _model_facts(model_data)
    first: dict[str, tuple[Any, ...]] = {}
    for competency_id, actions in competencies.items():
        if model is not None and competency_id not in model.behaviours:
            problems.append(
                document.problem(("competencies", competency_id), f"unknown competency '{competency_id}'", did_you_mean(str(competency_id), model.behaviours), at_key=True)
            )
        if not isinstance(actions, list):
            continue
        for index, action in enumerate(actions):
            if not isinstance(action, dict):
                continue
            path = ("competencies", competency_id, index)
            action_id = action.get("id")
            if isinstance(action_id, str):
                if action_id in first:
                    line = document.locate((*first[action_id], "id")).line
                    problems.append(document.problem((*path, "id"), f"duplicate action id '{action_id}' (first used on line {line})", "give each action its own id"))
                else:
                    first[action_id] = path
            if model is not None:
                problems += _check_references(document, path, action, str(competency_id), model)
    if model is not None and fields_ok:
        problems += _check_coverage(document, competencies, model)
    return problems


class _ModelFacts:
    """What the library's checks need of the model: level keys and behaviours."""

    def __init__(self, levels: dict[str, Any], behaviours: dict[str, list[str]]) -> None:
        self.levels = levels  # key → value
        self.behaviours = behaviours  # competency id → behaviour ids

    @property
    def top(self) -> Any:
        values = [v for v in self.levels.values() if isinstance(v, int)]
        return max(values) if values else None

    def owner(self, behaviour: str) -> str | None:
        return next((c for c, items in self.behaviours.items() if behaviour in items), None)


def _model_facts(model_data: Any) -> _ModelFacts | None:
    if not isinstance(model_data, dict):
        return None
    behaviours: dict[str, list[str]] = {}
    for competency in model_data.get("competencies") or []:
        if isinstance(competency, dict) and isinstance(competency.get("id"), str):
            items = competency.get("behaviors") or []
            behaviours[competency["id"]] = [b.get("id") for b in items if isinstance(b, dict) and isinstance(b.get("id"), str)]
    return _ModelFacts(scale_keys(model_data), behaviours)


def _check_references(document: YamlDocument, path: tuple[Any, ...], action: dict[str, Any], competency_id: str, model: _ModelFacts) -> list[SourceProblem]:
    problems = []
    name = action.get("id", f"#{path[-1] + 1}")
    levels = action.get("levels")
    if isinstance(levels, list):
        for i, key in enumerate(levels):
            if isinstance(key, str) and key not in model.levels:
                problems.append(document.problem((*path, "levels", i), f"action '{name}' names unknown level '{key}'", did_you_mean(key, model.levels)))
    behaviours = action.get("behaviors")
    if isinstance(behaviours, list) and competency_id in model.behaviours:
        own = model.behaviours[competency_id]
        for i, behaviour in enumerate(behaviours):
            if not isinstance(behaviour, str) or behaviour in own:
                continue
            owner = model.owner(behaviour)
            if owner is not None:
                message = f"behaviour '{behaviour}' belongs to competency '{owner}', not '{competency_id}'"
                hint = f"an action works on behaviours of its own competency: {', '.join(own)}"
            else:
                message, hint = f"action '{name}' names unknown behaviour '{behaviour}'", did_you_mean(behaviour, own)
            problems.append(document.problem((*path, "behaviors", i), message, hint))
    return problems


def _check_coverage(document: YamlDocument, competencies: dict[Any, Any], model: _ModelFacts) -> list[SourceProblem]:
    """Every competency has, for every level below the top, an action of every type.

    Plans only ever focus on a competency below the top level, so with this a
    plan always finds actions of all three types to mix. Checked once every
    action's fields are right (a wrong `type:` would otherwise be reported twice).
    """
    problems = []
    ordered = sorted(model.levels.items(), key=lambda kv: kv[1] if isinstance(kv[1], int) else 0)
    below_top = [key for key, value in ordered if value != model.top]
    for competency_id in model.behaviours:
        actions = competencies.get(competency_id)
        if not isinstance(actions, list):
            problems.append(
                document.problem(
                    ("competencies",),
                    f"no actions for competency '{competency_id}'",
                    f"add `{competency_id}:` with its actions under competencies: a plan may focus on any competency of the model",
                    at_key=True,
                )
            )
            continue
        offered = {
            (kind, level)
            for action in actions
            if isinstance(action, dict)
            for kind in [action.get("type")]
            for level in (action.get("levels") if isinstance(action.get("levels"), list) else [])
        }
        missing = [f"{kind} for '{level}'" for level in below_top for kind in ACTION_TYPES if (kind, level) not in offered]
        if missing:
            problems.append(
                document.problem(
                    ("competencies", competency_id),
                    f"competency '{competency_id}' lacks actions: {', '.join(missing)}",
                    "every level below the top needs at least one experience, one exposure and one education action",
                    at_key=True,
                )
            )
    return problems


def library_for(model: CompetencyModel, library: ActionLibrary) -> dict[tuple[str, int], list[Action]]:
    """(competency id, starting level value) → the actions that suit it, in file order."""
    values = {level.key: level.value for level in model.scale.levels}
    found: dict[tuple[str, int], list[Action]] = {}
    for competency_id, action in library.actions():
        for key in action.levels:
            found.setdefault((competency_id, values[key]), []).append(action)
    return found
