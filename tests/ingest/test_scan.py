"""The pre-pass over a file: hash, encoding and the line facts that choose DuckDB's path."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from competency.ingest import scan
from competency.ingest.scan import scan_file

HEADER = b"employee_id,potential\n"


@pytest.fixture(params=[3, 7, 1 << 20], ids=["tiny chunks", "small chunks", "one chunk"])
def chunk(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Every fact must hold whatever the chunk edges cut through."""
    monkeypatch.setattr(scan, "CHUNK", request.param)
    return int(request.param)


def facts(tmp_path: Path, data: bytes) -> tuple[str, bool, bool, bool]:
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    found = scan_file(path, path.name)
    assert found.sha256 == hashlib.sha256(data).hexdigest()
    return found.encoding, found.empty_line_between_rows, found.quoted_line_break, found.has_content


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (HEADER + b"R1,high\nR2,low\n", ("utf-8", False, False, True)),
        (HEADER + b"R1,high\n\nR2,low\n", ("utf-8", True, False, True)),
        (HEADER + b"R1,high\r\n\r\nR2,low\r\n", ("utf-8", True, False, True)),
        (HEADER + b"R1,high\nR2,low\n\n\n", ("utf-8", False, False, True)),  # trailing empty lines are harmless
        (b"\nemployee_id,potential\nR1,high\n", ("utf-8", True, False, True)),
        (HEADER + b'R1,"hi\ngh"\nR2,"a ""b"""\n', ("utf-8", False, True, True)),
        (HEADER + b'R1,"say ""hi"""\nR2,low', ("utf-8", False, False, True)),
        (HEADER + b'R1,"hi\rgh"\nR2,low\n', ("utf-8", False, True, True)),
        (HEADER + b'R1,"hi\rgh"\r\nR2,low\r\n', ("utf-8", False, True, True)),
        ("employee_id,潜力\nR1,高\n".encode("gb18030"), ("gb18030", False, False, True)),
        ("employee_id,潜力\nR1,高\n".encode("utf-8"), ("utf-8", False, False, True)),
        (b"\xef\xbb\xbf \r\n", ("utf-8", False, False, False)),
        (b"", ("utf-8", False, False, False)),
    ],
    ids=["plain", "empty line", "empty line crlf", "trailing", "leading", "quoted break", "escaped quotes", "quoted cr", "quoted cr crlf", "gb18030", "utf-8 chinese", "bom only", "empty"],
)
def test_line_facts(tmp_path: Path, chunk: int, data: bytes, expected: tuple[str, bool, bool, bool]) -> None:
    assert facts(tmp_path, data) == expected


def test_a_character_cut_by_a_chunk_edge_is_still_utf8(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """'高' is three bytes; a chunk edge inside it, then ASCII, is still valid UTF-8."""
    monkeypatch.setattr(scan, "CHUNK", len(HEADER) + 4)
    data = HEADER + "R1,高,x,y,z\n".encode()
    assert facts(tmp_path, data)[0] == "utf-8"


@pytest.mark.parametrize(("data", "odd"), [(HEADER + b'R1,"high\nR2,low\n', True), (HEADER + b'R1,"hi""gh"\nR2,low\n', False), (HEADER + b"R1,high\n", False)])
def test_quotes_odd_in_number(tmp_path: Path, chunk: int, data: bytes, odd: bool) -> None:
    """An odd count of quotes (whatever the chunks) sends the file to the search for an unclosed one."""
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    assert scan_file(path, path.name).odd_quotes is odd
