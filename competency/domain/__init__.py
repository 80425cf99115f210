"""Pydantic models of everything a competency model file can hold."""

from competency.domain._base import Text
from competency.domain.competency import Behavior, Competency, CompetencyModel, Trait
from competency.domain.kpi import Curve, Kpi, KpiCatalog
from competency.domain.role import JobProfile, Role, RoleCatalog, RoleCompetency, RoleKpi
from competency.domain.scale import Level, Scale

__all__ = [
    "Behavior",
    "Competency",
    "CompetencyModel",
    "Curve",
    "JobProfile",
    "Kpi",
    "KpiCatalog",
    "Level",
    "Role",
    "RoleCatalog",
    "RoleCompetency",
    "RoleKpi",
    "Scale",
    "Text",
    "Trait",
]
