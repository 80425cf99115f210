"""Why a figure is withheld: a closed set of codes, stored with every figure.

Scoring decides and stores the code; outputs put it into words with
`reason_text`, whose texts live only in the message catalogue (`reason.<code>`).
"""

from __future__ import annotations

from competency.i18n import t
from competency.scoring.config import Anonymity

# Shown inside the pool "others", not on its own.
POOLED = "pooled"
ANONYMOUS_MINIMUM = "anonymous_minimum"  # 1 to k - 1 anonymous raters behind the figure
PEOPLE_MINIMUM = "people_minimum"  # an aggregate over fewer than k people
REASONS = (
    POOLED,
    "group_minimum",  # an anonymous group of fewer than k raters, too few to pool
    "all_minimum",  # "all except self" with fewer than k_all raters
    ANONYMOUS_MINIMUM,
    "differencing",  # next to a published figure it would reveal a small set by subtraction
    "items_answered",  # a behaviour answered by too few of the group's raters
    "parent_withheld",  # a behaviour whose competency-level figure is withheld
    "other_behaviour_withheld",  # a behaviour of a group with another behaviour withheld
    "cross_release",  # its raters differ from an earlier released figure's by 1 to k - 1
    PEOPLE_MINIMUM,
)


def too_few_people(people: int, people_k: int) -> bool:
    """An aggregate over 1 to people_k − 1 people, withheld as `people_minimum` (none: nothing to withhold)."""
    return 0 < people < people_k


def reason_text(code: str, anonymity: Anonymity, lang: str) -> str:
    """The reader's words for a reason code, with the thresholds filled in."""
    if code not in REASONS:
        raise ValueError(f"unknown reason code {code!r}")
    k = anonymity.group_minimum
    return t(f"reason.{code}", lang).format(k=k, k_all=anonymity.all_others_minimum, k_minus_1=k - 1, people_k=anonymity.people_k)
