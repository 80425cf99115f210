"""Text of rating changes for the terminal: suggested moves, each with why, and
the audit log. Pure: results in, text out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from competency._text import text_table
from competency.i18n import t

if TYPE_CHECKING:
    from competency.calibration.suggest import Move, Suggestion


def score_name(score: str, lang: str) -> str:
    """The guidelines' `suggest.score` (performance, ability) in words."""
    return t(f"calibration.score.{score}", lang)


def move_reason(move: Move, score: str, lang: str) -> str:
    """Why a suggested move: the person's distance to the band boundary and what it fixes."""
    key = ("calibration.move_at" if move.distance == 0 else "calibration.move_down") if move.down else "calibration.move_up"
    rating = move.rating if move.down else move.to
    why = t(key, lang).format(score=score_name(score, lang), value=f"{move.score:g}", distance=f"{move.distance:g}", rating=rating, threshold=f"{move.threshold:g}")
    fixes = "; ".join(
        f"{t('calibration.kind.' + f.kind, lang)}{'' if f.kind == 'organisation' else ' ' + f.label} {f.ratings} {f.before}→{f.after} "
        f"({t('calibration.allowed', lang).format(low=f.allowed[0], high=f.allowed[1])})"
        for f in move.fixes
    )
    return f"{t('calibration.suggested', lang)}: {why}; {t('calibration.brings', lang).format(fixes=fixes)}"


def suggestion_text(suggestion: Suggestion, score: str, lang: str, applied: int | None) -> str:
    moves = suggestion.moves
    if not suggestion.off_before:
        return t("calibration.suggest_none", lang) + "\n"
    out = [t("calibration.suggest_moves", lang).format(n=len(moves), lower=suggestion.lower_bound)]
    for m in moves:
        out.append(f"  {m.employee_id} {m.name or ''}  {m.rating} → {m.to}  {move_reason(m, score, lang)}")
    if suggestion.off_after:
        out.append(t("calibration.suggest_partial", lang).format(scopes=", ".join(suggestion.off_after)))
    if suggestion.unfixable:
        out.append(t("calibration.suggest_unfixable", lang).format(bounds="; ".join(suggestion.unfixable)))
    if moves:
        out.append(t("calibration.suggest_applied", lang).format(n=applied) if applied is not None else t("calibration.suggest_dry", lang))
    return "\n".join(out) + "\n"


def log_text(rows: list[dict[str, Any]], lang: str) -> str:
    """The audit rows (`audit.rows`) as a table: when, who, what changed and why."""
    if not rows:
        return t("calibration.log_empty", lang) + "\n"
    columns = ["seq", t("calibration.when", lang), t("calibration.who", lang), t("calibration.action", lang), t("calibration.employee", lang), t("calibration.change", lang), t("calibration.reason", lang)]
    table = [
        {
            "seq": r["seq"], columns[1]: str(r["logged_at"])[:19], columns[2]: r["actor"], columns[3]: r["action"] + (f" ({r['kind']})" if r["kind"] and r["kind"] != r["action"] else ""),
            columns[4]: r["employee_id"] or "", columns[5]: f"{r['previous'] or '—'} → {r['new'] or '—'}", columns[6]: r["reason"] or "",
        }
        for r in rows
    ]
    return text_table(columns, table)
