"""competency: a rule-based competency assessment engine for HR.

The public API. Names load on first use, so the command line starts without
importing every stage (`competency --help` stays fast)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name → the module that defines it
_EXPORTS = {
    "CompetencyError": "competency.errors",
    "Location": "competency.errors",
    "SourceErrors": "competency.errors",
    "SourceProblem": "competency.errors",
    "CompetencyModel": "competency.domain",
    "KpiCatalog": "competency.domain",
    "RoleCatalog": "competency.domain",
    "Scale": "competency.domain",
    "Text": "competency.domain",
    "ModelBundle": "competency.files.bundle",
    "load_bundle": "competency.files.bundle",
    "validate_paths": "competency.files.kinds",
    "Workspace": "competency.store.workspace",
    "open_cycle": "competency.workflow.cycles",
    "run_import": "competency.workflow.imports",
    "score_cycle": "competency.workflow.scoring",
    "generate_plans": "competency.workflow.plans",
    "report_individual": "competency.workflow.reports",
    "report_plan": "competency.workflow.reports",
    "report_team": "competency.workflow.reports",
    "report_calibration": "competency.workflow.reports",
}

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
    "Workspace",
    "__version__",
    "errors",
    "generate_plans",
    "load_bundle",
    "open_cycle",
    "report_calibration",
    "report_individual",
    "report_plan",
    "report_team",
    "run_import",
    "score_cycle",
    "validate_paths",
]


def __getattr__(name: str) -> Any:
    if name == "errors":
        return importlib.import_module("competency.errors")
    if name not in _EXPORTS:
        raise AttributeError(f"module 'competency' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from competency import errors
    from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog, Scale, Text
    from competency.errors import CompetencyError, Location, SourceErrors, SourceProblem
    from competency.files.bundle import ModelBundle, load_bundle
    from competency.files.kinds import validate_paths
    from competency.store.workspace import Workspace
    from competency.workflow.cycles import open_cycle
    from competency.workflow.imports import run_import
    from competency.workflow.plans import generate_plans
    from competency.workflow.reports import report_calibration, report_individual, report_plan, report_team
    from competency.workflow.scoring import score_cycle
