"""Development rules (`kind: development_rules`): how plans are made.

One file, one validation system. Its parameters (how blind spots are found,
the 70/20/10 mix, who may be a partner, the plan / act / reflect questions …)
are frozen pydantic models; its `decisions:` are steps of the rule language
that set the plan type and focus count (`competency.development.decisions`).

Errors point at the file, line and column, in the parameters and in the
decisions alike.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from competency.files.crossref import scale_keys
from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import YamlDocument
from competency.development.decisions import PLAN_TYPES, decision_schema, parse_decisions
from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog, Text
from competency.domain._base import Identifier, Number, Strict
from competency.errors import SourceProblem
from competency.rules._shapes import AnyStep, VersionText
from competency._text import did_you_mean

PlanType = Literal["improvement", "development", "growth"]
FocusSource = Literal["gap", "blind_spot", "next_role", "stretch"]
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

    gap: Number = Field(default=0.5, gt=0, le=3, description="A blind spot: self rates at least this much above others.")
    hidden_strength_gap: Number = Field(default=0.5, gt=0, le=3, description="A hidden strength: others rate at least this much above self.")


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

    experience: Number = Field(ge=0, le=1)
    exposure: Number = Field(ge=0, le=1)
    education: Number = Field(ge=0, le=1)

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
    mix_tolerance: Number = Field(
        default=0.1, ge=0, le=2, description="How far (sum of absolute differences of the shares) a set of actions may be from the mix and still count as on it."
    )
    hours_per_focus: Number = Field(default=40, gt=0, le=400, description="The effort aimed at per focus competency over the quarter.")
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
    threshold: Number = Field(default=0.25, gt=0, le=3, description="A change of at least this much (on the scale) counts as improved or declined.")


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
