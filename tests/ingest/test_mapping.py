"""Import mappings: headers, relationship values and wide item columns, checked against the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.errors import SourceErrors
from competency.ingest import load_mapping
from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import CORPUS, rejections, responses_csv, rows, run_import


def mapping_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def mapping_errors(path: Path, kind: str, bundle: ModelBundle) -> str:
    with pytest.raises(SourceErrors) as caught:
        load_mapping(path, kind, bundle)
    return str(caught.value)


def test_chinese_headers_with_a_mapping(with_roster: Workspace, bundle: ModelBundle) -> None:
    """The mapping names each header and adds relationship values the built-in aliases lack."""
    summary = run_import(with_roster, "responses", "responses_zh_mapped.csv", bundle, mapping=CORPUS / "zh_mapping.yaml")
    assert rejections(with_roster, summary) == [(4, "unknown relationship: '隔级领导'; known: customer, direct_report, manager, peer, self")]
    assert rows(with_roster, "SELECT rater_id, relationship, score, comment FROM responses ORDER BY rater_id") == [
        ("P1", "peer", 3.0, None),
        ("S1", "manager", 4.0, "很好"),
    ]


def test_mapping_naming_an_unknown_behaviour(bundle: ModelBundle) -> None:
    """An item mapped to a behaviour the model lacks is an error at its line, with a near miss."""
    path = CORPUS / "mapping_unknown_behaviour.yaml"
    assert mapping_errors(path, "responses", bundle) == (
        f"{path}:5:3: unknown behaviour 'exe_understands_instruction' in model 'sales'\n"
        '      "Q1 理解指示": exe_understands_instruction\n'
        "      ^\n"
        "  hint: did you mean 'exe_understands_instructions'?\n\n1 error in 1 file."
    )


def test_all_mistakes_of_a_mapping_at_once(bundle: ModelBundle) -> None:
    """A misspelt field (pydantic, extra=forbid) and an unknown rater group are reported together."""
    path = CORPUS / "mapping_mistakes.yaml"
    assert mapping_errors(path, "responses", bundle) == (
        f"{path}:3:1: unknown field 'colums'\n    colums:\n    ^\n  hint: did you mean 'columns'?\n\n"
        f"{path}:6:3: unknown rater group 'boss'\n      直接领导: boss\n      ^^\n  hint: known: customer, direct_report, manager, peer, self\n\n"
        "2 errors in 1 file."
    )


def test_mapping_for_another_kind_and_unknown_column(tmp_path: Path, bundle: ModelBundle) -> None:
    path = mapping_file(tmp_path, "kind: import_mapping\napplies_to: kpis\ncolumns:\n  打分人: rater\n")
    assert mapping_errors(path, "responses", bundle) == (
        f"{path}:2:13: this mapping is for kpis files, not responses\n    applies_to: kpis\n                ^^^^\n"
        "  hint: import it with `competency import kpis …`, or use another mapping\n\n"
        f"{path}:4:3: unknown column 'rater' for a responses file\n      打分人: rater\n      ^^\n  hint: did you mean 'rater_id'?\n\n"
        "2 errors in 1 file."
    )


def test_one_behaviour_from_two_columns(tmp_path: Path, bundle: ModelBundle) -> None:
    path = mapping_file(tmp_path, "kind: import_mapping\nitems:\n  Q1: exe_understands_instructions\n  Q2: exe_understands_instructions\n")
    assert mapping_errors(path, "responses", bundle) == (
        f"{path}:4:3: behaviour 'exe_understands_instructions' is already mapped from column 'Q1'\n"
        "      Q2: exe_understands_instructions\n      ^\n  hint: map each item from one column only\n\n1 error in 1 file."
    )


def test_items_only_for_responses(tmp_path: Path, bundle: ModelBundle) -> None:
    path = mapping_file(tmp_path, "kind: import_mapping\nitems:\n  1: exe_understands_instructions\n")
    assert mapping_errors(path, "potential", bundle) == (
        f"{path}:2:1: `items` maps the item columns of a wide responses file; a potential file has none\n"
        "    items:\n    ^\n  hint: remove `items`\n\n1 error in 1 file."
    )


def test_mapped_header_missing_from_the_file(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """A header the mapping names but the file lacks is placed in the mapping, with the file's headers."""
    path = mapping_file(tmp_path, "kind: import_mapping\ncolumns:\n  被评价人员: employee_id\n")
    with pytest.raises(SourceErrors) as caught:
        run_import(with_roster, "responses", "responses_zh_mapped.csv", bundle, mapping=path)
    assert str(caught.value) == (
        f"{path}:3:3: column '被评价人员' is not in the header of responses_zh_mapped.csv\n      被评价人员: employee_id\n      ^^\n"
        "  hint: the header has: 员工, 打分人, 身份, 题目代码, 打分, 文字意见\n\n1 error in 1 file."
    )


def test_unknown_sheet(tmp_path: Path, survey_xlsx: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    text = (CORPUS / "xlsx_mapping.yaml").read_text(encoding="utf-8").replace("sheet: 答卷", "sheet: 答题")
    path = mapping_file(tmp_path, text)
    with pytest.raises(SourceErrors) as caught:
        run_import(with_roster, "responses", survey_xlsx, bundle, mapping=path)
    assert str(caught.value) == (
        f"{path}:4:8: no sheet '答题' in survey.xlsx\n    sheet: 答题\n           ^^^^\n  hint: known: 答卷, 说明\n\n1 error in 1 file."
    )


def test_wide_file_with_a_mapping(with_roster: Workspace, bundle: ModelBundle) -> None:
    """One row per rater, one column per item: each answer is judged on its own; the unit is the answer."""
    summary = run_import(with_roster, "responses", "responses_wide.csv", bundle, mapping=CORPUS / "wide_mapping.yaml")
    unknown = "unknown employee: 'X9' is not in the roster of cycle 2026-Q4"
    assert rejections(with_roster, summary) == [(3, "score off the scale: 6 is outside 1..4 (column 'Q2 设定目标')"), (4, unknown), (4, unknown), (4, unknown)]
    assert (summary.file_rows, summary.rows_total, summary.accepted, summary.rejected, summary.unit) == (3, 9, 5, 4, "answer")
    assert rows(with_roster, "SELECT rater_id, relationship, item_id, score, comment FROM responses ORDER BY ALL") == [
        ("P1", "peer", "exe_perseveres_exceeds_expectations", None, None),
        ("P1", "peer", "exe_understands_instructions", 3.0, None),
        ("S1", "manager", "exe_perseveres_exceeds_expectations", 4.0, None),
        ("S1", "manager", "exe_sets_goals_seeks_solutions", 3.0, None),
        ("S1", "manager", "exe_understands_instructions", 4.0, "表现稳定"),
    ]


def test_wide_file_whose_headers_are_item_ids(with_roster: Workspace, bundle: ModelBundle) -> None:
    """Columns named by behaviour ids make a wide file without any mapping."""
    summary = run_import(with_roster, "responses", "wide_auto.csv", bundle)
    assert rejections(with_roster, summary) == [(3, "score off the scale: 5 is outside 1..4 (column 'exe_sets_goals_seeks_solutions')")]
    assert (summary.file_rows, summary.accepted, summary.rejected) == (2, 3, 1)


def test_numeric_headers(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """Question numbers as headers (`1:` in YAML is a number) still name their columns."""
    data = tmp_path / "wide.csv"
    data.write_text("employee_id,rater_id,relationship,1,2\nR1,S1,manager,4,3\n", encoding="utf-8")
    path = mapping_file(tmp_path, "kind: import_mapping\nitems:\n  1: exe_understands_instructions\n  2: exe_sets_goals_seeks_solutions\n")
    summary = run_import(with_roster, "responses", data, bundle, mapping=path)
    assert (summary.accepted, summary.rejected) == (2, 0)


def test_a_blank_relationship_stays_missing_even_if_the_mapping_names_it(tmp_path: Path, with_roster: Workspace, bundle: ModelBundle) -> None:
    """A mapping entry for '' does not turn blank relationships (empty, spaces, ideographic space) into a group."""
    mapping = mapping_file(tmp_path, 'kind: import_mapping\napplies_to: responses\nrelationships:\n  "": peer\n')
    path = responses_csv(
        tmp_path, "R1,P1,,exe_understands_instructions,3,", "R1,P2, ,exe_understands_instructions,3,", "R1,P3,\u3000,exe_understands_instructions,3,"
    )
    summary = run_import(with_roster, "responses", path, bundle, mapping=mapping)
    assert rejections(with_roster, summary) == [(2, "missing relationship"), (3, "missing relationship"), (4, "missing relationship")]
