"""The model and the development rules as small lookup tables, for the planning SQL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from competency._sql import Relation, create_table, new_relation
from competency.development.inputs import PlanInputs


@dataclass(frozen=True)
class Lookups:
    """Temp tables made from the model and rules (each column list declared where it is filled)."""

    competencies: Relation  # competency_id, pos (the model's order)
    items: Relation  # item_id, competency_id, pos
    roles: Relation  # role, next_role (the role it reports to)
    role_needs: Relation  # role, competency_id, required, weight
    focus_order: Relation  # plan_type, source, pos (where a plan type's focus comes from, in order)


def _table(db: duckdb.DuckDBPyConnection, stem: str, columns: str, rows: Sequence[Sequence[Any]]) -> Relation:
    relation = new_relation(stem, [column.split()[0] for column in columns.split(", ")])
    create_table(db, relation.name, columns, rows)
    return relation


def load_lookups(db: duckdb.DuckDBPyConnection, inputs: PlanInputs) -> Lookups:
    """The cycle's model, roles and focus order as temp tables."""
    model, roles, rules = inputs.bundle.model, inputs.bundle.roles, inputs.rules
    return Lookups(
        competencies=_table(db, "plan_competencies", "competency_id VARCHAR, pos INTEGER", [(c.id, i) for i, c in enumerate(model.competencies)]),
        items=_table(db, "plan_items", "item_id VARCHAR, competency_id VARCHAR, pos INTEGER", [(b.id, c.id, i) for i, (c, b) in enumerate(model.behaviors())]),
        roles=_table(db, "plan_roles", "role VARCHAR, next_role VARCHAR", [(r.id, r.reports_to) for r in roles.roles]),
        role_needs=_table(
            db,
            "plan_role_needs",
            "role VARCHAR, competency_id VARCHAR, required INTEGER, weight DOUBLE",
            [(r.id, cid, need.required, need.weight) for r in roles.roles for cid, need in r.competencies.items()],
        ),
        focus_order=_table(
            db,
            "plan_focus_order",
            "plan_type VARCHAR, source VARCHAR, pos INTEGER",
            [(plan_type, source, i) for plan_type, sources in rules.focus.order.items() for i, source in enumerate(sources)],
        ),
    )
