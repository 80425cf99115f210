"""`calibrate suggest`: few one-step moves that bring every scope within its guideline.

A move changes one person's final rating by one step (A → B, C → D, …). Who
may move: rated people without an override (a calibration decision already
made is not second-guessed) whose score lies inside the band they would
leave — a person held below their band by a cap or by the ability rule is
never moved up. Among them, the nearest to the band boundary goes first: for
a move down, `score − the lower threshold of their rating`; for a move up,
`the threshold of the rating above − score`.

The search is greedy: the violation of a state is the sum, over checked
scopes and bounds, of the people too many or too few; each step takes the
move that lowers it most (a person in several off scopes fixes them at once),
ties going to the person nearest the boundary, and no one moves twice. It
stops when every scope is within its guideline or no move helps. Greedy is
not guaranteed minimal, so the result carries a lower bound, and when the
number of moves equals it, it is the fewest possible. The bound: a one-step
move crosses one cut between neighbouring ratings (A|B, B|C, C|D) and changes
only the bounds whose set of ratings that cut borders; so a scope needs at
least, per cut, the largest excess among the bounds bordered by that cut
alone, added over the cuts (and at least its largest excess). Scopes of one
kind share no one, so a kind needs the sum over its scopes; the organisation
needs the largest sum over the kinds.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from competency.calibration.distribution import ScopeCheck
from competency.calibration.guidelines import Guidelines

ScopeKey = tuple[str, str | None]


@dataclass(frozen=True)
class Candidate:
    """A rated person as the search sees them."""

    employee_id: str
    name: str | None
    rating: str
    score: float | None
    overridden: bool
    scopes: tuple[ScopeKey, ...]  # every scope the person belongs to


@dataclass(frozen=True)
class Fix:
    """How a move changes one bound of one scope."""

    kind: str
    scope: str | None
    label: str
    ratings: str
    share: str
    before: int
    after: int
    allowed: tuple[int, int]


@dataclass(frozen=True)
class Move:
    employee_id: str
    name: str | None
    rating: str  # from
    to: str
    score: float
    threshold: float
    distance: float
    down: bool
    fixes: tuple[Fix, ...]


@dataclass
class Suggestion:
    moves: list[Move]
    lower_bound: int
    off_before: list[ScopeCheck]
    off_after: list[str] = field(default_factory=list)  # labels of scopes still off
    unfixable: list[str] = field(default_factory=list)  # bounds no head count can meet

    @property
    def minimal(self) -> bool:
        return not self.off_after and len(self.moves) == self.lower_bound


@dataclass
class _Bound:
    ratings: frozenset[str]
    label: str
    share: str
    low: int
    high: int

    def excess(self, count: int) -> int:
        return max(0, count - self.high) + max(0, self.low - count)


@dataclass
class _Scope:
    check: ScopeCheck
    bounds: list[_Bound]
    counts: dict[str, int]

    def violation(self) -> int:
        return sum(b.excess(self._count(b)) for b in self.bounds)

    def _count(self, bound: _Bound) -> int:
        return sum(self.counts.get(r, 0) for r in bound.ratings)


def suggest_moves(people: Iterable[Candidate], checks: list[ScopeCheck], guidelines: Guidelines, scale: tuple[str, ...]) -> Suggestion:
    """The moves, in the order chosen, that bring the checked scopes within their guidelines."""
    scopes, unfixable = _scopes(checks)
    off_before = [s.check for s in scopes.values() if s.violation() > 0]
    lower_bound = _lower_bound(scopes, scale)
    movable = [p for p in people if p.rating in scale and not p.overridden and p.score is not None]
    moves = _greedy(movable, scopes, guidelines.suggest.thresholds, scale)
    off_after = [s.check.label for s in scopes.values() if s.violation() > 0]
    return Suggestion(moves, lower_bound, off_before, off_after, unfixable)


def _scopes(checks: list[ScopeCheck]) -> tuple[dict[ScopeKey, _Scope], list[str]]:
    """The checked scopes with the bounds a head count can meet, and those no head count can."""
    scopes: dict[ScopeKey, _Scope] = {}
    unfixable: list[str] = []
    for check in checks:
        if not check.checked:
            continue
        bounds = []
        for b in check.bounds:
            if b.allowed is None:
                unfixable.append(f"{check.label}: {b.ratings} {b.share}")
                continue
            bounds.append(_Bound(frozenset(b.ratings.split("+")), b.ratings, b.share, b.allowed[0], b.allowed[1]))
        scopes[(check.kind, check.scope)] = _Scope(check, bounds, dict(check.counts))
    return scopes, unfixable


def _options(p: Candidate, thresholds: dict[str, float], scale: tuple[str, ...]) -> list[tuple[str, float, float]]:
    """(target rating, threshold, distance) of the person's possible moves."""
    assert p.score is not None
    i = scale.index(p.rating)
    found = []
    if i + 1 < len(scale) and p.rating in thresholds and p.score - thresholds[p.rating] >= -1e-9:
        found.append((scale[i + 1], thresholds[p.rating], round(p.score - thresholds[p.rating], 6)))
    if i > 0 and scale[i - 1] in thresholds and thresholds[scale[i - 1]] - p.score > 1e-9:
        found.append((scale[i - 1], thresholds[scale[i - 1]], round(thresholds[scale[i - 1]] - p.score, 6)))
    return found


def _greedy(people: list[Candidate], scopes: dict[ScopeKey, _Scope], thresholds: dict[str, float], scale: tuple[str, ...]) -> list[Move]:
    """Round after round, the moves that lower the violation most (see the module's docstring); `scopes` are moved along."""

    def delta(p: Candidate, to: str) -> int:
        return sum(b.excess(count + step) - b.excess(count) for _, b, count, step in _changes(p, to, scopes))

    moved: set[str] = set()
    moves: list[Move] = []
    while True:
        off = {key for key, s in scopes.items() if s.violation() > 0}
        if not off:
            break
        heap = [
            (d, distance, p.employee_id, to, threshold, p)
            for p in people
            if p.employee_id not in moved and off.intersection(p.scopes)
            for to, threshold, distance in _options(p, thresholds, scale)
            if (d := delta(p, to)) < 0
        ]
        if not heap:
            break
        heapq.heapify(heap)
        progressed = False
        while heap:
            _, distance, employee_id, to, threshold, p = heapq.heappop(heap)
            if employee_id in moved:
                continue
            d = delta(p, to)
            if d >= 0:
                continue
            if heap and (d, distance, employee_id) > heap[0][:3]:
                heapq.heappush(heap, (d, distance, employee_id, to, threshold, p))
                continue
            moves.append(_apply(p, to, threshold, distance, scopes, scale))
            moved.add(employee_id)
            progressed = True
        if not progressed:
            break
    return moves


def _changes(p: Candidate, to: str, scopes: dict[ScopeKey, _Scope]) -> Iterator[tuple[_Scope, _Bound, int, int]]:
    """The guideline bounds of p's scopes that moving p to `to` changes: (scope, bound, its count now, +1 or -1)."""
    for key in p.scopes:
        scope = scopes.get(key)
        if scope is None:
            continue
        for b in scope.bounds:
            step = (to in b.ratings) - (p.rating in b.ratings)
            if step:
                yield scope, b, scope._count(b), step


def _apply(p: Candidate, to: str, threshold: float, distance: float, scopes: dict[ScopeKey, _Scope], scale: tuple[str, ...]) -> Move:
    fixes = [
        Fix(scope.check.kind, scope.check.scope, scope.check.label, b.label, b.share, count, count + step, (b.low, b.high))
        for scope, b, count, step in _changes(p, to, scopes)
        if b.excess(count + step) < b.excess(count)
    ]
    for key in p.scopes:
        scope = scopes.get(key)
        if scope is not None:
            scope.counts[p.rating] = scope.counts.get(p.rating, 0) - 1
            scope.counts[to] = scope.counts.get(to, 0) + 1
    assert p.score is not None
    down = to in scale[scale.index(p.rating) + 1:]
    return Move(p.employee_id, p.name, p.rating, to, p.score, threshold, distance, down, tuple(fixes))


def _cuts(ratings: frozenset[str], scale: tuple[str, ...]) -> frozenset[int]:
    """The cuts (between scale[i] and scale[i + 1]) that border a set of ratings."""
    return frozenset(i for i in range(len(scale) - 1) if (scale[i] in ratings) != (scale[i + 1] in ratings))


def _lower_bound(scopes: dict[ScopeKey, _Scope], scale: tuple[str, ...]) -> int:
    """Fewest moves any solution needs (see the module's docstring)."""
    per_kind: dict[str, int] = {}
    for (kind, _), scope in scopes.items():
        excesses = [(b.excess(scope._count(b)), _cuts(b.ratings, scale)) for b in scope.bounds]
        by_cut: dict[int, int] = {}
        for excess, cuts in excesses:
            if len(cuts) == 1:
                (cut,) = cuts
                by_cut[cut] = max(by_cut.get(cut, 0), excess)
        needed = max(sum(by_cut.values()), max((e for e, _ in excesses), default=0))
        per_kind[kind] = per_kind.get(kind, 0) + needed
    return max(per_kind.values(), default=0)
