"""The plan documents the reports use are exactly those of `competency.workflow.plans`,
whether read one by one or, for many people, assembled lazily from all rows."""

from __future__ import annotations

from competency.store.workspace import Workspace
from competency.workflow.plans import plan_documents
from competency.workflow import reports as R


def test_lazily_assembled_plans_equal_plan_documents(workspace: Workspace) -> None:
    _, documents = plan_documents(workspace, "2026-Q4")
    people = sorted(documents)
    lazy = R.plan_lookup(workspace, "2026-Q4")
    assert all(lazy(e) == documents[e] for e in people)
    assert lazy("NOBODY") is None


def test_a_behaviour_has_one_value_in_the_report_and_in_the_plan(workspace: Workspace) -> None:
    """The individual report's behaviour rows (lowest and highest behaviours come from them) and
    the plan's focus behaviours show the same value for a behaviour: both read the gate's one
    behaviour score (it used to be a weighted mean in the report and 'all except self' in the plan)."""
    from competency.reports import load
    from competency.reports._labels import Labels
    from competency.reports.individual import individual_context

    planned = workspace.db.execute(
        "SELECT employee_id, item_id, mean FROM plan_behaviours WHERE cycle_id = '2026-Q4' ORDER BY employee_id, item_id"
    ).fetchall()
    assert planned
    frame = R.cycle_frame(workspace, "2026-Q4")
    labels = Labels(frame.bundle, frame.scoring, frame.ruleset, "en")
    people = sorted({employee for employee, _, _ in planned})[:20]
    shown = {}
    for person in load.people(workspace.db, frame, people):
        context = individual_context(person, frame, labels, charts=False)
        for block in context["behaviours"]:
            for row in block["rows"]:
                shown[(person.employee["employee_id"], row["id"])] = row["score"]
    compared = [(e, item, mean) for e, item, mean in planned if e in people]
    assert compared and all(round(shown[(e, item)], 6) == mean for e, item, mean in compared)
