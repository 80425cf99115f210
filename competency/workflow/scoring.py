"""`competency score`: aggregate, rate and store a cycle's results in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from competency.calibration import audit
from competency.store.calibration import append_audit
from competency.errors import CycleError
from competency.scoring.aggregate import aggregate
from competency._sql import Relation, drop, relations
from competency.scoring.model_tables import load_model_tables
from competency.scoring.person_inputs import extra_attributes, person_inputs
from competency.scoring.rate import rate_everyone, rating_ruleset
from competency.store.roster import roster_values
from competency.store.scoring import ScoringRun, save_run, withdraw_releases
from competency.store.workspace import Workspace, now
from competency.workflow.cycles import CycleInputs, cycle_inputs, require_status, resolve_cycle

@dataclass(frozen=True)
class ScoreSummary:
    cycle_id: str
    people: int
    rated: int
    distribution: dict[str, int]
    nine_box: dict[str, int]
    flags: dict[str, int]
    suppressed_figures: int
    published_figures: int


@dataclass(frozen=True)
class Withdrawal:
    """HR's word that nothing of the cycle was handed out yet, so its earlier runs are not releases."""

    reason: str
    actor: str


def score_cycle(workspace: Workspace, cycle_id: str | None = None, *, withdraw: Withdrawal | None = None) -> ScoreSummary:
    """Score everyone in the cycle with its frozen model and rules; replaces earlier results.

    `withdraw`: first take back the cycle's earlier releases (audited), for correcting a
    data error before any report, export or plan of the cycle left the tool.
    """
    cycle = resolve_cycle(workspace, cycle_id)
    require_status(cycle, ("open", "scored", "calibrating"), f"score cycle {cycle.cycle_id}")
    inputs = cycle_inputs(workspace, cycle.cycle_id)
    with workspace.transaction() as db:
        if withdraw is not None:
            withdrawn = withdraw_releases(db, cycle.cycle_id)
            entry = audit.Entry(cycle.cycle_id, now(), withdraw.actor, "withdraw_release", previous=str(withdrawn), new="0", reason=withdraw.reason)
            append_audit(db, entry)
        people = db.execute("SELECT count(*) FROM roster WHERE cycle_id = ?", [cycle.cycle_id]).fetchone()[0]
        if people == 0:
            raise CycleError(f"cycle {cycle.cycle_id} has no roster yet", hint="import one first: `competency import roster roster.csv`")
        _score(db, cycle.cycle_id, inputs, "scored" if cycle.status == "open" else cycle.status)
        return _summary(workspace, cycle.cycle_id, people)


def compute_run(db: duckdb.DuckDBPyConnection, cycle_id: str, inputs: CycleInputs, *, derived: bool = False) -> tuple[ScoringRun, list[Relation]]:
    """Aggregate and rate the cycle into temp relations, storing nothing: the run, and every
    relation made (for the caller to drop once it has stored or compared the run).
    `derived`: held to the releases before the cycle's latest, as `competency verify` needs."""
    model = load_model_tables(db, inputs.bundle, inputs.scoring)
    aggregates = aggregate(db, cycle_id, inputs.scoring, model, derived=derived)
    made = [*relations(aggregates), *relations(model)]
    try:
        rule_inputs = person_inputs(db, cycle_id, inputs.bundle, aggregates, extra_attributes(db, cycle_id))
        made.append(rule_inputs)
        ruleset = rating_ruleset(inputs.rule_documents, inputs.bundle, inputs.scoring, roster_values(db, cycle_id))
        people = rate_everyone(db, ruleset, inputs.scoring, rule_inputs)
        made.append(people)
    except BaseException:
        drop(db, *made)
        raise
    return ScoringRun(aggregates.figures, aggregates.competency, aggregates.kpis, people, aggregates.raters, aggregates.groups), made


def _score(db: duckdb.DuckDBPyConnection, cycle_id: str, inputs: CycleInputs, status: str) -> None:
    """Aggregate, rate and store the cycle's results; the run's temp relations are dropped."""
    run, made = compute_run(db, cycle_id, inputs)
    save_run(db, cycle_id, run, status, now())
    drop(db, *made)


def _counts(workspace: Workspace, sql: str, cycle_id: str) -> dict[str, int]:
    return {str(k): v for k, v in workspace.db.execute(sql, [cycle_id]).fetchall()}


def _summary(workspace: Workspace, cycle_id: str, people: int) -> ScoreSummary:
    distribution = _counts(workspace, "SELECT coalesce(rating, 'unrated'), count(*) FROM person_results WHERE cycle_id = ? GROUP BY ALL ORDER BY 1", cycle_id)
    boxes = _counts(workspace, "SELECT coalesce(nine_box, 'unplaced'), count(*) FROM person_results WHERE cycle_id = ? GROUP BY ALL ORDER BY 1", cycle_id)
    flags = _counts(workspace, "SELECT f, count(*) FROM (SELECT unnest(flags) AS f FROM person_results WHERE cycle_id = ?) GROUP BY ALL ORDER BY 1", cycle_id)
    figures = _counts(workspace, "SELECT publishable::VARCHAR, count(*) FROM group_scores WHERE cycle_id = ? GROUP BY ALL", cycle_id)
    rated = sum(v for k, v in distribution.items() if k != "unrated")
    return ScoreSummary(cycle_id, people, rated, distribution, boxes, flags, figures.get("false", 0), figures.get("true", 0))
