"""The bad-input corpus: every row is used or rejected, with its row number and reason.

Each case names a file of `corpus/`, how many rows it stores, and the exact
(row number, reason) of every rejected row. Row 1 is the header, so the first
data row is row 2, as Excel shows it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import CORPUS, data_rows, rejections, responses_csv, rows, run_import

KNOWN_GROUPS = "known: customer, direct_report, manager, peer, self"
NOT_IN_ROSTER = "is not in the roster of cycle 2026-Q4"

CASES = {
    "responses_bad.csv": (
        "responses",
        5,
        [
            (5, "duplicate answer: same rater, employee and item as row 3"),
            (6, f"unknown employee: 'X9' {NOT_IN_ROSTER}"),
            (7, "missing employee_id"),
            (8, "missing rater_id"),
            (9, "missing item_id"),
            (10, "unknown item: 'exe_understand_instructions'; did you mean 'exe_understands_instructions'?"),
            (11, "missing relationship"),
            (12, f"unknown relationship: 'friend'; {KNOWN_GROUPS}"),
            (13, "self-rating not marked self: the rater is the employee, but the relationship is 'peer'"),
            (14, "self with another rater: the relationship is 'self' but the rater is not the employee"),
            (15, "score not a number: 'fine'"),
            (16, "score off the scale: 5 is outside 1..4"),
            (17, "score off the scale: 0.5 is outside 1..4"),
        ],
    ),
    # Spaces around values (ASCII, no-break and ideographic) are forgiven, and left out of the reasons.
    "responses_spaces.csv": (
        "responses",
        4,
        [
            (5, "missing employee_id"),
            (6, f"unknown employee: 'X9' {NOT_IN_ROSTER}"),
            (7, "missing relationship"),
            (8, f"unknown relationship: 'friend'; {KNOWN_GROUPS}"),
            (9, "unknown item: 'rel_build_trust'; did you mean 'rel_builds_trust'?"),
            (10, "missing item_id"),
            (11, "score not a number: 'fine'"),
            (12, "score off the scale: 7 is outside 1..4"),
            (14, "self-rating not marked self: the rater is the employee, but the relationship is 'peer'"),
        ],
    ),
    "kpis_bad.csv": (
        "kpis",
        3,
        [
            (3, "duplicate KPI figure: same employee and KPI as row 2"),
            (5, f"unknown employee: 'X9' {NOT_IN_ROSTER}"),
            (6, "unknown KPI: 'sales_attainmnt'; did you mean 'sales_attainment'?"),
            (7, "actual not a number: 'n/a'"),
            (8, "missing actual"),
            (9, "target not a number: 'high'"),
            (10, "missing target for a KPI that has no default"),
            (11, "target not above 0: 0"),
            (12, "target not above 0: -5"),
        ],
    ),
    "potential_bad.csv": (
        "potential",
        4,
        [
            (6, "unknown potential: 'hgh'; did you mean 'high'?"),
            (7, f"unknown employee: 'X9' {NOT_IN_ROSTER}"),
            (8, "duplicate potential: same employee as row 2"),
            (9, "missing potential"),
        ],
    ),
    "truncated.csv": ("responses", 2, [(4, "too few fields: 3 of 6 (is the file cut short?)")]),
    "too_many_fields.csv": ("responses", 1, [(3, "too many fields: more than the 6 columns of the header")]),
    # A row may stop before optional columns (the comment); not before a column it must have.
    "short_rows.csv": ("responses", 2, [(4, "too few fields: 4 of 6 (is the file cut short?)")]),
    "semicolon.csv": ("responses", 1, [(3, "score off the scale: 7 is outside 1..4")]),
    "tab_separated.tsv": ("responses", 2, []),
    "responses_zh_builtin.csv": ("responses", 5, []),
    "responses_gb18030.csv": ("responses", 2, [(4, f"unknown relationship: '隔壁部门'; {KNOWN_GROUPS}")]),
    "responses_bom.csv": ("responses", 1, [(3, "unknown item: 'inf_leads_by_examples'; did you mean 'inf_leads_by_example'?")]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_file(name: str, with_roster: Workspace, bundle_without_default_target: ModelBundle) -> None:
    """Every row of the file is accepted or rejected with its row number and reason."""
    kind, accepted, expected = CASES[name]
    summary = run_import(with_roster, kind, name, bundle_without_default_target)
    assert rejections(with_roster, summary) == expected
    assert (summary.accepted, summary.rejected) == (accepted, len(expected))
    assert summary.accepted + summary.rejected == summary.rows_total == data_rows(CORPUS / name)


def test_roster_rejections(workspace: Workspace, bundle: ModelBundle) -> None:
    """Roster rows need an id, a known role and a chain of managers that reaches the top."""
    summary = run_import(workspace, "roster", "roster_bad.csv", bundle)
    assert rejections(workspace, summary) == [
        (3, "missing employee_id"),
        (5, "duplicate employee_id: 'S1' is also on row 4"),
        (6, "unknown role: 'sales_rep'; did you mean 'sales_representative'?"),
        (7, "missing role"),
        (8, "unknown manager: manager_id 'X9' is not in the roster"),
        (9, "manager rejected: the row of manager 'R1' (row 6) is rejected"),
        (10, "manager loop: the managers above, from manager_id 'L2', run in a circle"),
        (11, "manager loop: the managers above, from manager_id 'L1', run in a circle"),
        (12, "manager loop: manager_id is the employee's own id"),
    ]
    assert summary.accepted + summary.rejected == data_rows(CORPUS / "roster_bad.csv") == 12
    assert rows(workspace, "SELECT employee_id, manager_id FROM roster ORDER BY employee_id") == [("M1", None), ("R5", "S1"), ("S1", "M1")]


def test_roster_values_and_attributes(with_roster: Workspace) -> None:
    """Roles may be written by id or by name; extra columns become attributes (`employee.hire_year`)."""
    stored = rows(with_roster, "SELECT employee_id, role, manager_id, region, attributes FROM roster ORDER BY employee_id")
    assert stored == [
        ("M1", "regional_sales_manager", None, "east", '{"hire_year":"2012"}'),
        ("R1", "sales_representative", "S1", "east", '{"hire_year":"2021"}'),
        ("R2", "sales_representative", "S1", "east", '{"hire_year":"2022"}'),
        ("R3", "sales_representative", "S2", "south", '{"hire_year":null}'),
        ("S1", "sales_supervisor", "M1", "east", '{"hire_year":"2016"}'),
        ("S2", "sales_supervisor", "M1", "south", '{"hire_year":"2018"}'),
    ]


def test_responses_are_stored_with_their_competency(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Accepted answers keep their item's competency; a blank score is stored as NULL ('cannot rate')."""
    run_import(with_roster, "responses", "responses_bad.csv", bundle)
    stored = rows(with_roster, "SELECT employee_id, rater_id, relationship, item_id, competency_id, score, comment FROM responses ORDER BY ALL")
    assert stored == [
        ("R1", "P1", "peer", "exe_understands_instructions", "execution", None, None),
        ("R1", "P3", "direct_report", "exe_perseveres_exceeds_expectations", "execution", 2.5, None),
        ("R1", "R1", "self", "exe_understands_instructions", "execution", 3.0, None),
        ("R1", "S1", "manager", "exe_understands_instructions", "execution", 4.0, "清楚"),
        ("R2", "C1", "customer", "rel_builds_trust", "relationships", 4.0, "Delivers, on time"),
    ]


def test_answers_are_stored_without_surrounding_spaces(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Ids, relationship, item, score and comment are stored trimmed, whichever spaces surround them."""
    run_import(with_roster, "responses", "responses_spaces.csv", bundle)
    stored = rows(with_roster, "SELECT employee_id, rater_id, relationship, item_id, competency_id, score, comment FROM responses ORDER BY ALL")
    assert stored == [
        ("R1", "R1", "self", "exe_understands_instructions", "execution", 3.0, None),
        ("R1", "S1", "manager", "exe_understands_instructions", "execution", 4.0, "clear"),
        ("R2", "P1", "peer", "rel_builds_trust", "relationships", 2.5, None),
        ("R2", "P1", "peer", "rel_listens_to_customers", "relationships", None, None),
    ]


def test_chinese_relationships_and_headers_built_in(with_roster: Workspace, bundle: ModelBundle) -> None:
    """被评价人工号, 评价人工号, 关系, 题目, 分数, 评语 and 自评/上级/下属/经销商/同级 need no mapping."""
    run_import(with_roster, "responses", "responses_zh_builtin.csv", bundle)
    stored = rows(with_roster, "SELECT rater_id, relationship, comment FROM responses ORDER BY rater_id")
    assert stored == [("D1", "direct_report", None), ("K1", "customer", None), ("P1", "peer", None), ("R1", "self", "我觉得还行"), ("S1", "manager", "执行到位")]


def test_gb18030_file_is_read_as_chinese(with_roster: Workspace, bundle: ModelBundle) -> None:
    """A GB18030 file (Excel's 'CSV' on a Chinese Windows) is transcoded, not garbled."""
    run_import(with_roster, "responses", "responses_gb18030.csv", bundle)
    assert rows(with_roster, "SELECT comment FROM responses ORDER BY comment") == [("执行力强，值得肯定",), ("沟通顺畅",)]


def test_kpi_targets_come_from_the_file_the_role_or_the_kpi(with_roster: Workspace, bundle_without_default_target: ModelBundle) -> None:
    """A blank target takes the role's target for the KPI, else the KPI's default; KPIs may be named in Chinese."""
    run_import(with_roster, "kpis", "kpis_bad.csv", bundle_without_default_target)
    stored = rows(with_roster, "SELECT employee_id, kpi_id, actual, target FROM kpi_actuals ORDER BY ALL")
    assert stored == [("R1", "sales_attainment", 0.95, 1.0), ("R2", "expense_ratio", 7.5, 8.0), ("S1", "new_customers", 18.0, 20.0)]


def test_potential_values(with_roster: Workspace, bundle: ModelBundle) -> None:
    """low/medium/high, 低/中/高 and 1/2/3 all read as the three levels."""
    run_import(with_roster, "potential", "potential_bad.csv", bundle)
    stored = rows(with_roster, "SELECT employee_id, potential FROM potential ORDER BY ALL")
    assert stored == [("R1", "high"), ("R2", "medium"), ("R3", "low"), ("S1", "medium")]


def test_blank_lines_keep_row_numbers(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Empty lines are not rows, but the rows after them keep the numbers a spreadsheet shows."""
    summary = run_import(with_roster, "responses", "blank_lines.csv", bundle)
    assert rejections(with_roster, summary) == [(7, "score off the scale: 9 is outside 1..4")]
    assert (summary.rows_total, summary.accepted) == (3, 2)


def test_rows_of_only_spaces_are_not_rows(with_roster: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    """A row whose fields are all blank or spaces is not data; a value after an ideographic space is."""
    path = responses_csv(tmp_path, "R1,S1,manager,exe_understands_instructions,4,", " , ,\u3000,,,", "\u3000R1,P1,peer,exe_understands_instructions,3,")
    summary = run_import(with_roster, "responses", path, bundle)
    assert (summary.rows_total, summary.accepted, summary.rejected) == (2, 2, 0)
    assert rows(with_roster, "SELECT employee_id, rater_id FROM responses ORDER BY rater_id") == [("R1", "P1"), ("R1", "S1")]


def test_quoted_line_breaks_count_as_one_row(with_roster: Workspace, bundle: ModelBundle) -> None:
    """A comment spanning two lines is one row, as in Excel; escaped quotes survive."""
    summary = run_import(with_roster, "responses", "quoted_newlines.csv", bundle)
    assert rejections(with_roster, summary) == [(4, "score not a number: 'x'")]
    comments = rows(with_roster, "SELECT comment FROM responses ORDER BY rater_id")
    assert comments == [("he said \"yes\"",), ("first line\nsecond line",)]


def test_an_unclosed_quote_hidden_by_an_even_count_is_found(with_roster: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    """`5" tall` holds a quote of its own, so the file's quotes are even in number and the
    file is loaded by DuckDB; the value the open quote made (the rest of the file) is seen
    in the last row, and the file is read again row by row."""
    path = responses_csv(
        tmp_path, 'R1,S1,manager,rel_builds_trust,4,5" tall', 'R2,P1,peer,rel_builds_trust,3,"open', "R3,P1,peer,rel_builds_trust,2,", "R1,P1,peer,rel_builds_trust,1,"
    )
    summary = run_import(with_roster, "responses", path, bundle)
    assert (summary.rows_total, summary.accepted) == (4, 3)
    assert rejections(with_roster, summary) == [(3, 'unclosed quote: the value opened with " on line 3 has no closing "')]


def test_header_only_file(with_roster: Workspace, bundle: ModelBundle) -> None:
    """A header without rows imports nothing, and says so."""
    summary = run_import(with_roster, "responses", "header_only.csv", bundle)
    assert (summary.rows_total, summary.accepted, summary.rejected) == (0, 0, 0)
    assert summary.notes == ("the file has no data rows (only a header)",)


@pytest.mark.parametrize("kind", ["responses", "kpis", "potential"])
def test_empty_json_list(kind: str, with_roster: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    """`[]` has no rows and no columns: nothing is imported, and the note says so."""
    path = tmp_path / "empty.json"
    path.write_text("[]", encoding="utf-8")
    summary = run_import(with_roster, kind, path, bundle)
    assert (summary.rows_total, summary.accepted, summary.rejected) == (0, 0, 0)
    assert summary.notes == ("the file has no data rows",)


def test_json_list_of_objects(with_roster: Workspace, bundle: ModelBundle) -> None:
    """JSON rows are numbered from 1 in list order; numbers and null read like CSV text."""
    summary = run_import(with_roster, "responses", "responses.json", bundle)
    assert rejections(with_roster, summary) == [(3, 'not an object: element 3 of the list is a string; each row must be {"column": value, …}'), (5, "score not a number: 'true'")]
    assert rows(with_roster, "SELECT employee_id, rater_id, score FROM responses ORDER BY ALL") == [("R1", "P1", 2.5), ("R1", "S1", 4.0), ("R2", "P1", None)]
    assert summary.accepted + summary.rejected == 5


def test_json_rows_object(with_roster: Workspace, bundle: ModelBundle) -> None:
    """{"rows": [...]} is read like a plain list."""
    summary = run_import(with_roster, "potential", "potential_rows.json", bundle)
    assert rejections(with_roster, summary) == [(3, "unknown potential: 'highest'; did you mean 'high'?")]
    assert rows(with_roster, "SELECT employee_id, potential FROM potential ORDER BY ALL") == [("R1", "high"), ("R2", "medium")]
