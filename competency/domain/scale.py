"""The rating scale: ordered levels such as 优秀 / 良好 / 一般 / 差."""

from __future__ import annotations

from pydantic import Field, field_validator

from competency.domain._base import Identifier, Strict, Text


class Level(Strict):
    """One level of the scale: its number, a key used in files, its label."""

    value: int = Field(ge=0, le=100, description="The level's number; higher is better.")
    key: Identifier
    label: Text
    description: Text | None = None


class Scale(Strict):
    """Ordered levels, best last when sorted by value."""

    id: Identifier
    name: Text
    levels: list[Level] = Field(min_length=2)

    @field_validator("levels")
    @classmethod
    def _distinct(cls, levels: list[Level]) -> list[Level]:
        for attribute in ("value", "key"):
            seen: set[object] = set()
            for level in levels:
                item = getattr(level, attribute)
                if item in seen:
                    raise ValueError(f"two levels share the {attribute} {item!r}; each level needs its own")
                seen.add(item)
        return levels

    @property
    def minimum(self) -> int:
        return min(level.value for level in self.levels)

    @property
    def maximum(self) -> int:
        return max(level.value for level in self.levels)

    def ordered(self) -> list[Level]:
        """Levels from the lowest to the highest value."""
        return sorted(self.levels, key=lambda level: level.value)

    def by_key(self, key: str) -> Level | None:
        return next((level for level in self.levels if level.key == key), None)

    def by_value(self, value: int) -> Level | None:
        return next((level for level in self.levels if level.value == value), None)
