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

from competency.files.bundle import ModelBundle, load_bundle
from competency.files.shipped import default_model_folder
from competency.sample import _flaws
from competency.sample._answers import build_items, build_pairs, survey_items
from competency.sample._files import SampleFiles
from competency.sample._kpis import build_kpi_rows, build_role_kpis
from competency.sample._org import build_people
from competency.sample._output import IdFormat, kpis_query, potential_query, responses_query, roster_query
from competency.sample._sql import text

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
    build_people(con, employees, seed)
    build_items(con, items, seed)
    build_pairs(con, seed)
    build_role_kpis(con, bundle)
    build_kpi_rows(con, seed)
    pairs = _count(con, "pairs")
    base = {"roster": employees, "responses": pairs * len(items), "kpis": _count(con, "kpi_rows"), "potential": employees}
    if flaws:
        _flaws.plant_roster_flaws(con, seed, _flaws.per_kind(base["roster"]))
        _flaws.plant_response_flaws(con, seed, len(items), _flaws.per_kind(base["responses"]))
        _flaws.plant_kpi_flaws(con, seed, _flaws.per_kind(base["kpis"]))
        _flaws.plant_potential_flaws(con, seed, _flaws.per_kind(base["potential"]))
    else:
        _flaws.no_flaws(con)

    ids = IdFormat(employees)
    step = max(1, SLICE_ROWS // len(items))
    slices = [range(start, min(start + step, pairs)) for start in range(0, max(pairs, 1), step)]
    parquet = "parquet" in formats
    _write(con, out_dir / "roster", [roster_query(ids)], scratch, parquet)
    _write(con, out_dir / "responses", [responses_query(ids, seed, items, s) for s in slices], scratch, parquet)
    _write(con, out_dir / "kpis", [kpis_query(ids, bundle)], scratch, parquet)
    _write(con, out_dir / "potential", [potential_query(ids, seed)], scratch, parquet)

    planted = (
        _flaws.planted(con, "roster.csv", _flaws.ROSTER_KINDS)
        + _flaws.planted(con, "responses.csv", _flaws.RESPONSE_KINDS)
        + _flaws.planted(con, "kpis.csv", _flaws.KPI_KINDS)
        + _flaws.planted(con, "potential.csv", _flaws.POTENTIAL_KINDS)
    )
    added = {f.file: f.count for f in planted if f.kind.startswith("duplicate")}
    lenient = con.execute(f"SELECT {ids.employee_id('num')} FROM people WHERE lenient AND reports > 0 ORDER BY num").fetchall()
    skewed = con.execute(
        "SELECT department, skew FROM offices WHERE skew IS NOT NULL AND office IN (SELECT office FROM people) ORDER BY office"
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


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
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
        files = ", ".join(text(str(p)) for p in parts)
        con.execute(f"COPY (SELECT * FROM read_parquet([{files}])) TO {text(str(parquet_path))} (FORMAT parquet)")
        for part in parts:
            part.unlink()


def _copy(con: duckdb.DuckDBPyConnection, query: str, csv_path: Path, *, header: bool, parquet_path: Path | None) -> None:
    """One query to CSV (and Parquet: then the rows are made once and written twice)."""
    source = query
    if parquet_path:
        con.execute(f"CREATE OR REPLACE TEMP TABLE out_rows AS {query}")
        source = "SELECT * FROM out_rows"
        con.execute(f"COPY ({source}) TO {text(str(parquet_path))} (FORMAT parquet)")
    con.execute(f"COPY ({source}) TO {text(str(csv_path))} (FORMAT csv, HEADER {str(header).lower()})")
    if parquet_path:
        con.execute("DROP TABLE out_rows")
