"""Imports within a cycle: order, idempotence, --replace, --strict, rejects file, anonymity."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency._text import safe_cell
from competency.errors import ImportFailed, RowsRejected
from competency.ingest import import_file
from competency.domain._base import Text
from competency.domain.competency import Behavior
from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import CORPUS, CYCLE, rejections, responses_csv, rows, run_import, snapshot

RATERS_IN_BAD_FILE = ("P1", "P2", "P3", "C1")


def test_same_file_twice_is_a_no_op(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Re-importing a file already imported into the cycle changes nothing and says so."""
    first = run_import(with_roster, "responses", "responses_bad.csv", bundle)
    before = snapshot(with_roster)
    again = run_import(with_roster, "responses", "responses_bad.csv", bundle)
    assert snapshot(with_roster) == before
    assert again.skipped_as_duplicate_file and not first.skipped_as_duplicate_file
    assert (again.import_id, again.rows_total, again.accepted, again.rejected, again.reasons) == (
        first.import_id,
        first.rows_total,
        first.accepted,
        first.rejected,
        first.reasons,
    )
    assert again.lines()[0] == "responses_bad.csv: already imported (import 2); nothing changed"


def test_replace_swaps_the_kind_for_the_cycle(with_roster: Workspace, bundle: ModelBundle) -> None:
    """--replace deletes the cycle's rows of that kind and marks earlier imports superseded."""
    run_import(with_roster, "responses", "responses_bad.csv", bundle)
    summary = run_import(with_roster, "responses", "tab_separated.tsv", bundle, replace=True)
    assert summary.replaced
    assert rows(with_roster, "SELECT employee_id, rater_id, import_id FROM responses ORDER BY ALL") == [("R1", "S1", 3), ("R2", "S1", 3)]
    assert rows(with_roster, "SELECT import_id, kind, superseded FROM imports ORDER BY import_id") == [
        (1, "roster", False),
        (2, "responses", True),
        (3, "responses", False),
    ]


def test_replace_reimports_the_same_file(with_roster: Workspace, bundle: ModelBundle) -> None:
    """--replace with the file already imported imports it again (e.g. after fixing the roster)."""
    run_import(with_roster, "responses", "responses_bad.csv", bundle)
    summary = run_import(with_roster, "responses", "responses_bad.csv", bundle, replace=True)
    assert not summary.skipped_as_duplicate_file and summary.replaced and summary.import_id == 3
    assert rows(with_roster, "SELECT DISTINCT import_id FROM responses") == [(3,)]


def test_another_file_appends_but_not_twice_the_same_answer(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Without --replace a second file adds answers; one already stored is a duplicate."""
    run_import(with_roster, "responses", "tab_separated.tsv", bundle)
    more = tmp_path / "more.csv"
    more.write_text(
        "employee_id,rater_id,relationship,item_id,score\n"
        "R1,S1,manager,exe_understands_instructions,2\n"
        "R1,S1,manager,exe_sets_goals_seeks_solutions,2\n",
        encoding="utf-8",
    )
    summary = run_import(with_roster, "responses", more, bundle)
    assert rejections(with_roster, summary) == [(2, "duplicate answer: same rater, employee and item already imported (import 2)")]
    assert rows(with_roster, "SELECT count(*) FROM responses") == [(3,)]


def test_kpis_and_potential_append_without_duplicates(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    run_import(with_roster, "kpis", "kpis_bad.csv", bundle)
    run_import(with_roster, "potential", "potential_bad.csv", bundle)
    kpis = tmp_path / "kpis.csv"
    kpis.write_text("employee_id,kpi_id,actual\nR1,sales_attainment,1.2\nR3,sales_attainment,1.2\n", encoding="utf-8")
    potential = tmp_path / "potential.csv"
    potential.write_text("employee_id,potential\nR1,low\nM1,high\n", encoding="utf-8")
    summary = run_import(with_roster, "kpis", kpis, bundle)
    assert rejections(with_roster, summary) == [(2, "duplicate KPI figure: same employee and KPI already imported (import 2)")]
    summary = run_import(with_roster, "potential", potential, bundle)
    assert rejections(with_roster, summary) == [(2, "duplicate potential: same employee already imported (import 3)")]


def test_roster_comes_first(workspace: Workspace, bundle: ModelBundle) -> None:
    with pytest.raises(ImportFailed) as caught:
        run_import(workspace, "responses", "responses_bad.csv", bundle)
    assert str(caught.value) == "cycle 2026-Q4 has no roster yet\n  hint: import the roster first: `competency import roster FILE --cycle 2026-Q4`"


def test_each_cycle_has_its_own_roster(with_roster: Workspace, bundle: ModelBundle) -> None:
    with pytest.raises(ImportFailed, match="cycle 2027-Q1 has no roster yet"):
        with with_roster.transaction() as db:
            import_file(db, "2027-Q1", "potential", CORPUS / "potential_bad.csv", bundle)


def test_second_roster_needs_replace(with_roster: Workspace, bundle: ModelBundle) -> None:
    """A different roster does not silently merge into the cycle's roster."""
    with pytest.raises(ImportFailed) as caught:
        run_import(with_roster, "roster", "roster_bad.csv", bundle)
    assert str(caught.value) == "cycle 2026-Q4 already has a roster (from roster_ok.csv)\n  hint: to replace it, import the new roster with --replace"
    summary = run_import(with_roster, "roster", "roster_bad.csv", bundle, replace=True)
    assert summary.replaced and summary.accepted == 3
    assert rows(with_roster, "SELECT count(*) FROM roster") == [(3,)]


def test_strict_rolls_the_whole_import_back(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """--strict: any rejected row aborts; the transaction leaves every table as it was."""
    before = snapshot(with_roster)
    rejects = tmp_path / "rejects.csv"
    with pytest.raises(RowsRejected) as caught:
        run_import(with_roster, "potential", "potential_bad.csv", bundle, strict=True, rejects_path=rejects)
    assert snapshot(with_roster) == before
    assert str(caught.value) == (
        "potential_bad.csv: 4 of 8 rows rejected, so nothing was imported (--strict):\n"
        "  row 6: unknown potential: 'hgh'; did you mean 'high'?\n"
        "  row 7: unknown employee: 'X9' is not in the roster of cycle 2026-Q4\n"
        "  row 8: duplicate potential: same employee as row 2\n"
        "  row 9: missing potential\n"
        f"  hint: fix these rows (all of them are in {rejects}) and import again, or import without --strict to keep the accepted rows"
    )
    assert rejects.exists()


def test_strict_replace_rolls_back_to_the_old_data(with_roster: Workspace, bundle: ModelBundle) -> None:
    run_import(with_roster, "responses", "tab_separated.tsv", bundle)
    before = snapshot(with_roster)
    with pytest.raises(RowsRejected, match=r"… and 8 more"):
        run_import(with_roster, "responses", "responses_bad.csv", bundle, replace=True, strict=True)
    assert snapshot(with_roster) == before


def test_strict_with_a_clean_file(with_roster: Workspace, bundle: ModelBundle) -> None:
    summary = run_import(with_roster, "responses", "responses_zh_builtin.csv", bundle, strict=True)
    assert (summary.accepted, summary.rejected) == (5, 0)


def test_rejects_file_for_the_analyst(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """UTF-8 with BOM; row, reason, then the original columns; every cell through the one neutraliser, `safe_cell`."""
    source = responses_csv(
        tmp_path,
        "R1,S1,manager,exe_understands_instructions,4,好",
        'R1,P1,同事,exe_unknown,-1,=HYPERLINK("http://x")',
        "R1,P1,peer,exe_understands_instructions,-1,@risk",
        name="answers.csv",
    )
    rejects = tmp_path / "rejects.csv"
    summary = run_import(with_roster, "responses", source, bundle, rejects_path=rejects)
    assert summary.rejects_file == rejects
    assert rejects.read_bytes().startswith(b"\xef\xbb\xbf")
    assert rejects.read_text(encoding="utf-8-sig").splitlines() == [
        "row,reason,employee_id,rater_id,relationship,item_id,score,comment",
        f"3,unknown item: 'exe_unknown',R1,P1,同事,exe_unknown,{safe_cell('-1')},\"'=HYPERLINK(\"\"http://x\"\")\"",
        f"4,score off the scale: -1 is outside 1..4,R1,P1,peer,exe_understands_instructions,{safe_cell('-1')},'@risk",
    ]


def test_no_rejects_file_when_nothing_is_rejected(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    summary = run_import(with_roster, "responses", "tab_separated.tsv", bundle, rejects_path=tmp_path / "rejects.csv")
    assert summary.rejects_file is None and not (tmp_path / "rejects.csv").exists()


def test_rejected_rows_keep_the_raw_row(with_roster: Workspace, bundle: ModelBundle) -> None:
    """The workspace keeps each rejected row as read, keyed by the file's own headers."""
    summary = run_import(with_roster, "responses", "responses_gb18030.csv", bundle)
    assert rows(with_roster, "SELECT row_number, raw FROM rejected_rows WHERE import_id = ?", [summary.import_id]) == [
        (4, '{"被评价人工号":"R1","评价人工号":"P2","关系":"隔壁部门","题目":"exe_understands_instructions","分数":"3","评语":"不太了解"}')
    ]
    assert rows(with_roster, "SELECT file_name, rows_total, accepted, rejected, superseded FROM imports WHERE import_id = ?", [summary.import_id]) == [
        ("responses_gb18030.csv", 3, 2, 1, False)
    ]


def test_summary_is_safe_to_print(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Counts, reasons with row numbers, and never a rater id."""
    summary = run_import(with_roster, "responses", "responses_bad.csv", bundle)
    assert summary.lines() == [
        "responses_bad.csv: 5 rows accepted, 13 rejected",
        "  2 × score off the scale",
        "  1 × duplicate answer",
        "  1 × missing employee_id",
        "  1 × missing item_id",
        "  1 × missing rater_id",
        "  1 × missing relationship",
        "  1 × score not a number",
        "  1 × self with another rater",
        "  1 × self-rating not marked self",
        "  1 × unknown employee",
        "  1 × unknown item",
        "  1 × unknown relationship",
        "  row 5: duplicate answer: same rater, employee and item as row 3",
        "  row 6: unknown employee: 'X9' is not in the roster of cycle 2026-Q4",
        "  row 7: missing employee_id",
        "  row 8: missing rater_id",
        "  row 9: missing item_id",
    ]
    printed = "\n".join(summary.lines() + [reason for _, reason in rejections(with_roster, summary)])
    assert not any(rater in printed for rater in RATERS_IN_BAD_FILE)


def test_strict_message_names_no_rater(with_roster: Workspace, bundle: ModelBundle) -> None:
    with pytest.raises(RowsRejected) as caught:
        run_import(with_roster, "responses", "responses_bad.csv", bundle, strict=True)
    assert not any(rater in str(caught.value) for rater in RATERS_IN_BAD_FILE)


def test_imports_are_recorded_per_cycle_and_kind(with_roster: Workspace, bundle: ModelBundle) -> None:
    summary = run_import(with_roster, "responses", "semicolon.csv", bundle)
    assert summary.sha256 == rows(with_roster, "SELECT sha256 FROM imports WHERE import_id = 2")[0][0]
    assert rows(with_roster, "SELECT cycle_id, kind, file_name, rows_total, accepted, rejected FROM imports ORDER BY import_id") == [
        (CYCLE, "roster", "roster_ok.csv", 6, 6, 0),
        (CYCLE, "responses", "semicolon.csv", 2, 1, 1),
    ]


def test_duplicates_are_found_past_the_64th_behaviour(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Repeated answers are found with a bit per behaviour in 64-bit words, so a model with more
    behaviours needs a second word; the repeats on either side of the 64th are caught, the rest kept."""
    first = bundle.model.competencies[0]
    extra = [Behavior(id=f"extra_{n}", text=Text(zh=f"行为{n}", en=f"Behaviour {n}")) for n in range(70 - len(bundle.model.behaviors()))]
    grown = first.model_copy(update={"behaviors": [*first.behaviors, *extra]})
    model = bundle.model.model_copy(update={"competencies": [grown, *bundle.model.competencies[1:]]})
    big = ModelBundle(model, bundle.kpis, bundle.roles, bundle.files)
    items = [b.id for _, b in model.behaviors()]
    assert len(items) == 70
    answers = tmp_path / "answers.csv"
    lines = ["employee_id,rater_id,relationship,item_id,score"]
    lines += [f"R1,S1,manager,{item},3" for item in (items[0], items[64], items[65], items[1], items[65], items[64])]
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = run_import(with_roster, "responses", answers, big)
    assert (summary.accepted, summary.rejected) == (4, 2)
    assert rejections(with_roster, summary) == [
        (6, "duplicate answer: same rater, employee and item as row 4"),
        (7, "duplicate answer: same rater, employee and item as row 3"),
    ]


def test_an_import_leaves_no_temporary_tables_behind(with_roster: Workspace, bundle: ModelBundle) -> None:
    run_import(with_roster, "responses", "responses_bad.csv", bundle)
    assert rows(with_roster, "SELECT count(*) FROM duckdb_tables() WHERE temporary") == [(0,)]
    assert rows(with_roster, "SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal") == [(0,)]
