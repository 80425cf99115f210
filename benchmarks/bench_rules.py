"""Time the rule engine: bulk evaluation in DuckDB, and loading + checking rules.

Example:
    python benchmarks/bench_rules.py --people 100000

Scenarios (targets in brackets):
- 20 generated rules and the 9-box table over N generated people, evaluated
  as one DuckDB SELECT into a table [< 0.5 s for 100,000];
- the shipped rules/sales/rating.yaml over the same people;
- loading and checking a generated 50-step rule file [< 50 ms].
People are generated inside DuckDB with range() and random(), 5 % of scores
null. A sample of rows is re-evaluated in Python to check the SQL.
Not a test: run by hand.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from competency.files.bundle import load_bundle
from competency.files.shipped import default_model_folder, default_rules_folder
from competency.rules import Schema, evaluate_one, load_ruleset, load_schema, to_sql

# The shipped model's competencies, in its order.
COMPETENCIES = [c.id for c in load_bundle(default_model_folder()).model.competencies]

NINE_BOX = """
  - id: nine_box
    kind: table
    hit: UNIQUE
    inputs:
      - {name: performance, expr: score.performance, domain: "[1..4]"}
      - {name: potential, expr: employee.potential}
    output:
      name: nine_box
      values: [star, high_potential, rough_diamond, high_performer, core_player, inconsistent_player, trusted_professional, effective_contributor, underperformer]
    rows:
      - {id: star, when: {performance: "[3.5..4]", potential: high}, then: star}
      - {id: high_potential, when: {performance: "[2.5..3.5)", potential: high}, then: high_potential}
      - {id: rough_diamond, when: {performance: "[1..2.5)", potential: high}, then: rough_diamond}
      - {id: high_performer, when: {performance: "[3.5..4]", potential: medium}, then: high_performer}
      - {id: core_player, when: {performance: "[2.5..3.5)", potential: medium}, then: core_player}
      - {id: inconsistent_player, when: {performance: "[1..2.5)", potential: medium}, then: inconsistent_player}
      - {id: trusted_professional, when: {performance: "[3.5..4]", potential: low}, then: trusted_professional}
      - {id: effective_contributor, when: {performance: "[2.5..3.5)", potential: low}, then: effective_contributor}
      - {id: underperformer, when: {performance: "[1..2.5)", potential: low}, then: underperformer}
"""


def rules_text(steps: int, with_nine_box: bool) -> str:
    """A rule file of `steps` generated rules (compute, table, cap, flag), plus the 9-box."""
    scores = ", ".join(f"competency.{c}" for c in COMPETENCIES)
    fixed = [
        f"  - {{id: ability, kind: compute, name: score.ability, expr: 'round(0.5 * mean({scores}) + 0.5 * score.competency_index, 2)'}}",
        "  - {id: performance, kind: compute, name: score.performance, expr: 'round(0.7 * score.kpi_index + 0.3 * coalesce(competency.execution, score.kpi_index), 2)'}",
        """  - id: rating
    kind: table
    hit: FIRST
    inputs:
      - {name: performance, expr: score.performance, domain: "[1..4]"}
      - {name: ability, expr: score.ability, domain: "[1..4]"}
    output: {name: rating, order: [A, B, C, D]}
    rows:
      - {id: a, when: {performance: ">= 3.5", ability: ">= 3"}, then: A}
      - {id: b, when: {performance: ">= 3"}, then: B}
      - {id: c, when: {performance: ">= 2"}, then: C}
      - {id: d, then: D}""",
        "  - {id: integrity_cap, kind: cap, target: rating, when: competency.integrity < 2, at_most: C, reason: integrity}",
        "  - {id: sales_cap, kind: cap, target: rating, when: kpi.sales_attainment < 1.0, at_most: B, reason: sales}",
    ]
    generated = []
    for i in range(steps - len(fixed)):
        competency = COMPETENCIES[i % len(COMPETENCIES)]
        if i % 3 == 0:
            generated.append(
                f"  - {{id: low_{i}, kind: flag, when: 'competency.{competency} < 2 and employee.potential != \"low\"', message: low {competency}}}"
            )
        elif i % 3 == 1:
            generated.append(
                f"  - {{id: gap_{i}, kind: compute, name: score.gap_{i}, expr: 'max(0, 3 - coalesce(competency.{competency}, 3)) * {1 + i % 4}'}}"
            )
        else:
            generated.append(
                f"  - {{id: strong_{i}, kind: flag, when: 'mean(competency.{competency}, score.ability) >= 3.5 or kpi.sales_attainment > 1.3', message: strong}}"
            )
    body = "\n".join(fixed + generated) + (NINE_BOX if with_nine_box else "\n")
    return f"kind: ruleset\nid: bench\nversion: '1'\nname: {{zh: 基准, en: benchmark}}\nsteps:\n{body}"


def make_people(con: duckdb.DuckDBPyConnection, count: int) -> None:
    def score(name: str) -> str:
        return f'CASE WHEN random() < 0.05 THEN NULL ELSE round(1 + random() * 3, 2) END AS "{name}"'

    columns = ['range AS "employee.id"']
    columns += [score(f"competency.{c}") for c in COMPETENCIES]
    columns += [score("score.competency_index"), score("score.kpi_index")]
    columns += ['round(0.6 + random() * 0.8, 3) AS "kpi.sales_attainment"']
    columns += ["['low', 'medium', 'high'][1 + CAST(floor(random() * 3) AS INTEGER)] AS \"employee.potential\""]
    columns += [
        "['sales_representative', 'sales_supervisor', 'regional_sales_manager'][1 + CAST(floor(random() * 3) AS INTEGER)] AS \"employee.role\""
    ]
    con.execute("SELECT setseed(0.42)")
    con.execute(f"CREATE OR REPLACE TABLE people AS SELECT {', '.join(columns)} FROM range({count})")


def time_bulk(con: duckdb.DuckDBPyConnection, ruleset, label: str, repeats: int = 3) -> float:
    sql = to_sql(ruleset, "people", keep=["employee.id"])
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TABLE results AS {sql}")
        times.append(time.perf_counter() - start)
    rows = con.execute("SELECT count(*), count(rating) FROM results").fetchone()
    print(
        f"{label}: {min(times):.3f} s best of {repeats} (median {statistics.median(times):.3f} s) for {rows[0]:,} people, {rows[1]:,} rated"
    )
    return min(times)


def check_sample(con: duckdb.DuckDBPyConnection, ruleset, size: int = 300) -> None:
    cursor = con.execute(f'SELECT * FROM results ORDER BY "employee.id" LIMIT {size}')
    names = [d[0] for d in cursor.description]
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        outputs, _ = evaluate_one(ruleset, row)
        assert all(row[name] == value for name, value in outputs.items()), (row, outputs)
    print(f"  SQL checked against Python on {size} people: identical")


def time_loading(schema: Schema, steps: int = 50, repeats: int = 30) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules50.yaml"
        path.write_text(rules_text(steps, with_nine_box=False), encoding="utf-8")
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            ruleset = load_ruleset(path, schema)
            times.append(time.perf_counter() - start)
    print(
        f"load + check {len(ruleset.steps)} rules: {statistics.median(times) * 1000:.1f} ms median, {min(times) * 1000:.1f} ms best, first {times[0] * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args()
    schema = load_schema(default_model_folder())
    con = duckdb.connect()
    start = time.perf_counter()
    make_people(con, args.people)
    print(f"generated {args.people:,} people in DuckDB in {time.perf_counter() - start:.2f} s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules20.yaml"
        path.write_text(rules_text(20, with_nine_box=True), encoding="utf-8")
        generated = load_ruleset(path, schema)
    time_bulk(con, generated, f"20 rules + 9-box ({len(generated.steps)} steps)")
    check_sample(con, generated)
    shipped = load_ruleset(default_rules_folder() / "rating.yaml", schema)
    time_bulk(con, shipped, f"shipped rating.yaml ({len(shipped.steps)} steps)")
    check_sample(con, shipped)
    time_loading(schema)


if __name__ == "__main__":
    main()
