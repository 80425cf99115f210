"""360 aggregation: the answered-items rule, anonymity, weights, KPI curves."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pytest

from competency._sql import weighted_mean_sql
from competency.scoring.contracts import Aggregates
from competency._sql import relations
from tests.scoring_support import Answer, ScoringBench, shared_bench


@pytest.fixture(scope="module")
def bench() -> ScoringBench:
    return shared_bench()


def _rate(bench: ScoringBench, rater: str, group: str, score: float, competency: str = "execution", skip: int = 0) -> list[Answer]:
    items = bench.items_of(competency)
    return [Answer("E1", rater, group, item, None if i < skip else score) for i, item in enumerate(items)]


def figures(bench: ScoringBench, run: Aggregates) -> dict[str, tuple]:
    rows = bench.rows(f"SELECT figure, raters, round(mean, 6), publishable, reason FROM {run.figures} WHERE competency_id = 'execution'")
    return {r[0]: r[1:] for r in rows}


def test_small_groups_are_pooled_into_others(bench: ScoringBench) -> None:
    """2 direct reports and 1 customer make a pool of 3: shown as 'others', not by group."""
    answers = _rate(bench, "M", "manager", 2) + [a for i in range(3) for a in _rate(bench, f"P{i}", "peer", 3)]
    answers += _rate(bench, "D1", "direct_report", 4) + _rate(bench, "D2", "direct_report", 4) + _rate(bench, "C1", "customer", 1)
    got = figures(bench, bench.load({"E1": "sales_supervisor"}, answers))
    assert got["peer"] == (3, 3.0, True, None)
    assert got["direct_report"] == (2, 4.0, False, "pooled")
    assert got["customer"] == (1, 1.0, False, "pooled")
    assert got["others"] == (3, 3.0, True, None)
    assert got["all_others"][2] is True


def test_unpoolable_group_is_suppressed_and_all_others_too(bench: ScoringBench) -> None:
    """Peers (3) shown, direct reports (2) suppressed: 'all others' would reveal them by difference."""
    answers = _rate(bench, "M", "manager", 2) + [a for i in range(3) for a in _rate(bench, f"P{i}", "peer", 3)]
    answers += _rate(bench, "D1", "direct_report", 4) + _rate(bench, "D2", "direct_report", 4)
    got = figures(bench, bench.load({"E1": "sales_supervisor"}, answers))
    assert got["direct_report"] == (2, 4.0, False, "group_minimum")
    assert got["all_others"][2:] == (False, "differencing")
    assert "others" not in got


def test_score_uses_only_published_figures_with_renormalised_weights(bench: ScoringBench) -> None:
    """Manager 0.4 and peers 0.3, re-normalised: (0.4·2 + 0.3·3) / 0.7; suppressed reports left out."""
    answers = _rate(bench, "M", "manager", 2) + [a for i in range(3) for a in _rate(bench, f"P{i}", "peer", 3)]
    answers += _rate(bench, "D1", "direct_report", 4) + _rate(bench, "D2", "direct_report", 4) + _rate(bench, "E1", "self", 4)
    run = bench.load({"E1": "sales_supervisor"}, answers)
    [(score, self_score, level, required, gap_raters)] = bench.rows(
        f"SELECT score, self_score, level, required, raters FROM {run.competency} WHERE competency_id = 'execution'"
    )
    assert score == round((0.4 * 2 + 0.3 * 3) / 0.7, 6)
    assert (self_score, level, required, gap_raters) == (4.0, 2, 3, 4)


def test_rater_below_half_the_items_does_not_count(bench: ScoringBench) -> None:
    """A peer who answered fewer than half of a competency's items is left out of it."""
    n = len(bench.items_of("execution"))
    answers = [a for i in range(3) for a in _rate(bench, f"P{i}", "peer", 3)] + _rate(bench, "P3", "peer", 1, skip=n // 2 + 1)
    assert figures(bench, bench.load({"E1": "sales_supervisor"}, answers))["peer"] == (3, 3.0, True, None)


def test_kpi_curve_and_lower_is_better(bench: ScoringBench) -> None:
    """On target scores 3, at the stretch 4, below the threshold 1; expenses count target/actual."""
    kpis = [("E1", "sales_attainment", 110.0, 100.0), ("E1", "expense_ratio", 10.0, 8.0), ("E1", "distribution", 1.3, 1.0)]
    run = bench.load({"E1": "sales_supervisor"}, [], kpis)
    got = {r[0]: r[1:] for r in bench.rows(f"SELECT kpi_id, attainment, score FROM {run.kpis}")}
    assert got["sales_attainment"] == (1.1, 3.5)
    assert got["expense_ratio"] == (0.8, 1.0)
    assert got["distribution"] == (1.3, 4.0)


def test_weighted_mean_does_not_depend_on_the_order_rows_are_added() -> None:
    """Summed as doubles, these five weighted scores give 2.550879 in file order and
    2.550878 reversed; the index must be the same whichever order DuckDB's threads use,
    and the exact value, a tie (2.5508785), rounds half up."""
    weights = [0.2, 0.05, 0.15, 0.25, 0.15]
    scores = [1.390605, 1.585932, 2.682548, 2.795483, 3.880215]
    db = duckdb.connect()
    db.execute("SET threads = 1")  # one thread adds the rows in table order
    means = []
    for rows in (list(zip(weights, scores)), list(zip(weights, scores))[::-1]):
        db.execute("CREATE OR REPLACE TABLE t (weight DOUBLE, score DOUBLE)")
        db.executemany("INSERT INTO t VALUES (?, ?)", rows)
        means.append(db.execute(f"SELECT {weighted_mean_sql('score', 'weight')} FROM t").fetchone()[0])
    exact = sum(Decimal(str(w)) * Decimal(str(s)) for w, s in zip(weights, scores)) / sum(Decimal(str(w)) for w in weights)
    assert means[0] == means[1] == float(exact.quantize(Decimal("0.000001"), ROUND_HALF_UP))


def test_all_except_self_of_a_behaviour_is_withheld_when_it_is_a_published_group_less_one(bench: ScoringBench) -> None:
    """Six peers are shown for the competency; five of them, and no other anonymous rater,
    answered the first behaviour. Its 'all except self' (the manager and those five) next
    to the peers' figure would reveal the sixth peer, so it is withheld."""
    answers = _rate(bench, "M", "manager", 3) + [a for i in range(5) for a in _rate(bench, f"P{i}", "peer", 3)]
    answers += _rate(bench, "P5", "peer", 1, skip=1)
    answers += _rate(bench, "D1", "direct_report", 2, skip=1) + _rate(bench, "D2", "direct_report", 2, skip=1) + _rate(bench, "C1", "customer", 4, skip=1)
    run = bench.load({"E1": "sales_supervisor"}, answers)
    # The mean of the behaviours' means: the first by five peers (3), the other four by six (16 / 6).
    assert figures(bench, run)["peer"] == (6, round((3 + 4 * 16 / 6) / 5, 6), True, None)
    first = bench.items_of("execution")[0]
    by_difference = "differencing"
    items = bench.behaviours().item_figures
    assert bench.rows(f"SELECT figure, raters, publishable, reason FROM {items} WHERE item_id = ? ORDER BY figure", first) == [
        ("all_others", 6, False, by_difference),
        ("manager", 1, True, None),
        ("peer", 5, False, by_difference),
    ]


def test_a_group_with_a_behaviour_withheld_shows_none_of_its_behaviours(bench: ScoringBench) -> None:
    """Whole-number answers: three peers are shown for the competency, one skipped its first
    behaviour. That behaviour's peer figure is withheld (two answered); the competency figure
    (a mean of rater means) and the peers' other behaviour figures could pin it down, so the
    peers show no behaviour at all, and 'all except self' (peers by subtraction) none either.
    The competency figures and the score do not change."""
    answers = _rate(bench, "M", "manager", 3) + _rate(bench, "P0", "peer", 2) + _rate(bench, "P1", "peer", 3) + _rate(bench, "P2", "peer", 4, skip=1)
    run = bench.load({"E1": "sales_supervisor"}, answers)
    assert figures(bench, run)["peer"] == (3, round((2.5 + 4 * 3) / 5, 6), True, None)  # the first behaviour by two peers
    items = bench.behaviours().item_figures
    rows = bench.rows(f"SELECT item_id, figure, publishable, reason FROM {items} WHERE competency_id = 'execution' ORDER BY item_id, figure")
    first = bench.items_of("execution")[0]
    peers = {item: (shown, reason) for item, figure, shown, reason in rows if figure == "peer"}
    assert peers.pop(first) == (False, "items_answered")
    assert set(peers.values()) == {(False, "other_behaviour_withheld")}
    assert {(shown, reason) for _, figure, shown, reason in rows if figure == "all_others"} <= {(False, "other_behaviour_withheld"), (False, "items_answered")}
    assert {shown for _, figure, shown, _ in rows if figure == "manager"} == {True}


def test_raters_swapping_answers_on_a_behaviour_change_no_figure(bench: ScoringBench) -> None:
    """A figure is made from per-behaviour sums: two peers who answered different numbers of
    behaviours swap their answers on one they both answered, and no figure moves (with a mean
    of rater means it would: a rater who skipped weighs more per answer)."""
    items = bench.items_of("execution")
    base = _rate(bench, "M", "manager", 3) + _rate(bench, "P0", "peer", 2) + _rate(bench, "P1", "peer", 3) + _rate(bench, "P2", "peer", 4, skip=1)
    run = bench.load({"E1": "sales_supervisor"}, base)
    before = bench.rows(f"SELECT figure, raters, mean, publishable FROM {run.figures} ORDER BY ALL")
    swapped = [Answer(a.employee_id, a.rater_id, a.relationship, a.item_id, {"P0": 4.0, "P2": 2.0}.get(a.rater_id, a.score))
               if a.item_id == items[1] and a.rater_id in ("P0", "P2") else a for a in base]
    run = bench.load({"E1": "sales_supervisor"}, swapped)
    assert bench.rows(f"SELECT figure, raters, mean, publishable FROM {run.figures} ORDER BY ALL") == before


def test_every_step_makes_the_columns_it_declares(bench: ScoringBench) -> None:
    """Each relation a scoring step hands on has exactly the columns its contract declares
    (`scoring.contracts`, `model_tables.COLUMNS`), so a consumer can rely on them."""
    answers = _rate(bench, "M", "manager", 2) + [a for i in range(3) for a in _rate(bench, f"P{i}", "peer", 3)]
    run = bench.load({"E1": "sales_supervisor"}, answers, [("E1", "sales_attainment", 110.0, 100.0)])
    for relation in (*relations(run), *relations(bench.behaviours()), *relations(bench.model)):
        assert relation.check(bench.db) is relation
