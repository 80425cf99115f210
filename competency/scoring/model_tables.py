"""The model as small lookup tables, so scoring can join against it in SQL."""

from __future__ import annotations

import duckdb

from competency.files.bundle import ModelBundle
from competency.scoring.config import ScoringConfig


def load_model_tables(db: duckdb.DuckDBPyConnection, bundle: ModelBundle, config: ScoringConfig) -> None:
    """(Re)create temp tables: items, competency sizes, role needs, KPI definitions, group weights, bands."""
    model = bundle.model
    tables = {
        # pos: the behaviour's place in its competency, its bit in a rater's answered-items mask.
        "m_items": ("item_id VARCHAR, competency_id VARCHAR, pos INTEGER", [(b.id, c.id, pos) for c in model.competencies for pos, b in enumerate(c.behaviors)]),
        "m_competencies": ("competency_id VARCHAR, n_items INTEGER, weight DOUBLE", [(c.id, len(c.behaviors), c.weight) for c in model.competencies]),
        "m_role_competencies": (
            "role VARCHAR, competency_id VARCHAR, required INTEGER, weight DOUBLE",
            [(r.id, cid, need.required, need.weight) for r in bundle.roles.roles for cid, need in r.competencies.items()],
        ),
        "m_role_kpis": (
            "role VARCHAR, kpi_id VARCHAR, weight DOUBLE, target DOUBLE",
            [(r.id, kid, use.weight, use.target) for r in bundle.roles.roles for kid, use in r.kpis.items()],
        ),
        "m_kpis": (
            "kpi_id VARCHAR, lower_is_better BOOLEAN, target DOUBLE, threshold DOUBLE, curve_target DOUBLE, stretch DOUBLE",
            [(k.id, k.direction == "lower_is_better", k.target, k.curve.threshold, k.curve.target, k.curve.stretch) for k in bundle.kpis.kpis],
        ),
        "m_group_weights": ("rater_group VARCHAR, weight DOUBLE", list(config.group_weights.items())),
        "m_bands": ("level INTEGER, minimum DOUBLE", [(b.level, b.minimum) for b in config.level_bands]),
    }
    for name, (columns, rows) in tables.items():
        db.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({columns})")
        if rows:
            placeholders = ", ".join("?" for _ in columns.split(","))
            db.executemany(f"INSERT INTO {name} VALUES ({placeholders})", rows)
