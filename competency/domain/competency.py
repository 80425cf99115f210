"""A competency model: competencies with behaviours, anchors and questions."""

from __future__ import annotations

from pydantic import Field

from competency.domain._base import Identifier, Number, Strict, Text
from competency.domain.scale import Scale


class Behavior(Strict):
    """An observable behaviour; it is also a 360 survey item."""

    id: Identifier
    text: Text


class Trait(Strict):
    """A named part of a competency (integrity's honest, tenacious, …)."""

    id: Identifier
    name: Text
    description: Text | None = None


class Competency(Strict):
    """One competency: what it is, how it shows, how each level looks."""

    id: Identifier
    name: Text
    definition: Text
    cluster: Identifier = Field(description="A grouping such as `results`, `people`, `self`.")
    weight: Number = Field(default=1.0, gt=0, le=100, description="Default weight when a role gives none.")
    behaviors: list[Behavior] = Field(min_length=3, max_length=64, description="Three to 64; these are the 360 survey items.")
    anchors: dict[str, Text] = Field(description="A behavioural description for every level key of the scale.")
    interview_questions: list[Text] = Field(default_factory=list)
    traits: list[Trait] = Field(default_factory=list)
    notes: Text | None = None


class CompetencyModel(Strict):
    """The whole model: its scale and its competencies."""

    kind: str = Field(default="competency_model", pattern="^competency_model$")
    id: Identifier
    version: str = Field(min_length=1)
    name: Text
    description: Text | None = None
    source: str | None = Field(default=None, description="Where quoted texts come from.")
    scale: Scale
    rater_groups: list[Identifier] = Field(
        default_factory=lambda: ["self", "manager", "peer", "direct_report", "customer"],
        description="Relationships a 360 rater may have to the person rated.",
    )
    competencies: list[Competency] = Field(min_length=1)

    def competency(self, competency_id: str) -> Competency | None:
        return next((c for c in self.competencies if c.id == competency_id), None)

    def behaviors(self) -> list[tuple[Competency, Behavior]]:
        return [(c, b) for c in self.competencies for b in c.behaviors]
