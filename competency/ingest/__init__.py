"""Import stage: roster, 360 responses, KPI actuals and potential files into a cycle.

CSV (UTF-8 with or without BOM, GB18030, UTF-16), XLSX and JSON files are
staged as text, judged row by row in one SQL pass, and stored: every row is
accepted or rejected with a reason and its file row number.
"""

from competency.ingest.importer import import_file
from competency.ingest.mapping import ImportMapping, LoadedMapping, load_mapping
from competency.ingest.rejects import RejectedRow, rejected_rows
from competency.ingest.summary import ImportSummary

__all__ = [
    "ImportMapping",
    "ImportSummary",
    "LoadedMapping",
    "RejectedRow",
    "import_file",
    "load_mapping",
    "rejected_rows",
]
