"""The YAML shapes of rule files, as frozen pydantic models (no logic here).

They only say which keys exist and what kind of value each holds; meaning
(names, types, table proofs) is checked when the steps are built
(`ruleset.py`, `tables.py`), with the same file positions.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from competency.domain import Text
from competency.domain._base import Identifier


def _as_text(value: Any) -> Any:
    """YAML reads `true`, `3` or `1.5` as non-text; an expression or cell is text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _not_yes_no(value: Any) -> Any:
    """A value of a choice: YAML's unquoted yes/no/true/false would be booleans."""
    if isinstance(value, bool):
        # A ValueError (not TypeError): pydantic turns it into a placed, readable error.
        raise ValueError('YAML reads an unquoted yes, no, true or false as a boolean: write the value in quotes, e.g. "yes"')  # noqa: TRY004
    return _as_text(value) if isinstance(value, (int, float)) else value


def _outcome(value: Any) -> Any:
    """A result or a bound: a value of a choice, or a finite number (YAML's .nan and
    .inf are floats, but no rule can compare or score with them)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "Input should be a finite number")
    return _not_yes_no(value) if isinstance(value, bool) else value


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return [_not_yes_no(item) for item in value]
    return _not_yes_no(value)


Expr = Annotated[str, BeforeValidator(_as_text)]
# A table cell or an input's domain: a unary test, or a YAML list of values.
Cell = Annotated[str | list[str], BeforeValidator(_cell)]
VersionText = Annotated[str, BeforeValidator(_as_text)]
Choice = Annotated[str, BeforeValidator(_not_yes_no)]
Outcome = Annotated[str | float, BeforeValidator(_outcome)]


class Shape(BaseModel):
    """Frozen, unknown keys are errors; text is kept as written so spans stay exact."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ComputeShape(Shape):
    kind: Literal["compute"]
    id: Identifier
    name: str = Field(description="The name this step defines, e.g. score.performance.")
    expr: Expr
    label: Text | None = None


class InputShape(Shape):
    name: Identifier
    expr: Expr
    domain: Cell | None = Field(default=None, description='Numbers: an interval such as "[1..4]"; text: a list of values.')
    label: Text | None = None


class OutputShape(Shape):
    name: str
    type: Literal["number"] | None = None
    values: list[Choice] | None = Field(default=None, description="An unordered choice of values.")
    order: list[Choice] | None = Field(default=None, description="An ordered choice, best first (A, B, C, D).")
    labels: dict[str, Text] = Field(default_factory=dict, description="Bilingual names of the values.")


class RowShape(Shape):
    id: str | int | None = None
    when: dict[str, Cell] = Field(default_factory=dict)
    then: Outcome
    annotation: Text | None = None


class TableShape(Shape):
    kind: Literal["table"]
    id: Identifier
    hit: str
    aggregation: str | None = None
    inputs: list[InputShape] = Field(min_length=1)
    output: OutputShape
    rows: list[RowShape] = Field(min_length=1)
    label: Text | None = None


class TableFileShape(TableShape):
    kind: Literal["decision_table"]  # type: ignore[assignment]
    version: VersionText | None = None
    model: Identifier | None = None


class CapShape(Shape):
    kind: Literal["cap"]
    id: Identifier
    target: str
    when: Expr
    at_most: Outcome
    reason: Text


class FloorShape(Shape):
    kind: Literal["floor"]
    id: Identifier
    target: str
    when: Expr
    at_least: Outcome
    reason: Text


class FlagShape(Shape):
    kind: Literal["flag"]
    id: Identifier
    when: Expr
    message: Text


class RulesetShape(Shape):
    kind: Literal["ruleset"]
    id: Identifier
    version: VersionText
    model: Identifier | None = None
    name: Text
    description: Text | None = None
    steps: list[dict[str, Any]] = Field(min_length=1)


STEP_SHAPES: dict[str, type[Shape]] = {
    "compute": ComputeShape,
    "table": TableShape,
    "cap": CapShape,
    "floor": FloorShape,
    "flag": FlagShape,
}


AnyStep = Annotated[ComputeShape | TableShape | CapShape | FloorShape | FlagShape, Field(discriminator="kind")]


class RulesetEditorShape(RulesetShape):
    """The same file for editors' JSON Schema: each step typed by its `kind`.

    Loading validates steps one by one instead (`rules/loading.py`), for messages such
    as "unknown step kind 'tabel'; did you mean 'table'?".
    """

    steps: list[AnyStep] = Field(min_length=1)  # type: ignore[assignment]
