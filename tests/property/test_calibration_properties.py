"""Calibration statistics: who rates in which order does not matter, and a team
that sits at the organisation's mean shows no leniency."""

from __future__ import annotations

import random
from collections.abc import Iterator

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency._sql import Relation, drop
from competency.calibration.agreement import competency_agreement
from competency.calibration.guidelines import Leniency
from competency.calibration.leniency import manager_leniency
from competency.calibration.stats import cronbach_alpha, icc_oneway, shrout_fleiss, standardised_difference
from competency.publication import gate
from competency.store.workspace import Workspace
from tests.examples import examples

SCALE = ("A", "B", "C", "D")
scores = st.integers(1, 4).map(float)
SETTINGS = settings(max_examples=examples(30), deadline=None)
RESPONSES = Relation(
    "responses", ("cycle_id", "employee_id", "rater_id", "relationship", "item_id", "competency_id", "score", "comment", "import_id")
)


@st.composite
def complete_tables(draw: st.DrawFn) -> list[list[float]]:
    """Targets × judges (or respondents × items), with some spread."""
    n, k = draw(st.integers(3, 8)), draw(st.integers(2, 5))
    table = [[draw(scores) for _ in range(k)] for _ in range(n)]
    table[0][0], table[1][0] = 1.0, 4.0  # never constant
    return table


@SETTINGS
@given(complete_tables(), st.randoms(use_true_random=False))
def test_permuting_judges_leaves_every_icc_unchanged(table: list[list[float]], rng: random.Random) -> None:
    order = list(range(len(table[0])))
    rng.shuffle(order)
    permuted = [[row[j] for j in order] for row in table]
    before, after = shrout_fleiss(table), shrout_fleiss(permuted)
    for name in ("icc1", "icc2", "icc3", "icc1k", "icc2k", "icc3k"):
        assert getattr(after, name) == pytest.approx(getattr(before, name), nan_ok=True, rel=1e-6, abs=1e-9)


@SETTINGS
@given(complete_tables(), st.randoms(use_true_random=False))
def test_permuting_items_or_respondents_leaves_alpha_unchanged(table: list[list[float]], rng: random.Random) -> None:
    columns = list(range(len(table[0])))
    rng.shuffle(columns)
    rows = [[row[j] for j in columns] for row in table]
    rng.shuffle(rows)
    before, after = cronbach_alpha(table), cronbach_alpha(rows)
    assert (before is None and after is None) or after == pytest.approx(before, rel=1e-6, abs=1e-9)


@SETTINGS
@given(st.lists(st.lists(scores, min_size=1, max_size=6), min_size=2, max_size=8), st.randoms(use_true_random=False))
def test_one_way_icc_ignores_the_order_of_raters_and_targets(ratings: list[list[float]], rng: random.Random) -> None:
    shuffled = [rng.sample(r, len(r)) for r in ratings]
    rng.shuffle(shuffled)
    before, after = icc_oneway(ratings), icc_oneway(shuffled)
    for name in ("icc1", "icc1k", "k0"):
        b, a = getattr(before, name), getattr(after, name)
        assert (b is None and a is None) or a == pytest.approx(b, nan_ok=True, rel=1e-6, abs=1e-9)


@st.composite
def responses(draw: st.DrawFn) -> list[tuple]:
    rows = []
    for p in range(draw(st.integers(2, 6))):
        for r in range(draw(st.integers(1, 4))):
            for item, competency in (("e1", "execution"), ("e2", "execution"), ("e3", "execution")):
                score = draw(st.one_of(st.none(), scores)) if draw(st.integers(0, 9)) == 0 else draw(scores)
                rows.append(("c", f"P{p}", f"R{p}.{r}", "peer", item, competency, score, None, 1))
    return rows


_DB = duckdb.connect()
_DB.execute(
    "CREATE TABLE responses (cycle_id VARCHAR, employee_id VARCHAR, rater_id VARCHAR, relationship VARCHAR, item_id VARCHAR,"
    " competency_id VARCHAR, score DOUBLE, comment VARCHAR, import_id INTEGER)"
)


def _agreement(rows: list[tuple]) -> tuple:
    _DB.execute("DELETE FROM responses")
    _DB.executemany("INSERT INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    found = competency_agreement(_DB, "c", ["execution"], 0.5, 4, RESPONSES)
    return tuple((c.icc1, c.icc1k, c.alpha, c.rwg_median, c.rwg_agree_share, c.people, c.sheets) for c in found)


@SETTINGS
@given(responses(), st.randoms(use_true_random=False))
def test_sql_agreement_is_invariant_to_rater_labels_and_row_order(rows: list[tuple], rng: random.Random) -> None:
    """Renaming raters (a permutation of who is who within each person) and shuffling
    the rows change none of the agreement statistics."""
    raters = sorted({r[2] for r in rows})
    # Keep each rater with the person they rate: permute labels among one person's raters only.
    by_person: dict[str, list[str]] = {}
    for r in raters:
        by_person.setdefault(r.split(".")[0], []).append(r)
    renamed = {}
    for labels in by_person.values():
        renamed.update(zip(labels, rng.sample(labels, len(labels))))
    permuted = [(c, e, renamed[r], rel, i, comp, s, cm, imp) for c, e, r, rel, i, comp, s, cm, imp in rows]
    rng.shuffle(permuted)
    before, after = _agreement(rows), _agreement(permuted)
    assert len(before) == len(after)
    for b, a in zip(before, after):
        for x, y in zip(b, a):
            assert (x is None and y is None) or y == pytest.approx(x, nan_ok=True, rel=1e-6, abs=1e-9)


@SETTINGS
@given(st.lists(st.floats(1, 4, allow_nan=False), min_size=2, max_size=20), st.floats(0.1, 2), st.integers(5, 200))
def test_leniency_is_zero_at_the_population_mean(values: list[float], sd: float, population: int) -> None:
    mean = sum(values) / len(values)
    d = standardised_difference(min(len(values), population - 1), mean, population, mean, sd)
    assert d.d == 0 and d.z == 0 and d.low is not None and d.low <= 0 <= d.high


@pytest.fixture(scope="module")
def org_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    workspace = Workspace(tmp_path_factory.mktemp("lenient") / "w.duckdb")
    yield workspace
    workspace.close()


team_members = st.lists(st.tuples(st.sampled_from(SCALE), st.floats(1, 4, allow_nan=False).map(lambda x: round(x, 2))), min_size=3, max_size=10)


@SETTINGS
@given(team=team_members, rng=st.randoms(use_true_random=False))
def test_a_manager_whose_team_equals_the_organisation_mean_has_zero_index(org_workspace: Workspace, team: list, rng: random.Random) -> None:
    """Two teams with the same ratings and competency indices (in another order):
    each team's mean is the organisation's, so both indices are 0 with z = 0."""
    db = org_workspace.db
    for name in ("person_results", "roster", "responses"):
        db.execute(f"DELETE FROM {name}")
    mirrored = rng.sample(team, len(team))
    people = [(f"A{i}", "M1", r, ci) for i, (r, ci) in enumerate(team)] + [(f"B{i}", "M2", r, ci) for i, (r, ci) in enumerate(mirrored)]
    for manager in ("M1", "M2"):
        db.execute("INSERT INTO roster VALUES ('c', ?, ?, 'sales_supervisor', NULL, 'd', 'r', NULL, 1)", [manager, manager])
    for employee, manager, rating, ci in people:
        db.execute("INSERT INTO roster VALUES ('c', ?, ?, 'sales_representative', ?, 'd', 'r', NULL, 1)", [employee, employee, manager])
        db.execute(
            "INSERT INTO person_results VALUES ('c', ?, ?, NULL, ?, 3.0, 'medium', ?, NULL, [], NULL)", [employee, ci, ci, rating]
        )
    gaps = gate.stage_manager_gaps(db, "c", ["self", "manager"])
    thresholds = Leniency(z_threshold=2.5, minimum_team=3, minimum_effect=0.0)
    found = {m.manager_id: m for m in manager_leniency(db, "c", gaps, SCALE, thresholds)}
    drop(db, gaps)
    for manager in ("M1", "M2"):
        for part in ("rating", "score"):
            d = getattr(found[manager], part)
            if d.d is not None:  # None only when everyone got the same rating (no spread)
                assert d.d == pytest.approx(0, abs=1e-9) and d.z == pytest.approx(0, abs=1e-9)
        assert found[manager].flag is None
