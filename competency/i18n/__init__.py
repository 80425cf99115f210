"""The message catalogue: every fixed label the tool prints, in zh and en.

Texts that belong to a model (competency names, anchors…) come from the model's
own bilingual fields; this catalogue holds only the tool's words, one module
per topic.
"""

from __future__ import annotations

from competency.i18n import calibration, explain, model, plans, reasons, reports, rules

LANGUAGES = ("zh", "en")

CATALOGUE: dict[str, dict[str, str]] = {}
for _topic in (model, explain, reasons, rules, reports, plans, calibration):
    _repeated = CATALOGUE.keys() & _topic.WORDS.keys()
    assert not _repeated, f"catalogue keys defined twice: {sorted(_repeated)}"
    CATALOGUE.update(_topic.WORDS)


def t(key: str, lang: str) -> str:
    """The catalogue's text for `key` in `lang` (zh or en)."""
    return CATALOGUE[key]["zh" if lang == "zh" else "en"]
