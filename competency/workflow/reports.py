"""`report` and `export`: load a cycle's results in bulk, render, write files.

People are loaded a batch at a time with one query per table (never one query
set per person: `competency.reports.load`), so `report individual --all` on
10,000 people runs a few dozen queries; templates are compiled once per
process (`competency.reports.render`); many reports are rendered on forked
processes, one per CPU (`competency.reports._parallel`). Exports are in
`workflow.exports`, what calibration adds to its report in `workflow.report_extras`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from competency.errors import NotScored, ReportError
from competency.files.outputs import Output, person_file_names, workspace_files
from competency.publication import gate
from competency.reports import calibration as calibration_report
from competency.reports import load
from competency.reports import org as org_report
from competency.reports import team as team_report
from competency.reports._labels import Labels
from competency.reports._parallel import default_jobs, ordered_map
from competency.reports.data import CycleFrame, PersonData
from competency.reports.individual import individual_context
from competency.reports.plan import plan_context
from competency.reports.render import render, template
from competency.store.workspace import Workspace
from competency._text import did_you_mean
from competency.workflow import plans
from competency.workflow.report_extras import calibration_extras
from competency.workflow.cycles import resolve_cycle
from competency.workflow.results import load_for_explaining

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


@dataclass(frozen=True)
class _Job:
    """What the reports of one command share: the cycle, format, language, output folder, progress."""

    workspace: Workspace
    frame: CycleFrame
    fmt: str
    lang: str
    output: Output
    progress: Progress | None = None
    jobs: int | None = None

    @property
    def labels(self) -> Labels:
        return Labels(self.frame.bundle, self.frame.scoring, self.frame.ruleset, self.lang)

    def file_names(self, ids: Iterable[str]) -> dict[str, str]:
        """Each person's file-name part, made over the whole roster so it never depends on who was chosen."""
        sql = "SELECT employee_id FROM roster WHERE cycle_id = $c UNION SELECT manager_id FROM roster WHERE cycle_id = $c AND manager_id IS NOT NULL"
        return person_file_names([*(row[0] for row in self.workspace.db.execute(sql, {"c": self.frame.cycle_id}).fetchall()), *ids])


def _job(workspace: Workspace, cycle_id: str | None, fmt: str, lang: str, out_dir: Path, force: bool, progress: Progress | None = None, jobs: int | None = None) -> _Job:
    output = Output(out_dir, force=force, protected=workspace_files(workspace.path))
    return _Job(workspace, cycle_frame(workspace, cycle_id), fmt, lang, output, progress, jobs)


@dataclass(frozen=True)
class _Batch:
    """Reports ready to write: their file names in the output folder, and the writer."""

    names: list[str]
    run: Callable[[], list[Path]]


def _write(output: Output, *batches: _Batch, also: tuple[str, ...] = ()) -> list[list[Path]]:
    """Every name checked (no workspace, no link out, no existing file without force) before the first is written."""
    output.check([name for batch in batches for name in batch.names] + list(also))
    return [batch.run() for batch in batches]


def _render_all(task: Callable[[Any], Path], items: Iterable[Any], count: int, job: _Job) -> list[Path]:
    """`task` over the `count` items, on the job's processes (default: by the count), in order; the files written."""
    written = []
    for done, path in enumerate(ordered_map(task, items, job.jobs or default_jobs(count)), start=1):
        written.append(path)
        if job.progress:
            job.progress(done, count)
    return written


def _individual(job: _Job, ids: list[str], sub: str = "") -> _Batch:
    labels, names, charts = job.labels, job.file_names(ids), job.fmt == "html"
    plan_of = plan_lookup(job.workspace, job.frame.cycle_id)  # before the rendering processes start: they inherit it

    def write_one(person: PersonData) -> Path:
        context = individual_context(person, job.frame, labels, charts=charts)
        document = plan_of(person.employee["employee_id"])
        if document is not None:
            context["plan"] = plan_context(document, labels, charts=charts)
        return job.output.write(f"{sub}individual-{names[person.employee['employee_id']]}.{job.fmt}", render(f"individual.{job.fmt}", job.lang, **context))

    def run() -> list[Path]:
        template(f"individual.{job.fmt}")  # compiled before any worker starts
        return _render_all(write_one, load.people(job.workspace.db, job.frame, ids), len(ids), job)

    return _Batch([f"{sub}individual-{names[i]}.{job.fmt}" for i in ids], run)


def report_individual(
    workspace: Workspace, cycle_id: str | None, employee_ids: list[str] | None, fmt: str, lang: str, out_dir: Path,
    progress: Progress | None = None, jobs: int | None = None, *, force: bool = False,
) -> list[Path]:
    """Write one individual 360 report per person (`employee_ids` None: everyone rated); `force`
    replaces existing files.

    People are loaded in batches here and rendered on `jobs` processes
    (default: one for a few people, the CPUs for many).
    """
    job = _job(workspace, cycle_id, fmt, lang, out_dir, force, progress, jobs)
    return _write(job.output, _individual(job, _people_ids(workspace, job.frame, employee_ids)))[0]


def _plans(job: _Job, employee_ids: list[str] | None, sub: str = "") -> _Batch:
    cycle_id = job.frame.cycle_id
    _, planned, plan_of = plans.plan_assembler(job.workspace, cycle_id)
    for employee_id in _people_ids(job.workspace, job.frame, employee_ids) if employee_ids else ():
        if employee_id not in planned:
            raise ReportError(f"{employee_id} has no development plan in cycle {cycle_id}", hint=f"make plans with `competency plan generate --cycle {cycle_id}`")
    ids = list(dict.fromkeys(employee_ids)) if employee_ids else [i for i in _people_ids(job.workspace, job.frame, None) if i in set(planned)]
    if not ids:
        raise ReportError(f"cycle {cycle_id} has no development plans yet", hint=f"make them with `competency plan generate --cycle {cycle_id}`")
    labels, names = job.labels, job.file_names(ids)

    def write_one(employee_id: str) -> Path:
        context = plan_context(plan_of(employee_id), labels, charts=job.fmt == "html")
        return job.output.write(f"{sub}plan-{names[employee_id]}.{job.fmt}", render(f"plan.{job.fmt}", job.lang, cycle_id=cycle_id, plan=context))

    def run() -> list[Path]:
        template(f"plan.{job.fmt}")
        return _render_all(write_one, ids, len(ids), job)

    return _Batch([f"{sub}plan-{names[i]}.{job.fmt}" for i in ids], run)


def report_plan(
    workspace: Workspace, cycle_id: str | None, employee_ids: list[str] | None, fmt: str, lang: str, out_dir: Path,
    progress: Progress | None = None, jobs: int | None = None, *, force: bool = False,
) -> list[Path]:
    """Write each person's development plan, the document the person and manager sign
    (`employee_ids` None: everyone with a plan)."""
    job = _job(workspace, cycle_id, fmt, lang, out_dir, force, progress, jobs)
    return _write(job.output, _plans(job, employee_ids))[0]


def _teams(job: _Job, manager_ids: list[str] | None, sub: str = "") -> _Batch:
    people, scores = load.team_rows(job.workspace.db, job.frame.cycle_id)
    managers = sorted({p["manager_id"] for p in people if p["manager_id"]})
    for wanted in manager_ids or ():
        if wanted not in managers:
            raise ReportError(f"no team with manager '{wanted}' in cycle {job.frame.cycle_id}", hint=did_you_mean(wanted, managers))
    managers = list(dict.fromkeys(manager_ids)) if manager_ids else managers
    by_id, labels, names = {p["employee_id"]: p for p in people}, job.labels, job.file_names(managers)

    def run() -> list[Path]:
        written = []
        for done, manager_id in enumerate(managers, start=1):
            members = [p for p in people if p["manager_id"] == manager_id]
            context = team_report.team_context(by_id.get(manager_id, {"employee_id": manager_id}), members, scores, job.frame, labels)
            written.append(job.output.write(f"{sub}team-{names[manager_id]}.{job.fmt}", render(f"team.{job.fmt}", job.lang, **context)))
            if job.progress:
                job.progress(done, len(managers))
        return written

    return _Batch([f"{sub}team-{names[m]}.{job.fmt}" for m in managers], run)


def report_team(
    workspace: Workspace, cycle_id: str | None, manager_ids: list[str] | None, fmt: str, lang: str, out_dir: Path,
    progress: Progress | None = None, *, force: bool = False,
) -> list[Path]:
    """Write a team report for each manager named (None: every manager with people in the cycle)."""
    job = _job(workspace, cycle_id, fmt, lang, out_dir, force, progress)
    return _write(job.output, _teams(job, manager_ids))[0]


def _single(job: _Job, kind: str, context: Callable[[], dict[str, Any]]) -> _Batch:
    """One report of the whole cycle (calibration, org): its context is made once its name is cleared."""
    name = f"{kind}.{job.fmt}"
    return _Batch([name], lambda: [job.output.write(name, render(name, job.lang, **context()))])


def _calibration(job: _Job) -> _Batch:
    db, cycle_id = job.workspace.db, job.frame.cycle_id
    return _single(job, "calibration", lambda: calibration_report.calibration_context(
        load.team_rows(db, cycle_id)[0], gate.published_group_figures(db, cycle_id), load.audit_rows(db, cycle_id), job.frame, job.labels,
        calibration_extras(job.workspace, cycle_id),
    ))


def report_calibration(workspace: Workspace, cycle_id: str | None, fmt: str, lang: str, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the calibration report of the cycle."""
    job = _job(workspace, cycle_id, fmt, lang, out_dir, force)
    return _write(job.output, _calibration(job))[0]


def _org(job: _Job) -> _Batch:
    def context() -> dict[str, Any]:
        averages, trend = load.org_rows(job.workspace.db, job.frame.cycle_id, people_k=job.frame.scoring.anonymity.people_k)
        return org_report.org_context(averages, load.team_rows(job.workspace.db, job.frame.cycle_id)[0], trend, job.frame, job.labels)

    return _single(job, "org", context)


def report_org(workspace: Workspace, cycle_id: str | None, fmt: str, lang: str, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write the organisation summary: averages by department and region, ratings, trend."""
    job = _job(workspace, cycle_id, fmt, lang, out_dir, force)
    return _write(job.output, _org(job))[0]


def write_report_set(workspace: Workspace, cycle_id: str | None, out_dir: Path, lang: str, progress: Progress | None = None, *, force: bool = False) -> Path:
    """Every report of the cycle as HTML under `out_dir`, with an `index.html` linking them; returns the index.
    Every file name of the set is checked before the first is written."""
    job = _job(workspace, cycle_id, "html", lang, out_dir, force)
    sections = {"org": _org(job), "calibration": _calibration(job), "team": _teams(job, None, "teams/")}
    sections["individual"] = _individual(_Job(workspace, job.frame, "html", lang, job.output, progress), _people_ids(workspace, job.frame, None), "people/")
    try:
        sections["plan"] = _plans(job, None, "plans/")
    except ReportError:
        pass  # no plans made in this cycle: the set has no plan section
    written = dict(zip(sections, _write(job.output, *sections.values(), also=("index.html",))))
    people = dict(workspace.db.execute("SELECT employee_id, name FROM roster WHERE cycle_id = ?", [job.frame.cycle_id]).fetchall())
    ident_of = {name: ident for ident, name in job.file_names(()).items()}

    def link(path: Path) -> tuple[str, str]:  # a person's report by name and id, a cycle's by its file name
        ident = ident_of.get(path.stem.partition("-")[2]) if "-" in path.stem else None
        return path.relative_to(out_dir).as_posix(), path.stem if ident is None else f"{people.get(ident) or ident} ({ident})"

    links = [(kind, [link(path) for path in paths]) for kind, paths in written.items()]
    return job.output.write("index.html", render("index.html", lang, cycle_id=job.frame.cycle_id, sections=links))
