"""Row numbers stay right when DuckDB reads a large file in parallel.

The workspace sets `preserve_insertion_order = false` (faster, and scoring
does not need order), under which DuckDB stages a big CSV's rows out of file
order when several threads read it. The importer turns the setting on for its
load: rejected rows must still carry the row number a spreadsheet shows.

Both tests run DuckDB on four threads whatever the machine has, so the file is
always split between threads: the first test fails if the importer loses the
file's order, and the second shows that, without the importer's care, the
order is indeed lost here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from competency._sql import quote_path
from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import rejections, rows, run_import

ROWS = 110_000  # about 14 MB: large enough for DuckDB to split the file between threads
PLANTED = range(1_000, ROWS, 7_919)  # file rows (header = 1) that carry a bad score
THREADS = 4


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "responses.csv"
    padding = "x" * 90
    planted = set(PLANTED)
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("employee_id,rater_id,relationship,item_id,score,comment\n")
        for row in range(2, ROWS + 2):
            score = 9 if row in planted else 3
            stream.write(f"R1,X{row},peer,exe_understands_instructions,{score},row {row} {padding}\n")
    return path


def _parallel(ws: Workspace) -> Workspace:
    ws.db.execute(f"SET threads = {THREADS}")
    assert rows(ws, "SELECT current_setting('threads'), current_setting('preserve_insertion_order')") == [(THREADS, False)]
    return ws


def test_rejected_rows_carry_their_file_row_numbers(big_file: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Each planted bad row is reported at its own number, and its stored raw row is that row."""
    ws = _parallel(with_roster)
    summary = run_import(ws, "responses", big_file, bundle)
    assert rejections(ws, summary) == [(row, "score off the scale: 9 is outside 1..4") for row in PLANTED]
    assert (summary.accepted, summary.rejected) == (ROWS - len(PLANTED), len(PLANTED))
    raw = rows(ws, "SELECT row_number, split_part(raw->>'comment', ' ', 2)::BIGINT FROM rejected_rows WHERE import_id = ?", [summary.import_id])
    assert sorted(raw) == [(row, row) for row in PLANTED]
    assert rows(ws, "SELECT current_setting('preserve_insertion_order')") == [(False,)]


def test_without_the_importers_care_the_file_is_staged_out_of_order(big_file: Path, workspace: Workspace) -> None:
    """The same file, read on the same threads with the workspace's setting, has rows
    whose position in the table is not their position in the file."""
    ws = _parallel(workspace)
    with ws.transaction() as db:
        db.execute(f"CREATE TEMP TABLE plain AS SELECT * FROM read_csv({quote_path(big_file)}, all_varchar = true)")
        moved = db.execute(
            "SELECT count(*) FROM plain WHERE rowid - (SELECT min(rowid) FROM plain) + 2 <> split_part(comment, ' ', 2)::BIGINT"
        ).fetchall()[0][0]
        db.execute("DROP TABLE plain")
    assert moved > 0
