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
  who answered the behaviour (`competency_figures_sql`): made from per-behaviour sums,
  it cannot move when raters swap answers, and it holds no more than its behaviour
  figures do — which is why a group shows all its behaviour figures or none.
- The 360 score of a competency is the weighted mean of the *published*
  figures (manager, shown groups, the pool with its members' weights),
  re-normalised over those present, so it never reveals more than they do.

Everything runs over whole tables: one statement per step, no Python loops.
"""

from __future__ import annotations

import duckdb

from competency.scoring.config import ScoringConfig
from competency._sql import EXACT, weighted_mean_sql
from competency._sql import quote_text


def _identified(config: ScoringConfig) -> str:
    return ", ".join(quote_text(group) for group in config.anonymity.identified_groups)


def _in_scope(scope: str | None, column: str) -> str:
    """SQL restricting `column` to the employees of table `scope` (None: everyone)."""
    return f" AND {column} IN (SELECT employee_id FROM {scope})" if scope else ""


def counted_sql(answered: str, n_items: str, share: str) -> str:
    """SQL: a rater counts for a competency after answering at least `share` of its `n_items` items."""
    return f"{answered} >= {share} * {n_items} - 1e-9"


def raters_sql(config: ScoringConfig, scope: str | None = None) -> str:
    """Per person × competency × rater: whether the rater counts (answered at least the
    configured share of the competency's items), and the behaviours answered as a bit
    mask (bit `m_items.pos`), which says who is behind every behaviour figure when
    releases are compared."""
    return f"""
    CREATE OR REPLACE TEMP TABLE s_raters AS
    SELECT p.*, {counted_sql("p.answered", "c.n_items", str(config.answered_share))} AS counted FROM (
        SELECT r.employee_id, r.rater_id, r.relationship AS rater_group, r.competency_id,
               count(r.score) AS answered,
               coalesce(bit_or(1::UBIGINT << i.pos::UBIGINT) FILTER (WHERE r.score IS NOT NULL), 0::UBIGINT) AS items
        FROM responses r JOIN m_items i USING (item_id)
        WHERE r.cycle_id = $cycle{_in_scope(scope, "r.employee_id")}
        GROUP BY ALL
    ) p JOIN m_competencies c USING (competency_id)
    """


def item_sums_sql(scope: str | None = None) -> str:
    """`s_item_sums`: per person × behaviour × rater group, the counted raters who answered
    it and the sum of their answers. Every figure is made from these sums, so two raters
    swapping answers on a behaviour change no figure."""
    return f"""
    CREATE OR REPLACE TEMP TABLE s_item_sums AS
    SELECT r.employee_id, r.competency_id, r.item_id, r.relationship AS rater_group, count(*) AS raters, sum(r.score) AS total
    FROM responses r
    ANTI JOIN (SELECT * FROM s_raters WHERE NOT counted) u
        ON u.employee_id = r.employee_id AND u.rater_id = r.rater_id
       AND u.rater_group = r.relationship AND u.competency_id = r.competency_id
    WHERE r.cycle_id = $cycle AND r.score IS NOT NULL{_in_scope(scope, "r.employee_id")}
    GROUP BY ALL
    """


def releases_in_force_sql(scope: str | None = None, *, derived: bool = False) -> str:
    """`s_releases`: the released rater sets a run is held to. Scoring holds a run to every
    earlier release; deriving a scored cycle's behaviour figures later holds them to the
    releases before the run that produced its results, so they come out as they did then."""
    before = "(SELECT max(release_id) FROM releases WHERE cycle_id = $cycle)" if derived else "NULL"
    return f"""
    CREATE OR REPLACE TEMP TABLE s_releases AS
    SELECT * FROM released_raters r WHERE r.release_id < coalesce({before}, 2147483647){_in_scope(scope, "r.employee_id")}
    """


def _released_sets_sql(members: str, items: int = 0) -> str:
    """Per figure of `members` (employee_id, competency_id, figure, rater_id, items) and per
    earlier release of the same person, competency and figure: how many raters the two sets
    differ by (`diff`) and, with `items` (the most behaviours of a competency), by how many
    for each behaviour (`item_diff[pos + 1]`).

    Pairs sharing no rater are left out: their difference is both sets' sizes, never
    1 to k - 1 unless the new set itself is too small to publish. So only the figures
    with a released rater are counted, which keeps a first cycle's check free."""
    def bits(column: str) -> str:
        return "".join(f", sum(({column} >> {j}::UBIGINT) & 1::UBIGINT)::INTEGER AS b{j}" for j in range(items))

    item_diff = ", [" + ", ".join(f"new.b{j} + old.b{j} - 2 * c.b{j}" for j in range(items)) + "] AS item_diff" if items else ""
    return f"""
    WITH common AS (
        SELECT r.release_id, m.employee_id, m.competency_id, m.figure, count(*) AS n{bits('m.items & r.items')}
        FROM {members} m JOIN s_releases r USING (employee_id, competency_id, figure, rater_id)
        GROUP BY ALL
    ), new AS (
        SELECT employee_id, competency_id, figure, count(*) AS n{bits('items')}
        FROM {members} SEMI JOIN (SELECT DISTINCT employee_id, competency_id, figure FROM common) USING (employee_id, competency_id, figure)
        GROUP BY ALL
    ), old AS (
        SELECT r.release_id, r.employee_id, r.competency_id, r.figure, count(*) AS n{bits('r.items')}
        FROM s_releases r SEMI JOIN common c USING (release_id, employee_id, competency_id, figure)
        GROUP BY ALL
    )
    SELECT c.employee_id, c.competency_id, c.figure, c.release_id, new.n + old.n - 2 * c.n AS diff{item_diff}
    FROM common c JOIN new USING (employee_id, competency_id, figure) JOIN old USING (release_id, employee_id, competency_id, figure)
    """


def group_figures_sql(config: ScoringConfig) -> list[str]:
    """Per person × competency × rater group: its counted raters and the figure it is
    published as — itself, the pool 'others', or none — with the reason when none.

    Deciding per group (a few rows per person and competency) instead of per
    rater gives the same answer: every rater of a group is published alike.
    A group or pool whose raters differ from an earlier release of the same
    figure by 1 to k - 1 is withheld (`cross_release`): next to the released
    figure it would reveal them by subtraction, in the next cycle or after a
    corrected import of this one.
    """
    k = config.anonymity.group_minimum
    return [
        f"""
    CREATE OR REPLACE TEMP TABLE s_groups AS
    WITH groups AS (
        SELECT employee_id, competency_id, rater_group, rater_group NOT IN ({_identified(config)}) AS anonymous, count(*) AS raters
        FROM s_raters WHERE counted GROUP BY ALL
    ), pooled AS (
        SELECT *, coalesce(sum(raters) FILTER (WHERE anonymous AND raters < {k}) OVER (PARTITION BY employee_id, competency_id), 0) AS pool_n
        FROM groups
    )
    SELECT employee_id, competency_id, rater_group, anonymous, raters,
           CASE WHEN NOT anonymous OR raters >= {k} THEN rater_group
                WHEN pool_n >= {k} THEN 'others' END AS published_as,
           CASE WHEN anonymous AND raters < {k} AND pool_n < {k} THEN 'group_minimum' END AS withheld
    FROM pooled
    """,
        # Who is behind each anonymous figure as decided so far: groups, the pool, all except self.
        """
    CREATE OR REPLACE TEMP TABLE s_members AS
    SELECT m.employee_id, m.competency_id, g.published_as AS figure, m.rater_id, m.items
    FROM s_raters m JOIN s_groups g USING (employee_id, competency_id, rater_group)
    WHERE m.counted AND g.anonymous AND g.published_as IS NOT NULL
    UNION ALL
    SELECT m.employee_id, m.competency_id, 'all_others', m.rater_id, m.items
    FROM s_raters m JOIN s_groups g USING (employee_id, competency_id, rater_group)
    WHERE m.counted AND g.anonymous
    """,
        f"""
    CREATE OR REPLACE TEMP TABLE s_cross_release AS
    SELECT DISTINCT employee_id, competency_id, figure FROM ({_released_sets_sql('s_members')})
    WHERE diff BETWEEN 1 AND {k - 1}
    """,
        """
    UPDATE s_groups g SET published_as = NULL, withheld = 'cross_release'
    FROM s_cross_release x
    WHERE g.anonymous AND x.employee_id = g.employee_id AND x.competency_id = g.competency_id AND x.figure = g.published_as
    """,
    ]


def competency_figures_sql(config: ScoringConfig) -> str:
    """Competency-level figures: each group, the pool, and all raters except self.

    A figure's mean is the mean of its behaviours' means, each over the figure's raters
    who answered that behaviour: a function of the per-behaviour sums, so raters swapping
    answers on a behaviour leave it as it was, and the raters behind each behaviour figure
    are exactly those behind the competency figure who answered it. Rounded to 9
    decimals, it is the same on every run whatever order DuckDB's threads add in.
    """
    k, k_all = config.anonymity.group_minimum, config.anonymity.all_others_minimum
    return f"""
    CREATE OR REPLACE TEMP TABLE s_figures AS
    WITH group_means AS (
        SELECT employee_id, competency_id, rater_group, round(avg(total / raters), 9) AS mean FROM s_item_sums GROUP BY ALL
    ), pool_means AS (
        SELECT employee_id, competency_id, round(avg(total / raters), 9) AS mean FROM (
            SELECT employee_id, competency_id, item_id, sum(total) AS total, sum(raters) AS raters
            FROM s_item_sums SEMI JOIN (SELECT * FROM s_groups WHERE published_as = 'others') USING (employee_id, competency_id, rater_group)
            GROUP BY ALL
        ) GROUP BY ALL
    ), all_means AS (
        SELECT employee_id, competency_id, round(avg(total / raters), 9) AS mean FROM (
            SELECT employee_id, competency_id, item_id, sum(total) AS total, sum(raters) AS raters FROM s_item_sums WHERE rater_group <> 'self' GROUP BY ALL
        ) GROUP BY ALL
    ), groups AS (
        SELECT employee_id, competency_id, rater_group AS figure, anonymous,
               raters, CASE WHEN anonymous THEN raters ELSE 0 END AS anonymous_n, m.mean,
               published_as IS NOT DISTINCT FROM rater_group AS publishable, published_as,
               CASE WHEN published_as = 'others' THEN 'pooled'
                    WHEN published_as IS NULL THEN withheld END AS reason
        FROM s_groups LEFT JOIN group_means m USING (employee_id, competency_id, rater_group)
    ), pool AS (
        SELECT g.employee_id, g.competency_id, 'others' AS figure, true AS anonymous,
               g.raters, g.raters AS anonymous_n, m.mean, true AS publishable, 'others' AS published_as, NULL AS reason
        FROM (SELECT employee_id, competency_id, sum(raters)::BIGINT AS raters FROM s_groups WHERE published_as = 'others' GROUP BY ALL) g
        JOIN pool_means m USING (employee_id, competency_id)
    ), everyone AS (
        SELECT g.*, m.mean,
               (employee_id, competency_id) IN (SELECT (employee_id, competency_id) FROM s_cross_release WHERE figure = 'all_others') AS crossed
        FROM (
            SELECT employee_id, competency_id, 'all_others' AS figure, true AS anonymous, sum(raters)::BIGINT AS raters,
                   coalesce(sum(raters) FILTER (WHERE anonymous), 0)::BIGINT AS anonymous_n,
                   coalesce(sum(raters) FILTER (WHERE anonymous AND published_as IS NULL), 0)::BIGINT AS remainder_n
            FROM s_groups WHERE rater_group <> 'self' GROUP BY ALL
        ) g JOIN all_means m USING (employee_id, competency_id)
    )
    , all_decided AS (
        SELECT employee_id, competency_id, figure, anonymous, raters, anonymous_n, mean,
               CASE WHEN raters < {k_all} THEN 'all_minimum'
                    WHEN remainder_n > 0 AND remainder_n < {k} THEN 'differencing'
                    WHEN anonymous_n > 0 AND anonymous_n < {k} THEN 'anonymous_minimum'
                    WHEN crossed THEN 'cross_release' END AS reason
        FROM everyone
    )
    SELECT employee_id, competency_id, figure, anonymous, raters, anonymous_n, mean, publishable, published_as, reason FROM groups
    UNION ALL SELECT * FROM pool
    UNION ALL
    SELECT employee_id, competency_id, figure, anonymous, raters, anonymous_n, mean,
           reason IS NULL, CASE WHEN reason IS NULL THEN figure END, reason
    FROM all_decided
    """


def item_figures_sql(config: ScoringConfig, items: int) -> str:
    """Item-level figures, nested in the competency-level ones."""
    k, k_all = config.anonymity.group_minimum, config.anonymity.all_others_minimum
    return f"""
    CREATE OR REPLACE TEMP TABLE s_item_figures AS
    -- Per-behaviour sums by rater group: the group decides how its raters are published,
    -- so the pool and "all except self" are sums of group rows.
    WITH by_group AS MATERIALIZED (
        SELECT s.*, g.anonymous, g.published_as FROM s_item_sums s JOIN s_groups g USING (employee_id, competency_id, rater_group)
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
        FROM per_item i JOIN s_figures f USING (employee_id, competency_id, figure)
    ), within AS (
        -- Per item, over the published anonymous competency-level figures F (groups, pool):
        -- covered_n: the item's anonymous raters covered by published group or pool figures
        --   (so an item's "all except self" holding all of an F and 1 to k - 1 more is withheld);
        -- short_max: the most answerers of an F among the F whose skippers number 1 to k - 1.
        SELECT employee_id, item_id,
               sum(raters) FILTER (WHERE raters >= {k} AND (parent_raters - raters = 0 OR parent_raters - raters >= {k})) AS covered_n,
               max(raters) FILTER (WHERE parent_raters - raters BETWEEN 1 AND {k - 1}) AS short_max
        FROM with_parent
        WHERE figure NOT IN ('all_others') AND is_anonymous_figure AND parent_publishable
        GROUP BY ALL
    )
    , decided AS (
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
            WHEN w.anonymous_n BETWEEN 1 AND {k - 1} THEN 'anonymous_minimum'
            ELSE 'differencing'
        END AS reason
    FROM with_parent w LEFT JOIN within c USING (employee_id, item_id)
    ), crossed AS (
        -- A behaviour's raters differ from the released figure's by 1 to k - 1.
        SELECT DISTINCT x.employee_id, x.competency_id, x.figure, i.item_id
        FROM ({_released_sets_sql('s_members', items)}) x JOIN m_items i USING (competency_id)
        WHERE x.item_diff[i.pos + 1] BETWEEN 1 AND {k - 1}
    ), released AS (
        SELECT d.* REPLACE (d.publishable AND x.item_id IS NULL AS publishable,
                            CASE WHEN d.publishable AND x.item_id IS NOT NULL THEN 'cross_release' ELSE d.reason END AS reason)
        FROM decided d LEFT JOIN crossed x USING (employee_id, competency_id, figure, item_id)
    ), lost AS (
        -- Anonymous figures shown at competency level with a behaviour withheld for part of their raters.
        SELECT DISTINCT employee_id, competency_id, figure FROM released
        WHERE anonymous_figure AND parent_publishable AND NOT publishable
    )
    -- A competency figure is the mean of its behaviours' figures: next to the others it would
    -- give a withheld behaviour's mean. So a group shows all its behaviours or none, and
    -- "all except self" (from which a group's behaviours follow by subtraction) shows none
    -- once any anonymous group lost one.
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


def weighted_score_sql(figures: str, keys: tuple[str, ...]) -> str:
    """CTEs ending in `scored` (employee_id, competency_id, *keys, score, raters): the weighted
    mean of the published figures in `figures` — manager, shown groups, the pool with its
    members' weights — re-normalised over those present. One definition for a competency's
    360 score and a behaviour's, so a behaviour has one value in every output."""
    by = ", ".join(("employee_id", "competency_id", *keys))
    return f"""pool_weights AS (
        SELECT employee_id, competency_id, sum(w.weight::{EXACT})::DOUBLE AS weight
        FROM (SELECT employee_id, competency_id, rater_group FROM s_groups WHERE published_as = 'others') g
        JOIN m_group_weights w USING (rater_group) GROUP BY ALL
    ), weighted AS (
        SELECT f.*, CASE WHEN f.figure = 'others' THEN p.weight ELSE w.weight END AS weight
        FROM {figures} f
        LEFT JOIN m_group_weights w ON w.rater_group = f.figure
        LEFT JOIN pool_weights p ON f.figure = 'others' AND p.employee_id = f.employee_id AND p.competency_id = f.competency_id
        WHERE f.publishable AND f.figure NOT IN ('all_others', 'self')
    ), scored AS (
        SELECT {by}, {weighted_mean_sql('mean', 'weight')} AS score, sum(raters) FILTER (WHERE weight > 0) AS raters
        FROM weighted WHERE weight > 0 GROUP BY {by}
    )"""


def behaviour_scores_sql() -> str:
    """`s_behaviour_scores`: per person and behaviour its 360 score, made as the competency's
    (`weighted_score_sql`), else its published 'all except self' figure (needs `s_item_figures`)."""
    return f"""
    CREATE OR REPLACE TEMP TABLE s_behaviour_scores AS
    WITH {weighted_score_sql("s_item_figures", ("item_id",))}, everyone AS (
        SELECT employee_id, competency_id, item_id, round(mean, 6) AS mean FROM s_item_figures WHERE publishable AND figure = 'all_others'
    )
    SELECT employee_id, competency_id, item_id, coalesce(s.score, e.mean) AS score
    FROM scored s FULL JOIN everyone e USING (employee_id, competency_id, item_id)
    """


def competency_scores_sql(config: ScoringConfig) -> str:
    """Weighted 360 score per person × competency, level and gap to the role."""
    return f"""
    CREATE OR REPLACE TEMP TABLE s_competency AS
    WITH {weighted_score_sql("s_figures", ())}, selfs AS (
        SELECT employee_id, competency_id, mean AS self_score FROM s_figures WHERE figure = 'self'
    ), people AS (
        SELECT ro.employee_id, rc.competency_id, rc.required, rc.weight
        FROM roster ro JOIN m_role_competencies rc ON rc.role = ro.role
        WHERE ro.cycle_id = $cycle
    )
    SELECT p.employee_id, p.competency_id, s.score, se.self_score,
           (SELECT max(level) FROM m_bands b WHERE s.score >= b.minimum - 1e-9) AS level,
           p.required, p.weight, coalesce(s.raters, 0) AS raters
    FROM people p
    LEFT JOIN scored s USING (employee_id, competency_id)
    LEFT JOIN selfs se USING (employee_id, competency_id)
    """


def kpi_scores_sql(config: ScoringConfig) -> str:
    """KPI attainment (actual/target, or target/actual when lower is better) on the curve."""
    levels = config.kpi_levels
    return f"""
    CREATE OR REPLACE TEMP TABLE s_kpis AS
    WITH base AS (
        SELECT a.employee_id, a.kpi_id, a.actual, a.target, rk.weight, k.threshold, k.curve_target, k.stretch,
               CASE WHEN NOT k.lower_is_better THEN a.actual / a.target
                    WHEN a.actual <= 0 THEN k.stretch
                    ELSE a.target / a.actual END AS attainment
        FROM kpi_actuals a
        JOIN roster ro ON ro.cycle_id = a.cycle_id AND ro.employee_id = a.employee_id
        JOIN m_role_kpis rk ON rk.role = ro.role AND rk.kpi_id = a.kpi_id
        JOIN m_kpis k ON k.kpi_id = a.kpi_id
        WHERE a.cycle_id = $cycle
    )
    SELECT employee_id, kpi_id, actual, target, round(attainment, 6) AS attainment, weight,
        round(CASE
            WHEN attainment <= threshold THEN {levels.threshold}
            WHEN attainment >= stretch THEN {levels.stretch}
            WHEN attainment < curve_target THEN {levels.threshold} + (attainment - threshold) / (curve_target - threshold) * ({levels.target} - {levels.threshold})
            ELSE {levels.target} + (attainment - curve_target) / (stretch - curve_target) * ({levels.stretch} - {levels.target})
        END, 6) AS score
    FROM base
    """


def indices_sql() -> str:
    """Per person: role-weighted competency index and KPI index, re-normalised over what is present."""
    return f"""
    CREATE OR REPLACE TEMP TABLE s_indices AS
    WITH c AS (
        SELECT employee_id, {weighted_mean_sql('score', 'weight', 'score IS NOT NULL')} AS competency_index
        FROM s_competency GROUP BY ALL
    ), k AS (
        SELECT employee_id, {weighted_mean_sql('score', 'weight')} AS kpi_index
        FROM s_kpis GROUP BY ALL
    )
    SELECT ro.employee_id, ro.role, c.competency_index, k.kpi_index
    FROM roster ro LEFT JOIN c USING (employee_id) LEFT JOIN k USING (employee_id)
    WHERE ro.cycle_id = $cycle
    """


def max_items(db: duckdb.DuckDBPyConnection) -> int:
    """The most behaviours of any competency (the width of the answered-items masks); needs `m_competencies`."""
    return db.execute("SELECT max(n_items) FROM m_competencies").fetchone()[0]


def figure_steps(config: ScoringConfig, items: int, scope: str | None = None, *, derived: bool = False) -> list[str]:
    """The steps from answers to competency-level figures: which raters count, per-behaviour sums, group decisions
    (held to earlier releases), figures."""
    return [
        raters_sql(config, scope),
        item_sums_sql(scope),
        releases_in_force_sql(scope, derived=derived),
        *group_figures_sql(config),
        competency_figures_sql(config),
    ]


def run_steps(db: duckdb.DuckDBPyConnection, steps: list[str], cycle_id: str) -> None:
    for sql in steps:
        db.execute(sql, {"cycle": cycle_id} if "$cycle" in sql else None)


def aggregate(db: duckdb.DuckDBPyConnection, cycle_id: str, config: ScoringConfig) -> None:
    """Run every aggregation step into temp tables `s_*` (the caller stores them).

    Item-level figures are not among them: no rating depends on them, and
    `behaviours.behaviour_figures` derives them when a report or plan asks.
    """
    steps = figure_steps(config, max_items(db))
    run_steps(db, [*steps, competency_scores_sql(config), kpi_scores_sql(config), indices_sql()], cycle_id)
