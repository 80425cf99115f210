"""Rating guidelines (`kind: guidelines`): how ratings should spread over a
population, when a manager looks lenient, and the reason codes of overrides.

A *bound* limits the share of a scope's rated people who hold some ratings:
`{ratings: [A], share: "<= 15%"}`, `{ratings: [A, B], share: "<= 60%"}`,
`{ratings: [D], share: ">= 5%"}`, `{ratings: [C], share: "between 20% and 50%"}`.

Rounding rule: a share is the number of people holding the bound's ratings
divided by the number of rated people in the scope, in percent, rounded half
up to `share_decimals` places (default 0: whole percent, so 2 of 13 = 15.38 %
counts as 15 %). The bound is met when that rounded share satisfies it,
widened by `tolerance` percentage points (`<= 15%` with tolerance 2 allows up
to 17 %). Because the rounded share only grows with the count, every bound
allows a range of head counts in a scope of n people (`allowed_counts`); a
scope smaller than its `minimum_size` is not checked at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Literal

from pydantic import Field, field_validator, model_validator

from competency.domain import Text
from competency.domain._base import Identifier, Number, Strict

SCOPE_KINDS = ("organisation", "region", "department", "manager")
_NUMBER = r"(\d+(?:\.\d+)?)\s*%"
_COMPARISON = re.compile(rf"^\s*(<=|>=|<|>|=)\s*{_NUMBER}\s*$")
_BETWEEN = re.compile(rf"^\s*between\s+{_NUMBER}\s+and\s+{_NUMBER}\s*$", re.IGNORECASE)
SHARE_HINT = 'write it like "<= 15%", ">= 5%", "= 50%" or "between 20% and 40%"'


@dataclass(frozen=True)
class ShareTest:
    """A parsed share: the operator and its percentages (low, high)."""

    op: str  # = < <= > >= between
    low: Fraction
    high: Fraction

    def __str__(self) -> str:
        if self.op == "between":
            return f"between {share_text(self.low)} and {share_text(self.high)}"
        return f"{self.op} {share_text(self.low)}"


def share_text(value: Fraction | float) -> str:
    """A percentage as written in guidelines and shown beside them: `15%`, `12.5%`."""
    return f"{float(value):g}%"


def parse_share(text: str) -> ShareTest:
    """`"<= 15%"` → ShareTest("<=", 15, 15); raises ValueError with a hint."""
    match = _COMPARISON.match(text)
    if match:
        value = Fraction(match.group(2))
        if value > 100:
            raise ValueError(f"share '{text}' is above 100%")
        return ShareTest(match.group(1), value, value)
    match = _BETWEEN.match(text)
    if match:
        low, high = Fraction(match.group(1)), Fraction(match.group(2))
        if high > 100:
            raise ValueError(f"share '{text}' is above 100%")
        if low > high:
            raise ValueError(f"share '{text}' has its bounds the wrong way round: the lower one comes first")
        return ShareTest("between", low, high)
    raise ValueError(f"share '{text}' is not a bound: {SHARE_HINT}")


@cache
def rounded_share(count: int, size: int, decimals: int) -> Fraction:
    """count / size in percent, rounded half up to `decimals` places (exact integers:
    ⌊100·count·10^d / size + ½⌋ / 10^d)."""
    scale = 10**decimals
    return Fraction((200 * count * scale + size) // (2 * size), scale)


class Bound(Strict):
    """The share of a scope's rated people who hold `ratings` (counted together)."""

    ratings: list[str] = Field(min_length=1, description="Ratings counted together, e.g. [A] or [A, B].")
    share: str = Field(description='The bound on their share, e.g. "<= 15%", ">= 5%", "between 20% and 40%".', pattern=r"^\s*(<=|>=|<|>|=|between\s)")

    @field_validator("share", mode="before")
    @classmethod
    def _share_is_a_bound(cls, value: object) -> object:
        if isinstance(value, str):
            parse_share(value)
        return value

    @property
    def test(self) -> ShareTest:
        return parse_share(self.share)

    @property
    def label(self) -> str:
        return "+".join(self.ratings)

    def allowed_counts(self, size: int, decimals: int, tolerance: float) -> tuple[int, int] | None:
        """The head counts (low, high) that meet the bound in a scope of `size`, or
        None when no count can (e.g. "= 15%" in a scope of 3)."""
        return _allowed(self.share, size, decimals, Fraction(str(tolerance)))

    def deviation(self, share: Fraction) -> Fraction:
        """Percentage points beyond the bound (positive above it, negative below), 0 within."""
        t = self.test
        if t.op in ("<=", "<", "=", "between") and share > t.high:
            return share - t.high
        if t.op in (">=", ">", "=", "between") and share < t.low:
            return share - t.low
        return Fraction(0)


@cache
def _allowed(share: str, size: int, decimals: int, tolerance: Fraction) -> tuple[int, int] | None:
    test = parse_share(share)

    def meets_lower(count: int) -> bool:  # false, then true as the count grows
        value = rounded_share(count, size, decimals)
        if test.op in (">=", "=", "between"):
            return value >= test.low - tolerance
        return value > test.low - tolerance if test.op == ">" else True

    def breaks_upper(count: int) -> bool:  # false, then true as the count grows
        value = rounded_share(count, size, decimals)
        if test.op in ("<=", "=", "between"):
            return value > test.high + tolerance
        return value >= test.high + tolerance if test.op == "<" else False

    low = _first(meets_lower, size)
    high = _first(breaks_upper, size) - 1
    if low > high:
        return None
    return low, high


def _first(holds: Callable[[int], bool], size: int) -> int:
    """The least count in 0..size where a monotone predicate holds (size + 1 if none)."""
    lo, hi = 0, size + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if holds(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


class Scope(Strict):
    """A population whose rating distribution is checked."""

    by: Literal["organisation", "region", "department", "manager"] = Field(description="organisation, region, department or manager (a manager's direct team).")
    minimum_size: int = Field(default=1, ge=1, description="Scopes with fewer rated people are not checked.")
    bounds: list[Bound] | None = Field(default=None, description="Bounds for this kind of scope; the file's `bounds` when left out.")


class Leniency(Strict):
    """When a manager's team or a rater stands out from everyone else."""

    z_threshold: Number = Field(default=2.5, gt=0, description="Flag a standardised difference whose |z| is beyond this …")
    minimum_effect: Number = Field(default=0.5, ge=0, description="… and whose size |d| (in standard deviations) is at least this: large enough to matter, not only to be sure of.")
    minimum_team: int = Field(default=3, ge=2, description="Managers with smaller teams get no index.")
    minimum_people: int = Field(default=3, ge=1, description="360 raters who rated fewer people get no z.")


class AdverseImpact(Strict):
    """The four-fifths rule on a roster attribute (`calibrate status --attribute gender`)."""

    favourable: list[str] = Field(default_factory=lambda: ["A", "B"], min_length=1, description="Ratings that count as a favourable outcome.")
    ratio: Number = Field(default=0.8, gt=0, le=1, description="Flag a group whose rate is below this share of the highest group's rate.")
    minimum_group: int = Field(default=5, ge=1, description="Smaller groups are shown but not judged.")


class Suggest(Strict):
    """How `calibrate suggest` picks whom to move: those nearest a band boundary."""

    score: Literal["performance", "ability"] = Field(default="performance", description="The score whose distance to the next band ranks candidates.")
    thresholds: dict[str, Number] = Field(description="Lowest score of each rating band but the lowest, e.g. {A: 3.5, B: 3.0, C: 2.0} (the rating table's bands).")


class ReasonCode(Strict):
    code: Identifier
    label: Text


class Guidelines(Strict):
    """Rating-distribution guidelines for one competency model."""

    kind: str = Field(default="guidelines", pattern="^guidelines$")
    id: Identifier
    model: Identifier
    version: str = "1"
    name: Text | None = None
    share_decimals: int = Field(default=0, ge=0, le=4, description="Shares are rounded half up to this many decimals of a percent before comparing.")
    tolerance: Number = Field(default=0, ge=0, le=100, description="Percentage points of slack on every bound.")
    bounds: list[Bound] = Field(default_factory=list, description="Bounds for every scope that sets none of its own.")
    scopes: list[Scope] = Field(min_length=1)
    leniency: Leniency = Leniency()
    adverse_impact: AdverseImpact = AdverseImpact()
    suggest: Suggest
    reason_codes: list[ReasonCode] = Field(default_factory=list)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _one_entry_per_scope_kind(self) -> Guidelines:
        kinds = [scope.by for scope in self.scopes]
        repeated = sorted({k for k in kinds if kinds.count(k) > 1})
        if repeated:
            raise ValueError(f"scope '{repeated[0]}' is listed twice; list each kind of scope once")
        codes = [c.code for c in self.reason_codes]
        if len(set(codes)) != len(codes):
            raise ValueError("a reason code is listed twice; codes must be unique")
        return self

    def scope(self, kind: str) -> Scope | None:
        return next((s for s in self.scopes if s.by == kind), None)

    def bounds_for(self, scope: Scope) -> list[Bound]:
        return list(scope.bounds if scope.bounds is not None else self.bounds)

    def ratings_named(self) -> list[tuple[tuple[object, ...], str]]:
        """Every rating the file names, with its path (for checking against the scale)."""
        named: list[tuple[tuple[object, ...], str]] = []
        for i, bound in enumerate(self.bounds):
            named += [(("bounds", i, "ratings", j), r) for j, r in enumerate(bound.ratings)]
        for s, scope in enumerate(self.scopes):
            for i, bound in enumerate(scope.bounds or []):
                named += [(("scopes", s, "bounds", i, "ratings", j), r) for j, r in enumerate(bound.ratings)]
        named += [(("adverse_impact", "favourable", j), r) for j, r in enumerate(self.adverse_impact.favourable)]
        named += [(("suggest", "thresholds", r), r) for r in self.suggest.thresholds]
        return named
