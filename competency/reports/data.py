"""What the reports are built from: plain containers filled by the workflow layer.

The workflow loads these with a few bulk queries (`competency.workflow.reports`);
everything in `competency.reports` is a pure function of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from competency.files.bundle import ModelBundle
from competency.rules import Ruleset
from competency.scoring.config import ScoringConfig


@dataclass(frozen=True)
class CycleFrame:
    """The cycle-wide things every report needs: its frozen model, scoring and rules."""

    cycle_id: str
    status: str
    bundle: ModelBundle
    scoring: ScoringConfig
    ruleset: Ruleset
    blind_spot_gap: float  # the development rules' thresholds for blind spots and hidden strengths
    hidden_strength_gap: float


@dataclass
class PersonData:
    """One person's stored results, as the individual report reads them.

    `figures` are the competency-level group figures (publishable or not, with
    their reasons); `items` the behaviour-level figures that are publishable,
    as (item_id, group, mean) tuples;
    `comments` the texts of raters whose group figure was published or pooled,
    with no rater or group attached.
    """

    employee: dict[str, Any]
    result: dict[str, Any] | None
    competencies: list[dict[str, Any]] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    items: list[tuple[str, str, float | None]] = field(default_factory=list)
    behaviour_scores: dict[str, float] = field(default_factory=dict)  # item_id -> the behaviour's 360 score
    kpis: list[dict[str, Any]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    trace_row: dict[str, Any] | None = None
