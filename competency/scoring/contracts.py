"""What each scoring step hands the next: temp relations with their declared columns.

A step makes its relations with `new_relation` and returns them in one of these;
the steps after it, the store and the publication gate take them as parameters.
`Relation.check` holds a relation to the columns declared here.
"""

from __future__ import annotations

from dataclasses import dataclass

from competency._sql import Relation

RATERS = ("employee_id", "rater_id", "rater_group", "competency_id", "answered", "items", "counted")
ITEM_SUMS = ("employee_id", "competency_id", "item_id", "rater_group", "raters", "total")
RELEASES = ("release_id", "employee_id", "competency_id", "figure", "rater_id", "items")
GROUPS = ("employee_id", "competency_id", "rater_group", "anonymous", "raters", "published_as", "withheld")
MEMBERS = ("employee_id", "competency_id", "figure", "rater_id", "items")
CROSSED = ("employee_id", "competency_id", "figure")
FIGURES = ("employee_id", "competency_id", "figure", "anonymous", "raters", "anonymous_n", "mean", "publishable", "published_as", "reason")
COMPETENCY = ("employee_id", "competency_id", "score", "self_score", "level", "required", "weight", "raters")
KPIS = ("employee_id", "kpi_id", "actual", "target", "attainment", "weight", "score")
INDICES = ("employee_id", "role", "competency_index", "kpi_index")
ITEM_FIGURES = ("employee_id", "competency_id", "item_id", "figure", "raters", "mean", "publishable", "reason")
BEHAVIOUR_SCORES = ("employee_id", "competency_id", "item_id", "score")
PEOPLE = ("employee_id", "competency_index", "kpi_index", "ability", "performance", "potential", "rating", "nine_box", "flags", "trace")




@dataclass(frozen=True)
class Figures:
    """Competency-level figures of some people and what they were decided from.

    raters: per person × competency × rater, whether the rater counts and the behaviours
        answered as a bit mask (`RATERS`);
    item_sums: per person × behaviour × rater group, the counted raters who answered it
        and the sum of their answers (`ITEM_SUMS`);
    releases: the released rater sets the run is held to (`RELEASES`);
    groups: per person × competency × rater group, the figure it is published as (`GROUPS`);
    members: who is behind each anonymous group, pool and 'all except self' figure (`MEMBERS`);
    figures: every competency-level figure with its decision and reason (`FIGURES`)."""

    raters: Relation
    item_sums: Relation
    releases: Relation
    groups: Relation
    members: Relation
    figures: Relation


@dataclass(frozen=True)
class Aggregates(Figures):
    """A scoring run's figures and the scores made from the published ones.

    competency: per person × role competency, the 360 score, self, level (`COMPETENCY`);
    kpis: per person × role KPI, attainment and score on the curve (`KPIS`);
    indices: per person, the competency and KPI indices (`INDICES`)."""

    competency: Relation
    kpis: Relation
    indices: Relation


@dataclass(frozen=True)
class BehaviourFigures:
    """Behaviour-level results: every item figure with its decision (`ITEM_FIGURES`) and
    each behaviour's one 360 score (`BEHAVIOUR_SCORES`)."""

    item_figures: Relation
    scores: Relation
