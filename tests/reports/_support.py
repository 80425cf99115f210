"""Small cycles for report tests, built through the real import and scoring."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import click

from competency.cli._base import CompetencyGroup
from competency.cli.report_cmds import export, report
from competency.files.bundle import load_bundle
from competency.files.shipped import default_model_folder
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.imports import run_import
from competency.workflow.scoring import score_cycle

CYCLE = "2026-Q4"
BUNDLE = load_bundle(default_model_folder())
ITEMS = {c.id: [b.id for b in c.behaviors] for c in BUNDLE.model.competencies}


def items_for(role: str) -> list[str]:
    found = BUNDLE.roles.role(role)
    assert found is not None
    return [item for competency in found.competencies for item in ITEMS[competency]]


@dataclass
class Person:
    employee_id: str
    name: str
    role: str = "sales_representative"
    manager_id: str = ""
    department: str = "上海办事处"
    region: str = "east"
    potential: str = "medium"
    sales_attainment: float = 1.05


@dataclass
class Rater:
    """One rater of one person: every item of the person's role answered with `score`."""

    rater_id: str
    relationship: str
    score: float
    comment: str = ""
    scores: dict[str, float] = field(default_factory=dict)  # per item, overriding `score`


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A UTF-8 CSV file with this header and rows, as an HR analyst's export would be."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def build_cycle(folder: Path, people: list[Person], raters: dict[str, list[Rater]]) -> Path:
    """A scored workspace in `folder` with these people and, per person rated, their raters."""
    folder.mkdir(parents=True, exist_ok=True)
    roles = {p.employee_id: p.role for p in people}
    files = {
        "roster": write_csv(folder / "roster.csv", ["employee_id", "name", "role", "manager_id", "department", "region"],
                         [[p.employee_id, p.name, p.role, p.manager_id, p.department, p.region] for p in people]),
        "responses": write_csv(
            folder / "responses.csv", ["employee_id", "rater_id", "relationship", "item_id", "score", "comment"],
            [
                [employee, r.rater_id, r.relationship, item, r.scores.get(item, r.score), r.comment if i == 0 else ""]
                for employee, group in raters.items() for r in group for i, item in enumerate(items_for(roles[employee]))
            ],
        ),
        "kpis": write_csv(folder / "kpis.csv", ["employee_id", "kpi_id", "actual", "target"], [[p.employee_id, "sales_attainment", p.sales_attainment, 1.0] for p in people]),
        "potential": write_csv(folder / "potential.csv", ["employee_id", "potential"], [[p.employee_id, p.potential] for p in people]),
    }
    path = folder / "competency.duckdb"
    with Workspace(path) as workspace:
        open_cycle(workspace, CYCLE, None, None)
        for kind, file in files.items():
            summary = run_import(workspace, kind, file, cycle_id=CYCLE, rejects_path=folder / f"{kind}.rejected.csv")
            assert summary.rejected == 0, (kind, summary)
        score_cycle(workspace, CYCLE)
    return path


@click.group(cls=CompetencyGroup)
@click.option("--workspace", type=click.Path(path_type=Path, dir_okay=False))
def cli(workspace: Path | None) -> None:
    """The report and export commands under a root like `competency`'s (registered there by the CLI)."""


cli.add_command(report)
cli.add_command(export)
