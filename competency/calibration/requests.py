"""What a calibration command asks, checked before anything is read or written:
the scopes named, who makes a change and why, the rating and reason code
given, and whether the cycle may change at all. Each refusal says how to ask
again."""

from __future__ import annotations

from competency._text import did_you_mean
from competency.calibration.guidelines import SCOPE_KINDS, Guidelines
from competency.errors import CalibrationError


def scope_kinds(guidelines: Guidelines, by: str | None) -> list[str]:
    """The kinds of scope to check: those the guidelines configure (and the organisation),
    or the organisation and the one kind asked for."""
    configured = [s.by for s in guidelines.scopes]
    if by is None:
        return [k for k in SCOPE_KINDS if k in configured or k == "organisation"]
    if by not in SCOPE_KINDS:
        raise CalibrationError(f"unknown scope '{by}'", hint=did_you_mean(by, SCOPE_KINDS))
    return ["organisation", by] if by != "organisation" else ["organisation"]


def check_may_change(cycle_id: str, status: str) -> None:
    """Ratings change only in a scored cycle that is not final."""
    if status == "final":
        raise CalibrationError(
            f"cannot change ratings: cycle {cycle_id} is final (locked)",
            hint=f"`competency calibrate reopen --cycle {cycle_id} --reason \"…\" --by NAME` opens it again, with the reason recorded"
        )
    if status == "open":
        raise CalibrationError(
            f"cannot change ratings: cycle {cycle_id} has no current results (status open)", hint=f"run `competency score --cycle {cycle_id}` first"
        )


def _given(value: str | None, what: str, hint: str) -> str:
    if value is None or not value.strip():
        raise CalibrationError(what, hint=hint)
    return value.strip()


def reason_given(reason: str | None, doing: str = "an override") -> str:
    example = 'say why with --reason "…", e.g. --reason "led the team through the merger; KPIs understate it"'
    return _given(reason, f"{doing} needs a reason", example)


def actor_named(by: str | None) -> str:
    return _given(by, "say who makes the change", "name yourself with --by NAME")


def on_scale(rating: str, scale: tuple[str, ...]) -> str:
    if rating in scale:
        return rating
    hint = f"did you mean '{rating.strip().upper()}'?" if rating.strip().upper() in scale else f"use one of {', '.join(scale)}"
    raise CalibrationError(f"'{rating}' is not on the rating scale ({', '.join(scale)})", hint=hint)


def known_code(code: str | None, guidelines: Guidelines) -> str | None:
    if code is None:
        return None
    codes = [c.code for c in guidelines.reason_codes]
    if code not in codes:
        hint = did_you_mean(code, codes) if codes else "the guidelines define no reason codes; leave out --code"
        raise CalibrationError(f"unknown reason code '{code}'", hint=hint)
    return code
