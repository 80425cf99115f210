"""The charts: well-formed SVG, labels escaped, missing values drawn as gaps, never as zeros."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import permutations
from pathlib import Path

from competency.reports import svg
from competency.reports.individual import comment_order

NS = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def test_radar_has_a_polygon_per_complete_series_and_escapes_labels() -> None:
    chart = svg.radar("Profile <x>", ["A&B", "<b>", "C"], [svg.Series("360", [3, 2.5, 4], "#000"), svg.Series("self", [4, None, 3], "#f00")], 1, 4)
    root = _parse(chart)
    assert root.find(f"{NS}title").text == "Profile <x>"
    assert [p.get("data-series") for p in root.iter(f"{NS}polygon") if p.get("class") == "series"] == ["360"]
    texts = "".join(t.text or "" for t in root.iter(f"{NS}tspan"))
    assert "A&B" in texts and "<b>" in texts
    # the series with a gap: its two points drawn, one line between the two that exist
    assert len([c for c in root.iter(f"{NS}circle") if c.get("fill") == "#f00"]) == 2


def test_bars_leave_out_a_missing_value_and_mark_the_requirement() -> None:
    root = _parse(svg.bars("Execution", [svg.Bar("manager", 3.5, "#111"), svg.Bar("peers", None, "#222")], 1, 4, reference=3, reference_label="Required"))
    assert [r.get("fill") for r in root.iter(f"{NS}rect")] == ["#111"]
    assert any(line.get("stroke-dasharray") == "4 3" for line in root.iter(f"{NS}line"))


def test_heatmap_and_nine_box_are_well_formed() -> None:
    _parse(svg.heatmap("Team", ["李雷 (E1)", "<Han>"], ["Execution", "Integrity"], [[3.2, None], [1.0, 4.0]], 1, 4, marks=[[True, False], [False, False]]))
    grid = [[("Star & co", 2, ["甲", "乙", "丙"]) for _ in range(3)] for _ in range(3)]
    root = _parse(svg.nine_box("9-box", grid, ["low", "mid", "high"], ["high", "medium", "low"], "Performance", "Potential", names_shown=2, more="+{n} more"))
    assert [t.text for t in root.iter(f"{NS}text") if t.get("class") == "count"] == ["2"] * 9
    assert any(t.text == "+1 more" for t in root.iter(f"{NS}text"))


def test_every_chart_in_the_reports_is_well_formed_svg(report_set: Path) -> None:
    pages = [report_set / "calibration.html", report_set / "org.html", next((report_set / "people").glob("*.html")), next((report_set / "teams").glob("*.html"))]
    for page in pages:
        charts = re.findall(r"<svg .*?</svg>", page.read_text(encoding="utf-8"), flags=re.DOTALL)
        assert charts, page.name
        for chart in charts:
            _parse(chart)


def test_comment_order_is_stable_and_independent_of_input_order() -> None:
    """Sorted by a keyed hash of the text: the same for any input order, different per person."""
    comments = ["很好", "needs focus", "Great coach", "准时", "准时"]
    orders = {tuple(comment_order(list(p), "2026-Q4/E1")) for p in permutations(comments)}
    assert len(orders) == 1
    assert sorted(next(iter(orders))) == sorted(comments)
    keys = [f"2026-Q4/E{i}" for i in range(8)]
    assert len({tuple(comment_order(comments, key)) for key in keys}) > 1
