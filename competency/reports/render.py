"""The Jinja2 environment of the report templates, compiled once per process.

HTML templates (`*.html`) are autoescaped; Markdown templates (`*.md`) are
not — they escape what a person or a roster wrote with the `md` filter, which
also turns `<` and `>` into entities so a Markdown viewer never runs HTML.
Labels come from the message catalogue through `tr(key)`.
"""

from __future__ import annotations

from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, select_autoescape

from competency.i18n import t
from competency.files.shipped import shipped_path
from competency._text import markdown_text, number


def num(value: Any, digits: int = 2) -> str:
    """A number for a report: fixed decimals, an em dash when there is none."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return number(value, digits)
    return str(value)


def plain(value: Any) -> str:
    """A number as written, without trailing zeros (98.4, 1.141, 6)."""
    return "—" if value is None else f"{value:g}"


def pct(value: Any, digits: int = 0) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def signed(value: Any, digits: int = 2) -> str:
    return "—" if value is None else f"{value:+.{digits}f}"


def fill(text: str, **values: Any) -> str:
    """A catalogue text with its `{placeholders}` filled (Jinja's own `format` is printf-style)."""
    return text.format(**{k: (f"{v:g}" if isinstance(v, float) else v) for k, v in values.items()})


def md(value: Any) -> str:
    """Text written by people (names, comments) made inert in Markdown, on one line."""
    if value is None:
        return ""
    return _md_text(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=65536)
def _md_text(text: str) -> str:
    # Kept: most cells (labels, names, numbers) repeat across thousands of reports.
    return markdown_text(text)


def md_row(cells: Any) -> str:
    """One Markdown table row, every cell escaped with `md`."""
    return "| " + " | ".join(md(cell) for cell in cells) + " |"


def md_header(cells: Any) -> str:
    """A Markdown table's header row and the rule under it."""
    cells = list(cells)
    return md_row(cells) + "\n|" + " --- |" * len(cells)


def environment(folder: Path | None = None) -> Environment:
    """A fresh environment over `folder` (default: the shipped `reports/`)."""
    env = Environment(
        loader=FileSystemLoader(str(folder or shipped_path("reports"))),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "svg"), disabled_extensions=("md",), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=num, plain=plain, pct=pct, signed=signed, md=md, md_row=md_row, md_header=md_header, fill=fill)
    return env


@lru_cache(maxsize=1)
def shipped_environment() -> Environment:
    return environment()


def template(name: str) -> Template:
    """A shipped template, compiled on first use and kept."""
    return shipped_environment().get_template(name)


def render(name: str, lang: str, **context: Any) -> str:
    """Render the shipped template `name` in `lang` (labels through `tr`)."""
    return template(name).render(lang=lang, tr=partial(t, lang=lang), **context)
