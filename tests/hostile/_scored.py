"""A small scored workspace for the workspace and terminal cases, built through the library.

`roster_names` replaces the generated names (in roster order) before the roster is
imported, so a case can plant hostile names; plans are generated when asked.
"""

from __future__ import annotations

import csv
from pathlib import Path

from competency.sample import generate
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.imports import run_import
from competency.workflow.scoring import score_cycle

PEOPLE = 30


def scored_workspace(folder: Path, *, roster_names: dict[str, str] | None = None, plans: bool = False) -> Path:
    """`folder/w.duckdb`: one cycle, 2026-Q4, of PEOPLE people, scored (and planned)."""
    generate(folder, PEOPLE, seed=5, flaws=False)
    if roster_names:
        _rename(folder / "roster.csv", roster_names)
    path = folder / "w.duckdb"
    with Workspace(path) as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        for kind in ("roster", "responses", "kpis", "potential"):
            run_import(workspace, kind, folder / f"{kind}.csv")
        score_cycle(workspace)
        if plans:
            from competency.workflow.plans import generate_plans

            generate_plans(workspace)
    return path


def _rename(roster: Path, names: dict[str, str]) -> None:
    with roster.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:
        row["name"] = names.get(row["employee_id"], row["name"])
    with roster.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
