"""What `build_plans` hands to the store: one temp relation per stored plan table.

Each relation has its stored table's columns, in order, except `cycle_id` (and
`generated_at` for `plans`), which the store adds when it copies them.
"""

from __future__ import annotations

from dataclasses import dataclass

from competency._sql import Relation

PLAN_COLUMNS = (
    "employee_id", "plan_type", "final_rating", "role", "next_role", "manager_id", "focus_count", "reason",
    "quarter", "starts", "due", "review_date", "decision",
)
FOCUS_COLUMNS = (
    "employee_id", "rank", "competency_id", "source", "score", "self_score", "level", "required", "goal", "target_level", "priority",
)
BEHAVIOUR_COLUMNS = ("employee_id", "competency_id", "item_id", "figure", "mean", "rank")
ACTION_COLUMNS = ("employee_id", "competency_id", "action_id", "action_type", "weeks", "hours", "rank")
PARTNER_COLUMNS = ("employee_id", "competency_id", "partner_id", "partner_kind")
INSIGHT_COLUMNS = ("employee_id", "kind", "competency_id", "item_id", "figure", "score", "self_score", "rank")


@dataclass(frozen=True)
class PlanTables:
    """Everyone's plans, as temp relations with the columns above."""

    plans: Relation  # PLAN_COLUMNS: one row per person
    focus: Relation  # FOCUS_COLUMNS: the focus competencies, ranked
    behaviours: Relation  # BEHAVIOUR_COLUMNS: each focus's weakest behaviours
    actions: Relation  # ACTION_COLUMNS: each focus's actions from the library
    partners: Relation  # PARTNER_COLUMNS: each focus's manager and colleague partners
    insights: Relation  # INSIGHT_COLUMNS: strengths, strongest behaviours, hidden strengths, blind spots
