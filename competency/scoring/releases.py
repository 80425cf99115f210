"""The cross-release guard's inputs: the released rater sets a run is held to, and how
far a new figure's raters are from a released one's."""

from __future__ import annotations

import duckdb

from competency._sql import Relation, new_relation, quote_number
from competency.scoring.contracts import RELEASES
from competency.scoring.raters import in_scope, run


def releases_in_force(db: duckdb.DuckDBPyConnection, cycle_id: str, scope: Relation | None, *, derived: bool) -> Relation:
    """The released rater sets a run is held to (`RELEASES`). Scoring holds a run to every
    earlier release; deriving a scored cycle's behaviour figures later holds them to the
    releases before the run that produced its results, so they come out as they did then."""
    made = new_relation("s_releases", RELEASES)
    before = "(SELECT max(release_id) FROM releases WHERE cycle_id = $cycle)" if derived else "NULL"
    run(db, f"""
    CREATE TEMP TABLE {made} AS
    SELECT * FROM released_raters r WHERE r.release_id < coalesce({before}, 2147483647){in_scope(scope, "r.employee_id")}
    """, cycle_id)
    return made


def released_sets_sql(members: Relation, releases: Relation, items: int = 0) -> str:
    """Per figure of `members` (employee_id, competency_id, figure, rater_id, items) and per
    release in `releases` of the same person, competency and figure: how many raters the
    two sets differ by (`diff`) and, with `items` (the most behaviours of a competency), by
    how many for each behaviour (`item_diff[pos + 1]`).

    Pairs sharing no rater are left out: their difference is both sets' sizes, never
    1 to k - 1 unless the new set itself is too small to publish. So only the figures
    with a released rater are counted, which keeps a first cycle's check free."""
    def bits(column: str) -> str:
        return "".join(f", sum(({column} >> {quote_number(j)}::UBIGINT) & 1::UBIGINT)::INTEGER AS b{j}" for j in range(items))

    item_diff = ", [" + ", ".join(f"new.b{j} + old.b{j} - 2 * c.b{j}" for j in range(items)) + "] AS item_diff" if items else ""
    return f"""
    WITH common AS (
        SELECT r.release_id, m.employee_id, m.competency_id, m.figure, count(*) AS n{bits('m.items & r.items')}
        FROM {members} m JOIN {releases} r USING (employee_id, competency_id, figure, rater_id)
        GROUP BY ALL
    ), new AS (
        SELECT employee_id, competency_id, figure, count(*) AS n{bits('items')}
        FROM {members} SEMI JOIN (SELECT DISTINCT employee_id, competency_id, figure FROM common) USING (employee_id, competency_id, figure)
        GROUP BY ALL
    ), old AS (
        SELECT r.release_id, r.employee_id, r.competency_id, r.figure, count(*) AS n{bits('r.items')}
        FROM {releases} r SEMI JOIN common c USING (release_id, employee_id, competency_id, figure)
        GROUP BY ALL
    )
    SELECT c.employee_id, c.competency_id, c.figure, c.release_id, new.n + old.n - 2 * c.n AS diff{item_diff}
    FROM common c JOIN new USING (employee_id, competency_id, figure) JOIN old USING (release_id, employee_id, competency_id, figure)
    """
