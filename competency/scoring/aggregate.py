"""360 answers → published figures and competency scores, in DuckDB SQL.

Anonymity (DESIGN §7). Think of every figure as the set of anonymous raters
behind it (self and manager are identified by design and left out). A figure
is published only when that set is empty or holds at least k raters, and when,
for any published figure, what is left after taking away the published
figures nested inside it is empty or at least k raters — otherwise
subtracting sums (mean × count) would reveal a small group's answers.

- Competency level: an anonymous group with ≥ k raters is shown; smaller
  groups are pooled into "others" when the pool reaches k, else suppressed.
  "All raters except self" needs ≥ k_all raters and no unpooled remainder.
- Item (behaviour) level: each figure is the raters of the competency-level
  figure who answered the item; it is published only if the competency-level
  figure is, it still has k raters (k_all for all_others), the raters it lost
  are none or ≥ k, and (for all_others) the unpublished remainder is none or ≥ k,
  its anonymous raters are none or ≥ k, and it is not the raters of a published
  group or pool figure less 1 to k - 1 who skipped the item.
- A figure's mean is the mean of its behaviours' means, each over the figure's raters
  who answered the behaviour (`group_figures.competency_figures`): made from per-behaviour sums,
  it cannot move when raters swap answers, and it holds no more than its behaviour
  figures do — which is why a group shows all its behaviour figures or none.
- The 360 score of a competency is the weighted mean of the *published*
  figures (manager, shown groups, the pool with its members' weights),
  re-normalised over those present, so it never reveals more than they do.

Everything runs over whole tables: one statement per step, no Python loops. The
steps live in `raters`, `releases`, `group_figures`, `item_figures` and `scores`;
each returns the relations it made (`contracts`) and takes those it reads.
"""

from __future__ import annotations

import duckdb

from competency._sql import Relation, relations
from competency.scoring.config import ScoringConfig
from competency.scoring.contracts import Aggregates, Figures
from competency.scoring.group_figures import figures_of_groups
from competency.scoring.model_tables import ModelTables
from competency.scoring.raters import item_sums, raters
from competency.scoring.releases import releases_in_force
from competency.scoring.scores import competency_scores, indices, kpi_scores


def figures(
    db: duckdb.DuckDBPyConnection, cycle_id: str, config: ScoringConfig, model: ModelTables, scope: Relation | None = None, *, derived: bool = False
) -> Figures:
    """From answers to competency-level figures of the people in `scope` (None: everyone):
    which raters count, per-behaviour sums, group decisions held to the releases in force
    (`releases.releases_in_force`, `derived` as there), figures."""
    counted = raters(db, cycle_id, config, model, scope)
    sums = item_sums(db, cycle_id, counted, scope)
    releases = releases_in_force(db, cycle_id, scope, derived=derived)
    groups, behind, made = figures_of_groups(db, config, counted, sums, releases)
    return Figures(counted, sums, releases, groups, behind, made)


def aggregate(db: duckdb.DuckDBPyConnection, cycle_id: str, config: ScoringConfig, model: ModelTables, *, derived: bool = False) -> Aggregates:
    """Every aggregation step of a scoring run, into temp relations the caller stores
    (`derived`: held to the releases before the cycle's own latest, to re-compute it).

    Item-level figures are not among them: no rating depends on them, and
    `behaviours.behaviour_figures` derives them when a report or plan asks.
    """
    made = figures(db, cycle_id, config, model, derived=derived)
    competency = competency_scores(db, cycle_id, model, made.groups, made.figures)
    kpis = kpi_scores(db, cycle_id, config, model)
    return Aggregates(*relations(made), competency, kpis, indices(db, cycle_id, competency, kpis))
