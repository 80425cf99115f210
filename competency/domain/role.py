"""Role profiles: the seed's job profile (职位概述) for each post."""

from __future__ import annotations

from pydantic import Field

from competency.domain._base import Identifier, Number, Strict, Text


class RoleCompetency(Strict):
    """The level a post requires in one competency, and its weight there."""

    required: int = Field(description="The required level's value on the model's scale.")
    weight: Number = Field(ge=0, le=1)


class RoleKpi(Strict):
    """A KPI of the post and its weight in the KPI index."""

    weight: Number = Field(ge=0, le=1)
    target: Number | None = Field(default=None, description="Overrides the KPI's default target for this post.")


class JobProfile(Strict):
    """What the post expects and offers, in the seed's terms."""

    summary: Text
    responsibilities: list[Text] = Field(default_factory=list)
    performance_standards: list[Text] = Field(min_length=1)
    required_experience: list[Text] = Field(min_length=1)
    required_knowledge: list[Text] = Field(min_length=1)
    development_opportunities: list[Text] = Field(min_length=1)


class Role(Strict):
    """A post in the sales organisation."""

    id: Identifier
    name: Text
    reports_to: Identifier | None = None
    competencies: dict[str, RoleCompetency] = Field(min_length=1)
    kpis: dict[str, RoleKpi] = Field(default_factory=dict)
    profile: JobProfile


class RoleCatalog(Strict):
    """The role profiles of one competency model."""

    kind: str = Field(default="role_profiles", pattern="^role_profiles$")
    model: Identifier = Field(description="The id of the competency model these roles use.")
    roles: list[Role] = Field(min_length=1)

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)
