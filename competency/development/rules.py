"""Development rules (`kind: development_rules`): how plans are made.

One file, one validation system. Its parameters (how blind spots are found,
the 70/20/10 mix, who may be a partner, the plan / act / reflect questions …)
are frozen pydantic models; its `decisions:` are steps of the rule language
(`competency.rules`), run for everyone at once in SQL, which must set

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

Errors point at the file, line and column, in the parameters and in the
decisions alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from competency.files.crossref import scale_keys
from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import PathKey, YamlDocument
from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog, Text
from competency.domain._base import Identifier, Strict
from competency.errors import SourceProblem
from competency.rules import Ruleset, Schema, build_schema
from competency.rules._shapes import AnyStep, VersionText
from competency.rules.expr import BOOL, Type, enum
from competency.rules.loading import parse_ruleset
from competency._text import did_you_mean

PLAN_TYPES: tuple[str, ...] = ("improvement", "development", "growth")
PlanType = Literal["improvement", "development", "growth"]
FocusSource = Literal["gap", "blind_spot", "next_role", "stretch"]
RATINGS: tuple[str, ...] = ("A", "B", "C", "D")
PLAN_TYPE = "plan.type"
FOCUS_COUNT = "plan.focus_count"
SHARE_TOLERANCE = 1e-6


class FocusOrder(Strict):
    """Per plan type, where focus competencies come from, in order."""

    improvement: list[FocusSource] = Field(min_length=1)
    development: list[FocusSource] = Field(min_length=1)
    growth: list[FocusSource] = Field(min_length=1)

    def items(self) -> list[tuple[str, list[str]]]:
        return [(plan_type, list(getattr(self, plan_type))) for plan_type in PLAN_TYPES]


class FocusRules(Strict):
    """How focus competencies are chosen, after the decisions set how many."""

    minimum: int = Field(default=1, ge=0, le=10, description="The decided focus count is raised to at least this.")
    maximum: int = Field(default=3, ge=1, le=10, description="… and lowered to at most this.")
    order: FocusOrder = Field(
        description="Per plan type, where focus competencies come from, in order: gap (below the role's required level, "
        "by gap × weight), blind_spot, next_role (below the level the next post requires), stretch (below the top level).",
    )
    target_step: int = Field(default=1, ge=1, le=3, description="At most this many levels higher in one quarter.")


class BlindSpotRules(Strict):
    """Self against others (the 360 score, self excluded)."""

    gap: float = Field(default=0.5, gt=0, le=3, description="A blind spot: self rates at least this much above others.")
    hidden_strength_gap: float = Field(default=0.5, gt=0, le=3, description="A hidden strength: others rate at least this much above self.")


class BehaviourRules(Strict):
    """Which behaviours of a focus competency to work on: the lowest-scored."""

    per_focus: int = Field(default=2, ge=1, le=5)
    figures: list[Identifier] = Field(
        default_factory=lambda: ["all_others", "manager"],
        min_length=1,
        description="No longer read, kept so that rule files frozen with earlier cycles still load: a behaviour is read by its one 360 score, as every report shows it.",
    )


class StrengthRules(Strict):
    competencies: int = Field(default=2, ge=0, le=10, description="Highest-scored competencies at or above the required level.")
    behaviours: int = Field(default=3, ge=0, le=10, description="Highest-scored behaviours (publishable figures only).")


class Mix(Strict):
    """Shares of effort by action type; they add up to 1."""

    experience: float = Field(ge=0, le=1)
    exposure: float = Field(ge=0, le=1)
    education: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _adds_up(self) -> Mix:
        total = self.experience + self.exposure + self.education
        if abs(total - 1) > SHARE_TOLERANCE:
            raise ValueError(f"the mix's shares add up to {total:g}, not 1")
        return self

    def as_dict(self) -> dict[str, float]:
        return {"experience": self.experience, "exposure": self.exposure, "education": self.education}


class ActionRules(Strict):
    """How actions are chosen for a focus: the mix of types by effort."""

    mix: Mix = Field(description="Share of effort by type (70/20/10).")
    mix_tolerance: float = Field(
        default=0.1, ge=0, le=2, description="How far (sum of absolute differences of the shares) a set of actions may be from the mix and still count as on it."
    )
    hours_per_focus: float = Field(default=40, gt=0, le=400, description="The effort aimed at per focus competency over the quarter.")
    max_per_type: int = Field(default=2, ge=1, le=4)


class PartnerRules(Strict):
    """The feedback and coaching partners (the seed's 绩效伙伴, performance partners)."""

    manager: bool = Field(default=True, description="The person's manager is a partner for every focus.")
    colleagues: bool = Field(default=True, description="Add a colleague who is at `level` in the competency.")
    scope: Literal["department", "region", "team"] = Field(default="department", description="Where a colleague may come from: the same department, region, or manager (team).")
    level: Identifier = Field(default="excellent", description="The level key (of the scale) a colleague partner must have reached in the competency.")


class ImprovementRules(Strict):
    """Plans for C and D final ratings."""

    review_month: int = Field(default=2, ge=1, le=3, description="The formal review is at the end of this month of the quarter.")
    expectations: list[Text] = Field(min_length=1, description="What is expected, said plainly; the focus goals are added to it.")


class GrowthRules(Strict):
    """Plans for A final ratings: growth toward the next post."""

    note: Text


class ReviewRules(Strict):
    threshold: float = Field(default=0.25, gt=0, le=3, description="A change of at least this much (on the scale) counts as improved or declined.")


class Phase(Strict):
    title: Text
    questions: list[Text] = Field(min_length=1)


class LearningCycle(Strict):
    """The seed's 从经验中学习: plan / act / reflect, each with its questions."""

    plan: Phase
    act: Phase
    reflect: Phase


class PlanLabels(Strict):
    """The name of each plan type."""

    improvement: Text
    development: Text
    growth: Text

    def get(self, plan_type: str) -> Text | None:
        return getattr(self, plan_type, None) if plan_type in PLAN_TYPES else None


class DevelopmentRules(Strict):
    """The whole file."""

    kind: str = Field(default="development_rules", pattern="^development_rules$")
    id: Identifier
    version: VersionText
    model: Identifier
    name: Text
    description: Text | None = None
    action_library: Identifier = Field(description="The id of the action library (kind: action_library) the plans draw on.")
    decisions: list[dict[str, Any]] = Field(min_length=1, description="Rule-language steps that set plan.type and plan.focus_count.")
    unrated_plan: PlanType = Field(default="development", description="The plan type when the decisions set none (e.g. not rated).")
    plan_labels: PlanLabels
    focus: FocusRules
    blind_spots: BlindSpotRules = BlindSpotRules()
    behaviours: BehaviourRules = BehaviourRules()
    strengths: StrengthRules = StrengthRules()
    actions: ActionRules
    partners: PartnerRules = PartnerRules()
    improvement: ImprovementRules
    growth: GrowthRules
    review: ReviewRules = ReviewRules()
    learning_cycle: LearningCycle


class DevelopmentRulesEditorShape(DevelopmentRules):
    """The same file for editors' JSON Schema: each decision typed by its `kind`."""

    decisions: list[AnyStep] = Field(min_length=1)  # type: ignore[assignment]


# ---------------------------------------------------------------- decisions


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


# ---------------------------------------------------------------- the whole file


def check_rules(document: YamlDocument, model: CompetencyModel | None, kpis: KpiCatalog | None, roles: RoleCatalog | None, library_ids: list[str] | None) -> list[SourceProblem]:
    """Every problem of a development-rules file: fields, references, decisions."""
    problems: list[SourceProblem] = []
    try:
        DevelopmentRules.model_validate(document.data)
    except ValidationError as error:
        problems += problems_from(error, document, DevelopmentRules)
    data = document.data if isinstance(document.data, dict) else {}
    focus = data.get("focus") if isinstance(data.get("focus"), dict) else {}
    low, high = focus.get("minimum", 1), focus.get("maximum", 3)
    if isinstance(low, int) and isinstance(high, int) and low > high:
        problems.append(document.problem(("focus", "minimum"), f"focus.minimum ({low}) is above focus.maximum ({high})", "the decided focus count is kept between them"))
    if model is not None:
        levels = scale_keys(model.model_dump(mode="json"))
        partners = data.get("partners")
        level = partners.get("level") if isinstance(partners, dict) else None
        if isinstance(level, str) and level not in levels:
            problems.append(document.problem(("partners", "level"), f"unknown level '{level}'", did_you_mean(level, levels)))
        behaviours = data.get("behaviours")
        figures = behaviours.get("figures") if isinstance(behaviours, dict) else None
        known = [*model.rater_groups, "others", "all_others"]
        for index, figure in enumerate(figures if isinstance(figures, list) else []):
            if isinstance(figure, str) and figure not in known:
                problems.append(document.problem(("behaviours", "figures", index), f"unknown figure '{figure}'", did_you_mean(figure, known)))
            elif figure == "self":
                problems.append(document.problem(("behaviours", "figures", index), "the self figure cannot say which behaviours others see as weakest", "use all_others, others, manager, peer, direct_report or customer"))
        problems += parse_decisions(document, decision_schema(model, kpis, roles))[1]
    library = data.get("action_library")
    if library_ids is not None and isinstance(library, str) and library not in library_ids:
        problems.append(document.problem(("action_library",), f"no action library with id '{library}' found beside this file", did_you_mean(library, library_ids)))
    return problems


@dataclass(frozen=True)
class LoadedRules:
    """Checked development rules with their decisions compiled."""

    rules: DevelopmentRules
    decisions: Ruleset
