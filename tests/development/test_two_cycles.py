"""Plans made in one cycle, reviewed with the next cycle's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.errors import NoPlans
from competency.files.bundle import load_bundle
from competency.files.shipped import default_model_folder
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.imports import run_import
from competency.workflow.plans import generate_plans, review_plans
from competency.workflow.scoring import score_cycle
from tests.reports._support import write_csv

REPS = [f"R{i}" for i in range(1, 7)]
# R1's relationship building as the others see it (self: 3 everywhere).
BEFORE = {"rel_builds_trust": 1, "rel_visits_customers": 2, "rel_regular_interaction": 2, "rel_listens_to_customers": 2, "rel_long_term_cooperation": 3}
AFTER = {**BEFORE, "rel_builds_trust": 3, "rel_visits_customers": 3}


def _cycle_files(folder: Path, people: list[str], r1_relationships: dict[str, int]) -> dict[str, Path]:
    """A supervisor S1 and reps; each rep is rated by S1, three peers and self (all_others = 4 raters)."""
    folder.mkdir(parents=True, exist_ok=True)
    bundle = load_bundle(default_model_folder())
    items = {c.id: [b.id for b in c.behaviors] for c in bundle.model.competencies}
    needs = {r.id: list(r.competencies) for r in bundle.roles.roles}
    roster = [["S1", "Supervisor", "sales_supervisor", "", "east office", "east"]]
    roster += [[rep, f"Rep {rep}", "sales_representative", "S1", "east office", "east"] for rep in people]
    answers = []
    for index, rep in enumerate(people):
        peers = [people[(index + k) % len(people)] for k in (1, 2, 3)]
        for rater, relationship in [("S1", "manager"), *[(p, "peer") for p in peers], (rep, "self")]:
            for competency in needs["sales_representative"]:
                for item in items[competency]:
                    score = 3
                    if rep == "R1" and competency == "relationships" and relationship != "self":
                        score = r1_relationships[item]
                    answers.append([rep, rater, relationship, item, score])
    for rater in people:
        for competency in needs["sales_supervisor"]:
            for item in items[competency]:
                answers.append(["S1", rater, "direct_report", item, 3])
    return {
        "roster": write_csv(folder / "roster.csv", ["employee_id", "name", "role", "manager_id", "department", "region"], roster),
        "responses": write_csv(folder / "responses.csv", ["employee_id", "rater_id", "relationship", "item_id", "score"], answers),
        "kpis": write_csv(folder / "kpis.csv", ["employee_id", "kpi_id", "actual", "target"], [[e, "sales_attainment", 100, 100] for e in ["S1", *people]]),
    }


def _run_cycle(workspace: Workspace, cycle_id: str, files: dict[str, Path]) -> None:
    open_cycle(workspace, cycle_id, None, None)
    for kind in ("roster", "responses", "kpis"):
        run_import(workspace, kind, files[kind], cycle_id=cycle_id)
    score_cycle(workspace, cycle_id)


@pytest.fixture(scope="module")
def two_cycles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cycle 2026-Q3 with plans; cycle 2026-Q4 where R1 improved the targeted behaviours and R6 left."""
    root = tmp_path_factory.mktemp("two_cycles")
    path = root / "competency.duckdb"
    with Workspace(path) as workspace:
        _run_cycle(workspace, "2026-Q3", _cycle_files(root / "q3", REPS, BEFORE))
        generate_plans(workspace, "2026-Q3")
        _run_cycle(workspace, "2026-Q4", _cycle_files(root / "q4", REPS[:-1], AFTER))
    return path


def test_the_plan_targets_the_weak_behaviours(two_cycles: Path) -> None:
    """R1's first focus is relationship building (below the required 3), on its two lowest behaviours."""
    with Workspace(two_cycles) as workspace:
        focus = workspace.db.execute("SELECT competency_id, source, level, target_level, score FROM plan_focus WHERE cycle_id = '2026-Q3' AND employee_id = 'R1' AND rank = 1").fetchone()
        behaviours = workspace.db.execute(
            "SELECT item_id, figure, mean FROM plan_behaviours WHERE cycle_id = '2026-Q3' AND employee_id = 'R1' AND competency_id = 'relationships' ORDER BY rank"
        ).fetchall()
    assert focus == ("relationships", "gap", 2, 3, 2.0)
    assert behaviours == [("rel_builds_trust", "score", 1.0), ("rel_visits_customers", "score", 2.0)]


def test_review_reports_the_targeted_competency_and_behaviours_improved(two_cycles: Path) -> None:
    """Next cycle: relationships 2.0 → 2.6 (+0.6 ≥ 0.25: improved), its behaviours +2.0 and +1.0."""
    with Workspace(two_cycles) as workspace:
        review = review_plans(workspace, "2026-Q4")
    assert (review["plans_from"], review["cycle"], review["threshold"]) == ("2026-Q3", "2026-Q4", 0.25)
    r1 = next(p for p in review["plans"] if p["employee_id"] == "R1")
    focus = next(f for f in r1["focus"] if f["competency_id"] == "relationships")
    assert (focus["before"], focus["after"], focus["change"], focus["status"], focus["level_after"], focus["target_met"]) == (2.0, 2.6, 0.6, "improved", 3, True)
    assert [(b["item_id"], b["before"], b["after"], b["change"], b["status"]) for b in focus["behaviours"]] == [
        ("rel_builds_trust", 1.0, 3.0, 2.0, "improved"),
        ("rel_visits_customers", 2.0, 3.0, 1.0, "improved"),
    ]
    # S1 lost a direct report (R6): their direct reports' figure is withheld next cycle (see below).
    others = [f for p in review["plans"] if p["employee_id"] not in ("R1", "R6", "S1", *SHUFFLED) for f in p["focus"]]
    assert others and all(f["status"] == "unchanged" and f["change"] == 0 for f in others)


# With R6 gone the rotation of peers changes: R3's peers were R4, R5, R6 and are R4, R5, R1;
# R4's were R5, R6, R1 and are R5, R1, R2; R5's were R6, R1, R2 and are R1, R2, R3. Next to
# Q3's released peer figures the Q4 ones would reveal the one or two peers who changed, so
# the cross-release guard withholds them.
SHUFFLED = ("R3", "R4", "R5")


def test_figures_whose_raters_changed_by_fewer_than_k_are_withheld_next_cycle(two_cycles: Path) -> None:
    """Cross-release guard: R3's, R4's and R5's peer figures, and S1's direct reports (six, now five), are
    withheld in Q4 with reason cross_release, and so is everyone's 'all except self' that holds them; the
    reps whose peers stayed the same keep their peer figures."""
    with Workspace(two_cycles) as workspace:
        crossed = workspace.db.execute(
            "SELECT DISTINCT employee_id, rater_group FROM group_scores WHERE cycle_id = '2026-Q4' AND reason = 'cross_release' ORDER BY ALL"
        ).fetchall()
        kept = workspace.db.execute(
            "SELECT count(*) FROM group_scores WHERE cycle_id = '2026-Q4' AND rater_group = 'peer' AND publishable AND employee_id IN ('R1', 'R2')"
        ).fetchone()[0]
    assert crossed == [(rep, group) for rep in SHUFFLED for group in ("all_others", "peer")] + [("S1", "all_others"), ("S1", "direct_report")]
    assert kept > 0


def test_a_withheld_figure_is_not_re_measured(two_cycles: Path) -> None:
    """R3's, R4's and R5's focus competencies have no Q4 score from peers: not re-measured, never compared
    with a figure that would reveal the changed peers."""
    with Workspace(two_cycles) as workspace:
        review = review_plans(workspace, "2026-Q4")
    behaviours = [b for p in review["plans"] if p["employee_id"] in SHUFFLED for f in p["focus"] for b in f["behaviours"]]
    assert behaviours and all(b["after"] in (None, 3.0) for b in behaviours)


def test_a_person_who_left_is_not_re_measured(two_cycles: Path) -> None:
    """R6 is not in the next cycle: every focus of their plan is `not_remeasured`."""
    with Workspace(two_cycles) as workspace:
        review = review_plans(workspace, "2026-Q4")
    r6 = next(p for p in review["plans"] if p["employee_id"] == "R6")
    assert r6["focus"] and {f["status"] for f in r6["focus"]} == {"not_remeasured"}
    assert review["focus_status"]["improved"] == 1


def test_org_level_effect_by_action_type(two_cycles: Path) -> None:
    """Mean change of targeted competencies by action type, beside the competencies not targeted."""
    with Workspace(two_cycles) as workspace:
        review = review_plans(workspace, "2026-Q4")
        planned = workspace.db.execute(
            "SELECT count(*) FROM plan_focus f WHERE cycle_id = '2026-Q3' AND employee_id IN (SELECT employee_id FROM roster WHERE cycle_id = '2026-Q4')"
        ).fetchone()[0]
        remeasured = workspace.db.execute(
            """SELECT count(s.score) FROM plan_focus f JOIN competency_scores s ON s.cycle_id = '2026-Q4' AND s.employee_id = f.employee_id
               AND s.competency_id = f.competency_id WHERE f.cycle_id = '2026-Q3'"""
        ).fetchone()[0]
    by_type = {row["action_type"]: row for row in review["by_action_type"]}
    assert set(by_type) == {"experience", "exposure", "education"}
    for row in by_type.values():
        assert row["remeasured"] == remeasured <= planned
        assert row["mean_change"] == pytest.approx(0.6 / remeasured)
    assert review["baseline"]["mean_change"] == 0


def test_review_needs_an_earlier_cycle_with_plans(two_cycles: Path) -> None:
    """Reviewing the first cycle, there is nothing earlier to review."""

    with Workspace(two_cycles) as workspace, pytest.raises(NoPlans, match="no cycle before 2026-Q3 has plans to review"):
        review_plans(workspace, "2026-Q3")
