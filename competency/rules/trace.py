"""What each step of a rule set did for one person: the trace.

Both paths build the same entries: `evaluate_one` while it runs the steps, and
`trace_from_row` from the trace columns of a bulk SQL result. `explain` prints
them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from competency.domain import Text
from competency.rules.expr import Value


@dataclass(frozen=True)
class TraceEntry:
    """One step's decision: what it read, which rule or row fired, what it produced."""

    step: str
    kind: str  # compute, table, cap, floor, flag
    read: dict[str, Value] = field(default_factory=dict)
    output: str | None = None  # the name written
    value: Value = None  # the value written (after a cap or floor)
    rows: tuple[str, ...] = ()  # table rows that fired
    fired: bool | None = None  # cap, floor, flag: did the condition hold
    changed: bool | None = None  # cap, floor: did it change the value
    before: Value = None  # cap, floor: the value before
    note: Text | None = None  # the fired row's annotation, the reason or message

    @property
    def rule(self) -> str:
        """The rule that decided: the fired row(s) of a table, else the step itself."""
        return ",".join(self.rows) if self.kind == "table" else self.step

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "step": self.step,
            "kind": self.kind,
            "rule": self.rule,
            "read": dict(self.read),
            "output": self.output,
            "value": self.value,
        }
        if self.kind == "table":
            data["rows"] = list(self.rows)
        if self.fired is not None:
            data["fired"] = self.fired
        if self.changed is not None:
            data["changed"] = self.changed
            data["before"] = self.before
        if self.note is not None:
            data["note"] = {"zh": self.note.zh, "en": self.note.en}
        return data
