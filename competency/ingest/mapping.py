"""The import mapping: a small YAML file that says how a file's columns read.

```yaml
kind: import_mapping
applies_to: responses          # optional: roster, responses, kpis or potential
sheet: 答卷                     # optional, XLSX only: the sheet to read (default: the first)
columns:                       # file header → standard column
  被评价人: employee_id
  评价人: rater_id
  评价关系: relationship
relationships:                 # file value → rater group of the model
  直属领导: manager
  平级同事: peer
items:                         # wide files: column header → behaviour (item) id
  "Q1 理解并执行上级指示": exe_understands_instructions
  "Q2 设定目标、寻找方法": exe_sets_goals_seeks_solutions
```

Everything is checked against the model before any row is read, and every
mistake points at its line in the mapping file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from competency.files.pydantic_errors import problems_from
from competency.files.yaml_loader import YamlDocument, read_yaml
from competency.errors import SourceErrors, SourceProblem
from competency.ingest.columns import KIND_COLUMNS, KINDS, normalise
from competency.files.bundle import ModelBundle
from competency._text import did_you_mean


class ImportMapping(BaseModel):
    """How to read one kind of import file whose headers or values differ from the standard."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind: Literal["import_mapping"]
    applies_to: Literal["roster", "responses", "kpis", "potential"] | None = Field(
        default=None, description="The kind of file this mapping is for; checked when given."
    )
    sheet: str | None = Field(default=None, min_length=1, description="XLSX only: the sheet to read instead of the first.")
    columns: dict[str, str] = Field(default_factory=dict, description="File header → standard column (roster: or an attribute name).")
    relationships: dict[str, str] = Field(default_factory=dict, description="Relationship value in the file → rater group.")
    items: dict[str, str] = Field(default_factory=dict, description="Wide responses files: column header → behaviour id.")

    @field_validator("columns", "relationships", "items", mode="before")
    @classmethod
    def _keys_as_text(cls, value: Any) -> Any:
        """A header such as `1` or `2024` is read by YAML as a number; it is still a header."""
        if isinstance(value, dict):
            return {str(key): item for key, item in value.items()}
        return value


@dataclass(frozen=True)
class LoadedMapping:
    """A checked mapping and the document it came from, to place later errors."""

    mapping: ImportMapping
    document: YamlDocument

    def problem(self, section: str, key: str, message: str, hint: str = "") -> SourceProblem:
        """A problem placed at `section: key:` of the mapping file."""
        return self.document.problem((section, _yaml_key(self.document, section, key)), message, hint, at_key=True)


def _yaml_key(document: YamlDocument, section: str, key: str) -> Any:
    """The key as YAML read it (`1:` is the integer 1), so its position can be found."""
    data = document.data.get(section) if isinstance(document.data, dict) else None
    if isinstance(data, dict):
        for raw in data:
            if str(raw) == key:
                return raw
    return key


def load_mapping(path: Path, kind: str, bundle: ModelBundle) -> LoadedMapping:
    """Read and check a mapping for importing a file of `kind` against `bundle`."""
    document = read_yaml(path)
    if not isinstance(document.data, dict):
        what = "empty" if document.data is None else "not a mapping of keys and values"
        raise SourceErrors([document.problem((), f"the mapping file is {what}", "start it with `kind: import_mapping`")])
    problems: list[SourceProblem] = []
    mapping: ImportMapping | None = None
    try:
        mapping = ImportMapping.model_validate(document.data)
    except ValidationError as error:
        problems += problems_from(error, document, ImportMapping)
    # The names are checked even when the shape is wrong, so all mistakes show at once.
    problems += cross_check(document, kind, bundle)
    if problems or mapping is None:
        raise SourceErrors(problems)
    return LoadedMapping(mapping, document)


def _section(data: dict[Any, Any], name: str) -> dict[str, str]:
    """The text entries of one section of the raw mapping (the shape is pydantic's to check)."""
    section = data.get(name)
    if not isinstance(section, dict):
        return {}
    return {str(key): value.strip() for key, value in section.items() if isinstance(value, str)}


def cross_check(document: YamlDocument, kind: str, bundle: ModelBundle) -> list[SourceProblem]:
    """Names in the mapping that the model or the kind of file does not know."""
    data = document.data
    problems: list[SourceProblem] = []

    def at(section: str, key: str, message: str, hint: str = "") -> SourceProblem:
        return document.problem((section, _yaml_key(document, section, key)), message, hint, at_key=True)

    applies_to = data.get("applies_to")
    if applies_to in KINDS and applies_to != kind:
        problems.append(
            document.problem(("applies_to",), f"this mapping is for {applies_to} files, not {kind}", f"import it with `competency import {applies_to} …`, or use another mapping")
        )
    standard = KIND_COLUMNS[kind].columns
    for header, column in _section(data, "columns").items():
        if kind == "roster":
            if not normalise(column):
                problems.append(at("columns", header, f"the column '{header}' is mapped to an empty name"))
        elif column not in standard:
            problems.append(at("columns", header, f"unknown column '{column}' for a {kind} file", did_you_mean(column, standard)))
    groups = bundle.model.rater_groups
    for value, group in _section(data, "relationships").items():
        if group not in groups:
            problems.append(at("relationships", value, f"unknown rater group '{group}'", did_you_mean(group, groups)))
    items = _section(data, "items")
    if items and kind != "responses":
        problems.append(document.problem(("items",), f"`items` maps the item columns of a wide responses file; a {kind} file has none", "remove `items`", at_key=True))
        return problems
    behaviours = [behaviour.id for _, behaviour in bundle.model.behaviors()]
    first_header: dict[str, str] = {}
    for header, item in items.items():
        if item not in behaviours:
            problems.append(at("items", header, f"unknown behaviour '{item}' in model '{bundle.model.id}'", did_you_mean(item, behaviours)))
        elif item in first_header:
            problems.append(at("items", header, f"behaviour '{item}' is already mapped from column '{first_header[item]}'", "map each item from one column only"))
        else:
            first_header[item] = header
    return problems
