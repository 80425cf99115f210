"""Helpers for the import tests: run an import in a transaction, read what it stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from competency.ingest import ImportSummary, import_file, rejected_rows
from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace

CORPUS = Path(__file__).parent / "corpus"
CYCLE = "2026-Q4"


def run_import(ws: Workspace, kind: str, file: Path | str, bundle: ModelBundle, **options: Any) -> ImportSummary:
    """Import one file the way the CLI does: in a transaction of its own."""
    path = file if isinstance(file, Path) else CORPUS / file
    with ws.transaction() as db:
        return import_file(db, CYCLE, kind, path, bundle, **options)


def rejections(ws: Workspace, summary: ImportSummary) -> list[tuple[int, str]]:
    """(row number, reason) of each rejected row, in file order."""
    assert summary.import_id is not None
    return [(row.row_number, row.reason) for row in rejected_rows(ws.db, summary.import_id)]


def rows(ws: Workspace, sql: str, parameters: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return ws.db.execute(sql, parameters or []).fetchall()


def snapshot(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Everything an import may write, sorted, to compare before and after."""
    tables = ["imports", "rejected_rows", "roster", "responses", "kpi_actuals", "potential"]
    return {table: sorted(rows(ws, f"SELECT * FROM {table}"), key=repr) for table in tables}


RESPONSES_HEADER = "employee_id,rater_id,relationship,item_id,score,comment"


def responses_csv(folder: Path, *rows: str, name: str = "responses.csv") -> Path:
    """A UTF-8 responses file with the standard header and these rows."""
    path = folder / name
    path.write_text("\n".join((RESPONSES_HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def data_rows(path: Path) -> int:
    """Rows in a CSV file below its header (no blank lines, no quoted line breaks)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    lines = text.splitlines()
    return sum(1 for line in lines[1:] if line.strip())
