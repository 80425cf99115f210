"""Agreement and leniency statistics as pure functions of small arrays.

The bulk work (sums of squares per competency, per team) runs in DuckDB SQL;
these functions turn the aggregated figures into coefficients, and serve as
the oracle the SQL path is tested against.

- `shrout_fleiss`: the six intraclass correlations of Shrout & Fleiss (1979)
  for a complete n targets × k judges table (two-way ANOVA mean squares).
- `icc_oneway`: ICC(1) and ICC(1,k) for unbalanced one-way data — the form for
  360 feedback, where every person has their own raters (manager, peers,
  reports), so rater effects cannot be separated from error (Shrout & Fleiss
  Case 1). With unequal group sizes k is the ANOVA's k0 = (N − Σnᵢ²/N)/(a − 1).
- `cronbach_alpha`: k/(k−1) · (1 − Σ item variances / variance of the sum).
- `rwg_j`: within-group agreement of J parallel items (James, Demaree & Wolf
  1984) against a uniform null, σ²_E = (A² − 1)/12 for A answer options.
- `standardised_difference`: a subgroup mean against its population, with the
  standard error of a mean of n drawn without replacement from N.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959964


@dataclass(frozen=True)
class IccForms:
    """ICC(1,1), ICC(2,1), ICC(3,1) and their k-rater averages ICC(1,k), ICC(2,k), ICC(3,k)."""

    icc1: float
    icc2: float
    icc3: float
    icc1k: float
    icc2k: float
    icc3k: float


def shrout_fleiss(table: Sequence[Sequence[float]]) -> IccForms:
    """The six ICCs of Shrout & Fleiss (1979) for a complete targets × judges table."""
    n, k = len(table), len(table[0])
    if n < 2 or k < 2 or any(len(row) != k for row in table):
        raise ValueError("need a complete table of at least 2 targets × 2 judges")
    grand = sum(map(sum, table)) / (n * k)
    row_means = [sum(row) / k for row in table]
    col_means = [sum(row[j] for row in table) / n for j in range(k)]
    ss_total = sum((x - grand) ** 2 for row in table for x in row)
    ss_rows = k * sum((m - grand) ** 2 for m in row_means)
    ss_cols = n * sum((m - grand) ** 2 for m in col_means)
    ss_error = ss_total - ss_rows - ss_cols
    bms = ss_rows / (n - 1)
    wms = (ss_total - ss_rows) / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = ss_error / ((n - 1) * (k - 1))
    return IccForms(
        icc1=_ratio(bms - wms, bms + (k - 1) * wms),
        icc2=_ratio(bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n),
        icc3=_ratio(bms - ems, bms + (k - 1) * ems),
        icc1k=_ratio(bms - wms, bms),
        icc2k=_ratio(bms - ems, bms + (jms - ems) / n),
        icc3k=_ratio(bms - ems, bms),
    )


def _ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, NaN when the denominator vanishes (no variance to compare)."""
    return numerator / denominator if abs(denominator) > 1e-12 else float("nan")


@dataclass(frozen=True)
class OneWay:
    """One-way random-effects ICCs for targets with unequal numbers of raters."""

    targets: int
    observations: int
    k0: float
    msb: float
    msw: float
    icc1: float | None
    icc1k: float | None


@dataclass(frozen=True)
class GroupSums:
    """What one target contributes: its raters' count, sum and sum of squares."""

    n: int
    total: float
    squares: float


def oneway_from_sums(groups: Sequence[GroupSums]) -> OneWay:
    """ICC(1) and ICC(1,k0) from each target's (n, Σx, Σx²); targets with one rater are left out."""
    used = [g for g in groups if g.n >= 2]
    return oneway_from_totals(
        targets=len(used),
        observations=sum(g.n for g in used),
        sum_n_squared=sum(g.n * g.n for g in used),
        total=sum(g.total for g in used),
        between=sum(g.total * g.total / g.n for g in used),
        squares=sum(g.squares for g in used),
    )


def oneway_from_totals(*, targets: int, observations: int, sum_n_squared: float, total: float, between: float, squares: float) -> OneWay:
    """The same from totals over targets: Σnᵢ, Σnᵢ², Σx, Σ(Σᵢx)²/nᵢ, Σx² — what SQL aggregates."""
    a, big_n = targets, observations
    if a < 2 or big_n <= a:
        return OneWay(a, big_n, float("nan"), float("nan"), float("nan"), None, None)
    # Sums of squares as differences of large sums: round away the cancellation noise.
    noise = 1e-10 * max(1.0, abs(squares))
    ssb = between - total * total / big_n
    ssw = squares - between
    ssb, ssw = (0.0 if abs(ssb) < noise else ssb), (0.0 if abs(ssw) < noise else max(ssw, 0.0))
    msb = ssb / (a - 1)
    msw = ssw / (big_n - a)
    k0 = (big_n - sum_n_squared / big_n) / (a - 1)
    denominator = msb + (k0 - 1) * msw
    icc1 = (msb - msw) / denominator if denominator > 0 else None
    icc1k = (msb - msw) / msb if msb > 0 else None
    return OneWay(a, big_n, k0, msb, msw, icc1, icc1k)


def icc_oneway(ratings: Sequence[Sequence[float]]) -> OneWay:
    """ICC(1) / ICC(1,k0) for lists of ratings per target (lists may differ in length)."""
    return oneway_from_sums([GroupSums(len(r), float(sum(r)), float(sum(x * x for x in r))) for r in ratings])


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """Cronbach's alpha of complete respondents × items rows (None with < 2 items or rows,
    or when the sum does not vary)."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    item_variances = sum(_variance([row[j] for row in rows]) for j in range(k))
    total_variance = _variance([sum(row) for row in rows])
    return alpha_from_variances(k, item_variances, total_variance)


def alpha_from_variances(items: int, sum_item_variances: float, total_variance: float) -> float | None:
    if items < 2 or not total_variance or total_variance <= 0:
        return None
    return items / (items - 1) * (1 - sum_item_variances / total_variance)


def _variance(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / (len(values) - 1)


def uniform_null_variance(options: int) -> float:
    """σ²_E of a uniform answer over `options` equally spaced choices: (A² − 1)/12."""
    return (options * options - 1) / 12


def rwg_j(mean_item_variance: float, items: int, options: int) -> float:
    """rwg(J): J(1 − s̄²/σ²) / (J(1 − s̄²/σ²) + s̄²/σ²), set to 0 when s̄² ≥ σ²
    (more disagreement than random answers: no agreement)."""
    ratio = mean_item_variance / uniform_null_variance(options)
    if ratio >= 1:
        return 0.0
    agreement = items * (1 - ratio)
    return agreement / (agreement + ratio)


@dataclass(frozen=True)
class Difference:
    """A subgroup mean against its population's, in population standard deviations."""

    n: int
    mean: float | None  # None when withheld (a mean over fewer than people_k people)
    d: float | None  # (mean − population mean) / population sd
    se: float | None  # standard error of d
    z: float | None
    low: float | None  # 95 % confidence interval of d
    high: float | None


def standardised_difference(n: int, mean: float, population_n: int, population_mean: float, population_sd: float) -> Difference:
    """d = (m − μ)/σ with SE(d) = √((1/n)·(N − n)/(N − 1)): the sampling error of a
    mean of n people drawn at random, without replacement, from the N of the
    population (σ its population standard deviation). z = d / SE(d)."""
    if n < 1 or population_n < 2 or not population_sd or population_sd <= 0:
        return Difference(n, mean, None, None, None, None, None)
    d = (mean - population_mean) / population_sd
    se = math.sqrt(max(population_n - n, 0) / (n * (population_n - 1)))
    if se == 0:
        return Difference(n, mean, d, 0.0, None, None, None)
    return Difference(n, mean, d, se, d / se, d - Z95 * se, d + Z95 * se)
