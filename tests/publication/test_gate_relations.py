"""What the gate hands to calibration, reports and plans: temp relations with the columns they declare."""

from __future__ import annotations

from pathlib import Path

from competency._sql import drop
from competency.publication import gate
from competency.store.workspace import Workspace
from competency.workflow.cycles import cycle_inputs
from competency.workflow.scoring import score_cycle
from tests.reports._support import CYCLE, Person, Rater, build_cycle

PEOPLE = [Person("E0", "经理", role="regional_sales_manager"), Person("E1", "张三", role="sales_supervisor", manager_id="E0")]
PEOPLE += [Person(f"E{i}", f"同事{i}", role="sales_supervisor", manager_id="E0") for i in (2, 3, 4)]
RATERS = {"E1": [Rater("E1", "self", 3), Rater("E0", "manager", 3)] + [Rater(f"E{i}", "peer", 2 + i % 2) for i in (2, 3, 4)]}


def _temp_tables(workspace: Workspace) -> list[str]:
    return [name for (name,) in workspace.db.execute("SELECT table_name FROM duckdb_tables() WHERE temporary ORDER BY ALL").fetchall()]


def test_each_staged_relation_has_its_declared_columns_and_the_published_rows(tmp_path: Path) -> None:
    """Manager gaps, published answers and behaviours come back as relations whose columns are
    the declared ones; each holds rows of the published figures, and dropping them frees the names.
    Scoring leaves no temp table behind, and the gate's behaviours only the two it hands out."""
    with Workspace(build_cycle(tmp_path, PEOPLE, RATERS)) as workspace:
        score_cycle(workspace, CYCLE)
        assert _temp_tables(workspace) == []
        db, inputs = workspace.db, cycle_inputs(workspace, CYCLE)
        items = {c.id: len(c.behaviors) for c in inputs.bundle.model.competencies}
        gaps = gate.stage_manager_gaps(db, CYCLE, ["self", "manager"])
        answers = gate.stage_published_answers(db, CYCLE, inputs.scoring.answered_share, items)
        derived = gate.behaviours(db, CYCLE, inputs.bundle, inputs.scoring, "SELECT 'E1' AS employee_id")
        staged = (gaps, answers, derived.figures, derived.scores)
        assert _temp_tables(workspace) == sorted(relation.name for relation in staged)
        assert [relation.check(db).columns for relation in staged] == [
            gate.MANAGER_GAPS, gate.PUBLISHED_ANSWERS, gate.BEHAVIOUR_FIGURES, ("employee_id", "competency_id", "item_id", "score"),
        ]
        assert db.execute(f"SELECT employee_id, manager_id FROM {gaps}").fetchall() == [("E1", "E0")]
        assert {row[0] for row in db.execute(f"SELECT DISTINCT figure FROM {derived.figures}").fetchall()} == {"manager", "peer", "self", "all_others"}
        assert db.execute(f"SELECT count(DISTINCT rater_id) FROM {answers}").fetchone()[0] == 5
        drop(db, *staged)
        assert _temp_tables(workspace) == []
