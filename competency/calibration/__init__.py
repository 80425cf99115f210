"""Calibration: rating guidelines per scope, leniency of managers and raters,
adverse impact, rater agreement, overrides with a hash-chained audit log, and
suggested moves back within the guidelines.

Pure where it can be: the statistics (`stats`) are functions of small arrays;
the bulk counting is DuckDB SQL over the workspace tables handed in; the
workflow (`competency.workflow.calibrate`) loads, calls and stores.
"""

from competency.calibration.guidelines import Bound, Guidelines, Scope, parse_share, rounded_share
from competency.calibration.stats import cronbach_alpha, icc_oneway, rwg_j, shrout_fleiss, standardised_difference

__all__ = [
    "Bound",
    "Guidelines",
    "Scope",
    "cronbach_alpha",
    "icc_oneway",
    "parse_share",
    "rounded_share",
    "rwg_j",
    "shrout_fleiss",
    "standardised_difference",
]
