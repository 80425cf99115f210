"""Behaviour (item-level) figures, nested in the competency-level ones (see `aggregate`)."""

from __future__ import annotations

import duckdb

from competency._sql import Relation, new_relation, quote_number
from competency.scoring.config import ScoringConfig
from competency.scoring.contracts import ITEM_FIGURES, Figures
from competency.scoring.model_tables import ModelTables
from competency.scoring.releases import released_sets_sql


def _per_item_sql(figures: Figures) -> str:
    """CTEs by_group, per_item and with_parent: each behaviour's figure per group, pool and
    all except self, beside its competency-level figure."""
    return f"""
    -- Per-behaviour sums by rater group: the group decides how its raters are published,
    -- so the pool and "all except self" are sums of group rows.
    WITH by_group AS MATERIALIZED (
        SELECT s.*, g.anonymous, g.published_as FROM {figures.item_sums} s JOIN {figures.groups} g USING (employee_id, competency_id, rater_group)
    ), per_item AS (
        SELECT employee_id, competency_id, item_id, rater_group AS figure, raters,
               CASE WHEN anonymous THEN raters ELSE 0 END AS anonymous_n, round(total / raters, 9) AS mean
        FROM by_group
        UNION ALL
        SELECT employee_id, competency_id, item_id, 'others', sum(raters)::BIGINT, sum(raters)::BIGINT, round(sum(total) / sum(raters), 9)
        FROM by_group WHERE published_as = 'others' GROUP BY ALL
        UNION ALL
        SELECT employee_id, competency_id, item_id, 'all_others', sum(raters)::BIGINT,
               coalesce(sum(raters) FILTER (WHERE anonymous), 0)::BIGINT, round(sum(total) / sum(raters), 9)
        FROM by_group WHERE rater_group <> 'self' GROUP BY ALL
    ), with_parent AS MATERIALIZED (
        SELECT i.*, f.publishable AS parent_publishable, f.anonymous AS is_anonymous_figure,
               f.raters AS parent_raters, f.anonymous_n AS parent_anonymous_n
        FROM per_item i JOIN {figures.figures} f USING (employee_id, competency_id, figure)
    )"""


def _within_sql(k: int) -> str:
    """CTE within: per item, what the published group and pool figures already cover."""
    return f"""within AS (
        -- Per item, over the published anonymous competency-level figures F (groups, pool):
        -- covered_n: the item's anonymous raters covered by published group or pool figures
        --   (so an item's "all except self" holding all of an F and 1 to k - 1 more is withheld);
        -- short_max: the most answerers of an F among the F whose skippers number 1 to k - 1.
        SELECT employee_id, item_id,
               sum(raters) FILTER (WHERE raters >= {quote_number(k)} AND (parent_raters - raters = 0 OR parent_raters - raters >= {quote_number(k)})) AS covered_n,
               max(raters) FILTER (WHERE parent_raters - raters BETWEEN 1 AND {quote_number(k - 1)}) AS short_max
        FROM with_parent
        WHERE figure NOT IN ('all_others') AND is_anonymous_figure AND parent_publishable
        GROUP BY ALL
    )"""


def _decided_sql(config: ScoringConfig) -> str:
    """CTE decided: whether each behaviour figure may be published on its own, and why not."""
    k, k_all, k_1 = (quote_number(n) for n in (config.anonymity.group_minimum, config.anonymity.all_others_minimum, config.anonymity.group_minimum - 1))
    return f"""decided AS (
    SELECT w.employee_id, w.competency_id, w.item_id, w.figure, w.raters, w.mean,
        w.is_anonymous_figure AS anonymous_figure, w.parent_publishable,
        CASE
            WHEN NOT w.parent_publishable THEN false
            WHEN NOT w.is_anonymous_figure THEN true
            WHEN w.figure = 'all_others' THEN w.raters >= {k_all} AND (w.anonymous_n = 0 OR w.anonymous_n >= {k})
                 AND (w.parent_anonymous_n - w.anonymous_n = 0 OR w.parent_anonymous_n - w.anonymous_n >= {k})
                 AND (w.anonymous_n - coalesce(c.covered_n, 0) = 0 OR w.anonymous_n - coalesce(c.covered_n, 0) >= {k})
                 -- Nested in a published F (all who answered are F's) but short of F by 1 to k - 1:
                 -- next to F's figure it would reveal those who skipped the item.
                 AND c.short_max IS DISTINCT FROM w.anonymous_n
            ELSE w.raters >= {k} AND (w.parent_raters - w.raters = 0 OR w.parent_raters - w.raters >= {k})
        END AS publishable,
        CASE
            WHEN NOT w.parent_publishable THEN 'parent_withheld'
            WHEN NOT w.is_anonymous_figure THEN NULL
            WHEN w.raters < (CASE WHEN w.figure = 'all_others' THEN {k_all} ELSE {k} END) THEN 'items_answered'
            WHEN w.anonymous_n BETWEEN 1 AND {k_1} THEN 'anonymous_minimum'
            ELSE 'differencing'
        END AS reason
    FROM with_parent w LEFT JOIN within c USING (employee_id, item_id)
    )"""


def _released_sql(k: int, figures: Figures, model: ModelTables, items: int) -> str:
    """CTEs crossed, released and lost: behaviour figures withheld by the cross-release guard,
    and the anonymous figures that lost a behaviour."""
    return f"""crossed AS (
        -- A behaviour's raters differ from the released figure's by 1 to k - 1.
        SELECT DISTINCT x.employee_id, x.competency_id, x.figure, i.item_id
        FROM ({released_sets_sql(figures.members, figures.releases, items)}) x JOIN {model.items} i USING (competency_id)
        WHERE x.item_diff[i.pos + 1] BETWEEN 1 AND {quote_number(k - 1)}
    ), released AS (
        SELECT d.* REPLACE (d.publishable AND x.item_id IS NULL AS publishable,
                            CASE WHEN d.publishable AND x.item_id IS NOT NULL THEN 'cross_release' ELSE d.reason END AS reason)
        FROM decided d LEFT JOIN crossed x USING (employee_id, competency_id, figure, item_id)
    ), lost AS (
        -- Anonymous figures shown at competency level with a behaviour withheld for part of their raters.
        SELECT DISTINCT employee_id, competency_id, figure FROM released
        WHERE anonymous_figure AND parent_publishable AND NOT publishable
    )"""


# A competency figure is the mean of its behaviours' figures: next to the others it would
# give a withheld behaviour's mean. So a group shows all its behaviours or none, and
# "all except self" (from which a group's behaviours follow by subtraction) shows none
# once any anonymous group lost one.
_WHOLE_SQL = """
    SELECT r.employee_id, r.competency_id, r.item_id, r.figure, r.raters, r.mean,
           r.publishable AND NOT whole AS publishable,
           CASE WHEN r.publishable AND whole THEN 'other_behaviour_withheld' WHEN r.publishable THEN NULL ELSE r.reason END AS reason
    FROM (
        SELECT r.*, r.anonymous_figure AND (
                   (r.employee_id, r.competency_id, r.figure) IN (SELECT (employee_id, competency_id, figure) FROM lost)
                   OR (r.figure = 'all_others' AND (r.employee_id, r.competency_id) IN (SELECT (employee_id, competency_id) FROM lost))
               ) AS whole
        FROM released r
    ) r
    """


def item_figures(db: duckdb.DuckDBPyConnection, config: ScoringConfig, model: ModelTables, figures: Figures, items: int) -> Relation:
    """Every behaviour figure of the people of `figures` with its decision (`ITEM_FIGURES`);
    `items`: the most behaviours of a competency (`model_tables.max_items`)."""
    k = config.anonymity.group_minimum
    made = new_relation("s_item_figures", ITEM_FIGURES)
    ctes = ", ".join((_per_item_sql(figures), _within_sql(k)))
    db.execute(f"""
    CREATE TEMP TABLE {made} AS{ctes}
    , {_decided_sql(config)}, {_released_sql(k, figures, model, items)}{_WHOLE_SQL}""")
    return made
