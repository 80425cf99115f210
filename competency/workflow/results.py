"""`explain`, `results` and `history`: reading stored results back."""

from __future__ import annotations

import json
from typing import Any

from competency.errors import NotFound, NotScored
from competency.reports.explain import PersonResult
from competency.publication import gate
from competency.rules import Ruleset, trace_from_row
from competency.scoring.rate import rating_ruleset
from competency._sql import dicts
from competency.store.roster import roster_values
from competency.store.workspace import Workspace
from competency._text import did_you_mean
from competency.workflow.cycles import CycleInputs, cycle_inputs, resolve_cycle

RESULT_COLUMNS = (
    "employee_id", "name", "role", "manager_id", "department", "region",
    "competency_index", "kpi_index", "ability", "performance", "potential", "rating", "final_rating", "overridden", "nine_box", "flags",
)


def cycle_ruleset(workspace: Workspace, cycle_id: str, inputs: CycleInputs) -> Ruleset:
    return rating_ruleset(inputs.rule_documents, inputs.bundle, inputs.scoring, roster_values(workspace.db, cycle_id))


def load_for_explaining(workspace: Workspace, cycle_id: str) -> tuple[CycleInputs, Ruleset]:
    inputs = cycle_inputs(workspace, cycle_id)
    return inputs, cycle_ruleset(workspace, cycle_id, inputs)


def person_result(
    workspace: Workspace, employee_id: str, cycle_id: str | None = None, *, loaded: tuple[CycleInputs, Ruleset] | None = None
) -> tuple[PersonResult, CycleInputs, Ruleset]:
    """Everything stored about one person in a cycle, with the rule trace rebuilt.

    `loaded` passes the cycle's inputs and rule set when explaining many people.
    """
    cycle = resolve_cycle(workspace, cycle_id)
    people = dicts(workspace.db, "SELECT employee_id, name, role, manager_id, department, region FROM roster WHERE cycle_id = ? AND employee_id = ?", [cycle.cycle_id, employee_id])
    if not people:
        known = [r[0] for r in workspace.db.execute("SELECT employee_id FROM roster WHERE cycle_id = ?", [cycle.cycle_id]).fetchall()]
        raise NotFound(f"no employee '{employee_id}' in cycle {cycle.cycle_id}", hint=did_you_mean(employee_id, known))
    results = dicts(workspace.db, "SELECT * EXCLUDE (cycle_id, trace, override_reason) FROM final_results WHERE cycle_id = ? AND employee_id = ?", [cycle.cycle_id, employee_id])
    if not results:
        raise NotScored(f"cycle {cycle.cycle_id} has not been scored yet", hint=f"run `competency score --cycle {cycle.cycle_id}`")
    inputs, ruleset = loaded or load_for_explaining(workspace, cycle.cycle_id)
    trace_row = json.loads(workspace.db.execute("SELECT trace FROM person_results WHERE cycle_id = ? AND employee_id = ?", [cycle.cycle_id, employee_id]).fetchone()[0])
    outputs = {name: trace_row.get(name) for name in (*ruleset.inputs, *ruleset.outputs)}
    person = PersonResult(
        cycle_id=cycle.cycle_id,
        employee=people[0],
        result=results[0],
        competencies=gate.person_competencies(workspace.db, cycle.cycle_id, [employee_id]).get(employee_id, []),
        figures=gate.person_figures(workspace.db, cycle.cycle_id, [employee_id]).get(employee_id, []),
        kpis=dicts(workspace.db, "SELECT kpi_id, actual, target, attainment, score, weight FROM kpi_scores WHERE cycle_id = ? AND employee_id = ? ORDER BY kpi_id", [cycle.cycle_id, employee_id]),
        outputs=outputs,
        trace=trace_from_row(ruleset, trace_row),
    )
    # Keep the model's order of competencies, as the person knows them.
    order = [c.id for c in inputs.bundle.model.competencies]
    person.competencies.sort(key=lambda row: order.index(row["competency_id"]) if row["competency_id"] in order else 99)
    return person, inputs, ruleset


def cycle_results(workspace: Workspace, cycle_id: str | None = None) -> tuple[str, list[dict[str, Any]]]:
    cycle = resolve_cycle(workspace, cycle_id)
    rows = dicts(
        workspace.db,
        f"""SELECT {', '.join('r.' + c if c in ('name', 'role', 'manager_id', 'department', 'region') else ('p.' + c if c != 'employee_id' else 'r.employee_id') for c in RESULT_COLUMNS)}
            FROM roster r JOIN final_results p ON p.cycle_id = r.cycle_id AND p.employee_id = r.employee_id
            WHERE r.cycle_id = ? ORDER BY r.employee_id""",
        [cycle.cycle_id],
    )
    if not rows:
        raise NotScored(f"cycle {cycle.cycle_id} has no results yet", hint=f"run `competency score --cycle {cycle.cycle_id}`")
    return cycle.cycle_id, rows


def history(workspace: Workspace, employee_id: str) -> list[dict[str, Any]]:
    rows = dicts(
        workspace.db,
        """SELECT c.cycle_id, c.status, r.role, p.competency_index, p.kpi_index, p.ability, p.performance, p.potential, p.rating, p.final_rating, p.nine_box, p.flags
           FROM final_results p JOIN cycles c USING (cycle_id) JOIN roster r ON r.cycle_id = p.cycle_id AND r.employee_id = p.employee_id
           WHERE p.employee_id = ? ORDER BY c.opened_at""",
        [employee_id],
    )
    if not rows:
        known = [r[0] for r in workspace.db.execute("SELECT DISTINCT employee_id FROM person_results").fetchall()]
        raise NotFound(f"no results for employee '{employee_id}' in any cycle", hint=did_you_mean(employee_id, known))
    return rows
