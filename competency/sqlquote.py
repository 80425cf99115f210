"""The one place that writes SQL identifiers and string literals into statement text.

Every module that builds SQL from names it chose (columns named after rule
names, lists of ids) quotes them here, so a value can never change a statement.
"""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """A SQL identifier: double quotes, inner quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def quote_text(text: str) -> str:
    """A SQL string literal: single quotes, inner quotes doubled."""
    return "'" + text.replace("'", "''") + "'"
