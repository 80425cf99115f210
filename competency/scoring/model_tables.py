"""The model as small lookup tables, so scoring can join against it in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from competency._sql import Relation, create_table, new_relation
from competency.files.bundle import ModelBundle
from competency.scoring.config import ScoringConfig

# Each table's columns as SQL (name and type), in the order of the dataclass below.
COLUMNS = {
    # pos: the behaviour's place in its competency, its bit in a rater's answered-items mask.
    "items": "item_id VARCHAR, competency_id VARCHAR, pos INTEGER",
    "competencies": "competency_id VARCHAR, n_items INTEGER, weight DOUBLE",
    "role_competencies": "role VARCHAR, competency_id VARCHAR, required INTEGER, weight DOUBLE",
    "role_kpis": "role VARCHAR, kpi_id VARCHAR, weight DOUBLE, target DOUBLE",
    "kpis": "kpi_id VARCHAR, lower_is_better BOOLEAN, target DOUBLE, threshold DOUBLE, curve_target DOUBLE, stretch DOUBLE",
    "group_weights": "rater_group VARCHAR, weight DOUBLE",
    "bands": "level INTEGER, minimum DOUBLE",
}


@dataclass(frozen=True)
class ModelTables:
    """One temp table per kind of model fact, columns as in `COLUMNS`."""

    items: Relation
    competencies: Relation
    role_competencies: Relation
    role_kpis: Relation
    kpis: Relation
    group_weights: Relation
    bands: Relation


def _rows(bundle: ModelBundle, config: ScoringConfig) -> dict[str, list[tuple[Any, ...]]]:
    model, roles = bundle.model, bundle.roles.roles
    return {
        "items": [(b.id, c.id, pos) for c in model.competencies for pos, b in enumerate(c.behaviors)],
        "competencies": [(c.id, len(c.behaviors), c.weight) for c in model.competencies],
        "role_competencies": [(r.id, cid, need.required, need.weight) for r in roles for cid, need in r.competencies.items()],
        "role_kpis": [(r.id, kid, use.weight, use.target) for r in roles for kid, use in r.kpis.items()],
        "kpis": [(k.id, k.direction == "lower_is_better", k.target, k.curve.threshold, k.curve.target, k.curve.stretch) for k in bundle.kpis.kpis],
        "group_weights": list(config.group_weights.items()),
        "bands": [(b.level, b.minimum) for b in config.level_bands],
    }


def load_model_tables(db: duckdb.DuckDBPyConnection, bundle: ModelBundle, config: ScoringConfig) -> ModelTables:
    """Temp tables of the model: items, competency sizes, role needs, KPI definitions, group weights, bands."""
    made = {}
    for name, rows in _rows(bundle, config).items():
        columns = COLUMNS[name]
        relation = new_relation(f"m_{name}", [column.split()[0] for column in columns.split(", ")])
        create_table(db, relation.name, columns, rows)
        made[name] = relation
    return ModelTables(**made)


def max_items(db: duckdb.DuckDBPyConnection, model: ModelTables) -> int:
    """The most behaviours of any competency (the width of the answered-items masks)."""
    return db.execute(f"SELECT max(n_items) FROM {model.competencies}").fetchone()[0]
