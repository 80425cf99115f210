"""Pydantic validation errors, said in the user's terms and placed in the file.

Pydantic reports each error with a `loc` path of keys and indices; because
files are validated as the plain data the YAML loader built, that path is also
a path into the YAML document, so each error can point at its line and column.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from competency.files.yaml_loader import YamlDocument
from competency.errors import SourceProblem
from competency._text import did_you_mean


def _unwrap(annotation: Any) -> Any:
    """The model class or container behind Optional/Annotated wrappers."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _unwrap(arg)
    return annotation


def fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at `loc` (the mapping that holds the last key)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return []
            current = field.annotation
        elif typing.get_origin(current) in (list, dict):
            current = typing.get_args(current)[-1]
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _not_a_number(name: str, wanted: str, value: Any) -> tuple[str, str]:
    """A number field given something else; quoted digits and yes/no values are
    refused, not converted, so every check sees the type the file really holds."""
    if isinstance(value, bool):
        return (
            f"'{name}' must be {wanted}, not a yes/no value",
            "YAML reads an unquoted true, false, yes, no, on or off as yes/no: write digits (e.g. 0.25)",
        )
    if isinstance(value, str) and _looks_numeric(value):
        return f"'{name}' must be {wanted}, not the quoted text {_describe(value)}", f"remove the quotes: write {value.strip()}"
    if isinstance(value, float) and wanted == "a whole number":
        return f"'{name}' must be {wanted}, not {_describe(value)}", "write it without decimals (e.g. 3)"
    return f"'{name}' must be {wanted}, not {_describe(value)}", "write digits only, without quotes or units (e.g. 0.25)"


def _looks_numeric(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return text.strip() != "" and "_" not in text


def _say(error: dict[str, Any], model: type[BaseModel]) -> tuple[str, str, bool]:
    """(message, hint, point at the key rather than the value) for one error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = str(loc[-1]) if loc else "document"
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"missing required field '{name}'", f"add `{name}: …` here", True
    if kind == "extra_forbidden":
        allowed = [f for f in fields_at(model, loc[:-1]) if f != "kind"]
        if not name.isascii() or " " in name:
            # Almost always a text split by an unquoted comma: {zh: 最高C, 不得为A, en: …}
            return f"unknown field '{name}'", "a comma inside an unquoted text splits it: put the whole text in quotes, e.g. zh: \"…，…\"", True
        return f"unknown field '{name}'", did_you_mean(name, allowed), True
    if kind == "finite_number":
        return f"'{name}' must be a finite number, not {_describe(value)}", ".nan and .inf are not numbers a rule or a score can use: write digits, e.g. 0.25", False
    if kind in ("int_parsing", "int_type", "float_parsing", "float_type", "int_from_float"):
        return (*_not_a_number(name, "a whole number" if kind.startswith("int") else "a number", value), False)
    if kind in ("too_short", "too_long"):
        actual = ctx.get("actual_length")
        limit = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        relation = "at least" if kind == "too_short" else "at most"
        return f"'{name}' needs {relation} {limit} item(s), has {actual}", "", True
    if kind == "string_pattern_mismatch":
        return (
            f"{_describe(value)} is not a valid id for '{name}'",
            "use lower-case letters, digits and _ and start with a letter, e.g. `sales_attainment`",
            False,
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [part.strip(" '") for part in expected.replace(" or ", ",").split(",") if part.strip(" '")]
        return f"'{name}' must be one of {expected}, not {_describe(value)}", did_you_mean(str(value), options), False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"'{name}' must be a mapping of keys and values, not {_describe(value)}", "indent its fields below it as `key: value` lines", False
    if kind == "list_type":
        return f"'{name}' must be a list, not {_describe(value)}", "write each item on its own line starting with `- `", False
    if kind in ("string_type", "string_too_short"):
        return f"'{name}' must be non-empty text, not {_describe(value)}", "", False
    if kind.startswith(("greater_than", "less_than")):
        return f"'{name}' is {_describe(value)}: {error['msg'].lower()}", "", False
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])), "", False
    return f"'{name}': {error['msg']}", "", False


def problems_from(error: ValidationError, document: YamlDocument, model: type[BaseModel]) -> list[SourceProblem]:
    """Every pydantic error of `error`, placed in `document`."""
    problems = []
    for item in error.errors(include_url=False):
        message, hint, at_key = _say(item, model)
        loc = tuple(item["loc"])
        if item["type"] == "missing":
            loc = loc[:-1]  # point at the mapping that lacks the field
        problems.append(document.problem(loc, message, hint, at_key=at_key))
    return problems
