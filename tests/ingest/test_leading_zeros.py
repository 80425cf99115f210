"""Ids that differ from the roster's only in leading zeros (Excel drops them from a
column of numbers) are refused as unknown, with the roster's id in the reason."""

from __future__ import annotations

from pathlib import Path

from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import rejections, responses_csv, run_import


def test_an_id_that_lost_or_gained_leading_zeros_is_named_with_the_rosters(workspace: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_id,name,role,manager_id\n000010,王芳,sales_supervisor,\n11,李娜,sales_representative,000010\n", encoding="utf-8")
    assert run_import(workspace, "roster", roster, bundle).accepted == 2
    answers = responses_csv(tmp_path, "10,P1,peer,exe_understands_instructions,3,", "0011,P1,peer,exe_understands_instructions,3,", "12,P1,peer,exe_understands_instructions,3,")
    summary = run_import(workspace, "responses", answers, bundle)
    assert rejections(workspace, summary) == [
        (2, "unknown employee: '10' is not in the roster of cycle 2026-Q4; the roster has '000010', which differs only in leading zeros: keep the id column as text in Excel, or fix the ids"),
        (3, "unknown employee: '0011' is not in the roster of cycle 2026-Q4; the roster has '11', which differs only in leading zeros: keep the id column as text in Excel, or fix the ids"),
        (4, "unknown employee: '12' is not in the roster of cycle 2026-Q4"),
    ]
