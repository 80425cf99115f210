"""Building small cycles for scoring tests without going through file imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from competency.scoring.aggregate import aggregate
from competency.scoring.behaviours import behaviour_figures
from competency.scoring.model_tables import load_model_tables
from competency.scoring.store_results import record_release
from competency.store.workspace import Workspace
from competency.workflow.cycles import CycleInputs, cycle_inputs, open_cycle

CYCLE = "2026-Q4"


@dataclass
class Answer:
    employee_id: str
    rater_id: str
    relationship: str
    item_id: str
    score: float | None


class ScoringBench:
    """A workspace with one open cycle of the shipped model; data replaced per case."""

    def __init__(self, path: Path) -> None:
        self.workspace = Workspace(path)
        open_cycle(self.workspace, CYCLE, None, None)
        self.inputs: CycleInputs = cycle_inputs(self.workspace, CYCLE)
        self.items = {b.id: c.id for c, b in self.inputs.bundle.model.behaviors()}
        db = self.workspace.db
        db.execute("INSERT INTO imports VALUES (1, ?, 'roster', 'test', 'x', 0, 0, 0, now(), false)", [CYCLE])

    def items_of(self, competency_id: str) -> list[str]:
        return [item for item, comp in self.items.items() if comp == competency_id]

    def load(self, people: dict[str, str], answers: list[Answer], kpis: list[tuple[str, str, float, float]] = (), *, release: bool = False) -> None:
        """Replace the cycle's roster, answers and KPI results; then aggregate and derive behaviour figures.

        Runs are held to the releases recorded so far (`forget_releases` clears them);
        `release` records this run's published figures as released, as `score` does."""
        db = self.workspace.db
        for table in ("roster", "responses", "kpi_actuals"):
            db.execute(f"DELETE FROM {table}")
        inserts = {
            "INSERT INTO roster VALUES (?, ?, ?, ?, NULL, 'east', 'east', NULL, 1)": [(CYCLE, e, e, role) for e, role in people.items()],
            "INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 1)": [
                (CYCLE, a.employee_id, a.rater_id, a.relationship, a.item_id, self.items[a.item_id], a.score) for a in answers
            ],
            "INSERT INTO kpi_actuals VALUES (?, ?, ?, ?, ?, 1)": [(CYCLE, *row) for row in kpis],
        }
        for sql, rows in inserts.items():
            if rows:
                db.executemany(sql, rows)
        load_model_tables(db, self.inputs.bundle, self.inputs.scoring)
        aggregate(db, CYCLE, self.inputs.scoring)
        if release:
            record_release(db, CYCLE, datetime(2026, 12, 1))
        behaviour_figures(db, CYCLE, self.inputs.bundle, self.inputs.scoring)

    def forget_releases(self) -> None:
        self.workspace.db.execute("DELETE FROM released_raters")
        self.workspace.db.execute("DELETE FROM releases")

    def rows(self, sql: str, *params: object) -> list[tuple]:
        return self.workspace.db.execute(sql, list(params)).fetchall()
