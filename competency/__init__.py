"""competency: a rule-based competency assessment engine for HR."""

from __future__ import annotations

__version__ = "0.1.0"

from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog, Scale, Text  # noqa: E402
from competency.errors import CompetencyError, Location, SourceErrors, SourceProblem  # noqa: E402
from competency.files.bundle import ModelBundle, load_bundle, validate_paths  # noqa: E402

__all__ = [
    "CompetencyError",
    "CompetencyModel",
    "KpiCatalog",
    "Location",
    "ModelBundle",
    "RoleCatalog",
    "Scale",
    "SourceErrors",
    "SourceProblem",
    "Text",
    "__version__",
    "load_bundle",
    "validate_paths",
]
