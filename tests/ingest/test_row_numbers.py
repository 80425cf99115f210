"""Row numbers stay right when DuckDB reads a large file in parallel.

The workspace sets `preserve_insertion_order = false` (faster, and scoring
does not need order), under which DuckDB may stage a big CSV's rows out of
file order. The importer turns the setting on for its load: rejected rows
must still carry the row number a spreadsheet shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import rejections, rows, run_import

ROWS = 110_000  # about 14 MB: large enough for DuckDB to split the file between threads
PLANTED = range(1_000, ROWS, 7_919)  # file rows (header = 1) that carry a bad score


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


def test_rejected_rows_carry_their_file_row_numbers(big_file: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Each planted bad row is reported at its own number, and its stored raw row is that row."""
    assert rows(with_roster, "SELECT current_setting('preserve_insertion_order')") == [(False,)]
    summary = run_import(with_roster, "responses", big_file, bundle)
    assert rejections(with_roster, summary) == [(row, "score off the scale: 9 is outside 1..4") for row in PLANTED]
    assert (summary.accepted, summary.rejected) == (ROWS - len(PLANTED), len(PLANTED))
    raw = rows(with_roster, "SELECT row_number, split_part(raw->>'comment', ' ', 2)::BIGINT FROM rejected_rows WHERE import_id = ?", [summary.import_id])
    assert all(number == written for number, written in raw)
    assert rows(with_roster, "SELECT current_setting('preserve_insertion_order')") == [(False,)]


def test_the_check_above_is_not_vacuous(big_file: Path, workspace: Workspace) -> None:
    """Without the importer's care, DuckDB does stage this file out of order here."""
    with workspace.transaction() as db:
        db.execute(f"CREATE TEMP TABLE plain AS SELECT * FROM read_csv('{big_file}', all_varchar = true)")
        moved = db.execute(
            "SELECT count(*) FROM plain WHERE rowid - (SELECT min(rowid) FROM plain) + 2 <> split_part(comment, ' ', 2)::BIGINT"
        ).fetchall()[0][0]
    if moved == 0:
        pytest.skip("this machine read the file in order anyway (one thread?); the test above still holds")
    assert moved > 0
