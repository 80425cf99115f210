"""Shared pieces of the domain models: the strict base and bilingual text."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AllowInfNan, BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64),
    Field(description="Lower-case letters, digits and _; starts with a letter (e.g. `sales_attainment`)."),
]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A number a model computes with. YAML reads .nan, .inf and -.inf as floats; they
# are refused here, where the file position is known, not in a later computation.
Number = Annotated[float, AllowInfNan(False)]


class Strict(BaseModel):
    """Frozen, unknown keys are errors, and no value is converted: a typo never
    passes silently, and a quoted `'0.9'` or a `true` where a number belongs is an
    error (converting it would let it skip checks that read the raw YAML, such as
    the weights adding up to 1)."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, strict=True)


class Text(Strict):
    """Bilingual text. A plain string in YAML is accepted as both languages.

    `origin: seed` marks text quoted from the source document (the Chinese is
    the seed's wording, the English a translation); `authored` marks text
    written for this model in the seed's spirit.
    """

    zh: NonEmptyText
    en: NonEmptyText
    origin: Literal["seed", "authored"] = "authored"

    @model_validator(mode="before")
    @classmethod
    def _plain_string_is_both(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"zh": value, "en": value}
        return value

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        return _text_json_schema(handler(core_schema))


def _text_json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Editors should accept the plain-string form too."""
    return {"anyOf": [{"type": "string", "minLength": 1}, dict(schema)], "description": "Text in Chinese and English; a plain string serves as both."}
