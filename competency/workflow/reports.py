"""`report` and `export`: load a cycle's results in bulk, render, write files.

People are loaded a batch at a time with one query per table (never one query
set per person: `competency.reports.load`), so `report individual --all` on
10,000 people runs a few dozen queries; templates are compiled once per
process (`competency.reports.render`); many reports are rendered on forked
processes, one per CPU (`competency.reports._parallel`). Calibration (issue 5)
and development plans (issue 6) are used when they are part of the build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from competency.errors import CompetencyError, NotScored, ReportError
from competency.publication import gate
from competency.reports import calibration as calibration_report
from competency.reports import load
from competency.reports import org as org_report
from competency.reports import team as team_report
from competency.reports._labels import Labels
from competency.reports._parallel import default_jobs, ordered_map
from competency.reports.data import CycleFrame, PersonData
from competency.reports.exports import render_table
from competency.reports.guideline_checks import guideline_checks
from competency.reports.individual import individual_context
from competency.reports.plan import plan_context
from competency.reports.render import render, template
from competency.store.workspace import Workspace
from competency._text import did_you_mean
from competency.workflow import calibrate, plans
from competency.workflow.cycles import resolve_cycle
from competency.workflow.results import load_for_explaining

EXPORTS = ("ratings", "scores", "plans", "audit")
Progress = Callable[[int, int], None]


# --------------------------------------------------------------------------- the cycle and its people


def cycle_frame(workspace: Workspace, cycle_id: str | None) -> CycleFrame:
    """The cycle (default: the one opened last) with its frozen model and rules; it must be scored."""
    cycle = resolve_cycle(workspace, cycle_id)
    scored = workspace.db.execute("SELECT count(*) FROM person_results WHERE cycle_id = ?", [cycle.cycle_id]).fetchone()[0]
    if not scored:
        raise NotScored(f"cycle {cycle.cycle_id} has not been scored yet", hint=f"run `competency score --cycle {cycle.cycle_id}`")
    if cycle.status == "open":
        # Behaviour figures are derived from the answers: they must be the answers that were scored.
        raise NotScored(
            f"the results of cycle {cycle.cycle_id} are out of date: data was imported after it was scored",
            hint=f"run `competency score --cycle {cycle.cycle_id}` again"
        )
    inputs, ruleset = load_for_explaining(workspace, cycle.cycle_id)
    blind_spots = plans.load_plan_inputs(workspace, cycle.cycle_id)[0].rules.blind_spots
    return CycleFrame(cycle.cycle_id, cycle.status, inputs.bundle, inputs.scoring, ruleset, blind_spots.gap, blind_spots.hidden_strength_gap)


def _check_ids(workspace: Workspace, cycle_id: str, ids: list[str], what: str, sql: str) -> None:
    known = {row[0] for row in workspace.db.execute(sql, [cycle_id]).fetchall()}
    for wanted in ids:
        if wanted not in known:
            raise ReportError(f"no {what} '{wanted}' in cycle {cycle_id}", hint=did_you_mean(wanted, sorted(known)))


def _people_ids(workspace: Workspace, frame: CycleFrame, employee_ids: list[str] | None) -> list[str]:
    if employee_ids:
        _check_ids(workspace, frame.cycle_id, employee_ids, "employee", "SELECT employee_id FROM roster WHERE cycle_id = ?")
        return list(dict.fromkeys(employee_ids))
    return [r[0] for r in workspace.db.execute("SELECT employee_id FROM person_results WHERE cycle_id = ? ORDER BY employee_id", [frame.cycle_id]).fetchall()]


# --------------------------------------------------------------------------- plans (issue 6)


def plan_lookup(workspace: Workspace, cycle_id: str) -> Callable[[str], dict[str, Any] | None]:
    """Each person's plan document (None: no plan), assembled when asked for."""
    return plans.plan_assembler(workspace, cycle_id)[2]


# --------------------------------------------------------------------------- writing


def safe_name(text: str) -> str:
    """A file-name part made of the id: letters, digits, '-', '_' and '.', nothing that climbs folders."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", text).lstrip(".")
    return cleaned or "_"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _render_all(task: Callable[[Any], Path | None], items: Iterable[Any], count: int, jobs: int | None, progress: Progress | None) -> list[Path]:
    """`task` over the `count` items, on `jobs` processes (default: by the count), in order; the files written."""
    written = []
    for done, path in enumerate(ordered_map(task, items, jobs or default_jobs(count)), start=1):
        if path is not None:
            written.append(path)
        if progress:
            progress(done, count)
    return written


def report_individual(
    workspace: Workspace, cycle_id: str | None, employee_ids: list[str] | None, fmt: str, lang: str, out_dir: Path,
    progress: Progress | None = None, jobs: int | None = None,
) -> list[Path]:
    """Write one individual 360 report per person (`employee_ids` None: everyone rated).

    People are loaded in batches here and rendered on `jobs` processes
    (default: one for a few people, the CPUs for many).
    """
    frame = cycle_frame(workspace, cycle_id)
    labels = Labels(frame.bundle, frame.scoring, frame.ruleset, lang)
    ids = _people_ids(workspace, frame, employee_ids)
    out_dir.mkdir(parents=True, exist_ok=True)
    template(f"individual.{fmt}")  # compiled before any worker starts

    plan_of = plan_lookup(workspace, frame.cycle_id)  # before the rendering processes start: they inherit it
    charts = fmt == "html"

    def write_one(person: PersonData) -> Path:
        context = individual_context(person, frame, labels, charts=charts)
        document = plan_of(person.employee["employee_id"])
        if document is not None:
            context["plan"] = plan_context(document, labels, charts=charts)
        return _write(out_dir / f"individual-{safe_name(person.employee['employee_id'])}.{fmt}", render(f"individual.{fmt}", lang, **context))

    return _render_all(write_one, load.people(workspace.db, frame, ids), len(ids), jobs, progress)


def report_plan(
    workspace: Workspace, cycle_id: str | None, employee_ids: list[str] | None, fmt: str, lang: str, out_dir: Path,
    progress: Progress | None = None, jobs: int | None = None,
) -> list[Path]:
    """Write each person's development plan, the document the person and manager sign
    (`employee_ids` None: everyone with a plan)."""
    frame = cycle_frame(workspace, cycle_id)
    labels = Labels(frame.bundle, frame.scoring, frame.ruleset, lang)
    ids = _people_ids(workspace, frame, employee_ids)
    out_dir.mkdir(parents=True, exist_ok=True)
    template(f"plan.{fmt}")
    plan_of = plan_lookup(workspace, frame.cycle_id)

    def write_one(employee_id: str) -> Path | None:
        document = plan_of(employee_id)
        if document is None:
            if employee_ids:
                raise ReportError(f"{employee_id} has no development plan in cycle {frame.cycle_id}", hint=f"make plans with `competency plan generate --cycle {frame.cycle_id}`")
            return None
        context = plan_context(document, labels, charts=fmt == "html")
        return _write(out_dir / f"plan-{safe_name(employee_id)}.{fmt}", render(f"plan.{fmt}", lang, cycle_id=frame.cycle_id, plan=context))

    written = _render_all(write_one, ids, len(ids), jobs, progress)
    if not written:
        raise ReportError(f"cycle {frame.cycle_id} has no development plans yet", hint=f"make them with `competency plan generate --cycle {frame.cycle_id}`")
    return written


def report_team(
    workspace: Workspace, cycle_id: str | None, manager_ids: list[str] | None, fmt: str, lang: str, out_dir: Path,
    progress: Progress | None = None,
) -> list[Path]:
    """Write a team report for each manager named (None: every manager with people in the cycle)."""
    frame = cycle_frame(workspace, cycle_id)
    labels = Labels(frame.bundle, frame.scoring, frame.ruleset, lang)
    people, scores = load.team_rows(workspace.db, frame.cycle_id)
    managers = sorted({p["manager_id"] for p in people if p["manager_id"]})
    if manager_ids:
        for wanted in manager_ids:
            if wanted not in managers:
                raise ReportError(f"no team with manager '{wanted}' in cycle {frame.cycle_id}", hint=did_you_mean(wanted, managers))
        managers = list(dict.fromkeys(manager_ids))
    by_id = {p["employee_id"]: p for p in people}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for done, manager_id in enumerate(managers, start=1):
        members = [p for p in people if p["manager_id"] == manager_id]
        context = team_report.team_context(by_id.get(manager_id, {"employee_id": manager_id}), members, scores, frame, labels)
        written.append(_write(out_dir / f"team-{safe_name(manager_id)}.{fmt}", render(f"team.{fmt}", lang, **context)))
        if progress:
            progress(done, len(managers))
    return written


AGREEMENT_MINIMUM = 10  # ICC, alpha and rwg are shown for competencies with at least this many people rated


def calibration_extras(workspace: Workspace, cycle_id: str) -> dict[str, Any] | None:
    """What the calibration stage computes (issue 5), as plain data for the report.

    Guideline checks per scope, manager leniency on ratings and on the 360
    index (never on raw answers, which could say something about a small
    group) flagged by the stage's own verdict, as `calibrate status` flags it,
    and the agreement statistics of competencies rated for at least
    AGREEMENT_MINIMUM people.
    """
    extras: dict[str, Any] = {}
    try:
        status = calibrate.calibration_status(workspace, cycle_id)
    except CompetencyError:
        status = None  # no guidelines frozen with the cycle
    if status is not None:
        extras["guidelines"] = status.guidelines
        extras["z_threshold"] = status.z_threshold
        extras["checks"] = guideline_checks(status)
        extras["managers"] = [calibration_report.manager_row(m) for m in status.managers]
    try:
        report = calibrate.rater_agreement(workspace, cycle_id)
        extras["agreement"] = {
            a.competency_id: {"icc1": a.icc1, "icc1k": a.icc1k, "alpha": a.alpha, "rwg_median": a.rwg_median, "rwg_agree_share": a.rwg_agree_share}
            for a in report.competencies
            if a.people >= AGREEMENT_MINIMUM
        }
    except CompetencyError:
        extras["agreement"] = {}  # nothing to measure (no 360 answers): the table keeps the spread of group means only
    return extras


def report_calibration(workspace: Workspace, cycle_id: str | None, fmt: str, lang: str, out_dir: Path) -> list[Path]:
    """Write the calibration report of the cycle."""
    frame = cycle_frame(workspace, cycle_id)
    labels = Labels(frame.bundle, frame.scoring, frame.ruleset, lang)
    people, _ = load.team_rows(workspace.db, frame.cycle_id)
    audit = load.audit_rows(workspace.db, frame.cycle_id)
    figures = gate.published_group_figures(workspace.db, frame.cycle_id)
    extras = calibration_extras(workspace, frame.cycle_id)
    context = calibration_report.calibration_context(people, figures, audit, frame, labels, extras)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [_write(out_dir / f"calibration.{fmt}", render(f"calibration.{fmt}", lang, **context))]


def report_org(workspace: Workspace, cycle_id: str | None, fmt: str, lang: str, out_dir: Path) -> list[Path]:
    """Write the organisation summary: averages by department and region, ratings, trend."""
    frame = cycle_frame(workspace, cycle_id)
    labels = Labels(frame.bundle, frame.scoring, frame.ruleset, lang)
    averages, trend = load.org_rows(workspace.db, frame.cycle_id, people_k=frame.scoring.anonymity.people_k)
    people, _ = load.team_rows(workspace.db, frame.cycle_id)
    context = org_report.org_context(averages, people, trend, frame, labels)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [_write(out_dir / f"org.{fmt}", render(f"org.{fmt}", lang, **context))]


def write_report_set(workspace: Workspace, cycle_id: str | None, out_dir: Path, lang: str, progress: Progress | None = None) -> Path:
    """Every report of the cycle as HTML under `out_dir`, with an `index.html` linking them; returns the index."""
    frame = cycle_frame(workspace, cycle_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    sections: list[tuple[str, list[Path]]] = [
        ("org", report_org(workspace, frame.cycle_id, "html", lang, out_dir)),
        ("calibration", report_calibration(workspace, frame.cycle_id, "html", lang, out_dir)),
        ("team", report_team(workspace, frame.cycle_id, None, "html", lang, out_dir / "teams")),
        ("individual", report_individual(workspace, frame.cycle_id, None, "html", lang, out_dir / "people", progress)),
    ]
    try:
        sections.append(("plan", report_plan(workspace, frame.cycle_id, None, "html", lang, out_dir / "plans")))
    except ReportError:
        pass  # no plans made in this cycle: the set has no plan section
    names = dict(workspace.db.execute("SELECT employee_id, name FROM roster WHERE cycle_id = ?", [frame.cycle_id]).fetchall())
    links = [
        (kind, [(path.relative_to(out_dir).as_posix(), _link_text(path, names)) for path in paths])
        for kind, paths in sections
    ]
    index = out_dir / "index.html"
    return _write(index, render("index.html", lang, cycle_id=frame.cycle_id, sections=links))


def _link_text(path: Path, names: dict[str, str]) -> str:
    stem = path.stem
    _, _, ident = stem.partition("-")
    if not ident:
        return stem
    return f"{names.get(ident) or ident} ({ident})"


# --------------------------------------------------------------------------- exports

def export_table(workspace: Workspace, kind: str, cycle_id: str | None) -> tuple[str, list[str], list[dict[str, Any]]]:
    """(cycle id, columns, rows) of an export: ratings, scores, plans or audit."""
    if kind not in EXPORTS:
        raise ReportError(f"unknown export '{kind}'", hint=did_you_mean(kind, EXPORTS))
    cycle = resolve_cycle(workspace, cycle_id)
    if kind in ("ratings", "scores") and not workspace.db.execute("SELECT count(*) FROM person_results WHERE cycle_id = ?", [cycle.cycle_id]).fetchone()[0]:
        raise NotScored(f"cycle {cycle.cycle_id} has not been scored yet", hint=f"run `competency score --cycle {cycle.cycle_id}`")
    if kind == "plans":
        has_table = workspace.db.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'plans'").fetchone()[0]
        if not has_table or not workspace.db.execute("SELECT count(*) FROM plans WHERE cycle_id = ?", [cycle.cycle_id]).fetchone()[0]:
            raise ReportError(f"cycle {cycle.cycle_id} has no development plans yet", hint=f"make them with `competency plan generate --cycle {cycle.cycle_id}`")
    columns, rows = load.export_rows(workspace.db, kind, cycle.cycle_id)
    return cycle.cycle_id, columns, rows


def export(workspace: Workspace, kind: str, cycle_id: str | None, fmt: str) -> tuple[str, str | bytes, int]:
    """(cycle id, the export as text — bytes for XLSX —, row count)."""
    cycle, columns, rows = export_table(workspace, kind, cycle_id)
    return cycle, render_table(fmt, columns, rows, f"{kind} {cycle}"), len(rows)
