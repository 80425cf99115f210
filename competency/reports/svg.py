"""Charts as inline SVG, drawn in Python: radar, bars, heat map, the 9-box grid
and a trend line. Pure: numbers and labels in, `Markup` out.

Every text that goes into a chart is escaped here (names and labels may come
from a roster), and every chart carries `role="img"` with a title, so a reader
with a screen reader hears what it shows. Colours are attributes, not CSS, so
a chart looks the same when it is cut out of the page or printed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from markupsafe import Markup, escape

from competency._text import number
from competency.reports._svg import COLOURS, Bar, Series, esc, legend, level_colour, open_svg, px, text_width, wrap

__all__ = ["COLOURS", "Bar", "Series", "bars", "count_bars", "heatmap", "level_colour", "nine_box", "radar", "trend"]


def radar(title: str, axes: Sequence[str], series: Sequence[Series], low: float, high: float, *, size: int = 420) -> Markup:
    """A radar (spider) chart of the axes on a scale `low`..`high`, one polygon per series.

    A missing value breaks the outline: points with a value are drawn, and the
    line between two points is drawn only when both exist.
    """
    n = len(axes)
    pad = 150  # room for the axis labels left and right
    cx, cy, r = size / 2 + pad, size / 2 + 10, size / 2 - 40
    width, height = size + 2 * pad, size + 20 + 24 * math.ceil(len(series) / 3)
    unit = _unit_circle(n)
    span = (high - low) or 1

    def point(index: int, value: float) -> tuple[float, float]:
        share = (min(max(value, low), high) - low) / span
        return cx + r * share * unit[index][0], cy + r * share * unit[index][1]

    out = [open_svg(width, height, title, "radar"), _radar_grid(tuple(axes), low, high, size)]
    for s in series:
        points = [point(i, v) if v is not None else None for i, v in enumerate(s.values)]
        dash = ' stroke-dasharray="5 4"' if s.dashed else ""
        if all(p is not None for p in points) and n > 2:
            fill = f'fill="{s.colour}" fill-opacity="0.15"' if s.filled else 'fill="none"'
            ring = " ".join(f"{px(x)},{px(y)}" for x, y in points)  # type: ignore[misc]
            out.append(f'<polygon class="series" data-series="{esc(s.name)}" points="{ring}" {fill} stroke="{s.colour}" stroke-width="2"{dash}/>')
        else:
            for i, p in enumerate(points):
                q = points[(i + 1) % n]
                if p is not None and q is not None and n > 1:
                    out.append(f'<line x1="{px(p[0])}" y1="{px(p[1])}" x2="{px(q[0])}" y2="{px(q[1])}" stroke="{s.colour}" stroke-width="2"{dash}/>')
        out.extend(f'<circle cx="{px(p[0])}" cy="{px(p[1])}" r="3" fill="{s.colour}"/>' for p in points if p is not None)
    out.append(legend(series, pad, size + 20, width))
    out.append("</svg>")
    return Markup("".join(out))


@lru_cache(maxsize=64)
def _unit_circle(n: int) -> tuple[tuple[float, float], ...]:
    """The directions of n axes, the first straight up."""
    return tuple((math.cos(-math.pi / 2 + 2 * math.pi * i / max(n, 1)), math.sin(-math.pi / 2 + 2 * math.pi * i / max(n, 1))) for i in range(n))


@lru_cache(maxsize=256)
def _radar_grid(axes: tuple[str, ...], low: float, high: float, size: int) -> str:
    """The rings, spokes and axis labels: the same for everyone of a role (kept)."""
    n, pad = len(axes), 150
    cx, cy, r = size / 2 + pad, size / 2 + 10, size / 2 - 40
    unit = _unit_circle(n)
    span = (high - low) or 1

    def point(index: int, value: float) -> tuple[float, float]:
        share = (value - low) / span
        return cx + r * share * unit[index][0], cy + r * share * unit[index][1]

    out = []
    for level in range(int(low), int(high) + 1):
        ring = " ".join(f"{px(x)},{px(y)}" for x, y in (point(i, level) for i in range(n)))
        out.append(f'<polygon points="{ring}" fill="none" stroke="#d0d4d9" stroke-width="1"/>')
        x, y = point(0, level)
        out.append(f'<text x="{px(x + 4)}" y="{px(y + 4)}" font-size="10" fill="#888">{level}</text>')
    for i, label in enumerate(axes):
        x, y = point(i, high)
        out.append(f'<line x1="{px(cx)}" y1="{px(cy)}" x2="{px(x)}" y2="{px(y)}" stroke="#d0d4d9"/>')
        lx, ly = point(i, high + (high - low) * 0.1)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        lines = wrap(label, 22)
        ly += 4 - (len(lines) - 1) * 7 if abs(ly - cy) < r * 0.6 else (4 - (len(lines) - 1) * 14 if ly < cy else 8)
        spans = "".join(f'<tspan x="{px(lx)}" dy="{0 if k == 0 else 14}">{esc(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text x="{px(lx)}" y="{px(ly)}" font-size="12" text-anchor="{anchor}" fill="#222">{spans}</text>')
    return "".join(out)


def bars(title: str, rows: Sequence[Bar], low: float, high: float, *, width: int = 460, label_width: int = 130,
         reference: float | None = None, reference_label: str | None = None) -> Markup:
    """Horizontal bars on `low`..`high`, one row each, the value written after the bar.

    `reference` draws a dashed vertical line (a role's required level).
    """
    row_h, top = 22, 8
    plot = width - label_width - 50
    height = top + row_h * len(rows) + (26 if reference is not None else 8)
    span = (high - low) or 1

    def x(value: float) -> float:
        return label_width + plot * (min(max(value, low), high) - low) / span

    out = [open_svg(width, height, title, "bars"), _bar_grid(low, high, label_width, plot, top, top + row_h * len(rows))]
    for i, row in enumerate(rows):
        y = top + i * row_h
        out.append(f'<text x="{label_width - 6}" y="{y + 15}" font-size="12" text-anchor="end" fill="#222">{esc(row.label)}</text>')
        if row.value is not None:
            end = x(row.value)
            text = row.text if row.text is not None else number(row.value)
            out.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{px(max(end - label_width, 1))}" height="{row_h - 6}" fill="{row.colour}"/>'
                f'<text x="{px(end + 4)}" y="{y + 15}" font-size="11" fill="#222">{esc(text)}</text>'
            )
    if reference is not None:
        rx = px(x(reference))
        bottom = top + row_h * len(rows)
        out.append(f'<line x1="{rx}" y1="{top - 2}" x2="{rx}" y2="{bottom + 2}" stroke="{COLOURS["required"]}" stroke-width="2" stroke-dasharray="4 3"/>')
        if reference_label:
            out.append(f'<text x="{rx}" y="{bottom + 16}" font-size="11" text-anchor="middle" fill="#555">{esc(reference_label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


@lru_cache(maxsize=256)
def _bar_grid(low: float, high: float, left: int, plot: int, top: int, bottom: int) -> str:
    """The vertical grid lines at each whole scale value (the same for most charts: kept)."""
    span = (high - low) or 1
    return "".join(
        f'<line x1="{px(left + plot * (tick - low) / span)}" y1="{top - 2}" x2="{px(left + plot * (tick - low) / span)}" y2="{bottom}" stroke="#e3e6ea"/>'
        for tick in range(int(low), int(high) + 1)
    )


def count_bars(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float], str]],
               markers: tuple[str, Sequence[float | None]] | None = None, *, unit: str = "%", width: int = 520) -> Markup:
    """Grouped horizontal bars of shares or counts per category (a rating distribution).

    `series` are (name, values, colour); `markers` draws a tick per category
    (the guideline's share) with its name in the legend.
    """
    groups = len(series)
    bar_h, gap, label_w = 14, 10, 90
    top = 8
    block = groups * bar_h + gap
    plot = width - label_w - 60
    top_value = max([v for _, values, _ in series for v in values] + [v for v in (markers[1] if markers else []) if v is not None] + [1e-9])
    height = top + block * len(categories) + 30

    def x(value: float) -> float:
        return label_w + plot * value / top_value

    out = [open_svg(width, height, title, "count-bars")]
    for c, category in enumerate(categories):
        y0 = top + c * block
        out.append(f'<text x="{label_w - 6}" y="{px(y0 + groups * bar_h / 2 + 4)}" font-size="12" text-anchor="end" fill="#222">{esc(category)}</text>')
        for s, (_, values, colour) in enumerate(series):
            value = values[c]
            y = y0 + s * bar_h
            out.append(f'<rect x="{label_w}" y="{px(y)}" width="{px(max(x(value) - label_w, 0.5))}" height="{bar_h - 2}" fill="{colour}"/>')
            shown = f"{value:.0f}{unit}" if unit else f"{value:g}"
            out.append(f'<text x="{px(x(value) + 4)}" y="{px(y + bar_h - 4)}" font-size="10" fill="#222">{esc(shown)}</text>')
        if markers and markers[1][c] is not None:
            mx = x(markers[1][c])  # type: ignore[arg-type]
            out.append(f'<line x1="{px(mx)}" y1="{px(y0 - 2)}" x2="{px(mx)}" y2="{px(y0 + groups * bar_h)}" stroke="{COLOURS["guideline"]}" stroke-width="3"/>')
    keys = [Series(name, [], colour) for name, _, colour in series]
    if markers:
        keys.append(Series(markers[0], [], COLOURS["guideline"]))
    out.append(legend(keys, label_w, top + block * len(categories) + 4, width))
    out.append("</svg>")
    return Markup("".join(out))


def heatmap(title: str, rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]], low: float, high: float,
            *, cell_w: int = 62, row_label_w: int = 150, marks: Sequence[Sequence[bool]] | None = None) -> Markup:
    """A table of coloured cells (people or departments × competencies), the value in each.

    `marks` outlines cells (a gap to the required level) with a dark border.
    """
    cell_h = 24
    longest = max((text_width(c, 11) for c in columns), default=0)
    head = min(30 + longest * 0.58, 200)  # slanted by 35°: the labels rise by sin(35°) of their length
    width = row_label_w + cell_w * len(columns) + min(longest * 0.82, 200)  # …and reach right by cos(35°)
    height = head + cell_h * len(rows) + 6
    out = [open_svg(width, height, title, "heatmap")]
    for j, column in enumerate(columns):
        x = row_label_w + j * cell_w + cell_w / 2
        out.append(f'<text transform="translate({px(x)},{px(head - 6)}) rotate(-35)" font-size="11" fill="#222">{esc(column)}</text>')
    for i, row in enumerate(rows):
        y = head + i * cell_h
        out.append(f'<text x="{row_label_w - 6}" y="{px(y + 16)}" font-size="12" text-anchor="end" fill="#222">{esc(row)}</text>')
        for j, value in enumerate(values[i]):
            x = row_label_w + j * cell_w
            marked = bool(marks and marks[i][j])
            stroke = 'stroke="#222" stroke-width="2"' if marked else 'stroke="#fff" stroke-width="1"'
            out.append(f'<rect x="{px(x)}" y="{px(y)}" width="{cell_w}" height="{cell_h}" fill="{level_colour(value, low, high)}" {stroke}/>')
            text = number(value)
            out.append(f'<text x="{px(x + cell_w / 2)}" y="{px(y + 16)}" font-size="11" text-anchor="middle" fill="#222">{text}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def nine_box(title: str, cells: Sequence[Sequence[tuple[str, int, Sequence[str]]]], x_labels: Sequence[str], y_labels: Sequence[str],
             x_title: str, y_title: str, *, names_shown: int = 6, more: str = "+{n}") -> Markup:
    """The 3×3 grid: `cells[row][col]` = (label, count, names), row 0 at the top (high potential),
    column 0 at the left (low performance). Up to `names_shown` names per cell, then "+n"."""
    cw, ch, left, top = 200, 130, 70, 10
    width, height = left + 3 * cw + 10, top + 3 * ch + 50
    out = [open_svg(width, height, title, "nine-box")]
    shades = [["#fff3bf", "#d3f9d8", "#b2f2bb"], ["#ffe8cc", "#fff3bf", "#d3f9d8"], ["#ffc9c9", "#ffe8cc", "#fff3bf"]]
    for r, row in enumerate(cells):
        for c, (label, count, names) in enumerate(row):
            x, y = left + c * cw, top + r * ch
            out.append(f'<rect x="{x}" y="{y}" width="{cw}" height="{ch}" fill="{shades[r][c]}" stroke="#888"/>')
            out.append(f'<text x="{x + 8}" y="{y + 18}" font-size="13" font-weight="bold" fill="#222">{esc(label)}</text>')
            out.append(f'<text x="{x + cw - 8}" y="{y + 18}" font-size="16" font-weight="bold" text-anchor="end" fill="#222" class="count">{count}</text>')
            shown = list(names[:names_shown])
            lines = [", ".join(shown[i : i + 2]) for i in range(0, len(shown), 2)]
            if len(names) > names_shown:
                lines.append(more.format(n=len(names) - names_shown))
            for k, line in enumerate(lines[:5]):
                out.append(f'<text x="{x + 8}" y="{y + 40 + 16 * k}" font-size="11" fill="#333">{esc(line)}</text>')
    for r, label in enumerate(y_labels):
        out.append(f'<text transform="translate({left - 12},{top + r * ch + ch / 2}) rotate(-90)" font-size="12" text-anchor="middle" fill="#222">{esc(label)}</text>')
    for c, label in enumerate(x_labels):
        out.append(f'<text x="{left + c * cw + cw / 2}" y="{top + 3 * ch + 18}" font-size="12" text-anchor="middle" fill="#222">{esc(label)}</text>')
    out.append(f'<text x="{left + 1.5 * cw}" y="{top + 3 * ch + 40}" font-size="13" text-anchor="middle" font-weight="bold" fill="#222">{escape(x_title)}</text>')
    out.append(f'<text transform="translate(16,{top + 1.5 * ch}) rotate(-90)" font-size="13" text-anchor="middle" font-weight="bold" fill="#222">{escape(y_title)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def trend(title: str, points: Sequence[str], series: Sequence[Series], low: float, high: float, *, width: int = 520, height: int = 240) -> Markup:
    """Lines across cycles (x: the cycles in order), one per series; gaps where a value is missing."""
    left, right, top, bottom = 40, 20, 10, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(points)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)
        share = (min(max(v, low), high) - low) / (high - low) if high > low else 0
        return x, top + plot_h * (1 - share)

    out = [open_svg(width, height, title, "trend")]
    for tick in range(int(low), int(high) + 1):
        _, y = xy(0, tick)
        out.append(f'<line x1="{left}" y1="{px(y)}" x2="{width - right}" y2="{px(y)}" stroke="#e3e6ea"/>')
        out.append(f'<text x="{left - 6}" y="{px(y + 4)}" font-size="10" text-anchor="end" fill="#888">{tick}</text>')
    for i, label in enumerate(points):
        x, _ = xy(i, low)
        out.append(f'<text x="{px(x)}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" fill="#222">{esc(label)}</text>')
    for s in series:
        coords = [xy(i, v) if v is not None else None for i, v in enumerate(s.values)]
        for a, b in pairwise(coords):
            if a is not None and b is not None:
                out.append(f'<line x1="{px(a[0])}" y1="{px(a[1])}" x2="{px(b[0])}" y2="{px(b[1])}" stroke="{s.colour}" stroke-width="2"/>')
        for c in coords:
            if c is not None:
                out.append(f'<circle cx="{px(c[0])}" cy="{px(c[1])}" r="3.5" fill="{s.colour}"/>')
    out.append(legend(series, left, top + plot_h + 28, width))
    out.append("</svg>")
    return Markup("".join(out))
