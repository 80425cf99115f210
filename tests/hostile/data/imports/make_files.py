"""Writes the hostile import files of this folder (run it to remake them):

    python tests/hostile/data/imports/make_files.py

Every file is small and made from plain text or from one valid workbook that is
then damaged in one way; `tests/hostile/test_imports.py` says what each gives.
The people are those of tests/ingest/corpus/roster_ok.csv (M1, S1, S2, R1, R2, R3).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
KPIS = "employee_id,kpi_id,actual,target\n"
RESPONSES = "employee_id,rater_id,relationship,item_id,score,comment\n"


def text_files() -> dict[str, bytes]:
    return {
        # CSV: records are rows, whatever their quotes do.
        "unclosed_quote.csv": (KPIS + 'R1,sales_attainment,0.9,1\nR2,sales_attainment,"0.8,1\nR3,sales_attainment,1.1,1\nS1,sales_attainment,1,1\nS2,sales_attainment,1.2,1\n').encode(),
        "unclosed_quote_last_line.csv": (KPIS + 'R1,sales_attainment,0.9,1\nR2,sales_attainment,0.8,1\nR3,sales_attainment,"1.1,1\n').encode(),
        "stray_quotes_pair_up.csv": (
            KPIS + 'R1,sales_attainment,0.9,1\nR2,"sales_attainment,0.8,1\nR3,sales_attainment,1.1,1\nS1,sales_attainment,1,"1\nS2,sales_attainment,1.2,1\nM1,sales_attainment,1,1\n'
        ).encode(),
        "unclosed_quote_in_multiline_file.csv": (
            RESPONSES + 'R1,S1,manager,rel_builds_trust,4,"two\nlines"\nR1,P1,peer,rel_builds_trust,3,"open\nR2,P1,peer,rel_builds_trust,2,\nR3,P1,peer,rel_builds_trust,1,\n'
        ).encode(),
        "quoted_cr.csv": (RESPONSES + 'R1,S1,manager,rel_builds_trust,4,"first\rsecond"\nR2,P1,peer,rel_builds_trust,3,plain\n').encode(),
        "quoted_cr_crlf.csv": (RESPONSES.replace("\n", "\r\n") + 'R1,S1,manager,rel_builds_trust,4,"first\rsecond"\r\nR2,P1,peer,rel_builds_trust,3,plain\r\n').encode(),
        "literal_quote.csv": (RESPONSES + 'R1,S1,manager,rel_builds_trust,4,a 5" screen\nR2,P1,peer,rel_builds_trust,3,\nR3,P1,peer,rel_builds_trust,2,\n').encode(),
        "value_past_header_only.csv": (KPIS + "R1,sales_attainment,0.9,1\n,,,,stray\nR2,sales_attainment,0.8,1\n").encode(),
        # Numbers: strictly digits, sign, point and exponent; full width read as ASCII.
        "kpis_underscore.csv": (KPIS + "R1,sales_attainment,1_1,1\nR2,sales_attainment,0.9,1_000\n").encode(),
        "kpis_not_finite.csv": (KPIS + "R1,sales_attainment,inf,1\nR2,sales_attainment,nan,1\nR3,sales_attainment,Infinity,1\nS1,sales_attainment,0.9,1e400\n").encode(),
        "scores_not_numbers.csv": (RESPONSES + "R1,S1,manager,rel_builds_trust,NaN,\nR1,P1,peer,rel_builds_trust,-inf,\nR2,P1,peer,rel_builds_trust,1_1,\nR3,P1,peer,rel_builds_trust,0x3,\n").encode(),
        "kpis_full_width.csv": (KPIS + "R1,sales_attainment,０．９５,１\nR2,sales_attainment,１_１,1\nR3,sales_attainment,٣,1\nS1,sales_attainment,１．２e０,１\n").encode(),
        "scores_full_width.csv": (RESPONSES + "R1,S1,manager,rel_builds_trust,３,\nR2,P1,peer,rel_builds_trust,２．５,\n").encode(),
        # JSON: every element is a row; depth and size capped.
        "elements_not_objects.json": (
            b'[{"employee_id": "R1", "kpi_id": "sales_attainment", "actual": 0.9, "target": 1},\n'
            b' null, {}, 5, "R2,sales_attainment,1,1", ["R3"], true,\n'
            b' {"employee_id": "R3", "kpi_id": "sales_attainment", "actual": 1.1, "target": 1}]\n'
        ),
        "deep.json": b"[" * 100_000,
        "deep_value.json": b'[{"employee_id": "R1", "kpi_id": "sales_attainment",\n  "actual": ' + b"[" * 70 + b"1" + b"]" * 70 + b', "target": 1}]\n',
        "long_integer.json": b'[{"employee_id": "R1", "kpi_id": "sales_attainment", "actual": ' + b"9" * 5000 + b', "target": 1}]\n',
        "not_finite.json": b'[{"employee_id": "R1", "kpi_id": "sales_attainment", "actual": NaN, "target": 1},\n {"employee_id": "R2", "kpi_id": "sales_attainment", "actual": 1e999, "target": Infinity}]\n',
        "big.json": b'[{"employee_id": "R1", "kpi_id": "sales_attainment", "actual": 0.9, "target": 1, "note": "' + b"x" * 2000 + b'"}]\n',
        # A file named .xlsx that is no zip archive at all.
        "not_a_zip.xlsx": b"employee_id,kpi_id,actual,target\nR1,sales_attainment,0.9,1\n",
    }


def workbook(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


GOOD = [["employee_id", "kpi_id", "actual", "target"], ["R1", "sales_attainment", 0.9, 1], ["R2", "sales_attainment", 0.8, 1], ["R3", "sales_attainment", 1.1, 1]]
SHEET = "xl/worksheets/sheet1.xml"


def damaged(base: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """`base` with each part passed through `change` (None leaves the part out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = change(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def only(part: str, edit: Callable[[bytes], bytes | None]) -> Callable[[str, bytes], bytes | None]:
    return lambda name, data: edit(data) if name == part else data


def corrupt_member(base: bytes) -> bytes:
    """The sheet's compressed bytes changed in the middle, so its check sum fails."""
    data = bytearray(base)
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        info = archive.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle] ^= 0xFF
    return bytes(data)


def _replace_all(xml: bytes, replacements: dict[bytes, bytes]) -> bytes:
    for old, new in replacements.items():
        assert old in xml, old
        xml = xml.replace(old, new)
    return xml


def workbooks() -> dict[str, bytes]:
    good = workbook(GOOD)
    formulas = workbook([*GOOD[:2], ["R2", "sales_attainment", "=0.4*2", 1], ["R3", "sales_attainment", 1.1, "=1"], ["S1", "sales_attainment", 1, '=""']])
    # Excel saves a formula's value beside it (an empty text as type "str"): D4 and D5 get
    # theirs, C3 keeps none, as openpyxl writes it.
    saved = {b'<c r="D4"><f>1</f><v /></c>': b'<c r="D4"><f>1</f><v>1</v></c>', b'<c r="D5"><f>""</f><v /></c>': b'<c r="D5" t="str"><f>""</f><v></v></c>'}
    formulas = damaged(formulas, only(SHEET, lambda xml: _replace_all(xml, saved)))
    two_sheets = openpyxl.Workbook()
    two_sheets.create_sheet("Data")
    for row in GOOD:
        two_sheets["Data"].append(row)
    stream = io.BytesIO()
    two_sheets.save(stream)
    past_header = workbook([*GOOD[:2], ["R2", "sales_attainment", 0.8, 1, "stray note"], ["R3", "sales_attainment", 1.1, 1, None, None]])
    return {
        "no_sheet.xlsx": damaged(good, only("xl/workbook.xml", lambda xml: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml))),
        "missing_sheet_part.xlsx": damaged(good, lambda name, data: None if name == SHEET else data),
        "missing_first_sheet_part.xlsx": damaged(stream.getvalue(), lambda name, data: None if name == SHEET else data),
        "missing_workbook_part.xlsx": damaged(good, lambda name, data: None if name == "xl/workbook.xml" else data),
        "truncated_sheet.xlsx": damaged(good, only(SHEET, lambda xml: xml[: xml.index(b'<row r="3"') + 40])),
        "broken_workbook_xml.xlsx": damaged(good, only("xl/workbook.xml", lambda xml: xml[: len(xml) // 2])),
        "cut_short.xlsx": good[: len(good) // 2],
        "corrupt_sheet_data.xlsx": corrupt_member(good),
        "huge_dimension.xlsx": damaged(good, only(SHEET, lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml))),
        "formula_without_value.xlsx": formulas,
        "cells_past_header.xlsx": past_header,
    }


def main() -> None:
    for name, data in {**text_files(), **workbooks()}.items():
        (HERE / name).write_bytes(data)


if __name__ == "__main__":
    main()
