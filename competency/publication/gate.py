"""The publication gate (DESIGN §7a): the one reader of raw answers and stored
figures for anything that leaves the tool.

Scoring decides, per figure, whether it is published and stores the decision
(`group_scores.published_as`, a reason code from `reasons.REASONS`). Every
output — explain, results, exports, reports, plans, calibration tables,
agreement — reads figures through the functions here, which hand out a
published figure with its value and a withheld one as (figure, reason code)
with no value and no rater count. No other module selects from `group_scores`
or `responses`, or derives behaviour figures, for an output. (`competency_scores`
and `person_results` hold only what was computed from published figures — a 360
score, self, level, gap, indices, ratings — so stages read them directly; the
aggregates of people over them are withheld under k where they are made.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from competency._sql import Relation, dicts, drop, new_relation, quote_ident, quote_number, quote_text, relations
from competency.files.bundle import ModelBundle
from competency.scoring.behaviours import behaviour_figures
from competency.scoring.config import ScoringConfig
from competency.scoring.contracts import BEHAVIOUR_SCORES
from competency.scoring.raters import counted_sql

# Withheld figures leave as (competency, figure, reason): never their mean or rater count.
_PERSON_FIGURES_SQL = """
SELECT employee_id, competency_id, rater_group AS figure,
       CASE WHEN publishable THEN raters END AS raters,
       CASE WHEN publishable THEN mean END AS mean,
       publishable, reason
FROM group_scores WHERE cycle_id = $cycle AND employee_id IN (SELECT unnest($ids))
ORDER BY employee_id, competency_id, rater_group
"""


def person_figures(db: duckdb.DuckDBPyConnection, cycle_id: str, employee_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Competency-level figures of these people: published ones with mean and raters,
    withheld ones with their reason code only (mean and raters None)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in dicts(db, _PERSON_FIGURES_SQL, {"cycle": cycle_id, "ids": employee_ids}):
        out.setdefault(row.pop("employee_id"), []).append(row)
    return out


def published_group_figures(db: duckdb.DuckDBPyConnection, cycle_id: str) -> list[dict[str, Any]]:
    """Every published competency-level group figure ('all except self' left out), with the person's manager."""
    return dicts(
        db,
        """SELECT g.employee_id, r.manager_id, g.competency_id, g.rater_group, g.mean FROM group_scores g
           JOIN roster r ON r.cycle_id = g.cycle_id AND r.employee_id = g.employee_id
           WHERE g.cycle_id = ? AND g.publishable AND g.mean IS NOT NULL AND g.rater_group <> 'all_others'
           ORDER BY g.employee_id, g.competency_id, g.rater_group""",
        [cycle_id],
    )


# Comments of raters whose group figure for that competency was published itself
# or inside the pool 'others' — never of a withheld group. A rater's repeated
# text counts once; rater and group stay in the database.
_COMMENTS_SQL = """
SELECT employee_id, comment FROM (
    SELECT DISTINCT r.employee_id, r.rater_id, trim(r.comment) AS comment
    FROM responses r
    JOIN group_scores g ON g.cycle_id = r.cycle_id AND g.employee_id = r.employee_id AND g.competency_id = r.competency_id
                       AND g.rater_group = r.relationship
    WHERE r.cycle_id = $cycle AND r.employee_id IN (SELECT unnest($ids)) AND r.comment IS NOT NULL AND trim(r.comment) <> ''
      AND g.published_as IS NOT NULL
)"""


def comments(db: duckdb.DuckDBPyConnection, cycle_id: str, employee_ids: list[str]) -> dict[str, list[str]]:
    """The comments each person may see, unattributed (callers order them by a keyed hash)."""
    out: dict[str, list[str]] = {}
    for employee_id, comment in db.execute(_COMMENTS_SQL, {"cycle": cycle_id, "ids": employee_ids}).fetchall():
        out.setdefault(employee_id, []).append(comment)
    return out


# --- calibration: leniency from published figures, raters only as counts ----------

# Per team member: the mean over competencies of the manager group's published
# figure minus the mean of the published anonymous figures (groups and the pool
# 'others'; not 'all_others', which holds the manager, nor identified groups).
MANAGER_GAPS = ("manager_id", "employee_id", "competencies", "gap")
_MANAGER_GAPS_SQL = """
WITH f AS (
    SELECT g.employee_id, r.manager_id, g.competency_id, g.rater_group, g.mean
    FROM group_scores g JOIN roster r ON r.cycle_id = g.cycle_id AND r.employee_id = g.employee_id
    WHERE g.cycle_id = $cycle AND g.publishable AND g.mean IS NOT NULL AND r.manager_id IS NOT NULL
), per_competency AS (
    SELECT manager_id, employee_id, competency_id,
           any_value(mean) FILTER (WHERE rater_group = $manager) AS own,
           avg(mean) FILTER (WHERE NOT list_contains($identified, rater_group) AND rater_group <> 'all_others') AS others
    FROM f GROUP BY ALL
)
SELECT manager_id, employee_id, count(*) AS competencies, avg(own - others) AS gap
FROM per_competency WHERE own IS NOT NULL AND others IS NOT NULL
GROUP BY ALL
"""


def stage_manager_gaps(db: duckdb.DuckDBPyConnection, cycle_id: str, identified: list[str], manager_group: str = "manager") -> Relation:
    """A temp table (`MANAGER_GAPS`): per team member, the manager's published figure minus
    the other published anonymous figures of the same person, averaged over competencies.

    Published figures only, never answers: a leniency index built from raw answers
    minus 'all other raters' gives back a withheld group's mean by subtraction.
    A table, not rows, because calibration aggregates it per team in SQL."""
    made = new_relation("gate_manager_gaps", MANAGER_GAPS)
    db.execute(f"CREATE TEMP TABLE {made} AS {_MANAGER_GAPS_SQL}", {"cycle": cycle_id, "manager": manager_group, "identified": list(identified)})
    return made


# The answers behind published figures: those of a rater who counts for the
# competency (answered the share of its items that scoring asks for) in a group
# published itself or inside the pool 'others' — self and manager included.
# A withheld group's answers, and those of a rater who does not count, are not
# among them, so nothing computed from them can change when those answers do.
PUBLISHED_ANSWERS = ("cycle_id", "employee_id", "rater_id", "relationship", "item_id", "competency_id", "score")
_PUBLISHED_ANSWERS_SQL = f"""
SELECT r.cycle_id, r.employee_id, r.rater_id, r.relationship, r.item_id, r.competency_id, r.score
FROM responses r
JOIN group_scores g ON g.cycle_id = r.cycle_id AND g.employee_id = r.employee_id AND g.competency_id = r.competency_id
                   AND g.rater_group = r.relationship
JOIN (SELECT unnest($competencies) AS competency_id, unnest($items) AS n_items) s ON s.competency_id = r.competency_id
WHERE r.cycle_id = $cycle AND g.published_as IS NOT NULL
QUALIFY {counted_sql("count(r.score) OVER (PARTITION BY r.employee_id, r.rater_id, r.relationship, r.competency_id)", "s.n_items", "$share")}
"""


def _answer_params(cycle_id: str, answered_share: float, items: dict[str, int]) -> dict[str, Any]:
    return {"cycle": cycle_id, "share": answered_share, "competencies": list(items), "items": list(items.values())}


def stage_published_answers(db: duckdb.DuckDBPyConnection, cycle_id: str, answered_share: float, items: dict[str, int]) -> Relation:
    """A temp table (`PUBLISHED_ANSWERS`: the columns of `responses` but comments): the
    answers behind published figures, for statistics about raters (agreement). `items`:
    each competency's number of items, for the answered share."""
    made = new_relation("gate_answers", PUBLISHED_ANSWERS)
    db.execute(f"CREATE TEMP TABLE {made} AS {_PUBLISHED_ANSWERS_SQL}", _answer_params(cycle_id, answered_share, items))
    return made


# Per rater and person: the mean gap of the rater's answers to the other non-self
# raters' of the same person on the same item (leave-one-out), over answers behind
# published figures. Rater ids stay inside: each row is one rater's group, people,
# mean gap and the pooled SD of all the per-person gaps.
_RATER_GAPS_SQL = f"""
WITH a AS (
    SELECT *, sum(score) OVER (PARTITION BY employee_id, item_id) AS total, count(*) OVER (PARTITION BY employee_id, item_id) AS n
    FROM ({_PUBLISHED_ANSWERS_SQL}) WHERE score IS NOT NULL AND relationship <> 'self'
), gaps AS (
    SELECT rater_id, relationship, employee_id, avg(score - (total - score) / (n - 1)) AS gap
    FROM a WHERE n > 1 GROUP BY ALL
), pooled AS (SELECT stddev_samp(gap) AS s FROM gaps)
SELECT relationship AS rater_group, count(*) AS people, avg(gap) AS index, any_value(pooled.s) AS s
FROM gaps CROSS JOIN pooled
WHERE list_contains($groups, relationship)
GROUP BY rater_id, relationship
ORDER BY rater_group, people, index
"""


def rater_gaps(db: duckdb.DuckDBPyConnection, cycle_id: str, groups: list[str], answered_share: float, items: dict[str, int]) -> list[dict[str, Any]]:
    """One row per rater of `groups` — rater_group, people, index (mean gap to the other
    raters of the same people), s (pooled SD of all per-person gaps) — with no rater id,
    in an order that says nothing about who is who. For counting raters by group only:
    no output may show a row of it (DESIGN §7a: no output row describes one anonymous rater).
    `items`: each competency's number of items, for the answered share."""
    return dicts(db, _RATER_GAPS_SQL, {**_answer_params(cycle_id, answered_share, items), "groups": list(groups)})


BEHAVIOUR_FIGURES = ("employee_id", "competency_id", "item_id", "figure", "mean")


@dataclass(frozen=True)
class Behaviours:
    """Behaviour-level results of some people, as temp tables: `figures` holds the published
    figures only (`BEHAVIOUR_FIGURES`), `scores` each behaviour's one 360 score
    (`BEHAVIOUR_SCORES`). The caller drops them once read (`_sql.drop`)."""

    figures: Relation
    scores: Relation


def behaviours(
    db: duckdb.DuckDBPyConnection,
    cycle_id: str,
    bundle: ModelBundle,
    config: ScoringConfig,
    people_sql: str | None = None,
    params: dict[str, Any] | None = None,
) -> Behaviours:
    """Derive the behaviour figures of the people `people_sql` selects (None: everyone) with the
    scoring rules, and hand out what may leave: published figures and behaviour scores."""
    derived = behaviour_figures(db, cycle_id, bundle, config, people_sql, params)
    figures, scores = new_relation("g_behaviour_figures", BEHAVIOUR_FIGURES), new_relation("g_behaviour_scores", BEHAVIOUR_SCORES)
    db.execute(
        f"""CREATE TEMP TABLE {figures} AS
            SELECT employee_id, competency_id, item_id, figure, mean FROM {derived.item_figures} WHERE publishable AND mean IS NOT NULL"""
    )
    db.execute(f"CREATE TEMP TABLE {scores} AS SELECT * FROM {derived.scores} WHERE score IS NOT NULL")
    drop(db, *relations(derived))
    return Behaviours(figures, scores)


def withheld_counts(db: duckdb.DuckDBPyConnection, cycle_id: str) -> dict[str, int]:
    """How many competency-level figures of the cycle are withheld, by reason code (counts only)."""
    rows = db.execute(
        "SELECT reason, count(*) FROM group_scores WHERE cycle_id = ? AND NOT publishable GROUP BY reason ORDER BY reason", [cycle_id]
    ).fetchall()
    return dict(rows)


def self_view_sql(score: str, self_score: str, blind_spot_gap: float, hidden_strength_gap: float) -> tuple[str, str]:
    """SQL flags (blind spot, hidden strength) of a competency: self at least `blind_spot_gap`
    above the 360 score, or the 360 score at least `hidden_strength_gap` above self (the
    development rules' thresholds). The one definition plans and reports use."""
    return (
        f"coalesce(round({self_score} - {score}, 6) >= {quote_number(blind_spot_gap)} - 1e-9, false)",
        f"coalesce(round({score} - {self_score}, 6) >= {quote_number(hidden_strength_gap)} - 1e-9, false)",
    )


def person_competencies(
    db: duckdb.DuckDBPyConnection, cycle_id: str, employee_ids: list[str], self_view: tuple[float, float] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """These people's competency results (360 score from published figures only, self, level,
    required, gap, weight, raters); with `self_view` (the blind-spot and hidden-strength gaps),
    their blind-spot and hidden-strength flags too."""
    flags = ", {} AS blind_spot, {} AS hidden_strength".format(*self_view_sql("score", "self_score", *self_view)) if self_view else ""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in dicts(
        db,
        f"""SELECT employee_id, competency_id, score, self_score, level, required, gap, weight, raters{flags}
            FROM competency_scores WHERE cycle_id = $cycle AND employee_id IN (SELECT unnest($ids))
            ORDER BY employee_id, competency_id""",
        {"cycle": cycle_id, "ids": employee_ids},
    ):
        out.setdefault(row.pop("employee_id"), []).append(row)
    return out


# Figures shown as columns of `export scores`, in the order people read them.
EXPORT_GROUPS = ("manager", "peer", "direct_report", "customer", "others", "all_others", "self")

# `export scores`: per person and competency the results and the published group figures;
# a withheld group's cell stays empty (`$cycle`).
SCORES_EXPORT_SQL = f"""
    SELECT s.employee_id, r.name, r.role, s.competency_id, s.score, s.self_score, s.level, s.required, s.gap, s.weight, s.raters,
           {', '.join(f"round(max(g.mean) FILTER (WHERE g.rater_group = {quote_text(group)} AND g.publishable), 6) AS {quote_ident(group)}" for group in EXPORT_GROUPS)}
    FROM competency_scores s
    JOIN roster r ON r.cycle_id = s.cycle_id AND r.employee_id = s.employee_id
    LEFT JOIN group_scores g ON g.cycle_id = s.cycle_id AND g.employee_id = s.employee_id AND g.competency_id = s.competency_id
    WHERE s.cycle_id = $cycle
    GROUP BY ALL ORDER BY s.employee_id, s.competency_id"""
