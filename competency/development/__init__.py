"""Development plans: the action library, the development rules and the planner.

    inputs = plan_inputs(cycle_documents, bundle, "cycle 2026-Q4")   # checked YAML
    tables = build_plans(db, "2026-Q4", inputs, scoring, period)      # PlanTables: temp relations
    store.plans.replace_plans(db, "2026-Q4", tables, None, when)      # the stored plan tables

`document.plan_document` assembles one person's plan from the stored tables,
`render.render_plan` writes it as text or Markdown, `review.review_rows` compares a
cycle's plans with the next cycle's scores.
"""

from competency.development.actions import ACTION_TYPES, Action, ActionLibrary
from competency.development.calendar import PlanPeriod, next_period
from competency.development.generate import build_plans
from competency.development.inputs import PlanInputs
from competency.development.loading import (
    ACTION_LIBRARY,
    DEVELOPMENT_RULES,
    NoPlanRules,
    check_action_library_document,
    check_development_rules_document,
    plan_inputs,
)
from competency.development.decisions import PLAN_TYPES
from competency.development.rules import DevelopmentRules, DevelopmentRulesEditorShape
from competency.development.tables import PlanTables

__all__ = [
    "ACTION_LIBRARY",
    "ACTION_TYPES",
    "DEVELOPMENT_RULES",
    "PLAN_TYPES",
    "Action",
    "ActionLibrary",
    "DevelopmentRules",
    "DevelopmentRulesEditorShape",
    "NoPlanRules",
    "PlanInputs",
    "PlanPeriod",
    "PlanTables",
    "build_plans",
    "check_action_library_document",
    "check_development_rules_document",
    "next_period",
    "plan_inputs",
]
