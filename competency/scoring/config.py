"""How answers become scores: the defaults of DESIGN §7, set in `rules/`.

A `kind: scoring` file holds the anonymity thresholds, the answered-items
rule, the weights of the rater groups, the bands from score to level and the
KPI curve's levels. Everything here is data; `aggregate.py` does the work.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from competency.files.yaml_loader import YamlDocument
from competency.domain._base import Identifier, Number, Strict
from competency.errors import SourceProblem


class Anonymity(Strict):
    """CCL Benchmarks practice: small anonymous groups are pooled or hidden."""

    group_minimum: int = Field(default=3, ge=2, description="Fewest raters for an anonymous group's figure (peers, direct reports, customers).")
    all_others_minimum: int = Field(default=4, ge=2, description="Fewest raters for the 'all raters except self' figure.")
    identified_groups: list[Identifier] = Field(default_factory=lambda: ["self", "manager"], description="Groups shown whatever their size: they are known by design.")
    people_minimum: int | None = Field(
        default=None, ge=2, description="Fewest people behind an aggregate of people (a department's average, a heat-map cell); default: group_minimum."
    )

    @property
    def people_k(self) -> int:
        """Fewest people an aggregate of people may cover."""
        return self.people_minimum if self.people_minimum is not None else self.group_minimum


class Band(Strict):
    level: int
    minimum: Number = Field(description="Lowest score that reaches this level.")


class KpiLevels(Strict):
    """Scale levels that the KPI curve's threshold, target and stretch map to."""

    threshold: Number = 1
    target: Number = 3
    stretch: Number = 4


class RatingOutputs(Strict):
    """Which rule set rates people, and which of its names hold each result."""

    ruleset: Identifier = Field(description="The id of the rule set (kind: ruleset) that rates people.")
    rating: str = "rating"
    nine_box: str = "nine_box"
    ability: str = "score.ability"
    performance: str = "score.performance"
    potential: str = "employee.potential"


class ScoringConfig(Strict):
    """The scoring parameters of one competency model."""

    kind: str = Field(default="scoring", pattern="^scoring$")
    model: Identifier
    answered_share: Number = Field(default=0.5, gt=0, le=1, description="A rater counts for a competency only with at least this share of its items answered.")
    anonymity: Anonymity = Anonymity()
    group_weights: dict[str, Number] = Field(description="Weight of each rater group in the 360 score; re-normalised over the groups present.")
    level_bands: list[Band] = Field(min_length=2)
    kpi_levels: KpiLevels = KpiLevels()
    rating: RatingOutputs

    @model_validator(mode="after")
    def _bands_descend(self) -> ScoringConfig:
        minimums = [band.minimum for band in self.level_bands]
        if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
            raise ValueError("level_bands must be listed from the highest level down, each with a lower minimum than the one above")
        return self


def check_scoring(document: YamlDocument, groups: list[str] | None, levels: list[int] | None) -> list[SourceProblem]:
    """Cross-checks against the model: known rater groups, levels on the scale."""
    from competency._text import did_you_mean

    data: Any = document.data
    problems = []
    weights = data.get("group_weights") if isinstance(data, dict) else None
    if groups is not None and isinstance(weights, dict):
        for group in weights:
            if group not in groups:
                problems.append(document.problem(("group_weights", group), f"unknown rater group '{group}'", did_you_mean(str(group), groups), at_key=True))
    bands = data.get("level_bands") if isinstance(data, dict) else None
    if levels is not None and isinstance(bands, list):
        for index, band in enumerate(bands):
            if isinstance(band, dict) and isinstance(band.get("level"), int) and band["level"] not in levels:
                problems.append(document.problem(("level_bands", index, "level"), f"level {band['level']} is not on the scale", f"use one of {', '.join(map(str, sorted(levels)))}"))
    return problems
