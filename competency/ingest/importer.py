"""`import_file`: one file of roster, responses, KPIs or potential into a cycle.

The caller opens the transaction; this function only reads, checks and
writes inside it, and raises a `CompetencyError` to have it rolled back.
The steps, each in its own module:

1. read the mapping (`mapping.py`) and hash the file (`scan.py`): the same
   file imported twice is a no-op;
2. stage the file's rows as text with their row numbers (`read_csv.py`,
   `read_xlsx.py`, `read_json.py`);
3. find the standard columns in its header (`headers.py`);
4. judge every row in one SQL pass (`validate_rows.py`, with `lookups.py`);
5. hand the accepted rows (`store_rows.py`) and the rejected ones with their
   reasons (`rejects.py`, `reasons.py`) to `competency.store.imports`, which
   stores them and records the import.
"""

from __future__ import annotations

import dataclasses
import tempfile
import uuid
from pathlib import Path

import duckdb

from competency._sql import one, quote_ident
from competency._text import did_you_mean
from competency.errors import ImportFailed, Location, RowsRejected, SourceErrors, SourceProblem
from competency.files.bundle import ModelBundle
from competency.files.outputs import OutputFile, Protected
from competency.ingest.columns import KINDS
from competency.ingest.headers import Layout, resolve
from competency.ingest.lookups import create_lookups, hints_table
from competency.ingest.mapping import LoadedMapping, load_mapping
from competency.ingest.read_csv import stage_csv
from competency.ingest.read_json import stage_json
from competency.ingest.read_xlsx import stage_xlsx
from competency.ingest.rejects import rejected_view, write_rejects_csv
from competency.ingest.scan import FileScan, hash_file, scan_file
from competency.ingest.staging import Staging
from competency.ingest.store_rows import accepted_rows
from competency.ingest.summary import ImportSummary, first_rejections, reason_counts
from competency.ingest.validate_rows import check_rows
from competency.store.imports import ImportRecord, has_rows, next_import_id, record_import, store_accepted, store_rejected, supersede_kind
from competency.store.workspace import now


def import_file(
    db: duckdb.DuckDBPyConnection,
    cycle_id: str,
    kind: str,
    path: Path,
    bundle: ModelBundle,
    *,
    mapping: Path | None = None,
    replace: bool = False,
    strict: bool = False,
    rejects_path: Path | OutputFile | None = None,
    sheet: str | None = None,
) -> ImportSummary:
    """Import one file of `kind` into cycle `cycle_id`, inside the caller's transaction.

    Every row is accepted or rejected with a reason and its file row number.
    `replace` swaps out all the cycle's data of this kind (and re-imports a
    file already imported); `strict` raises `RowsRejected` when any row is
    rejected; `rejects_path` receives the rejected rows as a CSV (never over
    the file or its mapping: refused before any work).
    """
    if kind not in KINDS:
        raise ImportFailed(f"unknown kind of import '{kind}'", hint=did_you_mean(kind, KINDS))
    path = Path(path)
    shown = path.name
    if not path.is_file():
        raise SourceErrors([SourceProblem(Location(str(path), 1, 1), "no such file", "check the path")])
    if kind != "roster" and not has_rows(db, "roster", cycle_id):
        raise ImportFailed(f"cycle {cycle_id} has no roster yet", hint=f"import the roster first: `competency import roster FILE --cycle {cycle_id}`")
    rejects = _rejects_file(rejects_path, path, mapping)
    loaded = load_mapping(mapping, kind, bundle) if mapping is not None else None
    form = file_form(path, shown)
    if sheet is not None and form != "xlsx":
        raise ImportFailed(f"{shown} is a {form.upper()} file: --sheet {sheet} names a sheet of an Excel workbook", hint="leave out --sheet, or import the .xlsx workbook")
    scan = scan_file(path, shown) if form == "csv" else None
    sha256 = scan.sha256 if scan is not None else hash_file(path)

    previous = _same_file(db, cycle_id, kind, sha256)
    if previous is not None and not replace:
        return _already_imported(db, kind, shown, sha256, previous)
    if kind == "roster" and not replace and has_rows(db, "roster", cycle_id):
        raise ImportFailed(f"cycle {cycle_id} already has a roster{_roster_source(db, cycle_id)}", hint="to replace it, import the new roster with --replace")
    replaced = replace and _has_imports(db, cycle_id, kind)
    if replace:
        supersede_kind(db, cycle_id, kind)
    prefix = f"_ingest_{uuid.uuid4().hex[:10]}"
    try:
        with tempfile.TemporaryDirectory(prefix="competency-import-") as workdir:
            staging = _stage(db, form, path, scan, f"{prefix}_staged", Path(workdir), shown, loaded, sheet)
            summary = _judge_and_store(db, prefix, staging, cycle_id, kind, bundle, loaded, shown, sha256, replaced, rejects)
    except duckdb.Error as error:
        # Out of memory or disk for the spill files, mostly: a message, not a traceback.
        detail = str(error).strip().splitlines()[0]
        raise ImportFailed(f"{shown}: the workspace database could not finish the import: {detail}") from None
    # On any error the caller's transaction rolls back, which removes them too.
    _drop_temporary(db, prefix)
    if strict and summary.rejected:
        where = f" (all of them are in {summary.rejects_file})" if summary.rejects_file else ""
        raise RowsRejected(_strict_message(summary, shown), hint=f"fix these rows{where} and import again, or import without --strict to keep the accepted rows")
    return summary


def _rejects_file(rejects: Path | OutputFile | None, path: Path, mapping: Path | None) -> OutputFile | None:
    """Where the rejected rows go, checked now: never the file being imported or its mapping, never a link."""
    if rejects is None:
        return None
    target = rejects if isinstance(rejects, OutputFile) else OutputFile(Path(rejects))
    inputs = [Protected(path, "the file being imported")] + ([Protected(Path(mapping), "the mapping file")] if mapping is not None else [])
    target = dataclasses.replace(target, protected=(*target.protected, *inputs))
    target.place()
    return target


def file_form(path: Path, shown: str) -> str:
    """csv, xlsx or json: by the file's first bytes, then by its suffix."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceErrors([SourceProblem(Location(shown, 1, 1), "the file is an old Excel workbook (.xls)", "open it in Excel and save it as 'Excel Workbook (*.xlsx)' or 'CSV UTF-8'")])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        message = f"the file is named {path.suffix} but is not an Excel workbook: an .xlsx file is a zip archive, and this one does not start like one"
        hint = "save it from Excel as 'Excel Workbook (*.xlsx)', or give it the suffix of what it holds (.csv, .json)"
        raise SourceErrors([SourceProblem(Location(shown, 1, 1), message, hint)])
    if path.suffix.lower() == ".json":
        return "json"
    return "csv"


def _stage(
    db: duckdb.DuckDBPyConnection, form: str, path: Path, scan: FileScan | None, stem: str, workdir: Path, shown: str, loaded: LoadedMapping | None, sheet: str | None
) -> Staging:
    if form == "xlsx":
        # --sheet names the sheet; else the mapping's `sheet:`; else the first sheet of rows.
        named_by_option = sheet is not None
        if sheet is None and loaded is not None:
            sheet = loaded.mapping.sheet

        def sheet_problem(message: str, hint: str) -> SourceProblem:
            if named_by_option or loaded is None:
                return SourceProblem(Location(shown, 1, 1), f"{message} (--sheet {sheet})", hint)
            return loaded.document.problem(("sheet",), message, hint)

        return stage_xlsx(db, path, stem, workdir, shown, sheet, sheet_problem)
    if form == "json":
        return stage_json(db, path, stem, workdir, shown)
    assert scan is not None, "a CSV file is scanned before it is staged"
    return stage_csv(db, path, scan, stem, workdir, shown)


def _judge_and_store(
    db: duckdb.DuckDBPyConnection,
    prefix: str,
    staging: Staging,
    cycle_id: str,
    kind: str,
    bundle: ModelBundle,
    loaded: LoadedMapping | None,
    shown: str,
    sha256: str,
    replaced: bool,
    rejects: OutputFile | None,
) -> ImportSummary:
    layout = _layout(db, staging, kind, shown, bundle, loaded)
    lookups = create_lookups(db, prefix, staging, layout, bundle, loaded)
    checked = check_rows(db, prefix, staging, layout, lookups, cycle_id, bundle, prior_data=has_rows(db, kind, cycle_id))
    hints = hints_table(db, prefix, lookups, checked.rejected, bundle, cycle_id)
    import_id = next_import_id(db)
    accepted = store_accepted(db, cycle_id, import_id, kind, accepted_rows(db, f"{prefix}_accepted", checked.accepted, layout))
    rejected_rows = rejected_view(db, f"{prefix}_rejected_rows", checked.rejected, hints, staging, kind, cycle_id, bundle, wide=layout.wide)
    rejected = store_rejected(db, import_id, rejected_rows)
    total = accepted + rejected
    # A wide file's units are answers; its rows are counted once each.
    file_rows = int(one(db, f"SELECT count(DISTINCT row_number) FROM {checked.coded}")[0]) if layout.wide else total  # type: ignore[index]
    record_import(db, ImportRecord(import_id, cycle_id, kind, shown, sha256, total, accepted, rejected, now()))
    notes = list(layout.notes)
    if file_rows == 0:
        notes.append("the file has no data rows" + (" (only a header)" if staging.headers else ""))
    written = None
    if rejects is not None and rejected:
        write_rejects_csv(db, import_id, staging, rejects)  # an existing file is refused here: the import rolls back
        written = rejects.path
    return ImportSummary(
        kind=kind,
        file_name=shown,
        sha256=sha256,
        rows_total=int(total),
        accepted=int(accepted),
        rejected=int(rejected),
        replaced=replaced,
        rejects_file=written,
        reasons=reason_counts(db, import_id),
        import_id=import_id,
        file_rows=int(file_rows),
        unit="answer" if layout.wide else "row",
        examples=first_rejections(db, import_id),
        notes=tuple(notes),
    )


def _layout(db: duckdb.DuckDBPyConnection, staging: Staging, kind: str, shown: str, bundle: ModelBundle, loaded: LoadedMapping | None) -> Layout:
    """The file's layout; an empty JSON list has no header at all, and no rows to judge."""
    if not staging.headers:
        empty = one(db, f"SELECT count(*) = 0 FROM {staging.table}")
        if empty and empty[0]:
            return Layout(kind, {})
    return resolve(kind, staging.headers, shown, bundle, loaded)


def _same_file(db: duckdb.DuckDBPyConnection, cycle_id: str, kind: str, sha256: str) -> tuple | None:
    return one(
        db,
        "SELECT import_id, rows_total, accepted, rejected FROM imports WHERE cycle_id = ? AND kind = ? AND sha256 = ? AND NOT superseded ORDER BY import_id DESC LIMIT 1",
        [cycle_id, kind, sha256],
    )


def _already_imported(db: duckdb.DuckDBPyConnection, kind: str, shown: str, sha256: str, previous: tuple) -> ImportSummary:
    import_id, total, accepted, rejected = previous
    return ImportSummary(
        kind=kind,
        file_name=shown,
        sha256=sha256,
        rows_total=int(total),
        accepted=int(accepted),
        rejected=int(rejected),
        skipped_as_duplicate_file=True,
        reasons=reason_counts(db, import_id),
        import_id=int(import_id),
        file_rows=int(total),
        examples=first_rejections(db, import_id),
        notes=(f"the same file was imported before (import {import_id}); nothing was changed — use --replace to import it again",),
    )


def _has_imports(db: duckdb.DuckDBPyConnection, cycle_id: str, kind: str) -> bool:
    row = one(db, "SELECT count(*) FROM imports WHERE cycle_id = ? AND kind = ? AND NOT superseded", [cycle_id, kind])
    return bool(row and row[0]) or has_rows(db, kind, cycle_id)


def _roster_source(db: duckdb.DuckDBPyConnection, cycle_id: str) -> str:
    """' (from roster.csv)': the file the cycle's roster came from."""
    row = one(db, "SELECT file_name FROM imports WHERE cycle_id = ? AND kind = 'roster' AND NOT superseded ORDER BY import_id DESC LIMIT 1", [cycle_id])
    return f" (from {row[0]})" if row else ""


def _strict_message(summary: ImportSummary, shown: str, shown_reasons: int = 5) -> str:
    units = "answers" if summary.unit == "answer" else "rows"
    lines = [f"{shown}: {summary.rejected} of {summary.rows_total} {units} rejected, so nothing was imported (--strict):"]
    lines += [f"  row {row}: {reason}" for row, reason in summary.examples[:shown_reasons]]
    if summary.rejected > len(summary.examples[:shown_reasons]):
        lines.append(f"  … and {summary.rejected - len(summary.examples[:shown_reasons])} more")
    return "\n".join(lines)


def _drop_temporary(db: duckdb.DuckDBPyConnection, prefix: str) -> None:
    """Drop this import's temporary views and tables (the views first: they read the tables)."""
    for kind, catalog in (("VIEW", "duckdb_views()"), ("TABLE", "duckdb_tables()")):
        names = db.execute(f"SELECT {kind.lower()}_name FROM {catalog} WHERE temporary AND starts_with({kind.lower()}_name, ?)", [prefix]).fetchall()
        for (name,) in names:
            db.execute(f"DROP {kind} temp.main.{quote_ident(name)}")
