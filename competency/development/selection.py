"""Choosing a focus competency's actions: the best mix of types by effort.

For one competency, starting level and set of behaviours to work on, the
candidates are the library's actions for that competency and level. From them
a set is chosen with up to `max_per_type` actions of each type, every type
the mix asks for present when the library offers it, and

1. the effort shares of the types within `tolerance` of the mix (70/20/10;
   distance = sum of absolute differences), or else as close as possible,
2. then the total effort within a quarter of `hours_per_focus` either way,
   or else as close as possible,
3. then the most of the chosen behaviours worked on by some action,
4. then the total effort closest to `hours_per_focus`, then fewer actions,
   then the distance to the mix, then the ids in order (so the choice is
   deterministic).

Plans share few distinct (competency, level, behaviours) keys, so this runs
once per key, not once per person (`assign_actions`, for everyone's focus).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations, product

import duckdb

from competency._sql import Relation, create_table, drop, new_relation
from competency.development.actions import ACTION_TYPES, Action, library_for
from competency.development.inputs import PlanInputs
from competency.development.tables import ACTION_COLUMNS

SHARE_DIGITS = 6
BUDGET_SLACK = 0.25  # share of `hours_per_focus` a set may be off and still count as on budget


@dataclass(frozen=True)
class Chosen:
    """The actions chosen for one key, with the mix they make."""

    actions: tuple[Action, ...]
    shares: dict[str, float]

    @property
    def hours(self) -> float:
        return sum(action.hours for action in self.actions)


def mix_of(actions: Iterable[Action]) -> dict[str, float]:
    """The share of effort of each action type (0 for a type not chosen)."""
    actions = list(actions)
    total = sum(a.hours for a in actions)
    return {t: round(sum(a.hours for a in actions if a.type == t) / total, SHARE_DIGITS) if total else 0.0 for t in ACTION_TYPES}


def choose_actions(
    candidates: Sequence[Action],
    behaviours: Iterable[str],
    mix: dict[str, float],
    hours_per_focus: float,
    max_per_type: int,
    tolerance: float = 0.0,
) -> Chosen:
    """The best set of `candidates` for the behaviours, by the rules above."""
    wanted = frozenset(behaviours)
    by_type = {t: sorted((a for a in candidates if a.type == t), key=lambda a: a.id) for t in ACTION_TYPES}
    options = []
    for kind in ACTION_TYPES:
        pool = by_type[kind]
        sizes = range(0 if mix.get(kind, 0) == 0 or not pool else 1, min(max_per_type, len(pool)) + 1)
        options.append([subset for size in sizes for subset in combinations(pool, size)])
    best: tuple[tuple[float, ...], tuple[Action, ...]] | None = None
    for parts in product(*options):
        chosen = tuple(a for part in parts for a in part)
        if not chosen:
            continue
        shares = mix_of(chosen)
        distance = round(sum(abs(shares[t] - mix.get(t, 0.0)) for t in ACTION_TYPES), SHARE_DIGITS)
        covered = len(wanted & {b for a in chosen for b in a.behaviors})
        hours = sum(a.hours for a in chosen)
        off_mix = round(max(0.0, distance - tolerance), SHARE_DIGITS)
        off_budget = round(max(0.0, abs(hours - hours_per_focus) - BUDGET_SLACK * hours_per_focus), SHARE_DIGITS)
        key = (off_mix, off_budget, -covered, round(abs(hours - hours_per_focus), SHARE_DIGITS), len(chosen), distance)
        ids = tuple(a.id for a in chosen)
        if best is None or (key, ids) < (best[0], tuple(a.id for a in best[1])):
            best = (key, chosen)
    if best is None:
        return Chosen((), mix_of(()))
    ordered = tuple(sorted(best[1], key=lambda a: (ACTION_TYPES.index(a.type), a.id)))
    return Chosen(ordered, mix_of(ordered))


_ACTION_KEYS_SQL = """
SELECT f.employee_id, f.competency_id, f.level,
       coalesce(list_sort(list(i.item_id) FILTER (WHERE i.item_id IS NOT NULL)), []) AS items
FROM {focus} f LEFT JOIN {behaviours} i USING (employee_id, competency_id)
GROUP BY f.employee_id, f.competency_id, f.level
"""


def assign_actions(db: duckdb.DuckDBPyConnection, inputs: PlanInputs, focus: Relation, behaviours: Relation) -> Relation:
    """Every focus's actions: chosen once per (competency, level, behaviours to work on) in
    Python, then handed to each focus with that key."""
    keyed = _ACTION_KEYS_SQL.format(focus=focus, behaviours=behaviours)
    keys = db.execute(f"SELECT DISTINCT competency_id, level, items FROM ({keyed})").fetchall()
    suits = library_for(inputs.bundle.model, inputs.library)
    rules = inputs.rules.actions
    mix = rules.mix.as_dict()
    rows = []
    for competency_id, level, items in sorted(keys, key=lambda k: (k[0], k[1], list(k[2]))):
        chosen = choose_actions(suits.get((competency_id, level), []), items, mix, rules.hours_per_focus, rules.max_per_type, rules.mix_tolerance)
        rows += [(competency_id, level, ",".join(items), a.id, a.type, a.weeks, a.hours, rank) for rank, a in enumerate(chosen.actions, start=1)]
    choice = new_relation("plan_action_choice", ("competency_id", "level", "items", "action_id", "action_type", "weeks", "hours", "rank"))
    columns = "competency_id VARCHAR, level INTEGER, items VARCHAR, action_id VARCHAR, action_type VARCHAR, weeks INTEGER, hours DOUBLE, rank INTEGER"
    create_table(db, choice.name, columns, rows)
    actions = new_relation("plan_actions_chosen", ACTION_COLUMNS)
    db.execute(
        f"""
        CREATE TEMP TABLE {actions} AS
        WITH keyed AS (
            SELECT employee_id, competency_id, level, array_to_string(items, ',') AS items FROM ({keyed})
        )
        SELECT k.employee_id, k.competency_id, a.action_id, a.action_type, a.weeks, a.hours, a.rank
        FROM keyed k JOIN {choice} a USING (competency_id, level, items)
        """
    )
    drop(db, choice)
    return actions.check(db)
