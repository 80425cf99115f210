"""Development plans: the action library, the development rules and the planner.

    inputs = plan_inputs(cycle_documents, bundle, "cycle 2026-Q4")   # checked YAML
    build_plans(db, "2026-Q4", inputs, scoring)                       # temp tables p_*
    store_plans(db, "2026-Q4", period, review_month, None, when)      # the plan tables

`document.plan_document` assembles one person's plan from the stored tables,
`render.render_plan` writes it as text or Markdown, `review.review_rows` compares a
cycle's plans with the next cycle's scores.
"""

from competency.development.actions import ACTION_TYPES, Action, ActionLibrary
from competency.development.calendar import PlanPeriod, next_period
from competency.development.generate import PLAN_TABLES, PlanInputs, build_plans, store_plans
from competency.development.loading import (
    ACTION_LIBRARY,
    DEVELOPMENT_RULES,
    NoPlanRules,
    check_action_library_document,
    check_development_rules_document,
    plan_inputs,
)
from competency.development.rules import PLAN_TYPES, DevelopmentRules, DevelopmentRulesEditorShape

__all__ = [
    "ACTION_LIBRARY",
    "ACTION_TYPES",
    "DEVELOPMENT_RULES",
    "PLAN_TABLES",
    "PLAN_TYPES",
    "Action",
    "ActionLibrary",
    "DevelopmentRules",
    "DevelopmentRulesEditorShape",
    "NoPlanRules",
    "PlanInputs",
    "PlanPeriod",
    "build_plans",
    "check_action_library_document",
    "check_development_rules_document",
    "next_period",
    "plan_inputs",
    "store_plans",
]
