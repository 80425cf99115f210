"""Import properties: round-trip, order independence, and every row used or rejected.

Files are written with a random delimiter and quoting, so the properties hold
for whatever dialect the reader sees. A small Python oracle says which rows of
a random mix must be rejected; the SQL checks must agree with it row for row.
"""

from __future__ import annotations

import csv
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competency.ingest import import_file, rejected_rows
from competency.files.bundle import ModelBundle, load_bundle
from competency.files.shipped import default_model_folder
from competency.store.workspace import Workspace
from tests.examples import examples

ROSTER = Path(__file__).parent.parent / "ingest" / "corpus" / "roster_ok.csv"
EMPLOYEES = ["M1", "S1", "S2", "R1", "R2", "R3"]
BUNDLE: ModelBundle = load_bundle(default_model_folder())
ITEMS = [behaviour.id for _, behaviour in BUNDLE.model.behaviors()][:6]
OTHERS = ["manager", "peer", "direct_report", "customer"]

Row = tuple[str, str, str, str, str, str]  # employee, rater, relationship, item, score, comment

comments = st.text(st.sampled_from(list("ab ,;\"'\n\t评语好")), max_size=12)
scores = st.one_of(st.just(""), st.integers(1, 4).map(str), st.sampled_from(["1.5", "2.5", "3.75"]))
dialects = st.tuples(st.sampled_from([",", ";", "\t"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))


@st.composite
def valid_rows(draw: st.DrawFn) -> list[Row]:
    """Valid answers, one per (rater, employee, item)."""
    keys = draw(
        st.lists(
            st.tuples(st.sampled_from(EMPLOYEES), st.sampled_from([*EMPLOYEES, "X1", "X2", "X3"]), st.sampled_from(ITEMS)),
            unique=True,
            max_size=25,
        )
    )
    out = []
    for employee, rater, item in keys:
        relationship = "self" if rater == employee else draw(st.sampled_from(OTHERS))
        out.append((employee, rater, relationship, item, draw(scores), draw(comments)))
    return out


mixed_rows = st.lists(
    st.tuples(
        st.sampled_from([*EMPLOYEES[:3], "X9", ""]),
        st.sampled_from(["M1", "S1", "P1", "P2", ""]),
        st.sampled_from(["self", "manager", "peer", "friend", ""]),
        st.sampled_from([*ITEMS[:2], "bogus", ""]),
        st.sampled_from(["1", "2.5", "4", "", "0", "5", "abc"]),
        st.just(""),
    ),
    max_size=30,
)


def write_csv(rows: Sequence[Row], folder: Path, dialect: tuple[str, int]) -> Path:
    path = folder / "responses.csv"
    delimiter, quoting = dialect
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, quoting=quoting, lineterminator="\n")
        writer.writerow(["employee_id", "rater_id", "relationship", "item_id", "score", "comment"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def ws() -> Iterator[Workspace]:
    """One workspace whose cycle has the corpus roster; each import replaces the responses."""
    with Workspace(Path(":memory:")) as workspace:
        with workspace.transaction() as db:
            import_file(db, "C1", "roster", ROSTER, BUNDLE)
        yield workspace


def import_rows(ws: Workspace, rows: Sequence[Row], dialect: tuple[str, int] = (",", csv.QUOTE_MINIMAL)) -> tuple[Counter[tuple[object, ...]], list[int], int, int]:
    """Import `rows` as the cycle's responses: stored answers, rejected row numbers, accepted, rejected."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(rows, Path(folder), dialect)
        with ws.transaction() as db:
            summary = import_file(db, "C1", "responses", path, BUNDLE, replace=True)
    stored = Counter(ws.db.execute("SELECT employee_id, rater_id, relationship, item_id, score, comment FROM responses").fetchall())
    assert summary.import_id is not None
    numbers = [row.row_number for row in rejected_rows(ws.db, summary.import_id)]
    return stored, numbers, summary.accepted, summary.rejected


def as_stored(row: Row) -> tuple[object, ...]:
    employee, rater, relationship, item, score, comment = row
    text = comment.strip(" ")
    return (employee, rater, relationship, item, float(score) if score else None, text or None)


SLOW = settings(deadline=None)  # each example imports a file into a workspace


@settings(SLOW, max_examples=examples(25))
@given(rows=valid_rows(), dialect=dialects)
def test_valid_rows_round_trip(ws: Workspace, rows: list[Row], dialect: tuple[str, int]) -> None:
    """Valid rows come back exactly: same answers, same scores (blank = NULL), same comments."""
    stored, rejected, accepted, _ = import_rows(ws, rows, dialect)
    assert rejected == [] and accepted == len(rows)
    assert stored == Counter(as_stored(row) for row in rows)


unique_keys = st.lists(
    st.tuples(
        st.sampled_from([*EMPLOYEES[:3], "X9"]),
        st.sampled_from(["M1", "S1", "P1", ""]),
        st.sampled_from(["self", "peer", "friend"]),
        st.sampled_from([*ITEMS[:3], "bogus"]),
        st.sampled_from(["1", "4", "", "9"]),
        st.sampled_from(["", "c"]),
    ),
    unique_by=lambda row: (row[1], row[0], row[3]),
    max_size=25,
)


@settings(SLOW, max_examples=examples(15))
@given(rows=unique_keys, random=st.randoms(use_true_random=False))
def test_row_order_does_not_change_what_is_stored(ws: Workspace, rows: list[Row], random: object) -> None:
    """Shuffling the file's rows (one row per rater, employee and item) stores the same answers."""
    shuffled = list(rows)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert import_rows(ws, rows)[0] == import_rows(ws, shuffled)[0]


def oracle(rows: Sequence[Row], broken: frozenset[int] = frozenset()) -> list[int]:
    """The file row numbers that must be rejected, by the rules written out in Python
    (the rows numbered in `broken` are rejected whatever they hold)."""
    bad, seen = [], set()
    for number, (employee, rater, relationship, item, score, _) in enumerate(rows, start=2):
        try:
            value = float(score) if score else None
        except ValueError:
            value = float("nan")
        wrong = (
            number in broken
            or employee not in EMPLOYEES
            or not rater
            or item not in ITEMS
            or relationship not in BUNDLE.model.rater_groups
            or (rater == employee) != (relationship == "self")
            or (value is not None and not 1 <= value <= 4)
        )
        if wrong or (rater, employee, item) in seen:
            bad.append(number)
        else:
            seen.add((rater, employee, item))
    return bad


@settings(SLOW, max_examples=examples(30))
@given(rows=mixed_rows, dialect=dialects)
def test_every_row_is_used_or_rejected(ws: Workspace, rows: list[Row], dialect: tuple[str, int]) -> None:
    """accepted + rejected == rows, and exactly the rows the oracle condemns are rejected."""
    rows = [row for row in rows if any(row)]  # a row with no value at all is a blank line, not data
    _, rejected, accepted, rejected_count = import_rows(ws, rows, dialect)
    assert accepted + rejected_count == len(rows)
    assert rejected == oracle(rows)


@settings(SLOW, max_examples=examples(30))
@given(rows=mixed_rows.map(lambda rows: [row for row in rows if any(row)]).filter(bool), data=st.data(), delimiter=st.sampled_from([",", ";", "\t"]))
def test_an_unclosed_quote_rejects_its_own_row_and_no_other(ws: Workspace, rows: list[Row], data: st.DataObject, delimiter: str) -> None:
    """A quote opened at the start of one row and never closed: that row is rejected with its
    line, every other row is judged as if the quote were not there, and the file's rows all count."""
    broken = data.draw(st.integers(2, len(rows) + 1), label="row with the quote")
    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(rows, Path(folder), (delimiter, csv.QUOTE_MINIMAL))  # values hold no quote, delimiter or line break
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[broken - 1] = '"' + lines[broken - 1]
        path.write_text("\n".join(lines), encoding="utf-8")
        with ws.transaction() as db:
            summary = import_file(db, "C1", "responses", path, BUNDLE, replace=True)
    assert summary.import_id is not None
    rejected = {row.row_number: row.reason for row in rejected_rows(ws.db, summary.import_id)}
    assert (summary.accepted + summary.rejected, sorted(rejected)) == (len(rows), oracle(rows, frozenset({broken})))
    assert rejected[broken] == f'unclosed quote: the value opened with " on line {broken} has no closing "'
