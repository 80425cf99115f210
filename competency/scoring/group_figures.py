"""Competency-level figures: each rater group's publication decision, then the figures
of every group, the pool 'others' and all raters except self (see `aggregate`)."""

from __future__ import annotations

import duckdb

from competency._sql import Relation, drop, new_relation, quote_number, quote_text
from competency.scoring.config import ScoringConfig
from competency.scoring.contracts import CROSSED, FIGURES, GROUPS, MEMBERS
from competency.scoring.releases import released_sets_sql


def decide_groups(db: duckdb.DuckDBPyConnection, config: ScoringConfig, counted: Relation) -> Relation:
    """Per person × competency × rater group (`GROUPS`): its counted raters and the figure
    it is published as — itself, the pool 'others', or none — with the reason when none.

    Deciding per group (a few rows per person and competency) instead of per
    rater gives the same answer: every rater of a group is published alike."""
    k = quote_number(config.anonymity.group_minimum)
    identified = ", ".join(quote_text(group) for group in config.anonymity.identified_groups)
    made = new_relation("s_groups", GROUPS)
    db.execute(f"""
    CREATE TEMP TABLE {made} AS
    WITH groups AS (
        SELECT employee_id, competency_id, rater_group, rater_group NOT IN ({identified}) AS anonymous, count(*) AS raters
        FROM {counted} WHERE counted GROUP BY ALL
    ), pooled AS (
        SELECT *, coalesce(sum(raters) FILTER (WHERE anonymous AND raters < {k}) OVER (PARTITION BY employee_id, competency_id), 0) AS pool_n
        FROM groups
    )
    SELECT employee_id, competency_id, rater_group, anonymous, raters,
           CASE WHEN NOT anonymous OR raters >= {k} THEN rater_group
                WHEN pool_n >= {k} THEN 'others' END AS published_as,
           CASE WHEN anonymous AND raters < {k} AND pool_n < {k} THEN 'group_minimum' END AS withheld
    FROM pooled
    """)
    return made


def members(db: duckdb.DuckDBPyConnection, counted: Relation, groups: Relation) -> Relation:
    """Who is behind each anonymous figure as decided so far (`MEMBERS`): groups, the pool, all except self."""
    made = new_relation("s_members", MEMBERS)
    db.execute(f"""
    CREATE TEMP TABLE {made} AS
    SELECT m.employee_id, m.competency_id, g.published_as AS figure, m.rater_id, m.items
    FROM {counted} m JOIN {groups} g USING (employee_id, competency_id, rater_group)
    WHERE m.counted AND g.anonymous AND g.published_as IS NOT NULL
    UNION ALL
    SELECT m.employee_id, m.competency_id, 'all_others', m.rater_id, m.items
    FROM {counted} m JOIN {groups} g USING (employee_id, competency_id, rater_group)
    WHERE m.counted AND g.anonymous
    """)
    return made


def withhold_crossed(db: duckdb.DuckDBPyConnection, config: ScoringConfig, groups: Relation, behind: Relation, releases: Relation) -> Relation:
    """Withhold in `groups` each group or pool whose raters (`behind`: the members) differ from
    an earlier release of the same figure by 1 to k - 1 (`cross_release`): next to the released
    figure it would reveal them by subtraction, in the next cycle or after a corrected import
    of this one. Returns the crossed figures (`CROSSED`), 'all except self' among them."""
    crossed = new_relation("s_cross_release", CROSSED)
    db.execute(f"""
    CREATE TEMP TABLE {crossed} AS
    SELECT DISTINCT employee_id, competency_id, figure FROM ({released_sets_sql(behind, releases)})
    WHERE diff BETWEEN 1 AND {quote_number(config.anonymity.group_minimum - 1)}
    """)
    db.execute(f"""
    UPDATE {groups} g SET published_as = NULL, withheld = 'cross_release'
    FROM {crossed} x
    WHERE g.anonymous AND x.employee_id = g.employee_id AND x.competency_id = g.competency_id AND x.figure = g.published_as
    """)
    return crossed


def _means_sql(item_sums: Relation, groups: Relation) -> str:
    """CTEs group_means, pool_means and all_means: each figure's mean of its behaviours' means."""
    return f"""group_means AS (
        SELECT employee_id, competency_id, rater_group, round(avg(total / raters), 9) AS mean FROM {item_sums} GROUP BY ALL
    ), pool_means AS (
        SELECT employee_id, competency_id, round(avg(total / raters), 9) AS mean FROM (
            SELECT employee_id, competency_id, item_id, sum(total) AS total, sum(raters) AS raters
            FROM {item_sums} SEMI JOIN (SELECT * FROM {groups} WHERE published_as = 'others') USING (employee_id, competency_id, rater_group)
            GROUP BY ALL
        ) GROUP BY ALL
    ), all_means AS (
        SELECT employee_id, competency_id, round(avg(total / raters), 9) AS mean FROM (
            SELECT employee_id, competency_id, item_id, sum(total) AS total, sum(raters) AS raters FROM {item_sums} WHERE rater_group <> 'self' GROUP BY ALL
        ) GROUP BY ALL
    )"""


def _groups_and_pool_sql(groups: Relation) -> str:
    """CTEs groups and pool: the figures of the rater groups and of the pool 'others'."""
    return f"""groups AS (
        SELECT employee_id, competency_id, rater_group AS figure, anonymous,
               raters, CASE WHEN anonymous THEN raters ELSE 0 END AS anonymous_n, m.mean,
               published_as IS NOT DISTINCT FROM rater_group AS publishable, published_as,
               CASE WHEN published_as = 'others' THEN 'pooled'
                    WHEN published_as IS NULL THEN withheld END AS reason
        FROM {groups} LEFT JOIN group_means m USING (employee_id, competency_id, rater_group)
    ), pool AS (
        SELECT g.employee_id, g.competency_id, 'others' AS figure, true AS anonymous,
               g.raters, g.raters AS anonymous_n, m.mean, true AS publishable, 'others' AS published_as, NULL AS reason
        FROM (SELECT employee_id, competency_id, sum(raters)::BIGINT AS raters FROM {groups} WHERE published_as = 'others' GROUP BY ALL) g
        JOIN pool_means m USING (employee_id, competency_id)
    )"""


def _all_others_sql(config: ScoringConfig, groups: Relation, crossed: Relation) -> str:
    """CTEs everyone and all_decided: 'all raters except self' and why it is withheld, if it is."""
    k, k_all = quote_number(config.anonymity.group_minimum), quote_number(config.anonymity.all_others_minimum)
    return f"""everyone AS (
        SELECT g.*, m.mean,
               (employee_id, competency_id) IN (SELECT (employee_id, competency_id) FROM {crossed} WHERE figure = 'all_others') AS crossed
        FROM (
            SELECT employee_id, competency_id, 'all_others' AS figure, true AS anonymous, sum(raters)::BIGINT AS raters,
                   coalesce(sum(raters) FILTER (WHERE anonymous), 0)::BIGINT AS anonymous_n,
                   coalesce(sum(raters) FILTER (WHERE anonymous AND published_as IS NULL), 0)::BIGINT AS remainder_n
            FROM {groups} WHERE rater_group <> 'self' GROUP BY ALL
        ) g JOIN all_means m USING (employee_id, competency_id)
    )
    , all_decided AS (
        SELECT employee_id, competency_id, figure, anonymous, raters, anonymous_n, mean,
               CASE WHEN raters < {k_all} THEN 'all_minimum'
                    WHEN remainder_n > 0 AND remainder_n < {k} THEN 'differencing'
                    WHEN anonymous_n > 0 AND anonymous_n < {k} THEN 'anonymous_minimum'
                    WHEN crossed THEN 'cross_release' END AS reason
        FROM everyone
    )"""


def competency_figures(db: duckdb.DuckDBPyConnection, config: ScoringConfig, item_sums: Relation, groups: Relation, crossed: Relation) -> Relation:
    """Competency-level figures (`FIGURES`): each group, the pool, and all raters except self.

    A figure's mean is the mean of its behaviours' means, each over the figure's raters
    who answered that behaviour: a function of the per-behaviour sums, so raters swapping
    answers on a behaviour leave it as it was, and the raters behind each behaviour figure
    are exactly those behind the competency figure who answered it. Rounded to 9
    decimals, it is the same on every run whatever order DuckDB's threads add in.
    """
    made = new_relation("s_figures", FIGURES)
    db.execute(f"""
    CREATE TEMP TABLE {made} AS
    WITH {_means_sql(item_sums, groups)}, {_groups_and_pool_sql(groups)}, {_all_others_sql(config, groups, crossed)}
    SELECT employee_id, competency_id, figure, anonymous, raters, anonymous_n, mean, publishable, published_as, reason FROM groups
    UNION ALL SELECT * FROM pool
    UNION ALL
    SELECT employee_id, competency_id, figure, anonymous, raters, anonymous_n, mean,
           reason IS NULL, CASE WHEN reason IS NULL THEN figure END, reason
    FROM all_decided
    """)
    return made


def figures_of_groups(db: duckdb.DuckDBPyConnection, config: ScoringConfig, counted: Relation, item_sums: Relation, releases: Relation) -> tuple[Relation, Relation, Relation]:
    """The group decisions (held to `releases`), who is behind each anonymous figure, and the
    competency-level figures: (groups, members, figures)."""
    groups = decide_groups(db, config, counted)
    behind = members(db, counted, groups)
    crossed = withhold_crossed(db, config, groups, behind, releases)
    figures = competency_figures(db, config, item_sums, groups, crossed)
    drop(db, crossed)
    return groups, behind, figures
