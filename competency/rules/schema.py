"""The names a rule may read, with their types, built from the model and the data.

Rules are checked against a `Schema` before anything is scored: a misspelt
name, text compared with a number or a role id that does not exist is found at
load time. Input names come from the competency model, the KPI catalogue, the
role profiles and the roster; each step of a rule set adds the names it
computes (`score.performance`, `rating`, `flag.integrity_concern` …) for the
steps after it.

Input names (one SQL column each, named exactly like this):

    competency.<id>            number on the model's scale (null: too few raters)
    behavior.<id>              number on the scale
    group.<rater group>.<id>   number on the scale, per rater group (and `others`)
    score.competency_index     number on the scale
    score.kpi_index            number on the scale
    kpi.<id>                   attainment ratio (actual / target; 1.0 = on target)
    kpi_score.<id>             the KPI's score on the scale
    employee.<column>          roster columns: text, number or a choice of values;
                               employee.role is a choice of the role ids and
                               employee.potential the ordered choice high > medium > low
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from competency.domain import CompetencyModel, KpiCatalog, RoleCatalog
from competency.rules.expr import NUMBER, STRING, Type, Value, enum
from competency.rules.semantics import clean_number
from competency._text import did_you_mean

POTENTIAL = enum(("high", "medium", "low"), ordered=True)
ROSTER_TEXT_COLUMNS = ("id", "name", "manager_id", "department", "region")
# A roster column with more distinct texts than this is free text, not a choice.
MAX_CHOICES = 200


@dataclass(frozen=True)
class Schema:
    """Names → types, and who defined each name ("input" or a step id)."""

    types: Mapping[str, Type] = field(default_factory=dict)
    origins: Mapping[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Type | None:
        return self.types.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self.types

    def define(self, name: str, type_: Type, origin: str) -> Schema:
        """A copy with one more name (a step's output)."""
        return Schema({**self.types, name: type_}, {**self.origins, name: origin})

    def inputs(self) -> list[str]:
        return [name for name in self.types if self.origins.get(name, "input") == "input"]

    def suggest(self, name: str) -> str:
        """'did you mean …?' for an unknown name, else the namespaces there are."""
        import difflib

        close = difflib.get_close_matches(name, list(self.types), n=1, cutoff=0.75)
        if close:
            return f"did you mean '{close[0]}'?"
        prefix = name.split(".")[0]
        same = sorted(n for n in self.types if n.split(".")[0] == prefix)
        if same:
            return did_you_mean(name, same)
        spaces = sorted({n.split(".")[0] + ("." if "." in n else "") for n in self.types})
        return "names start with " + ", ".join(spaces)

    def parse_value(self, name: str, text: str) -> Value:
        """A value typed on a command line for `name` (`null` or empty for null).

        Raises ValueError with a message fit for the user.
        """
        type_ = self.types.get(name)
        if type_ is None:
            raise ValueError(f"unknown name '{name}'; {self.suggest(name)}")
        raw = text.strip()
        if raw.lower() in ("", "null", "none"):
            return None
        if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
            raw = raw[1:-1]
        if type_.kind == "number":
            try:
                number = clean_number(float(raw))
            except ValueError:
                raise ValueError(f"{name} is a number, not {text!r}") from None
            if number is None:
                raise ValueError(f"{name} must be a finite number, not {text!r}")
            return number
        if type_.kind == "bool":
            if raw.lower() not in ("true", "false"):
                raise ValueError(f"{name} is true or false, not {text!r}")
            return raw.lower() == "true"
        if type_.kind == "enum" and raw not in type_.values:
            raise ValueError(f"'{raw}' is not a value of {name}; {did_you_mean(raw, type_.values)}")
        return raw


def build_schema(
    model: CompetencyModel,
    kpis: KpiCatalog | None = None,
    roles: RoleCatalog | None = None,
    roster: Mapping[str, Iterable[Value]] | None = None,
) -> Schema:
    """The input names of one competency model (and, when known, its roster's values)."""
    scale = Type("number", low=float(model.scale.minimum), high=float(model.scale.maximum))
    types: dict[str, Type] = {}
    for competency in model.competencies:
        types[f"competency.{competency.id}"] = scale
    for competency in model.competencies:
        for behavior in competency.behaviors:
            types[f"behavior.{behavior.id}"] = scale
    for group in [*model.rater_groups, "others"]:
        for competency in model.competencies:
            types[f"group.{group}.{competency.id}"] = scale
    types["score.competency_index"] = scale
    types["score.kpi_index"] = scale
    for kpi in kpis.kpis if kpis else ():
        types[f"kpi.{kpi.id}"] = Type("number", low=0.0)
        types[f"kpi_score.{kpi.id}"] = scale
    for column in ROSTER_TEXT_COLUMNS:
        types[f"employee.{column}"] = STRING
    types["employee.role"] = enum(tuple(role.id for role in roles.roles)) if roles else STRING
    types["employee.potential"] = POTENTIAL
    for column, values in (roster or {}).items():
        types[f"employee.{column}"] = _roster_type(column, list(values))
    return Schema(types, {name: "input" for name in types})


def _roster_type(column: str, values: list[Value]) -> Type:
    """A roster column's type from its values: numbers, a choice, or free text."""
    if column == "potential":
        return POTENTIAL
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return NUMBER
    distinct = sorted({str(v) for v in present})
    if 0 < len(distinct) <= MAX_CHOICES:
        return enum(tuple(distinct))
    return STRING
