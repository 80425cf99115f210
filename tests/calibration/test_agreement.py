"""`competency agreement`: the SQL path computes what the pure functions do."""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
from pathlib import Path

import pytest

from competency._sql import Relation
from competency.errors import CalibrationError, NotScored
from competency.calibration.agreement import competency_agreement
from competency.calibration.stats import cronbach_alpha, icc_oneway, rwg_j
from competency.store.workspace import Workspace
from competency.workflow.calibrate import rater_agreement
from competency.workflow.cycles import open_cycle
from tests.calibration.conftest import CYCLE, invoke

ITEMS = {"execution": ["e1", "e2", "e3"], "integrity": ["i1", "i2"]}
RESPONSE_COLUMNS = ("cycle_id", "employee_id", "rater_id", "relationship", "item_id", "competency_id", "score", "comment", "import_id")


def _answers(seed: int) -> list[tuple]:
    """Ten people, each with self and 2–5 other raters; a few blanks."""
    rng = random.Random(seed)
    rows = []
    for p in range(10):
        level = rng.choice([1.5, 2.5, 3.5])
        raters = [("self", f"E{p}")] + [("peer", f"R{p}-{r}") for r in range(rng.randint(2, 5))]
        for relationship, rater in raters:
            for competency, items in ITEMS.items():
                for item in items:
                    score = None if rng.random() < 0.08 else float(min(4, max(1, round(level + rng.gauss(0, 0.8)))))
                    rows.append(("c1", f"P{p}", rater, relationship, item, competency, score, None, 1))
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_agreement_equals_the_pure_functions(tmp_path: Path, seed: int) -> None:
    rows = _answers(seed)
    with Workspace(tmp_path / "w.duckdb") as workspace:
        workspace.db.executemany("INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        answers = Relation("responses", RESPONSE_COLUMNS).check(workspace.db)
        found = {c.competency_id: c for c in competency_agreement(workspace.db, "c1", list(ITEMS), 0.5, 4, answers)}
    for competency, items in ITEMS.items():
        # ICC: each non-self rater's mean over the items they answered (at least half of them).
        per_person: dict[str, list[float]] = {}
        sheets: dict[tuple, dict[str, float]] = {}
        for _, person, rater, relationship, item, comp, score, _, _ in rows:
            if comp != competency or score is None:
                continue
            sheets.setdefault((person, rater, relationship), {})[item] = score
        for (person, _, relationship), answers in sheets.items():
            if relationship != "self" and len(answers) >= 0.5 * len(items):
                per_person.setdefault(person, []).append(statistics.mean(answers.values()))
        expected = icc_oneway(list(per_person.values()))
        assert found[competency].icc1 == pytest.approx(expected.icc1)
        assert found[competency].icc1k == pytest.approx(expected.icc1k)
        assert found[competency].k0 == pytest.approx(expected.k0)
        complete = [[answers[i] for i in items] for answers in sheets.values() if len(answers) == len(items)]
        assert found[competency].alpha == pytest.approx(cronbach_alpha(complete))
        assert found[competency].sheets == len(complete)
        # rwg(J) per person: the non-self raters' variance on each item with two answers or more.
        values = []
        for person in {k[0] for k in sheets}:
            variances = []
            for item in items:
                scores = [a[item] for (p, _, rel), a in sheets.items() if p == person and rel != "self" and item in a]
                if len(scores) >= 2:
                    variances.append(statistics.variance(scores))
            if variances:
                values.append(rwg_j(statistics.mean(variances), len(variances), 4))
        assert found[competency].rwg_people == len(values)
        assert found[competency].rwg_median == pytest.approx(statistics.median(values))
        assert found[competency].rwg_agree_share == pytest.approx(sum(v >= 0.7 for v in values) / len(values))


def test_agreement_on_the_demo(demo_workspace: Path) -> None:
    text = invoke(demo_workspace, "agreement", "--lang", "en")
    assert text.exit_code == 0, text.output
    assert text.output.startswith(f"Rater agreement in cycle {CYCLE}\nICC: one-way random effects (Shrout & Fleiss Case 1")
    assert "Execution" in text.output
    found = json.loads(invoke(demo_workspace, "agreement", "--format", "json").stdout)
    assert {c["competency_id"] for c in found["competencies"]} >= {"execution", "relationships", "influence", "integrity"}
    for c in found["competencies"]:
        assert 0 < c["icc1"] < c["icc1k"] < 1 and c["k0"] > 2 and 0 < c["alpha"] < 1 and 0 <= c["rwg_agree_share"] <= 1
    rows = list(csv.DictReader(io.StringIO(invoke(demo_workspace, "agreement", "--format", "csv").output.lstrip("\ufeff"))))
    assert [r["competency_id"] for r in rows] == [c["competency_id"] for c in found["competencies"]]


def test_agreement_needs_answers(tmp_path: Path) -> None:
    with Workspace(tmp_path / "w.duckdb") as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        with pytest.raises(CalibrationError) as error:
            rater_agreement(workspace)
    assert str(error.value) == "cycle 2026-Q4 has no 360 answers yet\n  hint: import them: `competency import responses survey.csv`"


def test_agreement_needs_a_scored_cycle(tmp_path: Path) -> None:
    """Agreement measures the answers behind published figures, which scoring decides."""
    with Workspace(tmp_path / "w.duckdb") as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        workspace.db.execute("INSERT INTO responses VALUES ('2026-Q4', 'E1', 'E2', 'peer', 'i1', 'execution', 3, NULL, 1)")
        with pytest.raises(NotScored) as error:
            rater_agreement(workspace)
    assert str(error.value) == "cycle 2026-Q4 has no results yet\n  hint: run `competency score --cycle 2026-Q4`"
