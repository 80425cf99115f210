"""`competency calibrate …` and `competency agreement`: one function per verb.

Guidelines are read from the cycle's frozen rule files (kind `guidelines`), so
a cycle is calibrated against the guidelines it was opened with. Every change
(override, undo, suggested moves, lock, reopen) is written with its audit row
in one transaction, by `competency.store.calibration`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from competency._sql import drop
from competency._text import did_you_mean
from competency.calibration import audit
from competency.calibration.adverse import GroupImpact, adverse_impact
from competency.calibration.agreement import CompetencyAgreement, competency_agreement
from competency.calibration.check import ratings_problems
from competency.calibration.candidates import candidates
from competency.calibration.distribution import ScopeCheck, check_scopes, nine_box
from competency.calibration.guidelines import Guidelines
from competency.calibration.leniency import ManagerLeniency, RaterGroupLeniency, manager_leniency, rater_leniency
from competency.calibration.overrides import Change, Person, active_overrides, person
from competency.calibration.render_changes import move_reason
from competency.calibration.requests import actor_named, check_may_change, known_code, on_scale, reason_given, scope_kinds
from competency.calibration.suggest import Suggestion, suggest_moves
from competency.errors import CalibrationError, NotScored, SourceErrors
from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import parse_yaml
from competency.publication import gate
from competency.scoring.config import Anonymity, ScoringConfig
from competency.store import calibration as store
from competency.store.workspace import Workspace, now
from competency.workflow.cycles import Cycle, CycleInputs, cycle_inputs, resolve_cycle
from competency.workflow.results import load_for_explaining

GUIDELINES_KIND = "guidelines"


@dataclass(frozen=True)
class Calibration:
    """What every calibration verb needs about a cycle."""

    cycle: Cycle
    inputs: CycleInputs
    guidelines: Guidelines
    scale: tuple[str, ...]  # the rating order of the rule set, best first


def load_guidelines(workspace: Workspace, cycle_id: str, scale: tuple[str, ...] | None = None) -> Guidelines:
    """The guidelines frozen with the cycle, checked (and against the rating scale when given)."""
    rows = workspace.db.execute("SELECT name, text FROM cycle_files WHERE cycle_id = ? AND kind = ? ORDER BY name", [cycle_id, GUIDELINES_KIND]).fetchall()
    if not rows:
        raise CalibrationError(
            f"cycle {cycle_id} has no rating guidelines among its frozen rule files",
            hint="guidelines are frozen when a cycle is opened; open the cycle with a rules folder holding a `kind: guidelines` file (the shipped rules/sales/guidelines.yaml)"
        )
    if len(rows) > 1:
        raise CalibrationError(f"cycle {cycle_id} has {len(rows)} guidelines files ({', '.join(r[0] for r in rows)}); it needs exactly one")
    name, text = rows[0]
    document = parse_yaml(text, f"{cycle_id}:{name}")
    try:
        guidelines = Guidelines.model_validate(document.data)
    except ValidationError as error:
        raise SourceErrors(problems_from(error, document, Guidelines)) from None
    problems = ratings_problems(document, guidelines, list(scale)) if scale else []
    if problems:
        raise SourceErrors(problems)
    return guidelines


def calibration(workspace: Workspace, cycle_id: str | None, *, need_results: bool = True) -> Calibration:
    cycle = resolve_cycle(workspace, cycle_id)
    inputs, ruleset = load_for_explaining(workspace, cycle.cycle_id)
    rating_type = ruleset.schema.get(inputs.scoring.rating.rating)
    scale = tuple(rating_type.values) if rating_type is not None and rating_type.values else ("A", "B", "C", "D")
    guidelines = load_guidelines(workspace, cycle.cycle_id, scale)
    if need_results and not workspace.db.execute("SELECT 1 FROM person_results WHERE cycle_id = ? LIMIT 1", [cycle.cycle_id]).fetchone():
        raise NotScored(f"cycle {cycle.cycle_id} has no results yet", hint=f"run `competency score --cycle {cycle.cycle_id}`")
    return Calibration(cycle, inputs, guidelines, scale)


def anonymous_groups(scoring: ScoringConfig) -> list[str]:
    """The rater groups known only by their figures (peers, direct reports, customers), in the scoring file's order."""
    return [g for g in scoring.group_weights if g not in scoring.anonymity.identified_groups]


@dataclass
class CalibrationStatus:
    cycle_id: str
    status: str
    guidelines: str
    scale: tuple[str, ...]
    z_threshold: float
    minimum_effect: float
    scopes: list[ScopeCheck]
    nine_box: list[dict[str, Any]]
    managers: list[ManagerLeniency]
    raters: list[RaterGroupLeniency]  # counts per rater group: no row describes one rater
    anonymity: Anonymity  # the thresholds behind withheld figures, for their reason texts
    minimum_people: int  # raters who rated fewer people are not judged
    attribute: str | None = None
    adverse_impact: list[GroupImpact] = field(default_factory=list)
    favourable: tuple[str, ...] = ()
    four_fifths: float = 0.8
    minimum_sizes: dict[str, int] = field(default_factory=dict)

    @property
    def off(self) -> list[ScopeCheck]:
        return [s for s in self.scopes if s.off]


def calibration_status(workspace: Workspace, cycle_id: str | None = None, *, by: str | None = None, attribute: str | None = None, names: bool = False) -> CalibrationStatus:
    """Final ratings per scope against the guidelines, the 9-box, leniency of managers and
    how many raters of each group are lenient or severe, and (with `attribute`) the four-fifths check."""
    c = calibration(workspace, cycle_id)
    g = c.guidelines
    db = workspace.db
    cid = c.cycle.cycle_id
    lenient = g.leniency
    scopes = check_scopes(db, cid, g, scope_kinds(g, by), c.scale)
    managers, raters = _leniency(workspace, c)
    impact = []
    if attribute:
        ai = g.adverse_impact
        impact = adverse_impact(db, cid, attribute, ai.favourable, ai.ratio, ai.minimum_group)
    return CalibrationStatus(
        cid, c.cycle.status, f"{g.id} {g.version}", c.scale, lenient.z_threshold, lenient.minimum_effect, scopes, nine_box(db, cid, names), managers, raters,
        c.inputs.scoring.anonymity, lenient.minimum_people,
        attribute, impact, tuple(g.adverse_impact.favourable), g.adverse_impact.ratio, {sc.by: sc.minimum_size for sc in g.scopes},
    )


def _leniency(workspace: Workspace, c: Calibration) -> tuple[list[ManagerLeniency], list[RaterGroupLeniency]]:
    """Managers against the organisation on published figures; raters as counts per group.
    Both read answers and figures through the gate only."""
    db, cid, thresholds, scoring = workspace.db, c.cycle.cycle_id, c.guidelines.leniency, c.inputs.scoring
    anonymity = scoring.anonymity
    gaps = gate.stage_manager_gaps(db, cid, list(anonymity.identified_groups))
    managers = manager_leniency(db, cid, gaps, c.scale, thresholds, anonymity.people_k)
    drop(db, gaps)
    groups = anonymous_groups(scoring)
    items = {comp.id: len(comp.behaviors) for comp in c.inputs.bundle.model.competencies}
    rows = gate.rater_gaps(db, cid, groups, scoring.answered_share, items)
    return managers, rater_leniency(rows, groups, anonymity.group_minimum, thresholds)


@dataclass
class AgreementReport:
    cycle_id: str
    options: int  # answer options of the scale (for rwg)
    answered_share: float
    competencies: list[CompetencyAgreement]
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # competency id → {zh, en}


def rater_agreement(workspace: Workspace, cycle_id: str | None = None) -> AgreementReport:
    """ICC(1), ICC(1,k), Cronbach's alpha and rwg(J) per competency of the cycle's 360 answers
    behind published figures (scoring decides which those are, so the cycle must be scored)."""
    cycle = resolve_cycle(workspace, cycle_id)
    inputs = cycle_inputs(workspace, cycle.cycle_id)
    if not workspace.db.execute("SELECT 1 FROM responses WHERE cycle_id = ? LIMIT 1", [cycle.cycle_id]).fetchone():
        raise CalibrationError(f"cycle {cycle.cycle_id} has no 360 answers yet", hint="import them: `competency import responses survey.csv`")
    if cycle.status == "open":
        raise NotScored(f"cycle {cycle.cycle_id} has no results yet", hint=f"run `competency score --cycle {cycle.cycle_id}`")
    model = inputs.bundle.model
    options = len(model.scale.levels)
    items = {c.id: len(c.behaviors) for c in model.competencies}
    answers = gate.stage_published_answers(workspace.db, cycle.cycle_id, inputs.scoring.answered_share, items)
    found = competency_agreement(workspace.db, cycle.cycle_id, list(items), inputs.scoring.answered_share, options, answers)
    drop(workspace.db, answers)
    names = {c.id: {"zh": c.name.zh, "en": c.name.en} for c in model.competencies}
    return AgreementReport(cycle.cycle_id, options, inputs.scoring.answered_share, found, names)


# --- changes -----------------------------------------------------------------


def _person(workspace: Workspace, cycle_id: str, employee_id: str) -> Person:
    found = person(workspace.db, cycle_id, employee_id)
    if found is None:
        known = [r[0] for r in workspace.db.execute("SELECT employee_id FROM roster WHERE cycle_id = ?", [cycle_id]).fetchall()]
        raise CalibrationError(f"no employee '{employee_id}' in cycle {cycle_id}", hint=did_you_mean(employee_id, known))
    if not found.scored:
        raise CalibrationError(f"{employee_id} has no result in cycle {cycle_id}", hint=f"run `competency score --cycle {cycle_id}` first")
    return found


def set_rating(
    workspace: Workspace, employee_id: str, rating: str, *, reason: str | None, by: str | None, code: str | None = None, cycle_id: str | None = None
) -> Change:
    """Override one person's final rating; the cycle moves to `calibrating`."""
    c = calibration(workspace, cycle_id)
    check_may_change(c.cycle.cycle_id, c.cycle.status)
    reason = reason_given(reason)
    actor = actor_named(by)
    rating = on_scale(rating, c.scale)
    code = known_code(code, c.guidelines)
    who = _person(workspace, c.cycle.cycle_id, employee_id)
    if who.final == rating:
        raise CalibrationError(f"{employee_id} is already rated {rating} in cycle {c.cycle.cycle_id}; nothing to change")
    with workspace.transaction() as db:
        change = store.record_override(db, cycle_id=c.cycle.cycle_id, who=who, rating=rating, reason=reason, code=code, by=actor, at=now(), kind="manual")
        store.mark_calibrating(db, c.cycle.cycle_id)
    return change


def undo(workspace: Workspace, employee_id: str | None = None, *, reason: str | None, by: str | None, cycle_id: str | None = None) -> Change:
    """Undo the latest override not yet undone — of `employee_id`, or of anyone."""
    c = calibration(workspace, cycle_id)
    check_may_change(c.cycle.cycle_id, c.cycle.status)
    reason = reason_given(reason, "an undo")
    actor = actor_named(by)
    cid = c.cycle.cycle_id
    if employee_id is not None:
        _person(workspace, cid, employee_id)
    stacks = active_overrides(workspace.db, cid, employee_id)
    if not stacks:
        whose = f"{employee_id} has no override" if employee_id else "nobody has an override"
        raise CalibrationError(f"{whose} to undo in cycle {cid}")
    stack = max(stacks.values(), key=lambda s: s[-1]["override_id"])
    who = _person(workspace, cid, stack[-1]["employee_id"])
    restored = stack[-2]["rating"] if len(stack) > 1 else None
    with workspace.transaction() as db:
        return store.record_override(db, cycle_id=cid, who=who, rating=restored, reason=reason, code=None, by=actor, at=now(), kind="undo")


@dataclass
class SuggestResult:
    cycle_id: str
    score: str  # the score that ranks candidates
    suggestion: Suggestion
    applied: list[Change] = field(default_factory=list)


def suggest(workspace: Workspace, cycle_id: str | None = None, *, scope: str | None = None, apply_by: str | None = None, lang: str = "en") -> SuggestResult:
    """Moves that bring every scope within its guideline; applied (kind `suggested`) only with `apply_by`."""
    c = calibration(workspace, cycle_id)
    if apply_by is not None:
        check_may_change(c.cycle.cycle_id, c.cycle.status)
        apply_by = actor_named(apply_by)
    cid = c.cycle.cycle_id
    g = c.guidelines
    kinds = [k for k in scope_kinds(g, scope) if g.scope(k) is not None]
    checks = check_scopes(workspace.db, cid, g, kinds, c.scale)
    people = candidates(workspace.db, cid, g.suggest.score, kinds)
    result = SuggestResult(cid, g.suggest.score, suggest_moves(people, checks, g, c.scale))
    if apply_by is None or not result.suggestion.moves:
        return result
    at = now()
    with workspace.transaction() as db:
        for move in result.suggestion.moves:
            who = person(db, cid, move.employee_id)
            assert who is not None
            reason = move_reason(move, g.suggest.score, lang)
            result.applied.append(store.record_override(db, cycle_id=cid, who=who, rating=move.to, reason=reason, code=None, by=apply_by, at=at, kind="suggested"))
        store.mark_calibrating(db, cid)
    return result


def audit_rows(workspace: Workspace, cycle_id: str | None = None, *, all_cycles: bool = False) -> list[dict[str, Any]]:
    """The audit log of a cycle (or of every cycle), oldest first."""
    if all_cycles:
        return audit.rows(workspace.db)
    return audit.rows(workspace.db, resolve_cycle(workspace, cycle_id).cycle_id)


def _status_change(workspace: Workspace, cycle: Cycle, new: str, action: str, by: str, reason: str | None) -> dict[str, Any]:
    with workspace.transaction() as db:
        return store.change_status(db, cycle.cycle_id, cycle.status, new, action=action, by=by, reason=reason, at=now())


def lock(workspace: Workspace, *, by: str | None, reason: str | None = None, cycle_id: str | None = None) -> dict[str, Any]:
    """Make the cycle final: no more overrides, imports or scoring."""
    cycle = resolve_cycle(workspace, cycle_id)
    actor = actor_named(by)
    if cycle.status == "final":
        raise CalibrationError(f"cycle {cycle.cycle_id} is already final")
    if cycle.status == "open":
        raise CalibrationError(f"cannot lock cycle {cycle.cycle_id}: it has no current results (status open)", hint=f"run `competency score --cycle {cycle.cycle_id}` first")
    return _status_change(workspace, cycle, "final", "lock", actor, reason.strip() if reason and reason.strip() else None)


def reopen(workspace: Workspace, *, by: str | None, reason: str | None, cycle_id: str | None = None) -> dict[str, Any]:
    """Open a final cycle again for calibration, recording why."""
    cycle = resolve_cycle(workspace, cycle_id)
    reason = reason_given(reason, "reopening a final cycle")
    actor = actor_named(by)
    if cycle.status != "final":
        raise CalibrationError(f"cycle {cycle.cycle_id} is not final (it is {cycle.status}); there is nothing to reopen")
    return _status_change(workspace, cycle, "calibrating", "reopen", actor, reason)
