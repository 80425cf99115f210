"""What planning reads besides the scored cycle: the model, the rules and the library."""

from __future__ import annotations

from dataclasses import dataclass

from competency.development.actions import ActionLibrary
from competency.development.rules import DevelopmentRules
from competency.files.bundle import ModelBundle
from competency.rules import Ruleset


@dataclass(frozen=True)
class PlanInputs:
    """What planning needs: the cycle's model, development rules and action library."""

    bundle: ModelBundle
    rules: DevelopmentRules
    decisions: Ruleset
    library: ActionLibrary
