"""Building small cycles for scoring tests without going through file imports.

One in-memory workspace with one open cycle of the shipped model serves every test
of a run (`shared_bench`): its model tables are made once, and each case replaces
the cycle's data in a few bulk statements before scoring it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from competency._sql import Relation, quote_ident
from competency.scoring.aggregate import aggregate, figures
from competency.scoring.behaviours import behaviours_of
from competency.scoring.contracts import Aggregates, BehaviourFigures, Figures
from competency._sql import relations
from competency.scoring.model_tables import load_model_tables
from competency.store.scoring import record_release, withdraw_releases
from competency.store.workspace import Workspace
from competency.workflow.cycles import CycleInputs, cycle_inputs, open_cycle

CYCLE = "2026-Q4"
F = TypeVar("F", bound=Figures)


@dataclass
class Answer:
    employee_id: str
    rater_id: str
    relationship: str
    item_id: str
    score: float | None


class ScoringBench:
    """A workspace with one open cycle of the shipped model; data replaced per case."""

    def __init__(self, path: Path = Path(":memory:")) -> None:
        self.workspace = Workspace(path)
        open_cycle(self.workspace, CYCLE, None, None)
        self.inputs: CycleInputs = cycle_inputs(self.workspace, CYCLE)
        self.items = {b.id: c.id for c, b in self.inputs.bundle.model.behaviors()}
        self.db = self.workspace.db
        self.db.execute("INSERT INTO imports VALUES (1, ?, 'roster', 'test', 'x', 0, 0, 0, now(), false)", [CYCLE])
        self.model = load_model_tables(self.db, self.inputs.bundle, self.inputs.scoring)
        self._made: list[Relation] = []

    def items_of(self, competency_id: str) -> list[str]:
        return [item for item, comp in self.items.items() if comp == competency_id]

    def _insert(self, table: str, columns: str, rows: Sequence[Sequence[Any]]) -> None:
        """Rows into a workspace table in one statement, each column sent as a list."""
        if rows:
            count = len(rows[0])
            unnest = ", ".join(f"unnest(${i + 1})" for i in range(count))
            self.db.execute(f"INSERT INTO {quote_ident(table)} ({columns}) SELECT {unnest}", [list(c) for c in zip(*rows)])

    def _replace_data(self, people: dict[str, str], answers: list[Answer], kpis: Sequence[tuple[str, str, float, float]]) -> None:
        if self._made:
            self.db.execute("; ".join(f"DROP TABLE IF EXISTS {relation}" for relation in self._made))
            self._made = []
        self.db.execute("DELETE FROM roster; DELETE FROM responses; DELETE FROM kpi_actuals")
        self._insert("roster", "cycle_id, employee_id, name, role, region, department, import_id",
                     [(CYCLE, e, e, role, "east", "east", 1) for e, role in people.items()])
        self._insert("responses", "cycle_id, employee_id, rater_id, relationship, item_id, competency_id, score, import_id",
                     [(CYCLE, a.employee_id, a.rater_id, a.relationship, a.item_id, self.items[a.item_id], a.score, 1) for a in answers])
        self._insert("kpi_actuals", "cycle_id, employee_id, kpi_id, actual, target, import_id", [(CYCLE, *row, 1) for row in kpis])

    def load(
        self, people: dict[str, str], answers: list[Answer], kpis: Sequence[tuple[str, str, float, float]] = (), *, release: bool = False
    ) -> Aggregates:
        """Replace the cycle's roster, answers and KPI results, then aggregate them as `score` does.

        Runs are held to the releases recorded so far (`forget_releases` clears them);
        `release` records this run's published figures as released, as `score` does.
        The relations of the previous load are dropped."""
        self._replace_data(people, answers, kpis)
        return self._keep(aggregate(self.db, CYCLE, self.inputs.scoring, self.model), release)

    def load_figures(self, people: dict[str, str], answers: list[Answer], *, release: bool = False) -> Figures:
        """`load` up to the competency-level figures (the scores left out), for tests of what is published."""
        self._replace_data(people, answers, ())
        return self._keep(figures(self.db, CYCLE, self.inputs.scoring, self.model), release)

    def _keep(self, made: F, release: bool) -> F:
        self._made += relations(made)
        if release:
            record_release(self.db, CYCLE, datetime(2026, 12, 1), made.raters, made.groups, made.figures)
        return made

    def behaviours(self, of: Figures | None = None) -> BehaviourFigures:
        """The behaviour figures of the loaded data as reports and plans derive them, held
        to the releases before the last recorded run (`behaviours.behaviour_figures`); or,
        with `of`, made from that run's figures (the same while no release came after it)."""
        made = of or figures(self.db, CYCLE, self.inputs.scoring, self.model, derived=True)
        derived = behaviours_of(self.db, self.inputs.scoring, self.model, made)
        self._made += [*(relations(made) if of is None else ()), *relations(derived)]
        return derived

    def forget_releases(self) -> None:
        withdraw_releases(self.db, CYCLE)

    def rows(self, sql: str, *params: object) -> list[tuple]:
        return self.db.execute(sql, list(params)).fetchall()


@functools.cache
def shared_bench() -> ScoringBench:
    """The one bench of a test run (tests load their own data into it)."""
    return ScoringBench()
