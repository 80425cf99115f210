"""Numbers in an imported file, read strictly: SQL for the value a text means.

DuckDB's cast reads `1_1` as 11 and `inf`, `nan` and `Infinity` as numbers;
an HR file means none of them. A number here is ASCII digits with an optional
sign, decimal point and exponent (`3`, `-0.5`, `.5`, `1.5e3`, spaces around
allowed) and finite. The same typed in full width, as a Chinese input method
does (`３．５`, `－２`), is read as its ASCII form; digits of other scripts and
thousands separators (`1,000`) are not numbers.
"""

from __future__ import annotations

from competency._sql import quote_number, quote_text
from competency.domain import Scale

FULL_WIDTH = "０１２３４５６７８９．＋－ｅＥ"
ASCII = "0123456789.+-eE"


def _strict(text: str, otherwise: str = "NULL") -> str:
    # What DuckDB accepts beyond the grammar above is `_` between digits and the
    # words inf, nan and infinity: the first is looked for, the others are not finite.
    value = f"TRY_CAST({text} AS DOUBLE)"
    return f"CASE WHEN isfinite({value}) AND NOT contains({text}, '_') THEN {value} ELSE {otherwise} END"


def number_sql(text: str, otherwise: str = "NULL") -> str:
    """SQL: the DOUBLE that `text` (a VARCHAR expression) means, or `otherwise` when it is not a number.

    The value trimmed of any white space (DuckDB's cast drops only ASCII spaces)
    and read in full width is tried only where the plain reading finds nothing:
    a CASE evaluates its ELSE for those rows alone (a COALESCE would evaluate
    both for every row, ten times slower on millions of answers)."""
    wide = f"translate(trim({text}), {quote_text(FULL_WIDTH)}, {quote_text(ASCII)})"
    return _strict(text, _strict(wide, otherwise))


def score_sql(text: str, scale: Scale) -> str:
    """SQL: the score `text` means: a number (as `number_sql` reads it), or the scale's
    own word for a level (its zh or en label, or its key, in any case: 优秀, Good,
    average), so a survey exported with the scale's labels imports without a mapping.
    The labels are looked at only where the text is not a number."""
    words = {}
    for level in scale.levels:
        for word in (level.label.zh, level.label.en, level.key):
            words[word.strip().lower()] = level.value
    cases = " ".join(f"WHEN {quote_text(word)} THEN {quote_number(value)}" for word, value in words.items())
    return number_sql(text, f"CASE lower(trim({text})) {cases} END")
