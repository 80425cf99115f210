"""What the generator hands back: the files written, their counts, the flaws planted."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PlantedFlaw:
    """Bad rows of one kind planted in one file; an importer must reject exactly these."""

    file: str  # "responses.csv"
    kind: str  # "score_out_of_range"
    what: str  # what is wrong, in words
    rows: tuple[int, ...]  # row numbers as a spreadsheet counts them: the header is row 1

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class SampleFiles:
    """A generated organisation: where its files are and what is in them.

    Row counts are data rows (the header not counted), bad rows included.
    `lenient_managers` and `skewed_departments` are the truths planted for
    calibration to find: managers who rate their whole team high, and offices
    whose people score well above (`high`) or below (`low`) the rest.
    """

    folder: Path
    seed: int
    employees: int
    roster: Path
    responses: Path
    kpis: Path
    potential: Path
    parquet: tuple[Path, ...]
    roster_rows: int
    response_rows: int
    kpi_rows: int
    potential_rows: int
    items_per_rater: int
    flaws: tuple[PlantedFlaw, ...]
    lenient_managers: tuple[str, ...]
    skewed_departments: tuple[tuple[str, str], ...]

    @property
    def csv_files(self) -> tuple[Path, ...]:
        return (self.roster, self.responses, self.kpis, self.potential)

    def rows(self, file: str) -> int:
        """Data rows of `file` ("roster.csv", "responses.csv", …)."""
        counts = {"roster": self.roster_rows, "responses": self.response_rows, "kpis": self.kpi_rows, "potential": self.potential_rows}
        return counts[file.split(".")[0]]

    def bad_rows(self, file: str | None = None) -> int:
        """How many rows were planted bad, in one file or in all."""
        return sum(f.count for f in self.flaws if file is None or f.file == file)

    def planted(self, kind: str, file: str | None = None) -> int:
        """How many bad rows of one kind were planted."""
        return sum(f.count for f in self.flaws if f.kind == kind and (file is None or f.file == file))

    def bad_row_numbers(self, file: str) -> tuple[int, ...]:
        return tuple(sorted(row for f in self.flaws if f.file == file for row in f.rows))
