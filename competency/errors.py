"""Errors a user can meet: each knows where it happened and how to fix it.

The library raises these; the CLI turns them into exit code 1 and a message.
Nothing here ever shows a Python traceback to the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from competency._text import display_width as _display_width

if TYPE_CHECKING:  # only for the annotation: the rule language depends on this module
    from competency.rules.expr import Span


class CompetencyError(Exception):
    """Base of every error the user is expected to read and act on: what is
    wrong (`message`) and how to fix it (`hint`, empty when there is no advice)."""

    def __init__(self, message: str = "", *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


@dataclass(frozen=True)
class Location:
    """A place in a source file: 1-based line and column, as editors count."""

    file: str
    line: int
    column: int
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class SourceProblem:
    """One mistake in a file: what is wrong, where, and a hint to fix it."""

    location: Location
    message: str
    hint: str = ""
    source_line: str | None = None

    def render(self) -> str:
        """`file:line:col: message`, the offending line with a caret, then the hint."""
        parts = [f"{self.location}: {self.message}"]
        if self.source_line is not None:
            start = max(self.location.column - 1, 0)
            width = 1
            if self.location.end_column and self.location.end_column > self.location.column:
                width = self.location.end_column - self.location.column
            text, start, width = _shorten(self.source_line.rstrip("\n"), start, width)
            text = text.replace("\t", " ")
            parts.append(f"    {text}")
            parts.append("    " + " " * _display_width(text[:start]) + "^" * max(_display_width(text[start:start + width]), 1))
        if self.hint:
            parts.append(f"  hint: {self.hint}")
        return "\n".join(parts)


LONG_LINE = 1_000  # a source line longer than this (minified, generated, hostile) is cut…
SHOWN_COLUMNS = 120  # …to this many terminal columns around the caret


def _shorten(text: str, start: int, width: int) -> tuple[str, int, int]:
    """A line longer than LONG_LINE cut to about SHOWN_COLUMNS terminal columns around
    the caret at [start, start + width), with … where it was cut; the new start and
    width. The work is bounded by the cut, so even a line of megabytes renders at once."""
    if len(text) <= LONG_LINE:
        return text, start, width
    start = min(start, len(text))
    lead = SHOWN_COLUMNS * 3 // 4
    left = 0 if start <= lead and _display_width(text[:start]) <= lead else start
    room = SHOWN_COLUMNS // 4
    while left > 0 and room >= _display_width(text[left - 1]):
        left -= 1
        room -= _display_width(text[left])
    right, room = left, SHOWN_COLUMNS
    while right < len(text) and room >= _display_width(text[right]):
        room -= _display_width(text[right])
        right += 1
    head = "…" if left > 0 else ""
    tail = "…" if right < len(text) else ""
    return head + text[left:right] + tail, start - left + len(head), max(min(width, right - start), 1)


@dataclass
class SourceErrors(CompetencyError):
    """All the mistakes found in one or more files, reported together."""

    problems: list[SourceProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        ordered = sorted(self.problems, key=lambda p: (p.location.file, p.location.line, p.location.column))
        body = "\n\n".join(p.render() for p in ordered)
        count = len(ordered)
        files = len({p.location.file for p in ordered})
        noun = "error" if count == 1 else "errors"
        where = "1 file" if files == 1 else f"{files} files"
        return f"{body}\n\n{count} {noun} in {where}."

    def __str__(self) -> str:
        return self.render()


class NoPlanRules(CompetencyError):
    """A cycle has no (or no usable) development rules or action library."""


class RuleError(CompetencyError):
    """A mistake in one expression or table cell, located by its span in that text.

    It is the only exception the parser lets out, whatever text it is given.
    """

    def __init__(self, message: str, span: Span, hint: str = "", text: str = "") -> None:
        super().__init__(message, hint=hint)
        self.span = span
        self.text = text

    def shifted(self, offset: int) -> RuleError:
        return RuleError(self.message, self.span.shift(offset), self.hint, self.text)

    def __str__(self) -> str:
        if not self.text:
            return self.message
        caret = " " * self.span.start + "^" * max(self.span.end - self.span.start, 1)
        hint = f"\n  hint: {self.hint}" if self.hint else ""
        return f"{self.message}\n    {self.text}\n    {caret}{hint}"


class ImportFailed(CompetencyError):
    """The file can't be imported into this cycle as asked."""


class RowsRejected(CompetencyError):
    """`--strict` was asked and some rows were rejected; nothing is kept."""


class WorkspaceError(CompetencyError):
    """The workspace can't be opened or used as asked."""


class CycleError(CompetencyError):
    """A cycle is missing, exists already, or is in the wrong state."""


class CalibrationError(CompetencyError):
    """A calibration change that cannot be made as asked; nothing was written."""


class AuditLogBroken(CompetencyError):
    """The audit log was changed behind the tool's back."""


class NotScored(CompetencyError):
    """The cycle has no results yet."""


class NoPlans(CompetencyError):
    """The cycle (or person) has no plans yet."""


class ReportError(CompetencyError):
    """A report cannot be made as asked (unknown person, no plans yet, …)."""


class InputFileError(CompetencyError):
    """A file the tool reads or writes for the user can't be used as it is."""


class NotFound(CompetencyError):
    """A name the user typed (an employee, a competency, a roster attribute) is not there."""


class RuleFilesMismatch(CompetencyError):
    """The scoring file and the cycle's rule files don't name the same things."""


class FolderNotEmpty(CompetencyError):
    """A command that creates a folder's files was pointed at a folder holding files."""


def source_line(path: str | Path, line: int) -> str | None:
    """The text of a 1-based line of a file, or None when it can't be read."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return lines[line - 1] if 0 < line <= len(lines) else None


class AuditKeyError(CompetencyError):
    """The audit key (kept outside the workspace) cannot be read or made."""


class ResultsDiffer(CompetencyError):
    """A cycle's stored results differ from a re-computation from its frozen inputs."""


class OutputError(CompetencyError):
    """A file the tool writes can't be written where asked (it would replace data, or leave
    the folder through a link, or the disk refused); nothing was written there."""


class WorkspaceNeedsUpgrade(WorkspaceError):
    """A workspace of an earlier schema was opened read-only; a writer must upgrade it first."""
