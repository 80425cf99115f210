"""The plan documents the reports use are exactly those of `competency.workflow.plans`,
whether read one by one or, for many people, assembled lazily from all rows."""

from __future__ import annotations

from competency.store.workspace import Workspace
from competency.workflow.plans import plan_documents
from competency.workflow import reports as R


def test_lazily_assembled_plans_equal_plan_documents(workspace: Workspace) -> None:
    _, documents = plan_documents(workspace, "2026-Q4")
    people = sorted(documents)
    lazy = R.plan_lookup(workspace, "2026-Q4", people)
    assert all(lazy(e) == documents[e] for e in people)
    assert lazy("NOBODY") is None
    one = R.plan_lookup(workspace, "2026-Q4", [people[0]])
    assert one(people[0]) == documents[people[0]]
