"""The agreement and leniency statistics reproduce published figures."""

from __future__ import annotations

import math

import pytest

from competency.calibration.stats import (
    alpha_from_variances,
    cronbach_alpha,
    icc_oneway,
    rwg_j,
    shrout_fleiss,
    standardised_difference,
    uniform_null_variance,
)

# Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
# rater reliability. Psychological Bulletin 86(2), 420–428. Table 2: four judges
# rate six targets.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]

# Motor Trend cars (Henderson & Velleman 1981, R's `mtcars`): cyl, gear, carb, hp.
MTCARS = list(
    zip(
        [6, 6, 4, 6, 8, 6, 8, 4, 4, 6, 6, 8, 8, 8, 8, 8, 8, 4, 4, 4, 4, 8, 8, 8, 8, 4, 4, 4, 8, 6, 8, 4],
        [4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5, 4],
        [4, 4, 1, 1, 2, 1, 4, 2, 2, 4, 4, 3, 3, 3, 4, 4, 4, 1, 2, 1, 1, 2, 2, 4, 2, 1, 2, 2, 4, 6, 8, 2],
        [110, 110, 93, 110, 175, 105, 245, 62, 95, 123, 123, 180, 180, 180, 205, 215, 230, 66, 52, 65, 97, 150, 150, 245, 175, 66, 91, 113, 264, 175, 335, 109],
        strict=True,
    )
)


def test_shrout_fleiss_table_4_is_reproduced() -> None:
    """Shrout & Fleiss (1979), Table 4, for the data of their Table 2:
    ICC(1,1)=.17, ICC(2,1)=.29, ICC(3,1)=.71, ICC(1,4)=.44, ICC(2,4)=.62, ICC(3,4)=.91."""
    forms = shrout_fleiss(SHROUT_FLEISS)
    got = [round(v, 2) for v in (forms.icc1, forms.icc2, forms.icc3, forms.icc1k, forms.icc2k, forms.icc3k)]
    assert got == [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]


def test_one_way_icc_of_balanced_data_is_shrout_fleiss_case_1() -> None:
    """The unbalanced one-way form used for 360 data reduces to ICC(1,1) and ICC(1,k)
    when every target has the same k raters (k0 = k = 4)."""
    oneway = icc_oneway(SHROUT_FLEISS)
    forms = shrout_fleiss(SHROUT_FLEISS)
    assert oneway.k0 == 4
    assert oneway.icc1 == pytest.approx(forms.icc1) and oneway.icc1k == pytest.approx(forms.icc1k)
    assert (round(oneway.icc1, 2), round(oneway.icc1k, 2)) == (0.17, 0.44)


def test_one_way_icc_with_unequal_raters_uses_k0() -> None:
    """k0 = (N − Σnᵢ²/N)/(a − 1): targets with 2, 3 and 4 raters give k0 = (9 − 29/9)/2."""
    oneway = icc_oneway([[1, 2], [3, 3, 4], [4, 4, 3, 4], [9]])  # the target with one rater is left out
    assert (oneway.targets, oneway.observations) == (3, 9)
    assert oneway.k0 == pytest.approx((9 - 29 / 9) / 2)


def test_cronbach_alpha_of_mtcars_matches_the_published_value() -> None:
    """Cronbach's alpha of mtcars[, c("cyl", "gear", "carb", "hp")] is 0.09463206,
    the value asserted by the R package `performance` (easystats) in
    tests/testthat/test-cronbachs_alpha.R; data: Henderson & Velleman (1981),
    Building multiple regression models interactively, Biometrics 37, 391–411."""
    assert cronbach_alpha(MTCARS) == pytest.approx(0.09463206, abs=1e-8)


def test_cronbach_alpha_equals_icc_3k_on_shrout_fleiss() -> None:
    """McGraw & Wong (1996), Forming inferences about some intraclass correlation
    coefficients, Psychological Methods 1(1), 30–46: ICC(C,k) — Shrout & Fleiss's
    ICC(3,k) — is Cronbach's alpha, so the judges of Table 2 taken as items give .91."""
    alpha = cronbach_alpha(SHROUT_FLEISS)
    assert alpha == pytest.approx(shrout_fleiss(SHROUT_FLEISS).icc3k)
    assert round(alpha, 2) == 0.91


def test_alpha_needs_two_items_and_variance() -> None:
    assert cronbach_alpha([[1], [2]]) is None
    assert cronbach_alpha([[2, 2], [2, 2]]) is None
    assert alpha_from_variances(1, 1.0, 2.0) is None


def test_rwg_is_one_for_full_agreement_and_zero_for_random_answers() -> None:
    """rwg(J) (James, Demaree & Wolf 1984): s̄² = 0 → 1; s̄² ≥ σ²_E = (A² − 1)/12 → 0."""
    assert uniform_null_variance(4) == 1.25
    assert uniform_null_variance(5) == 2.0
    assert rwg_j(0.0, 5, 4) == 1.0
    assert rwg_j(1.25, 5, 4) == 0.0
    assert rwg_j(3.0, 5, 4) == 0.0
    # J = 1 reduces to rwg = 1 − s²/σ²_E: s² = 0.5 on a 5-point scale → 0.75.
    assert rwg_j(0.5, 1, 5) == pytest.approx(0.75)
    # More items in agreement raise rwg(J) (Spearman–Brown): J = 3 → 3·0.75 / (3·0.75 + 0.25) = 0.9.
    assert rwg_j(0.5, 3, 5) == pytest.approx(0.9)


def test_standardised_difference_of_a_team_against_the_organisation() -> None:
    """d = (m − μ)/σ; SE(d) = √((1/n)(N − n)/(N − 1)); z = d/SE; 95 % interval d ± 1.96·SE."""
    d = standardised_difference(9, 3.0, 120, 2.5, 0.8)
    assert d.d == pytest.approx(0.625)
    assert d.se == pytest.approx(math.sqrt((120 - 9) / (9 * 119)))
    assert d.z == pytest.approx(d.d / d.se)
    assert (d.low, d.high) == (pytest.approx(d.d - 1.959964 * d.se), pytest.approx(d.d + 1.959964 * d.se))


def test_a_team_at_the_organisation_mean_has_no_leniency() -> None:
    d = standardised_difference(7, 2.5, 50, 2.5, 0.9)
    assert (d.d, d.z) == (0.0, 0.0)


def test_the_whole_organisation_or_no_spread_gives_no_z() -> None:
    assert standardised_difference(50, 3.0, 50, 2.5, 0.9).z is None
    assert standardised_difference(5, 3.0, 50, 3.0, 0.0).d is None
