"""Development plans are a function of the inputs: the same inputs give the same
plans, whatever order the rows happen to be stored in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency.development import ActionLibrary
from competency.development.selection import choose_actions
from competency.files.shipped import default_rules_folder
from competency.files.yaml_loader import read_yaml
from competency.sample import demo_organisation
from competency.store.plans import PLAN_TABLES
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.demo import DEMO_CYCLE
from competency.workflow.imports import run_import
from competency.workflow.plans import generate_plans, plan_documents
from competency.workflow.scoring import score_cycle
from tests.examples import examples

INPUT_TABLES = {
    "roster": "employee_id",
    "competency_scores": "employee_id || competency_id",
    "group_scores": "employee_id || competency_id || rater_group",
    "responses": "employee_id || rater_id || item_id",
    "person_results": "employee_id",
}
MIX = {"experience": 0.7, "exposure": 0.2, "education": 0.1}


def snapshot(workspace: Workspace) -> dict[str, Any]:
    tables = {
        table: workspace.db.execute(f"SELECT * EXCLUDE (cycle_id{', generated_at' if table == 'plans' else ''}) FROM {table} ORDER BY ALL").fetchall()  # noqa: S608
        for table in PLAN_TABLES
    }
    return {"tables": tables, "documents": plan_documents(workspace, DEMO_CYCLE)[1]}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The demo quarter (the demo's organisation imported and scored, without its report
    files), with its plans as first generated."""
    folder = tmp_path_factory.mktemp("plan_properties")
    files = demo_organisation(folder / "input")
    with Workspace(folder / "competency.duckdb") as workspace:
        open_cycle(workspace, DEMO_CYCLE, None, None)
        for kind, path in (("roster", files.roster), ("responses", files.responses), ("kpis", files.kpis), ("potential", files.potential)):
            run_import(workspace, kind, path, cycle_id=DEMO_CYCLE, rejects_path=folder / f"{kind}.rejected.csv")
        score_cycle(workspace, DEMO_CYCLE)
        generate_plans(workspace, DEMO_CYCLE)
        return folder / "competency.duckdb", snapshot(workspace)


def test_generating_again_gives_the_same_plans(demo: tuple[Path, dict[str, Any]]) -> None:
    """No clock, no randomness: the second run stores exactly what the first did."""
    path, first = demo
    with Workspace(path) as workspace:
        generate_plans(workspace, DEMO_CYCLE)
        assert snapshot(workspace) == first


@settings(max_examples=examples(5), deadline=None)
@given(salt=st.text(alphabet="abcdef0123456789", min_size=1, max_size=8))
def test_plans_do_not_depend_on_the_order_of_stored_rows(demo: tuple[Path, dict[str, Any]], salt: str) -> None:
    """Roster, scores, item figures and results stored in another order: the same plans."""
    path, first = demo
    with Workspace(path) as workspace:
        with workspace.transaction() as db:
            for table, key in INPUT_TABLES.items():
                db.execute(f"CREATE OR REPLACE TEMP TABLE shuffled AS SELECT * FROM {table} ORDER BY md5({key} || ?)", [salt])  # noqa: S608
                db.execute(f"DELETE FROM {table}")  # noqa: S608
                db.execute(f"INSERT INTO {table} SELECT * FROM shuffled")  # noqa: S608
        generate_plans(workspace, DEMO_CYCLE)
        assert snapshot(workspace) == first


@settings(max_examples=examples(25), deadline=None)
@given(data=st.data())
def test_the_choice_of_actions_does_not_depend_on_their_order(data: st.DataObject) -> None:
    """Any order of the library's actions for a competency gives the same choice."""
    library = ActionLibrary.model_validate(read_yaml(default_rules_folder() / "actions.yaml").data)
    competency = data.draw(st.sampled_from(sorted(library.competencies)))
    level = data.draw(st.sampled_from(["poor", "average", "good"]))
    candidates = [a for a in library.competencies[competency] if level in a.levels]
    behaviours = sorted({b for a in candidates for b in a.behaviors})
    wanted = data.draw(st.lists(st.sampled_from(behaviours), max_size=2, unique=True)) if behaviours else []
    shuffled = data.draw(st.permutations(candidates))
    assert choose_actions(shuffled, wanted, MIX, 40, 2, 0.1) == choose_actions(candidates, list(reversed(wanted)), MIX, 40, 2, 0.1)
