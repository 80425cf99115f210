"""Whom `calibrate suggest` may move: the rated people, with the score that
ranks them and every scope of the kinds checked that they belong to."""

from __future__ import annotations

import duckdb

from competency._sql import quote_ident
from competency.calibration.distribution import PEOPLE_SQL
from competency.calibration.suggest import Candidate


def candidates(db: duckdb.DuckDBPyConnection, cycle_id: str, score: str, kinds: list[str]) -> list[Candidate]:
    """Every rated person of the cycle as the search sees them; `score` names the
    column that ranks them (the guidelines' `suggest.score`)."""
    rows = db.execute(
        f"""SELECT employee_id, name, final_rating, {quote_ident(score)}, overridden, department, region, manager_id
            FROM ({PEOPLE_SQL}) WHERE final_rating IS NOT NULL""",
        {"cycle": cycle_id},
    ).fetchall()
    found = []
    for employee_id, name, rating, value, overridden, department, region, manager in rows:
        keys = {"organisation": None, "department": department, "region": region, "manager": manager}
        scopes = tuple((k, keys[k]) for k in kinds if k == "organisation" or keys[k] is not None)
        found.append(Candidate(employee_id, name, rating, value, bool(overridden), scopes))
    return found
