"""Text for the terminal and rows for CSV / JSON: calibration status and agreement
(`render_changes` writes suggested moves and the audit log). Pure: results in,
text or plain data out.

Managers appear under their employee id (identified by design); other raters
only as counts per rater group, so no row describes one of them; no answer is
ever shown. A withheld figure shows its reason in the catalogue's words
(`publication.reasons.reason_text`), never a value.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from competency._text import number, text_table
from competency.calibration.guidelines import share_text
from competency.calibration.leniency import PARTS
from competency.i18n import CATALOGUE, t
from competency.publication.reasons import reason_text

if TYPE_CHECKING:
    from competency.calibration.agreement import CompetencyAgreement
    from competency.calibration.distribution import ScopeCheck
    from competency.calibration.leniency import ManagerLeniency
    from competency.scoring.config import Anonymity
    from competency.workflow.calibrate import AgreementReport, CalibrationStatus

TEXT_ROWS = 40  # longer tables print only their flagged rows in text


def plain(value: Any) -> Any:
    """Dataclasses, tuples and the like as JSON-ready data (with their yes/no properties)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        for name in ("off", "minimal"):
            if isinstance(getattr(type(value), name, None), property) and isinstance(getattr(value, name), bool):
                data[name] = getattr(value, name)
        return data
    if isinstance(value, BaseModel):
        return plain(value.model_dump())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def _signed(value: float | None, digits: int) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def _diff(d: Any) -> str:
    """`+0.70 (z +2.2)` for a standardised difference."""
    return "—" if d.d is None else f"{_signed(d.d, 2)} (z {_signed(d.z, 1)})"


def _flag(flag: str | None, on: tuple[str, ...], lang: str) -> str:
    if not flag:
        return ""
    return f"{t('calibration.' + flag, lang)} ({', '.join(t('calibration.on.' + o, lang) for o in on)})" if on else t("calibration." + flag, lang)


def scope_label(check: ScopeCheck, lang: str) -> str:
    kind = t(f"calibration.kind.{check.kind}", lang)
    return kind if check.kind == "organisation" else f"{kind} {check.label}"


def scope_verdict(check: ScopeCheck, lang: str, minimum: int | None) -> str:
    if not check.bounds and not check.checked:
        if minimum is not None and check.size < minimum:
            return t("calibration.not_checked", lang).format(n=minimum)
        return t("calibration.no_bounds", lang)
    off = [b for b in check.bounds if not b.within]
    if not off:
        return t("calibration.ok", lang)
    parts = []
    for b in off:
        if b.allowed is None:
            parts.append(f"{b.ratings} {share_text(b.percent)} ({b.share}): {t('calibration.impossible', lang)}")
        else:
            many = t("calibration.too_many" if b.excess > 0 else "calibration.too_few_people", lang).format(n=abs(b.excess))
            parts.append(f"{b.ratings} {share_text(b.percent)} ({b.share}): {b.deviation:+g} pp, {many}")
    return "; ".join(parts)


def scope_rows(status: CalibrationStatus, lang: str) -> list[dict[str, Any]]:
    minimums = status.minimum_sizes
    rows = []
    for check in status.scopes:
        row: dict[str, Any] = {"kind": check.kind, "scope": check.scope or "", "label": scope_label(check, lang), "people": check.size}
        for rating in status.scale:
            row[rating] = check.counts.get(rating, 0)
            row[f"{rating} %"] = check.percents.get(rating, 0.0)
        row["checked"] = check.checked
        row["off"] = check.off
        row["guideline"] = scope_verdict(check, lang, minimums.get(check.kind))
        rows.append(row)
    return rows


def withheld_note(withheld: dict[str, str], anonymity: Anonymity, lang: str) -> str:
    """Why a manager's averages are not shown (`fewer than 3 people: no average shown`),
    naming the parts when only some of them are withheld."""
    if not withheld:
        return ""
    notes = []
    for code in dict.fromkeys(withheld.values()):
        parts = [p for p, c in withheld.items() if c == code]
        named = "" if len(parts) == len(PARTS) else f" ({', '.join(t('calibration.on.' + p, lang) for p in parts)})"
        notes.append(reason_text(code, anonymity, lang) + named)
    return "; ".join(notes)


def manager_rows(managers: list[ManagerLeniency], scale: tuple[str, ...], anonymity: Anonymity, lang: str) -> list[dict[str, Any]]:
    rows = []
    for m in managers:
        row: dict[str, Any] = {"manager_id": m.manager_id, "name": m.name, "team": m.team}
        row.update({r: m.counts.get(r, 0) for r in scale})
        for part in PARTS:
            d = getattr(m, part)
            row.update({f"{part}_mean": d.mean, f"{part}_d": d.d, f"{part}_se": d.se, f"{part}_z": d.z, f"{part}_low": d.low, f"{part}_high": d.high})
        row["flag"] = m.flag or ""
        row["flagged_on"] = ",".join(m.flagged_on)
        row["withheld"] = withheld_note(m.withheld, anonymity, lang)
        rows.append(row)
    return rows


RATER_COUNTS = ("raters", "lenient", "severe", "within", "not_judged")


def rater_rows(status: CalibrationStatus, lang: str) -> list[dict[str, Any]]:
    """One row per rater group: counts of raters only, or why the group is withheld."""
    return [
        {"group": r.group, **{name: getattr(r, name) for name in RATER_COUNTS}, "withheld": reason_text(r.withheld, status.anonymity, lang) if r.withheld else ""}
        for r in status.raters
    ]


def rater_table(status: CalibrationStatus, lang: str) -> tuple[list[str], list[dict[str, Any]]]:
    """The text table of rater groups: a withheld group shows no count, only its reason."""
    counts = [t(f"calibration.raters.{name}", lang) for name in RATER_COUNTS]
    columns = [t("calibration.rater_group", lang), *counts, t("calibration.note", lang)]
    table = []
    for r in status.raters:
        row: dict[str, Any] = {columns[0]: t(f"group.{r.group}", lang) if f"group.{r.group}" in CATALOGUE else r.group}
        row.update({column: getattr(r, name) for column, name in zip(counts, RATER_COUNTS)})
        row[columns[-1]] = reason_text(r.withheld, status.anonymity, lang) if r.withheld else ""
        table.append(row)
    return columns, table


def adverse_rows(status: CalibrationStatus) -> list[dict[str, Any]]:
    return [dataclasses.asdict(g) for g in status.adverse_impact]


def _limited(rows: list[Any], keep: Any, weight: Any, lang: str) -> tuple[list[Any], str]:
    """All rows when few; else the `TEXT_ROWS` heaviest of those `keep` says (in their
    order), with a note of how many were left out."""
    if len(rows) <= TEXT_ROWS:
        return rows, ""
    heaviest = {id(r) for r in sorted((r for r in rows if keep(r)), key=weight, reverse=True)[:TEXT_ROWS]}
    shown = [r for r in rows if id(r) in heaviest]
    return shown, t("calibration.more_rows", lang).format(n=len(rows) - len(shown))


def _largest_z(m: ManagerLeniency) -> float:
    return max((abs(d.z) for d in (m.rating, m.score, m.answers) if d.z is not None), default=0.0)


def status_text(status: CalibrationStatus, lang: str, names: bool) -> str:
    out = [t("calibration.title", lang).format(cycle=status.cycle_id, status=status.status, guidelines=status.guidelines), ""]
    out += _scopes_text(status, lang) + [""] + _nine_box_text(status, lang, names) + [""] + _managers_text(status, lang) + [""] + _raters_text(status, lang)
    if status.attribute:
        out += [""] + _adverse_text(status, lang)
    return "\n".join(out) + "\n"


def _scopes_text(status: CalibrationStatus, lang: str) -> list[str]:
    checks, note = _limited(
        status.scopes, lambda c: c.off or c.kind == "organisation", lambda c: (c.kind == "organisation", sum(abs(b.excess) for b in c.bounds)), lang
    )
    columns = [t("calibration.scope", lang), t("calibration.people", lang), *status.scale, t("calibration.guideline", lang)]
    table = []
    for check in checks:
        row = {columns[0]: ("! " if check.off else "  ") + scope_label(check, lang), columns[1]: check.size}
        for rating in status.scale:
            row[rating] = f"{check.counts.get(rating, 0)} {share_text(check.percents.get(rating, 0.0))}"
        row[columns[-1]] = scope_verdict(check, lang, status.minimum_sizes.get(check.kind))
        table.append(row)
    checked = [c for c in status.scopes if c.checked]
    summary = t("calibration.off_summary", lang).format(off=len(status.off), checked=len(checked)) + (f" {note}" if note else "")
    return [t("calibration.scopes", lang), text_table(columns, table).rstrip("\n"), summary]


def _nine_box_text(status: CalibrationStatus, lang: str, names: bool) -> list[str]:
    if names:
        return [t("calibration.nine_box", lang)] + [f"  {cell['box']} ({cell['people']}): {', '.join(cell.get('names', []))}" for cell in status.nine_box]
    return [t("calibration.nine_box", lang), "  " + ", ".join(f"{cell['box']} {cell['people']}" for cell in status.nine_box)]


def _managers_text(status: CalibrationStatus, lang: str) -> list[str]:
    managers, more = _limited(status.managers, lambda m: m.flag, _largest_z, lang)
    columns = [t("calibration.manager", lang), t("calibration.team", lang), *status.scale,
               t("calibration.rating_index", lang), t("calibration.score_index", lang), t("calibration.answers_index", lang), t("calibration.flag", lang)]
    table = []
    for m in managers:
        row = {columns[0]: f"{m.manager_id} {m.name}", columns[1]: m.team}
        row.update({r: m.counts.get(r, 0) for r in status.scale})
        note = "; ".join(filter(None, (_flag(m.flag, m.flagged_on, lang), withheld_note(m.withheld, status.anonymity, lang))))
        row.update({columns[-4]: _diff(m.rating), columns[-3]: _diff(m.score), columns[-2]: _diff(m.answers), columns[-1]: note})
        table.append(row)
    flagged = [m for m in status.managers if m.flag]
    return [
        t("calibration.managers", lang).format(z=f"{status.z_threshold:g}", d=f"{status.minimum_effect:g}"),
        text_table(columns, table).rstrip("\n") if table else "  —",
        t("calibration.managers_summary", lang).format(n=len(status.managers), flagged=len(flagged)) + (f" {more}" if more else ""),
    ]


def _raters_text(status: CalibrationStatus, lang: str) -> list[str]:
    """Counts per rater group only."""
    judged = [r for r in status.raters if r.withheld is None]
    return [
        t("calibration.raters", lang).format(z=f"{status.z_threshold:g}", d=f"{status.minimum_effect:g}"),
        text_table(*rater_table(status, lang)).rstrip("\n"),
        t("calibration.raters_summary", lang).format(n=sum(r.raters or 0 for r in judged), flagged=sum(r.flagged for r in judged), people=status.minimum_people),
    ]


def _adverse_text(status: CalibrationStatus, lang: str) -> list[str]:
    heading = t("calibration.adverse", lang).format(attribute=status.attribute, ratio=f"{status.four_fifths:g}", favourable="/".join(status.favourable))
    columns = [t("calibration.group", lang), t("calibration.people", lang), t("calibration.favourable", lang), t("calibration.rate", lang), t("calibration.ratio", lang), t("calibration.flag", lang)]
    table = []
    for g in status.adverse_impact:
        verdict = t("calibration.adverse_flag", lang) if g.flagged else ("" if g.judged else t("calibration.too_few", lang))
        table.append({columns[0]: g.group, columns[1]: g.people, columns[2]: g.favourable, columns[3]: f"{g.rate:.0%}", columns[4]: number(g.ratio), columns[5]: verdict})
    return [heading, text_table(columns, table).rstrip("\n")]


AGREEMENT_COLUMNS = ("competency_id", "people", "ratings", "k0", "icc1", "icc1k", "items", "sheets", "alpha", "rwg_people", "rwg_median", "rwg_agree_share")


def agreement_rows(report: AgreementReport) -> list[dict[str, Any]]:
    return [dataclasses.asdict(c) for c in report.competencies]


def agreement_text(report: AgreementReport, lang: str) -> str:
    names = {k: v.get(lang, k) for k, v in report.names.items()}
    out = [t("calibration.agreement", lang).format(cycle=report.cycle_id), t("calibration.agreement_note", lang).format(options=report.options), ""]
    columns = [t("calibration.competency", lang), t("calibration.people", lang), "k0", "ICC(1)", "ICC(1,k)", t("calibration.items", lang), "alpha", "rwg(J)", "rwg ≥ .70"]
    rows = []
    for c in report.competencies:
        c: CompetencyAgreement
        rows.append({
            columns[0]: names.get(c.competency_id, c.competency_id), columns[1]: c.people, "k0": number(c.k0, 1), "ICC(1)": number(c.icc1), "ICC(1,k)": number(c.icc1k),
            columns[5]: c.items, "alpha": number(c.alpha), "rwg(J)": number(c.rwg_median), "rwg ≥ .70": "—" if c.rwg_agree_share is None else f"{c.rwg_agree_share:.0%}",
        })
    out.append(text_table(columns, rows).rstrip("\n"))
    return "\n".join(out) + "\n"
