"""What an import did, in numbers safe to print (no rater id ever appears here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from competency.ingest.reasons import label_sql

EXAMPLES = 5


@dataclass(frozen=True)
class ImportSummary:
    """The outcome of one `import_file` call.

    `rows_total == accepted + rejected` always. The unit is a file row, except
    for a wide responses file, where it is an answer (a row × an item column);
    `file_rows` then counts the rows. `reasons` maps each reason's label to
    its count, most frequent first; `examples` are the first rejected rows
    (row number, full reason).
    """

    kind: str
    file_name: str
    sha256: str
    rows_total: int
    accepted: int
    rejected: int
    skipped_as_duplicate_file: bool = False
    replaced: bool = False
    rejects_file: Path | None = None
    reasons: dict[str, int] = field(default_factory=dict)
    import_id: int | None = None
    file_rows: int = 0
    unit: str = "row"
    examples: tuple[tuple[int, str], ...] = ()
    notes: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The summary as a few lines for the terminal."""
        if self.skipped_as_duplicate_file:
            head = f"{self.file_name}: already imported (import {self.import_id}); nothing changed"
        else:
            head = f"{self.file_name}: {_count(self.accepted, self.unit)} accepted, {self.rejected} rejected"
            if self.unit != "row":
                head += f" (from {_count(self.file_rows, 'row')})"
        out = [head, *self.notes]
        out += [f"  {count} × {label}" for label, count in self.reasons.items()]
        out += [f"  row {row}: {reason}" for row, reason in self.examples]
        if self.rejects_file is not None:
            out.append(f"rejected rows written to {self.rejects_file}")
        return out


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" + ("" if number == 1 else "s")


def reason_counts(db: duckdb.DuckDBPyConnection, import_id: int) -> dict[str, int]:
    """Reason label → count for one import, most frequent first."""
    rows = db.execute(
        f"SELECT {label_sql('reason')} AS label, count(*) AS n FROM rejected_rows WHERE import_id = ? GROUP BY label ORDER BY n DESC, label",
        [import_id],
    ).fetchall()
    return {label: int(count) for label, count in rows}


def first_rejections(db: duckdb.DuckDBPyConnection, import_id: int, limit: int = EXAMPLES) -> tuple[tuple[int, str], ...]:
    rows = db.execute(
        "SELECT row_number, reason FROM rejected_rows WHERE import_id = ? ORDER BY row_number, reason LIMIT ?", [import_id, limit]
    ).fetchall()
    return tuple((int(number), reason) for number, reason in rows)
