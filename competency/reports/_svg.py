"""Drawing primitives the charts share: colours, series and bars, escaped text, pixel
coordinates, the opening tag, legends and label wrapping."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from markupsafe import escape

FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC','WenQuanYi Micro Hei',sans-serif\""
COLOURS = {
    "others": "#1f6fb2",
    "self": "#e07b16",
    "required": "#555555",
    "manager": "#2b8a3e",
    "peer": "#1f6fb2",
    "direct_report": "#7048a8",
    "customer": "#b5465a",
    "all_others": "#3b5b7a",
    "computed": "#9fb7cf",
    "final": "#1f6fb2",
    "guideline": "#d9480f",
}


class Series(NamedTuple):
    """One line of a radar chart: a name, values per axis (None = no figure), a colour."""

    name: str
    values: Sequence[float | None]
    colour: str
    dashed: bool = False
    filled: bool = False


class Bar(NamedTuple):
    """One bar: its label, value (None draws no bar), colour, and the text shown beside it."""

    label: str
    value: float | None
    colour: str
    text: str | None = None


def px(value: float) -> str:
    """A coordinate or length in the drawing, to a tenth of a pixel."""
    return f"{value:.1f}"


@lru_cache(maxsize=8192)
def esc(text: str) -> str:
    """Escaped text for SVG, kept: labels repeat across thousands of charts."""
    return str(escape(text))


def open_svg(width: float, height: float, title: str, css: str) -> str:
    """The opening tag of a chart, with its size, class and accessible title."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" viewBox="0 0 {px(width)} {px(height)}" '
        f'width="{px(width)}" height="{px(height)}" {FONT}><title>{escape(title)}</title>'
    )


def wrap(text: str, width: int) -> list[str]:
    """Split a long label on spaces into lines of about `width` characters (CJK text has none and stays whole)."""
    words, lines = text.split(" "), [""]
    for word in words:
        if lines[-1] and len(lines[-1]) + 1 + len(word) > width:
            lines.append(word)
        else:
            lines[-1] = f"{lines[-1]} {word}".strip()
    return lines


def text_width(text: str, size: float) -> float:
    """About how wide `text` is at font `size`: CJK characters are a full em, others about 0.6."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def legend(series: Sequence[Series], x0: float, y0: float, width: float) -> str:
    out, x, y = [], x0, y0
    for s in series:
        if x + 40 + text_width(s.name, 12) > width and x > x0:
            x, y = x0, y + 22
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        out.append(f'<line x1="{px(x)}" y1="{px(y + 6)}" x2="{px(x + 22)}" y2="{px(y + 6)}" stroke="{s.colour}" stroke-width="3"{dash}/>')
        out.append(f'<text x="{px(x + 28)}" y="{px(y + 10)}" font-size="12" fill="#222">{esc(s.name)}</text>')
        x += 40 + text_width(s.name, 12)
    return "".join(out)


def level_colour(value: float | None, low: float, high: float) -> str:
    """Red (low) through amber to green (high); grey when there is no value."""
    if value is None:
        return "#eeeeee"
    share = (min(max(value, low), high) - low) / (high - low) if high > low else 0.5
    stops = [(0.0, (214, 69, 65)), (0.5, (247, 201, 72)), (1.0, (67, 160, 71))]
    for (s0, c0), (s1, c1) in pairwise(stops):
        if share <= s1:
            f = (share - s0) / (s1 - s0)
            rgb = [round(a + (b - a) * f) for a, b in zip(c0, c1)]
            # lighten towards white so the numbers stay readable
            rgb = [round(v + (255 - v) * 0.35) for v in rgb]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#7fbf82"

