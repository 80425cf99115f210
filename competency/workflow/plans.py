"""`competency plan`: generate, show and review development plans.

Plans are made from a scored cycle with the development rules and action
library frozen when the cycle was opened. `generate_plans` is one transaction
that replaces the cycle's plans (or only those of the people named);
`plan_document` and `plan_documents` read them back as JSON-ready documents
(for `plan show`, the report builder and `write_plans`); `review_plans` sets
a cycle's plans against the next cycle's scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from competency.development import PlanInputs, build_plans, next_period, plan_inputs
from competency.development.document import PlanRows, plan_document as assemble
from competency.development.render import render_plan
from competency.development.review import STATUSES, review_rows
from competency.errors import CycleError, NoPlans, NotFound
from competency.files.outputs import Output, person_file_names, workspace_files
from competency.publication import gate
from competency.scoring.config import ScoringConfig
from competency._sql import dicts, drop, relations
from competency.store.plans import replace_plans
from competency.store.workspace import Workspace, now
from competency._text import did_you_mean
from competency.workflow.cycles import Cycle, cycle_inputs, list_cycles, resolve_cycle

PLANNABLE = ("scored", "calibrating", "final")


@dataclass(frozen=True)
class PlanSummary:
    """What `plan generate` did."""

    cycle_id: str
    quarter: str
    plans: int
    by_type: dict[str, int]
    focus: int
    actions: int
    empty_with_reason: dict[str, int]
    colleague_partners: int
    mean_actions: float
    mix: dict[str, float] = field(default_factory=dict)


def load_plan_inputs(workspace: Workspace, cycle_id: str) -> tuple[PlanInputs, ScoringConfig]:
    """The cycle's model, development rules and action library (frozen at `cycle open`), checked."""
    inputs = cycle_inputs(workspace, cycle_id)
    return plan_inputs(inputs.documents, inputs.bundle, f"cycle {cycle_id}"), inputs.scoring


def _require_scored(workspace: Workspace, cycle: Cycle) -> None:
    scored = workspace.db.execute("SELECT count(*) FROM person_results WHERE cycle_id = ?", [cycle.cycle_id]).fetchone()[0]
    if cycle.status not in PLANNABLE or not scored:
        raise CycleError(f"cycle {cycle.cycle_id} has no current results (it is {cycle.status})", hint=f"run `competency score --cycle {cycle.cycle_id}` first")


def _check_employees(workspace: Workspace, cycle_id: str, employees: list[str]) -> None:
    known = {row[0] for row in workspace.db.execute("SELECT employee_id FROM roster WHERE cycle_id = ?", [cycle_id]).fetchall()}
    for employee in employees:
        if employee not in known:
            raise NotFound(f"no employee '{employee}' in cycle {cycle_id}", hint=did_you_mean(employee, known))


def generate_plans(workspace: Workspace, cycle_id: str | None = None, employees: list[str] | None = None) -> PlanSummary:
    """Make everyone's plan (or those of `employees`) in one transaction, replacing earlier ones."""
    cycle = resolve_cycle(workspace, cycle_id)
    _require_scored(workspace, cycle)
    inputs, scoring = load_plan_inputs(workspace, cycle.cycle_id)
    if employees:
        _check_employees(workspace, cycle.cycle_id, employees)
    period = next_period(cycle.cycle_id, cycle.opened_at)
    with workspace.transaction() as db:
        tables = build_plans(db, cycle.cycle_id, inputs, scoring, period)
        replace_plans(db, cycle.cycle_id, tables, sorted(set(employees)) if employees else None, now())
        drop(db, *relations(tables))
    return plan_summary(workspace, cycle.cycle_id)


def plan_summary(workspace: Workspace, cycle_id: str) -> PlanSummary:
    """Counts over the cycle's stored plans."""
    db = workspace.db
    plans, quarter = db.execute("SELECT count(*), min(quarter) FROM plans WHERE cycle_id = ?", [cycle_id]).fetchone()
    if not plans:
        raise NoPlans(f"cycle {cycle_id} has no plans yet", hint=f"run `competency plan generate --cycle {cycle_id}`")
    by_type = dict(db.execute("SELECT plan_type, count(*) FROM plans WHERE cycle_id = ? GROUP BY 1 ORDER BY 1", [cycle_id]).fetchall())
    focus = db.execute("SELECT count(*) FROM plan_focus WHERE cycle_id = ?", [cycle_id]).fetchone()[0]
    actions = db.execute("SELECT count(*) FROM plan_actions WHERE cycle_id = ?", [cycle_id]).fetchone()[0]
    reasons = dict(db.execute("SELECT reason, count(*) FROM plans WHERE cycle_id = ? AND reason IS NOT NULL GROUP BY 1 ORDER BY 1", [cycle_id]).fetchall())
    colleagues = db.execute("SELECT count(*) FROM plan_partners WHERE cycle_id = ? AND partner_kind = 'colleague'", [cycle_id]).fetchone()[0]
    hours = dict(db.execute("SELECT action_type, sum(hours) FROM plan_actions WHERE cycle_id = ? GROUP BY 1", [cycle_id]).fetchall())
    total = sum(hours.values())
    mix = {kind: round(hours.get(kind, 0) / total, 3) if total else 0.0 for kind in ("experience", "exposure", "education")}
    return PlanSummary(cycle_id, quarter, plans, by_type, focus, actions, reasons, colleagues, round(actions / plans, 2), mix)


# ---------------------------------------------------------------- reading plans back


# One person's rows when $employee is given, everyone's when it is NULL.
_WHOSE = "(CAST($employee AS VARCHAR) IS NULL OR {column} = $employee)"
_PLANS_SQL = f"""
SELECT p.*, (SELECT count(*) FROM competency_scores s WHERE s.cycle_id = p.cycle_id AND s.employee_id = p.employee_id AND s.gap > 0) AS gaps
FROM plans p WHERE cycle_id = $cycle AND {_WHOSE.format(column="employee_id")} ORDER BY employee_id"""
_PEOPLE_SQL = f"""
SELECT r.employee_id, r.name, r.role, r.department, r.region, r.manager_id, m.name AS manager_name
FROM roster r LEFT JOIN roster m ON m.cycle_id = r.cycle_id AND m.employee_id = r.manager_id
WHERE r.cycle_id = $cycle AND {_WHOSE.format(column="r.employee_id")}"""
# PlanRows attribute → its rows (in no particular order: the document sorts them).
_PART_SQL = {
    "focus": f"SELECT * FROM plan_focus WHERE cycle_id = $cycle AND {_WHOSE.format(column='employee_id')}",
    "behaviours": f"SELECT * FROM plan_behaviours WHERE cycle_id = $cycle AND {_WHOSE.format(column='employee_id')}",
    "actions": f"SELECT * FROM plan_actions WHERE cycle_id = $cycle AND {_WHOSE.format(column='employee_id')}",
    "partners": f"""SELECT p.*, r.name FROM plan_partners p LEFT JOIN roster r ON r.cycle_id = p.cycle_id AND r.employee_id = p.partner_id
                    WHERE p.cycle_id = $cycle AND {_WHOSE.format(column='p.employee_id')}""",
    "insights": f"SELECT * FROM plan_insights WHERE cycle_id = $cycle AND {_WHOSE.format(column='employee_id')}",
}


def _plan_rows(workspace: Workspace, cycle_id: str, employee_id: str | None) -> dict[str, PlanRows]:
    """The stored rows of the cycle's plans (or of one person's), by person."""
    params = {"cycle": cycle_id, "employee": employee_id}
    people = {row["employee_id"]: row for row in dicts(workspace.db, _PEOPLE_SQL, params)}
    found = {p["employee_id"]: PlanRows(p, people.get(p["employee_id"], {"employee_id": p["employee_id"]})) for p in dicts(workspace.db, _PLANS_SQL, params)}
    for attribute, sql in _PART_SQL.items():
        grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in dicts(workspace.db, sql, params):
            grouped[row["employee_id"]].append(row)
        for employee, rows in grouped.items():
            if employee in found:
                setattr(found[employee], attribute, rows)
    return found


def plan_assembler(workspace: Workspace, cycle_id: str | None = None, employee_id: str | None = None) -> tuple[str, list[str], Callable[[str], dict[str, Any] | None]]:
    """(cycle id, people with a plan, employee id → plan document or None).

    Every plan's rows are read at once; a person's document is assembled only
    when asked for. Assembling is pure, so report-rendering processes share it.
    """
    cycle = resolve_cycle(workspace, cycle_id)
    rows = _plan_rows(workspace, cycle.cycle_id, employee_id)
    if not rows:
        return cycle.cycle_id, [], lambda _: None
    inputs, scoring = load_plan_inputs(workspace, cycle.cycle_id)
    checkpoints = [day.isoformat() for day in next_period(cycle.cycle_id, cycle.opened_at).checkpoints]

    def document(person: str) -> dict[str, Any] | None:
        found = rows.get(person)
        return None if found is None else assemble(found, inputs, scoring, cycle.cycle_id, checkpoints)

    return cycle.cycle_id, sorted(rows), document


def plan_documents(workspace: Workspace, cycle_id: str | None = None, employee_id: str | None = None) -> tuple[str, dict[str, dict[str, Any]]]:
    """(cycle id, employee id → plan document) for the cycle's stored plans."""
    cycle_id, people, document = plan_assembler(workspace, cycle_id, employee_id)
    if not people:
        if employee_id is not None and workspace.db.execute("SELECT count(*) FROM plans WHERE cycle_id = ?", [cycle_id]).fetchone()[0]:
            known = [r[0] for r in workspace.db.execute("SELECT employee_id FROM plans WHERE cycle_id = ?", [cycle_id]).fetchall()]
            raise NoPlans(f"no plan for employee '{employee_id}' in cycle {cycle_id}", hint=did_you_mean(employee_id, known))
        raise NoPlans(f"cycle {cycle_id} has no plans yet", hint=f"run `competency plan generate --cycle {cycle_id}`")
    return cycle_id, {person: document(person) for person in people}


def plan_document(workspace: Workspace, cycle_id: str | None, employee_id: str) -> dict[str, Any]:
    """One person's plan, JSON-ready, every text in zh and en (for reports)."""
    _, documents = plan_documents(workspace, cycle_id, employee_id)
    return documents[employee_id]


def show_plan(workspace: Workspace, employee_id: str, cycle_id: str | None, lang: str, fmt: str) -> str | dict[str, Any]:
    """`plan show`: the document (json) or its text / Markdown rendering."""
    document = plan_document(workspace, cycle_id, employee_id)
    return document if fmt == "json" else render_plan(document, lang, fmt)


def write_plans(workspace: Workspace, cycle_id: str, out_dir: Path, lang: str, *, force: bool = False) -> list[Path]:
    """Every plan of the cycle as `out_dir/plans/<employee>.md` (in `lang`); the files written.

    Files are named as reports name people (`person_file_names`, over the roster), all
    checked before the first is written; an existing one is replaced only with `force`.
    Generates the cycle's plans first when it has none (as `competency demo` needs).
    """
    if not workspace.db.execute("SELECT count(*) FROM plans WHERE cycle_id = ?", [cycle_id]).fetchone()[0]:
        generate_plans(workspace, cycle_id)
    _, documents = plan_documents(workspace, cycle_id)
    roster = [row[0] for row in workspace.db.execute("SELECT employee_id FROM roster WHERE cycle_id = ?", [cycle_id]).fetchall()]
    names = person_file_names([*roster, *documents])
    files = {f"plans/{names[employee_id]}.md": document for employee_id, document in sorted(documents.items())}
    output = Output(out_dir, force=force, protected=workspace_files(workspace.path))
    output.check(list(files))
    return [output.write(name, render_plan(document, lang, "md")) for name, document in files.items()]


# ---------------------------------------------------------------- review


def _previous_with_plans(workspace: Workspace, cycle: Cycle) -> str:
    cycles = list_cycles(workspace)
    earlier = [c.cycle_id for c in cycles[: [c.cycle_id for c in cycles].index(cycle.cycle_id)]]
    with_plans = {r[0] for r in workspace.db.execute("SELECT DISTINCT cycle_id FROM plans").fetchall()}
    for candidate in reversed(earlier):
        if candidate in with_plans:
            return candidate
    raise NoPlans(
        f"no cycle before {cycle.cycle_id} has plans to review", hint="plans are reviewed in the next cycle: generate them in the earlier cycle with `competency plan generate --cycle …`"
    )


def review_plans(workspace: Workspace, cycle_id: str | None = None, plans_from: str | None = None) -> dict[str, Any]:
    """The previous cycle's plans against this cycle's scores (see `development.review`)."""
    cycle = resolve_cycle(workspace, cycle_id)
    _require_scored(workspace, cycle)
    planned = resolve_cycle(workspace, plans_from).cycle_id if plans_from else _previous_with_plans(workspace, cycle)
    if planned == cycle.cycle_id:
        raise NoPlans(f"cannot review cycle {planned}'s plans against itself", hint="review them from the next cycle, or name it with --plans-from")
    if not workspace.db.execute("SELECT count(*) FROM plans WHERE cycle_id = ?", [planned]).fetchone()[0]:
        raise NoPlans(f"cycle {planned} has no plans to review", hint=f"run `competency plan generate --cycle {planned}`")
    inputs, scoring = load_plan_inputs(workspace, cycle.cycle_id)
    threshold = inputs.rules.review.threshold
    planned_people = "SELECT employee_id FROM plan_behaviours WHERE cycle_id = $then"
    measured = gate.behaviours(workspace.db, cycle.cycle_id, inputs.bundle, scoring, planned_people, {"then": planned})
    rows = review_rows(workspace.db, planned, cycle.cycle_id, threshold, measured)
    drop(workspace.db, measured.figures, measured.scores)
    plans: dict[str, dict[str, Any]] = {}
    for row in workspace.db.execute("SELECT employee_id, plan_type FROM plans WHERE cycle_id = ? ORDER BY employee_id", [planned]).fetchall():
        plans[row[0]] = {"employee_id": row[0], "plan_type": row[1], "focus": []}
    for focus in rows["focus"]:
        focus["behaviours"] = [b for b in rows["behaviours"] if b["employee_id"] == focus["employee_id"] and b["competency_id"] == focus["competency_id"]]
        plans[focus["employee_id"]]["focus"].append(focus)
    counts = {status: sum(1 for f in rows["focus"] if f["status"] == status) for status in STATUSES}
    return {
        "cycle": cycle.cycle_id,
        "plans_from": planned,
        "threshold": threshold,
        "plans": list(plans.values()),
        "focus_status": counts,
        "by_action_type": rows["by_action_type"],
        "baseline": rows["baseline"][0] if rows["baseline"] else None,
    }

