"""KPI definitions: what is measured, which way is better, how it scores."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from competency.domain._base import Identifier, Number, Strict, Text


class Curve(Strict):
    """Attainment points mapped onto the scale: threshold → minimum, target → the
    scale's `target_level`, stretch → maximum; linear in between, capped."""

    threshold: Number = Field(ge=0, description="Attainment at or below which the score is the scale's lowest level.")
    target: Number = Field(default=1.0, gt=0, description="Attainment that scores the target level (usually 1.0 = on target).")
    stretch: Number = Field(gt=0, description="Attainment at or above which the score is the scale's highest level.")

    @model_validator(mode="after")
    def _ordered(self) -> Curve:
        if not self.threshold < self.target < self.stretch:
            raise ValueError(
                f"curve points must rise: threshold ({self.threshold}) < target ({self.target}) < stretch ({self.stretch})"
            )
        return self


class Kpi(Strict):
    """A key performance indicator of the sales organisation."""

    id: Identifier
    name: Text
    description: Text | None = None
    unit: Literal["ratio", "percent", "currency", "count", "days", "score", "hours"]
    direction: Literal["higher_is_better", "lower_is_better"]
    target: Number | None = Field(default=None, description="Default target when the KPI file gives none for a person.")
    curve: Curve
    weight: Number = Field(default=1.0, gt=0, le=100, description="Default weight when a role gives none.")


class KpiCatalog(Strict):
    """The KPI definitions of one competency model."""

    kind: str = Field(default="kpi_definitions", pattern="^kpi_definitions$")
    model: Identifier = Field(description="The id of the competency model these KPIs belong to.")
    kpis: list[Kpi] = Field(min_length=1)

    def kpi(self, kpi_id: str) -> Kpi | None:
        return next((k for k in self.kpis if k.id == kpi_id), None)
