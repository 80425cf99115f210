"""`competency calibrate …` and `competency agreement`: one function per verb.

Guidelines are read from the cycle's frozen rule files (kind `guidelines`), so
a cycle is calibrated against the guidelines it was opened with. Every change
(override, undo, suggested moves, lock, reopen) writes its rows and their
audit rows in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import parse_yaml
from competency.calibration import audit
from competency.calibration.adverse import GroupImpact, adverse_impact
from competency.calibration.agreement import CompetencyAgreement, competency_agreement
from competency.calibration.check import ratings_problems
from competency.calibration.distribution import PEOPLE_SQL, ScopeCheck, check_scopes, nine_box
from competency.calibration.guidelines import SCOPE_KINDS, Guidelines
from competency.calibration.leniency import ManagerLeniency, RaterGroupLeniency, make_gaps, manager_leniency, rater_leniency
from competency.calibration.overrides import Change, Person, active_overrides, person, record
from competency.calibration.render import move_reason
from competency.calibration.suggest import Candidate, Suggestion, suggest_moves
from competency.errors import CalibrationError, NotScored, SourceErrors
from competency.publication import gate
from competency.scoring.config import Anonymity, ScoringConfig
from competency.store.workspace import Workspace, now
from competency._text import did_you_mean
from competency.workflow.cycles import Cycle, CycleInputs, cycle_inputs, resolve_cycle
from competency.workflow.results import load_for_explaining

GUIDELINES_KIND = "guidelines"
FINAL_COLUMNS = ("final_rating", "overridden")


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


def _kinds(guidelines: Guidelines, by: str | None) -> list[str]:
    configured = [s.by for s in guidelines.scopes]
    if by is None:
        return [k for k in SCOPE_KINDS if k in configured or k == "organisation"]
    if by not in SCOPE_KINDS:
        raise CalibrationError(f"unknown scope '{by}'", hint=did_you_mean(by, SCOPE_KINDS))
    return ["organisation", by] if by != "organisation" else ["organisation"]


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
    scopes = check_scopes(db, cid, g, _kinds(g, by), c.scale)
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
    db, cid, lenient, scoring = workspace.db, c.cycle.cycle_id, c.guidelines.leniency, c.inputs.scoring
    anonymity = scoring.anonymity
    make_gaps(db, cid, anonymity.identified_groups)
    managers = manager_leniency(db, cid, c.scale, lenient.z_threshold, lenient.minimum_team, lenient.minimum_effect, anonymity.people_k)
    db.execute("DROP TABLE IF EXISTS gate_manager_gaps")
    groups = anonymous_groups(scoring)
    items = {comp.id: len(comp.behaviors) for comp in c.inputs.bundle.model.competencies}
    rows = gate.rater_gaps(db, cid, groups, scoring.answered_share, items)
    raters = rater_leniency(rows, groups, anonymity.group_minimum, lenient.z_threshold, lenient.minimum_people, lenient.minimum_effect)
    return managers, raters


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
    workspace.db.execute(f"DROP TABLE IF EXISTS {answers}")
    names = {c.id: {"zh": c.name.zh, "en": c.name.en} for c in model.competencies}
    return AgreementReport(cycle.cycle_id, options, inputs.scoring.answered_share, found, names)


# --- changes -----------------------------------------------------------------


def _may_change(cycle: Cycle) -> None:
    if cycle.status == "final":
        raise CalibrationError(
            f"cannot change ratings: cycle {cycle.cycle_id} is final (locked)",
            hint=f"`competency calibrate reopen --cycle {cycle.cycle_id} --reason \"…\" --by NAME` opens it again, with the reason recorded"
        )
    if cycle.status == "open":
        raise CalibrationError(
            f"cannot change ratings: cycle {cycle.cycle_id} has no current results (status open)", hint=f"run `competency score --cycle {cycle.cycle_id}` first"
        )


def _need(value: str | None, what: str, hint: str) -> str:
    if value is None or not value.strip():
        raise CalibrationError(what, hint=hint)
    return value.strip()


def _reason(reason: str | None, doing: str = "an override") -> str:
    return _need(reason, f"{doing} needs a reason", 'say why with --reason "…", e.g. --reason "led the team through the merger; KPIs understate it"')


def _actor(by: str | None) -> str:
    return _need(by, "say who makes the change", "name yourself with --by NAME")


def _person(workspace: Workspace, cycle_id: str, employee_id: str) -> Person:
    found = person(workspace.db, cycle_id, employee_id)
    if found is None:
        known = [r[0] for r in workspace.db.execute("SELECT employee_id FROM roster WHERE cycle_id = ?", [cycle_id]).fetchall()]
        raise CalibrationError(f"no employee '{employee_id}' in cycle {cycle_id}", hint=did_you_mean(employee_id, known))
    if not found.scored:
        raise CalibrationError(f"{employee_id} has no result in cycle {cycle_id}", hint=f"run `competency score --cycle {cycle_id}` first")
    return found


def _on_scale(rating: str, scale: tuple[str, ...]) -> str:
    if rating in scale:
        return rating
    hint = f"did you mean '{rating.strip().upper()}'?" if rating.strip().upper() in scale else f"use one of {', '.join(scale)}"
    raise CalibrationError(f"'{rating}' is not on the rating scale ({', '.join(scale)})", hint=hint)


def _code(code: str | None, guidelines: Guidelines) -> str | None:
    if code is None:
        return None
    codes = [c.code for c in guidelines.reason_codes]
    if code not in codes:
        hint = did_you_mean(code, codes) if codes else "the guidelines define no reason codes; leave out --code"
        raise CalibrationError(f"unknown reason code '{code}'", hint=hint)
    return code


def set_rating(
    workspace: Workspace, employee_id: str, rating: str, *, reason: str | None, by: str | None, code: str | None = None, cycle_id: str | None = None
) -> Change:
    """Override one person's final rating; the cycle moves to `calibrating`."""
    c = calibration(workspace, cycle_id)
    _may_change(c.cycle)
    reason = _reason(reason)
    actor = _actor(by)
    rating = _on_scale(rating, c.scale)
    code = _code(code, c.guidelines)
    who = _person(workspace, c.cycle.cycle_id, employee_id)
    if who.final == rating:
        raise CalibrationError(f"{employee_id} is already rated {rating} in cycle {c.cycle.cycle_id}; nothing to change")
    with workspace.transaction() as db:
        change = record(db, cycle_id=c.cycle.cycle_id, who=who, rating=rating, reason=reason, code=code, by=actor, at=now(), kind="manual")
        db.execute("UPDATE cycles SET status = 'calibrating' WHERE cycle_id = ?", [c.cycle.cycle_id])
    return change


def undo(workspace: Workspace, employee_id: str | None = None, *, reason: str | None, by: str | None, cycle_id: str | None = None) -> Change:
    """Undo the latest override not yet undone — of `employee_id`, or of anyone."""
    c = calibration(workspace, cycle_id)
    _may_change(c.cycle)
    reason = _reason(reason, "an undo")
    actor = _actor(by)
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
        return record(db, cycle_id=cid, who=who, rating=restored, reason=reason, code=None, by=actor, at=now(), kind="undo")


@dataclass
class SuggestResult:
    cycle_id: str
    score: str  # the score that ranks candidates
    suggestion: Suggestion
    applied: list[Change] = field(default_factory=list)


def _candidates(workspace: Workspace, cycle_id: str, score: str, kinds: list[str]) -> list[Candidate]:
    rows = workspace.db.execute(
        f"SELECT employee_id, name, final_rating, {score}, overridden, department, region, manager_id FROM ({PEOPLE_SQL}) WHERE final_rating IS NOT NULL",
        {"cycle": cycle_id},
    ).fetchall()
    found = []
    for employee_id, name, rating, value, overridden, department, region, manager in rows:
        keys = {"organisation": None, "department": department, "region": region, "manager": manager}
        scopes = tuple((k, keys[k]) for k in kinds if k == "organisation" or keys[k] is not None)
        found.append(Candidate(employee_id, name, rating, value, bool(overridden), scopes))
    return found


def suggest(workspace: Workspace, cycle_id: str | None = None, *, scope: str | None = None, apply_by: str | None = None, lang: str = "en") -> SuggestResult:
    """Moves that bring every scope within its guideline; applied (kind `suggested`) only with `apply_by`."""
    c = calibration(workspace, cycle_id)
    if apply_by is not None:
        _may_change(c.cycle)
        apply_by = _actor(apply_by)
    cid = c.cycle.cycle_id
    g = c.guidelines
    kinds = [k for k in _kinds(g, scope) if g.scope(k) is not None]
    checks = check_scopes(workspace.db, cid, g, kinds, c.scale)
    people = _candidates(workspace, cid, g.suggest.score, kinds)
    result = SuggestResult(cid, g.suggest.score, suggest_moves(people, checks, g, c.scale))
    if apply_by is None or not result.suggestion.moves:
        return result
    at = now()
    with workspace.transaction() as db:
        for move in result.suggestion.moves:
            who = person(db, cid, move.employee_id)
            assert who is not None
            result.applied.append(record(db, cycle_id=cid, who=who, rating=move.to, reason=move_reason(move, g.suggest.score, lang), code=None, by=apply_by, at=at, kind="suggested"))
        db.execute("UPDATE cycles SET status = 'calibrating' WHERE cycle_id = ?", [cid])
    return result


def audit_rows(workspace: Workspace, cycle_id: str | None = None, *, all_cycles: bool = False) -> list[dict[str, Any]]:
    """The audit log of a cycle (or of every cycle), oldest first."""
    if all_cycles:
        return audit.rows(workspace.db)
    return audit.rows(workspace.db, resolve_cycle(workspace, cycle_id).cycle_id)


def verify_log(workspace: Workspace) -> audit.Verification:
    """Check the whole audit chain: hashes, links and sequence."""
    return audit.verify(workspace.db)


def _status_change(workspace: Workspace, cycle: Cycle, new: str, action: str, by: str, reason: str | None) -> dict[str, Any]:
    with workspace.transaction() as db:
        db.execute("UPDATE cycles SET status = ? WHERE cycle_id = ?", [new, cycle.cycle_id])
        return audit.append(db, cycle_id=cycle.cycle_id, at=now(), actor=by, action=action, previous=cycle.status, new=new, reason=reason)


def lock(workspace: Workspace, *, by: str | None, reason: str | None = None, cycle_id: str | None = None) -> dict[str, Any]:
    """Make the cycle final: no more overrides, imports or scoring."""
    cycle = resolve_cycle(workspace, cycle_id)
    actor = _actor(by)
    if cycle.status == "final":
        raise CalibrationError(f"cycle {cycle.cycle_id} is already final")
    if cycle.status == "open":
        raise CalibrationError(f"cannot lock cycle {cycle.cycle_id}: it has no current results (status open)", hint=f"run `competency score --cycle {cycle.cycle_id}` first")
    return _status_change(workspace, cycle, "final", "lock", actor, reason.strip() if reason and reason.strip() else None)


def reopen(workspace: Workspace, *, by: str | None, reason: str | None, cycle_id: str | None = None) -> dict[str, Any]:
    """Open a final cycle again for calibration, recording why."""
    cycle = resolve_cycle(workspace, cycle_id)
    reason = _reason(reason, "reopening a final cycle")
    actor = _actor(by)
    if cycle.status != "final":
        raise CalibrationError(f"cycle {cycle.cycle_id} is not final (it is {cycle.status}); there is nothing to reopen")
    return _status_change(workspace, cycle, "calibrating", "reopen", actor, reason)
