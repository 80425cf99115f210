"""One streaming pass over an input file before DuckDB reads it.

The pass computes what the import needs to know without holding the file in
memory: its sha256 (re-importing the same file is a no-op), its encoding
(DuckDB reads UTF-8 only here, so GB18030 and UTF-16 files are transcoded),
and three facts about its lines that decide how DuckDB may read it:

- an empty line between rows: DuckDB's reader skips it silently, which would
  shift every later row number, so such files take the numbered path;
- a quoted value spanning lines (a line feed or a bare carriage return inside
  quotes): DuckDB's parallel reader can't pad short rows in such a file, so it
  is read on one thread;
- an odd number of quote characters: a quote may be left open, which DuckDB
  would let swallow every row after it, so the file is checked for one
  (`csv_records.unclosed_quote`).
"""

from __future__ import annotations

import codecs
import hashlib
import re
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from competency.errors import Location, SourceErrors, SourceProblem

CHUNK = 4 << 20

_EMPTY_LINE = re.compile(rb"\n\r?\n")
_WHITESPACE = b" \t\r\n"


@dataclass(frozen=True)
class FileScan:
    """What one pass over a file found."""

    sha256: str
    size: int
    encoding: str  # utf-8, gb18030 or utf-16: the text encoding of the bytes
    empty_line_between_rows: bool
    quoted_line_break: bool
    has_content: bool  # anything but whitespace and a byte-order mark
    odd_quotes: bool = False  # an odd number of `"` in the file


def hash_file(path: Path) -> str:
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def scan_file(path: Path, shown_name: str) -> FileScan:
    """Hash the file and check its text and line structure in one pass."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    lines = _LineFacts()
    size = 0
    with path.open("rb") as stream, ThreadPoolExecutor(max_workers=1) as hasher:
        head = stream.read(4)
        stream.seek(0)
        if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return _utf16_scan(path)
        # hashlib lets go of the GIL while it hashes, so the hash of a chunk is computed
        # on the other core while this thread checks the same chunk's text.
        hashed: Future[None] | None = None
        while chunk := stream.read(CHUNK):
            if hashed is not None:
                hashed.result()
            hashed = hasher.submit(digest.update, chunk)
            if utf8:
                utf8 = _still_utf8(decoder, chunk)
            lines.feed(chunk, size)
            size += len(chunk)
        if hashed is not None:
            hashed.result()
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    lines.finish()
    encoding = "utf-8" if utf8 else "gb18030"
    if not utf8:
        _check_decodes(path, "gb18030", shown_name)
    return FileScan(digest.hexdigest(), size, encoding, lines.empty_line_between_rows, lines.quoted_line_break, lines.has_content, lines.quotes % 2 == 1)


def _still_utf8(decoder: codecs.IncrementalDecoder, chunk: bytes) -> bool:
    """Feed one chunk to the UTF-8 check. An ASCII chunk (the common case, checked
    at C speed) is valid unless a multi-byte character was left open before it."""
    if chunk.isascii():
        return not decoder.getstate()[0]
    try:
        decoder.decode(chunk)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_scan(path: Path) -> FileScan:
    """UTF-16 (Excel's 'Unicode text'): only hash here; the transcoded copy is scanned."""
    digest = hash_file(path)
    return FileScan(digest, path.stat().st_size, "utf-16", False, False, True)


class _LineFacts:
    """Empty lines and quoted line breaks, found chunk by chunk without copying chunks."""

    def __init__(self) -> None:
        self.tail = b""  # the last bytes of the previous chunk, for an empty line across the edge
        self.carry = b""  # the previous chunk's unfinished last line, for the quote count
        self.first_empty_line: int | None = None
        self.last_content = -1
        self.quoted_line_break = False
        self.has_content = False
        self.quotes = 0

    def feed(self, chunk: bytes, offset: int) -> None:
        bom = offset == 0 and chunk.startswith(codecs.BOM_UTF8)
        if offset == 0 and chunk[3 if bom else 0 :][:1] in (b"\n", b"\r"):
            self.first_empty_line = 0  # an empty first line: the header is not on line 1
        end = len(chunk)
        while end and chunk[end - 1] in _WHITESPACE:
            end -= 1
        if end > (3 if bom else 0):
            self.has_content = True
            self.last_content = offset + end
        if self.first_empty_line is None:
            self._empty_line(chunk, offset)
        self.tail = chunk[-2:]
        self.quotes += chunk.count(b'"')
        if not self.quoted_line_break:
            self._quotes(chunk)

    def _empty_line(self, chunk: bytes, offset: int) -> None:
        edge = _EMPTY_LINE.search(self.tail + chunk[:2])
        if edge:
            self.first_empty_line = offset - len(self.tail) + edge.start()
            return
        inside = _EMPTY_LINE.search(chunk)
        if inside:
            self.first_empty_line = offset + inside.start()

    def _quotes(self, chunk: bytes) -> None:
        """Only chunks holding a quote pay for looking at whole lines."""
        if b'"' not in chunk and b'"' not in self.carry:
            cut = chunk.rfind(b"\n")
            self.carry = chunk[cut + 1 :] if cut >= 0 else self.carry + chunk
            return
        data = self.carry + chunk
        cut = data.rfind(b"\n")
        whole, self.carry = (data[: cut + 1], data[cut + 1 :]) if cut >= 0 else (b"", data)
        if _odd_quoted_line(whole):
            self.quoted_line_break = True

    def finish(self) -> None:
        if not self.quoted_line_break and self.carry and _odd_quoted_line(self.carry):
            self.quoted_line_break = True

    @property
    def empty_line_between_rows(self) -> bool:
        """An empty line before the last content; trailing empty lines are harmless."""
        return self.first_empty_line is not None and self.first_empty_line < self.last_content


def _odd_quoted_line(data: bytes) -> bool:
    """Whether a line holds an odd number of quotes, opening (or closing) a quoted
    value that spans lines. A bare carriage return ends a line here too (RFC 4180
    allows one inside quotes, and DuckDB reads it as a line break). Jumps from
    quote to quote: lines without one cost nothing."""
    position = data.find(b'"')
    while position >= 0:
        start = data.rfind(b"\n", 0, position) + 1
        start = data.rfind(b"\r", start, position) + 1 or start
        end = _line_end(data, position)
        if data.count(b'"', start, end) % 2:
            return True
        position = data.find(b'"', end)
    return False


def _line_end(data: bytes, position: int) -> int:
    """Where the line holding `position` ends: its carriage return or line feed, or the data's end.
    Both searches stop at the line feed, so a file without carriage returns costs one search."""
    end = data.find(b"\n", position)
    end = len(data) if end < 0 else end
    cr = data.find(b"\r", position, end)
    return end if cr < 0 else cr


def _check_decodes(path: Path, encoding: str, shown_name: str) -> None:
    """Raise a positioned error when the bytes are not text in `encoding` either."""
    decoder = codecs.getincrementaldecoder(encoding)()
    line = 1
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line += chunk[: error.start].count(b"\n")
                raise SourceErrors(
                    [
                        SourceProblem(
                            Location(shown_name, line, 1),
                            "the file is not text in UTF-8 or GB18030",
                            "save it again as CSV UTF-8 (Excel: File › Save As › 'CSV UTF-8'), or export it as XLSX",
                        )
                    ]
                ) from None
            line += chunk.count(b"\n")


def transcode(path: Path, encoding: str, target: Path) -> None:
    """Copy a text file to UTF-8 chunk by chunk (no byte-order mark)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    first = True
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as sink:
        while chunk := source.read(CHUNK):
            text = decoder.decode(chunk)
            if first:
                text = text.lstrip("\ufeff")
                first = False
            sink.write(text)
        sink.write(decoder.decode(b"", final=True))
