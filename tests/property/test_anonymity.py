"""Anonymity never leaks, checked against an independent account of who is
behind each figure; scores are invariant to rater order and monotone."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from competency._sql import Relation
from competency.publication.reasons import REASONS
from competency.scoring.contracts import Aggregates, Figures
from tests.examples import examples
from tests.scoring_support import Answer, ScoringBench, shared_bench

K, K_ALL, SHARE = 3, 4, 0.5
COMPETENCIES = ("execution", "relationships")
IDENTIFIED = {"self", "manager"}
GROUP_SIZES = {"self": (0, 1), "manager": (0, 1), "peer": (0, 6), "direct_report": (0, 6), "customer": (0, 4)}


@pytest.fixture(scope="module")
def bench() -> ScoringBench:
    return shared_bench()


# One answer: blank ("cannot rate") a quarter of the time, else 1 to 4 alike, in one draw.
SCORE = st.sampled_from((1.0, 2.0, 3.0, 4.0) * 3 + (None,) * 4)


@st.composite
def feedback(draw: st.DrawFn, bench: ScoringBench) -> list[Answer]:
    answers = []
    for group, (low, high) in GROUP_SIZES.items():
        for n in range(draw(st.integers(low, high))):
            rater = "E1" if group == "self" else f"{group[:2].upper()}{n}"
            for competency in COMPETENCIES:
                for item in bench.items_of(competency):
                    answers.append(Answer("E1", rater, group, item, draw(SCORE)))
    return answers


def behind_each_figure(bench: ScoringBench, answers: list[Answer]) -> dict[tuple[str, str | None, str], frozenset[str]]:
    """The anonymous raters behind every figure, from the rules as written in DESIGN §7."""
    answered: dict[tuple[str, str], set[str]] = defaultdict(set)  # (rater, competency) -> items answered
    group_of = {}
    for a in answers:
        group_of[a.rater_id] = a.relationship
        if a.score is not None:
            answered[(a.rater_id, bench.items[a.item_id])].add(a.item_id)
    figures: dict[tuple[str, str | None, str], frozenset[str]] = {}
    for competency in COMPETENCIES:
        items = bench.items_of(competency)
        counted = {r for r in group_of if len(answered[(r, competency)]) >= SHARE * len(items)}
        by_group = defaultdict(set)
        for r in counted:
            by_group[group_of[r]].add(r)
        small = {r for g, rs in by_group.items() if g not in IDENTIFIED and len(rs) < K for r in rs}
        sets = {g: rs for g, rs in by_group.items()}
        sets["others"] = small
        sets["all_others"] = {r for r in counted if group_of[r] != "self"}
        for name, raters in sets.items():
            anonymous = frozenset(r for r in raters if group_of[r] not in IDENTIFIED)
            figures[(competency, None, name)] = anonymous
            for item in items:
                figures[(competency, item, name)] = frozenset(r for r in anonymous if item in answered[(r, competency)])
    return figures


def comparable(a: tuple, b: tuple) -> bool:
    """Figures of one measure: the same competency, and the same item or one at competency level.
    (Means over different items measure different things; no difference of them isolates anyone.)"""
    return a[0] == b[0] and (a[1] == b[1] or a[1] is None or b[1] is None)


def published(bench: ScoringBench, run: Figures, items: Relation) -> list[tuple[str, str | None, str, int]]:
    """Every published figure: the run's at competency level, `items`' at behaviour level."""
    rows = bench.rows(f"SELECT competency_id, NULL, figure, raters FROM {run.figures} WHERE publishable")
    rows += bench.rows(f"SELECT competency_id, item_id, figure, raters FROM {items} WHERE publishable")
    return rows


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_published_figure_reveals_a_small_group(bench: ScoringBench, data: st.DataObject) -> None:
    answers = data.draw(feedback(bench))
    run = bench.load_figures({"E1": "sales_supervisor"}, answers)
    truth = behind_each_figure(bench, answers)
    shown = {}
    for competency, item, figure, raters in published(bench, run, bench.behaviours(of=run).item_figures):
        anonymous = truth[(competency, item, figure)]
        shown[(competency, item, figure)] = anonymous
        assert len(anonymous) == 0 or len(anonymous) >= K, (competency, item, figure, len(anonymous))
    for (key1, s1), (key2, s2) in combinations(shown.items(), 2):
        if not comparable(key1, key2):
            continue
        for small, big in ((s1, s2), (s2, s1)):
            if small < big:
                assert len(big - small) >= K, (key1, key2, len(big - small))
    for key, big in shown.items():
        # Sums add up only within one measure (same competency and item): the remainder rule applies there.
        inside = [s for other, s in shown.items() if other != key and other[:2] == key[:2] and s < big]
        rest = big - frozenset().union(*inside) if inside else big
        assert len(rest) == 0 or len(rest) >= K, (key, len(rest))


def _published_sets(bench: ScoringBench, run: Figures, items: Relation, answers: list[Answer]) -> dict[tuple[str, str | None, str], frozenset[str]]:
    truth = behind_each_figure(bench, answers)
    return {key: truth[key] for *key, _ in published(bench, run, items) for key in [tuple(key)]}


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_figure_differs_from_a_released_one_by_fewer_than_k_raters(bench: ScoringBench, data: st.DataObject) -> None:
    """Cross-release guard: after a release, the next run (the next cycle, or a corrected import of
    the same one) publishes no figure whose anonymous raters differ from the released figure's of
    the same competency, behaviour and group by 1 to k - 1 — else subtracting the two would reveal
    the raters who came or went. The truth is the oracle's account of who is behind each figure."""
    bench.forget_releases()
    try:
        _check_next_run(bench, data)
    finally:
        bench.forget_releases()  # the module's other tests score without releases


def _check_next_run(bench: ScoringBench, data: st.DataObject) -> None:
    first = data.draw(feedback(bench))
    run = bench.load_figures({"E1": "sales_supervisor"}, first, release=True)
    released = _published_sets(bench, run, bench.behaviours(of=run).item_figures, first)  # no earlier release
    # The next run: some raters leave, some arrive (with the same or new answers).
    raters = sorted({a.rater_id for a in first if a.relationship not in IDENTIFIED})
    leaving = set(data.draw(st.lists(st.sampled_from(raters), unique=True, max_size=3))) if raters else set()
    arriving = [a for a in data.draw(feedback(bench)) if a.relationship not in IDENTIFIED]
    second = [a for a in first if a.rater_id not in leaving] + [Answer(a.employee_id, "N" + a.rater_id, a.relationship, a.item_id, a.score) for a in arriving]
    run = bench.load_figures({"E1": "sales_supervisor"}, second, release=True)  # as `score` does: behaviour figures are then held to the run before
    items = bench.behaviours().item_figures
    for key, now in _published_sets(bench, run, items, second).items():
        before = released.get(key)
        if before is not None:
            assert not 1 <= len(now ^ before) <= K - 1, (key, sorted(before), sorted(now))
    reasons = {r for (r,) in bench.rows(f"SELECT DISTINCT reason FROM {items} UNION SELECT DISTINCT reason FROM {run.figures}")}
    assert reasons <= {None, *REASONS}


def _scores(bench: ScoringBench, run: Aggregates) -> dict[str, float | None]:
    return dict(bench.rows(f"SELECT competency_id, score FROM {run.competency}"))


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_rater_order_and_names_do_not_change_scores(bench: ScoringBench, data: st.DataObject) -> None:
    answers = data.draw(feedback(bench))
    before = _scores(bench, bench.load({"E1": "sales_supervisor"}, answers))
    renamed = {a.rater_id: f"X{i}" if a.rater_id != "E1" else "E1" for i, a in enumerate(answers)}
    shuffled = data.draw(st.permutations(answers))
    run = bench.load({"E1": "sales_supervisor"}, [Answer(a.employee_id, renamed[a.rater_id], a.relationship, a.item_id, a.score) for a in shuffled])
    assert _scores(bench, run) == before


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_raising_an_answer_never_lowers_the_score(bench: ScoringBench, data: st.DataObject) -> None:
    answers = data.draw(feedback(bench))
    raisable = [i for i, a in enumerate(answers) if a.score is not None and a.score < 4]
    if not raisable:
        return
    before = _scores(bench, bench.load({"E1": "sales_supervisor"}, answers))
    index = data.draw(st.sampled_from(raisable))
    raised = list(answers)
    a = raised[index]
    raised[index] = Answer(a.employee_id, a.rater_id, a.relationship, a.item_id, a.score + data.draw(st.integers(1, int(4 - a.score))))
    after = _scores(bench, bench.load({"E1": "sales_supervisor"}, raised))
    competency = bench.items[a.item_id]
    if before[competency] is not None:
        assert after[competency] >= before[competency] - 1e-9
