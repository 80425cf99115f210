"""Which file column holds which standard column: the layout of one file.

Headers are matched by the mapping first, then by name (`Employee ID` is
`employee_id`), then by the built-in aliases of the kind (`被评价人工号`).
A responses file is *wide* when a mapping lists `items`, or when its headers
are behaviour ids themselves: one row per rater, one column per item.
Every problem here is about the header, so it is reported on row 1 before any
row is judged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from competency.errors import Location, SourceErrors, SourceProblem
from competency.ingest.columns import HEADER_ALIASES, KIND_COLUMNS, WIDE_REQUIRED, attribute_name, normalise
from competency.ingest.mapping import LoadedMapping
from competency.files.bundle import ModelBundle
from competency._text import closest, did_you_mean


@dataclass(frozen=True)
class Layout:
    """Where each standard column, roster attribute and wide item is in the file (0-based)."""

    kind: str
    columns: dict[str, int]
    attributes: dict[str, int] = field(default_factory=dict)
    items: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = ()  # columns left unused, or kept as attributes though they look like a standard one

    @property
    def wide(self) -> bool:
        return bool(self.items)


def resolve(kind: str, headers: tuple[str, ...], shown: str, bundle: ModelBundle, loaded: LoadedMapping | None) -> Layout:
    """The layout of a file of `kind` with `headers`, or every header problem at once."""
    problems: list[SourceProblem] = []
    position = _positions(headers, shown, problems)
    columns: dict[str, int] = {}
    attributes: dict[str, int] = {}
    items: list[tuple[int, str]] = []
    taken: dict[str, str] = {}  # target → the header that gave it

    def claim(target: str, index: int) -> None:
        if target in taken:
            problems.append(_at(shown, f"columns '{taken[target]}' and '{headers[index]}' both give {target}", "remove or rename one of them, or map them with --mapping"))
            return
        taken[target] = headers[index]
        if target in KIND_COLUMNS[kind].columns:
            columns[target] = index
        else:
            attributes[target] = index

    mapped: set[int] = set()
    if loaded is not None:
        for header, target in loaded.mapping.columns.items():
            index = _find(header, position, headers, shown, loaded, "columns", problems)
            if index is not None:
                mapped.add(index)
                claim(target if target in KIND_COLUMNS[kind].columns else attribute_name(target), index)
        for header, item in loaded.mapping.items.items():
            index = _find(header, position, headers, shown, loaded, "items", problems)
            if index is not None:
                mapped.add(index)
                items.append((index, item))
    aliases = {normalise(alias): column for column, names in HEADER_ALIASES[kind].items() for alias in (column, *names)}
    for index, header in enumerate(headers):
        if index in mapped or not header or position[header] != index:
            continue  # mapped already, unnamed, or a repeated name (reported above)
        column = aliases.get(normalise(header))
        if column is not None:
            claim(column, index)
        elif kind == "roster":
            claim(attribute_name(header), index)
    if kind == "responses" and not items and not {"item_id", "score"} & columns.keys():
        behaviours = {behaviour.id for _, behaviour in bundle.model.behaviors()}
        items = [(index, header) for index, header in enumerate(headers) if header in behaviours]
    if items and {"item_id", "score"} & columns.keys():
        problems.append(_at(shown, "the file has both item columns (wide form) and item_id/score columns (long form)", "use one form: one row per answer, or one row per rater with a column per item"))
    if not problems:
        required = WIDE_REQUIRED if items else KIND_COLUMNS[kind].required
        missing = [column for column in required if column not in columns]
        if missing:
            problems.append(_missing_problem(kind, missing, headers, taken, shown))
    if problems:
        raise SourceErrors(problems)
    used = {*columns.values(), *attributes.values(), *(index for index, _ in items)}
    return Layout(kind, columns, attributes, tuple(items), _column_notes(kind, headers, used, columns, attributes))


def _column_notes(kind: str, headers: tuple[str, ...], used: set[int], columns: dict[str, int], attributes: dict[str, int]) -> tuple[str, ...]:
    """What the import says of the columns it did not read as a standard column: one it
    did not use at all, and a roster column kept as an attribute though its name is close
    to a standard column the file lacks (直接上级工号 → manager_id?)."""
    missing = {alias: column for column, names in HEADER_ALIASES[kind].items() if column not in columns for alias in (column, *names)}

    def close(header: str) -> str:
        alias = closest(header, missing)
        return f"; did you mean '{alias}' ({missing[alias]})?" if alias is not None else ""

    notes = []
    for index, header in enumerate(headers):
        if not header:
            continue
        if index not in used:
            notes.append(f"column '{header}' was not used{close(header)}")
        elif index in attributes.values() and close(header):
            notes.append(f"column '{header}' was kept as the attribute employee.{attribute_name(header)}{close(header)}")
    return tuple(notes)


def _at(shown: str, message: str, hint: str = "", column: int = 1) -> SourceProblem:
    return SourceProblem(Location(shown, 1, column), message, hint)


def _positions(headers: tuple[str, ...], shown: str, problems: list[SourceProblem]) -> dict[str, int]:
    """Header name → index; a name given twice is an error (which one would count?)."""
    position: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        if header in position:
            problems.append(_at(shown, f"column '{header}' appears twice in the header (columns {position[header] + 1} and {index + 1})", "give each column its own name"))
        else:
            position[header] = index
    return position


def _find(header: str, position: dict[str, int], headers: tuple[str, ...], shown: str, loaded: LoadedMapping, section: str, problems: list[SourceProblem]) -> int | None:
    """The index of a header the mapping names, matched exactly or by normalised name."""
    if header in position:
        return position[header]
    wanted = normalise(header)
    for name, index in position.items():
        if normalise(name) == wanted:
            return index
    named = [h for h in headers if h]
    close = did_you_mean(header, named)
    hint = close if close.startswith("did you mean") else f"the header has: {', '.join(named)}"
    problems.append(loaded.problem(section, header, f"column '{header}' is not in the header of {shown}", hint))
    return None


def _missing_problem(kind: str, missing: list[str], headers: tuple[str, ...], taken: dict[str, str], shown: str) -> SourceProblem:
    """Missing columns: a header joined by another delimiter, or names to fix."""
    if len(headers) == 1:
        joined = _joined_names(kind, headers[0])
        if joined is not None:
            return _at(
                shown,
                f"the header is one column, '{_short(headers[0])}': its names are joined by {joined!r}",
                "save the file with commas (,), semicolons (;) or tabs between the columns",
            )
    found = ", ".join(h for h in headers if h) or "(nothing)"
    noun = "column" if len(missing) == 1 else "columns"
    unused = [h for h in headers if h and h not in taken.values()]
    close = did_you_mean(missing[0], unused) if unused else ""
    lead = f"{close} " if close.startswith("did you mean") else ""
    return _at(
        shown,
        f"missing {noun} {', '.join(missing)} for a {kind} file; the header has: {found}",
        f"{lead}name the {noun} in the header row, or map your headers with --mapping (a YAML file of kind import_mapping)",
    )


def _joined_names(kind: str, header: str) -> str | None:
    """The separator between known column names inside a one-column header, if any."""
    names = sorted({normalise(n) for column, aliases in HEADER_ALIASES[kind].items() for n in (column, *aliases)}, key=len, reverse=True)
    text = header.lower()
    spans: list[tuple[int, int]] = []
    for name in names:
        for match in re.finditer(re.escape(name), text):
            if all(match.end() <= start or match.start() >= end for start, end in spans):
                spans.append((match.start(), match.end()))
    spans.sort()
    if len(spans) < 2:
        return None
    separator = header[spans[0][1] : spans[1][0]]
    return separator if separator and len(separator) <= 3 else None


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"
