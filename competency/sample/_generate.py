"""Write a synthetic sales organisation: roster, 360 answers, KPIs, potential.

All of it is set-based DuckDB SQL over hash-derived draws: no Python loop
touches a person or an answer, and the files are byte-identical for a seed
whatever the number of threads. The answers are written in slices of a few
million rows (each sorted on its own, then appended), so that a million
people need no sort of the whole file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from competency._sql import Relation, quote_path
from competency.files.bundle import ModelBundle, load_bundle
from competency.files.shipped import default_model_folder
from competency.sample import _flaws
from competency.sample._answers import answers_query, build_items, build_pairs, survey_items
from competency.sample._files import SampleFiles
from competency.sample._kpis import build_kpi_rows, build_role_kpis
from competency.sample._org import build_people
from competency.sample._output import IdFormat, kpis_query, potential_query, responses_query, roster_query

FORMATS = ("csv", "parquet")
DEMO_SEED = 3
DEMO_EMPLOYEES = 120
SLICE_ROWS = 4_000_000  # answers sorted and written at a time
SCRATCH = ".generate_tmp"


def generate(
    out_dir: Path,
    employees: int,
    *,
    seed: int = 7,
    bundle: ModelBundle | None = None,
    formats: tuple[str, ...] = ("csv",),
    flaws: bool = True,
    items_per_rater: int | None = None,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> SampleFiles:
    """Write `roster.csv`, `responses.csv`, `kpis.csv` and `potential.csv` for a sales
    force of `employees` people into `out_dir` (and `.parquet` copies when
    "parquet" is in `formats`; CSV is always written).

    `items_per_rater` caps the behaviours on the survey form (all of the
    model's by default); `flaws=False` leaves out the planted bad rows;
    `threads` and `memory_limit` ("8GB") bound DuckDB's threads and memory (it
    spills to a scratch folder in `out_dir` past the limit); the files do not
    depend on either.
    """
    if employees < 1:
        raise ValueError(f"employees must be at least 1, not {employees}")
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {unknown[0]!r}; use {' or '.join(FORMATS)}")
    bundle = bundle or load_bundle(default_model_folder())
    out_dir = Path(out_dir)
    scratch = out_dir / SCRATCH
    scratch.mkdir(parents=True, exist_ok=True)
    config: dict[str, str | int | bool] = {"preserve_insertion_order": True, "temp_directory": str(scratch / "spill")}
    if threads:
        config["threads"] = threads
    if memory_limit:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(config=config)
    try:
        con.execute("SET enable_progress_bar = false")
        return _generate(con, out_dir, scratch, employees, seed, bundle, formats, flaws, items_per_rater)
    finally:
        con.close()
        shutil.rmtree(scratch, ignore_errors=True)


def demo_organisation(out_dir: Path) -> SampleFiles:
    """The sample organisation `competency demo` runs on: 120 people in three
    regions, fixed seed, the shipped sales model, a handful of bad rows."""
    return generate(out_dir, DEMO_EMPLOYEES, seed=DEMO_SEED)


def _generate(con: duckdb.DuckDBPyConnection, out_dir: Path, scratch: Path, employees: int, seed: int, bundle: ModelBundle,
              formats: tuple[str, ...], flaws: bool, items_per_rater: int | None) -> SampleFiles:
    items = survey_items(bundle, items_per_rater)
    org = build_people(con, employees, seed)
    form = build_items(con, items, seed)
    pairs = build_pairs(con, seed, org.people)
    kpi_rows = build_kpi_rows(con, seed, org.people, build_role_kpis(con, bundle))
    pair_count = _count(con, pairs)
    base = {"roster": employees, "responses": pair_count * len(items), "kpis": _count(con, kpi_rows), "potential": employees}
    planted_rows = _flaws.plant(con, seed, base, org.people, pairs, kpi_rows, len(items)) if flaws else _flaws.no_flaws(con)

    ids = IdFormat(employees)
    step = max(1, SLICE_ROWS // len(items))
    slices = [range(start, min(start + step, pair_count)) for start in range(0, max(pair_count, 1), step)]
    answers = [responses_query(ids, items, answers_query(seed, pairs, form, len(items), s), planted_rows.responses) for s in slices]
    parquet = "parquet" in formats
    _write(con, out_dir / "roster", [roster_query(ids, org.people, planted_rows.roster)], scratch, parquet)
    _write(con, out_dir / "responses", answers, scratch, parquet)
    _write(con, out_dir / "kpis", [kpis_query(ids, bundle, kpi_rows, planted_rows.kpis)], scratch, parquet)
    _write(con, out_dir / "potential", [potential_query(ids, seed, org.people, planted_rows.potential)], scratch, parquet)

    planted = (
        _flaws.planted(con, planted_rows.roster, "roster.csv", _flaws.ROSTER_KINDS)
        + _flaws.planted(con, planted_rows.responses, "responses.csv", _flaws.RESPONSE_KINDS)
        + _flaws.planted(con, planted_rows.kpis, "kpis.csv", _flaws.KPI_KINDS)
        + _flaws.planted(con, planted_rows.potential, "potential.csv", _flaws.POTENTIAL_KINDS)
    )
    added = {f.file: f.count for f in planted if f.kind.startswith("duplicate")}
    lenient = con.execute(f"SELECT {ids.employee_id('num')} FROM {org.people} WHERE lenient AND reports > 0 ORDER BY num").fetchall()
    skewed = con.execute(
        f"SELECT department, skew FROM {org.offices} WHERE skew IS NOT NULL AND office IN (SELECT office FROM {org.people}) ORDER BY office"
    ).fetchall()
    names = ("roster", "responses", "kpis", "potential")
    return SampleFiles(
        folder=out_dir,
        seed=seed,
        employees=employees,
        roster=out_dir / "roster.csv",
        responses=out_dir / "responses.csv",
        kpis=out_dir / "kpis.csv",
        potential=out_dir / "potential.csv",
        parquet=tuple(out_dir / f"{name}.parquet" for name in names) if parquet else (),
        roster_rows=base["roster"] + added.get("roster.csv", 0),
        response_rows=base["responses"] + added.get("responses.csv", 0),
        kpi_rows=base["kpis"],
        potential_rows=base["potential"],
        items_per_rater=len(items),
        flaws=planted,
        lenient_managers=tuple(row[0] for row in lenient),
        skewed_departments=tuple((department, skew) for department, skew in skewed),
    )


def _count(con: duckdb.DuckDBPyConnection, table: Relation) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def _write(con: duckdb.DuckDBPyConnection, stem: Path, queries: list[str], scratch: Path, parquet: bool) -> None:
    """Write the rows of `queries`, one after the other, to `stem`.csv (and .parquet)."""
    csv_path, parquet_path = stem.with_suffix(".csv"), stem.with_suffix(".parquet")
    if len(queries) == 1:
        _copy(con, queries[0], csv_path, header=True, parquet_path=parquet_path if parquet else None)
        return
    parts: list[Path] = []
    with csv_path.open("wb") as out:
        for index, query in enumerate(queries):
            piece = scratch / f"{stem.name}.{index:05d}.csv"
            part = scratch / f"{stem.name}.{index:05d}.parquet" if parquet else None
            _copy(con, query, piece, header=index == 0, parquet_path=part)
            with piece.open("rb") as source:
                shutil.copyfileobj(source, out, 16 * 2**20)
            piece.unlink()
            if part:
                parts.append(part)
    if parts:
        files = ", ".join(quote_path(p) for p in parts)
        con.execute(f"COPY (SELECT * FROM read_parquet([{files}])) TO {quote_path(parquet_path)} (FORMAT parquet)")
        for part in parts:
            part.unlink()


def _copy(con: duckdb.DuckDBPyConnection, query: str, csv_path: Path, *, header: bool, parquet_path: Path | None) -> None:
    """One query to CSV (and Parquet: then the rows are made once and written twice)."""
    source = query
    if parquet_path:
        con.execute(f"CREATE OR REPLACE TEMP TABLE out_rows AS {query}")
        source = "SELECT * FROM out_rows"
        con.execute(f"COPY ({source}) TO {quote_path(parquet_path)} (FORMAT parquet)")
    con.execute(f"COPY ({source}) TO {quote_path(csv_path)} (FORMAT csv, HEADER {'true' if header else 'false'})")
    if parquet_path:
        con.execute("DROP TABLE out_rows")
