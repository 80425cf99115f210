"""How wide text shows in a terminal, a plain-text table or a spreadsheet column."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns `text` takes: Chinese and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
