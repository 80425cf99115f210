"""The zh and en individual reports are entirely in their language: no label is left untranslated.

The rendered text is scanned with what people wrote (names, departments,
regions, comments, override reasons) taken out: in zh no English value of the
catalogue appears, in en no Chinese character appears at all.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from competency.i18n import CATALOGUE
from competency.store.workspace import Workspace
from competency.workflow import reports as R

PREFIXES = ("report.", "group.", "reason.", "plan.", "explain.")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


class _Text(HTMLParser):
    """The visible text of a page (no style, no markup)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "\n".join(parser.parts)


def _people_wrote(workspace: Workspace) -> list[str]:
    """Everything in the workspace that a person typed rather than the tool or the model."""
    texts = [v for row in workspace.db.execute("SELECT name, department, region FROM roster").fetchall() for v in row if v]
    texts += [r[0].strip() for r in workspace.db.execute("SELECT DISTINCT comment FROM responses WHERE comment IS NOT NULL").fetchall()]
    texts += [r[0] for r in workspace.db.execute("SELECT reason FROM overrides").fetchall()]
    return sorted(set(texts), key=len, reverse=True)


def _without(text: str, typed: list[str]) -> str:
    for value in typed:
        text = text.replace(value, " ")
    return text


def _english_values() -> list[str]:
    found = set()
    for key, texts in CATALOGUE.items():
        english = texts["en"]
        if key.startswith(PREFIXES) and english != texts["zh"] and len(english) >= 4:
            found.update(part for part in re.split(r"\{[^}]*\}", english) if len(part.strip()) >= 4)
    return sorted(found, key=len, reverse=True)


@pytest.fixture(scope="module")
def people(demo: Path) -> list[str]:
    """A few people whose reports cover the cases: an A, a D, someone with withheld figures, a supervisor."""
    with Workspace(demo) as workspace:
        chosen = {row[0] for row in workspace.db.execute("SELECT min(employee_id) FROM person_results GROUP BY rating").fetchall()}
        chosen |= {workspace.db.execute("SELECT min(employee_id) FROM group_scores WHERE NOT publishable").fetchone()[0]}
        chosen |= {workspace.db.execute("SELECT min(employee_id) FROM roster WHERE role = 'sales_supervisor'").fetchone()[0]}
    return sorted(chosen)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_chinese_report_has_no_english_label(workspace: Workspace, people: list[str], tmp_path: Path, fmt: str) -> None:
    typed = _people_wrote(workspace)
    english = _english_values()
    for path in R.report_individual(workspace, None, people, fmt, "zh", tmp_path):
        raw = path.read_text(encoding="utf-8")
        text = _without(_visible(raw) if fmt == "html" else raw, typed)
        left = [value for value in english if re.search(rf"(?<![A-Za-z]){re.escape(value)}(?![A-Za-z])", text)]
        assert left == [], f"{path.name}: English label(s) in the zh report: {left}"
        words = set(re.findall(r"[A-Za-z]{4,}", text)) - {"SMART"}
        assert words == set(), f"{path.name}: English words in the zh report: {sorted(words)}"


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_english_report_has_no_chinese(workspace: Workspace, people: list[str], tmp_path: Path, fmt: str) -> None:
    typed = _people_wrote(workspace)
    for path in R.report_individual(workspace, None, people, fmt, "en", tmp_path):
        raw = path.read_text(encoding="utf-8")
        text = _without(_visible(raw) if fmt == "html" else raw, typed)
        found = sorted({line.strip() for line in text.splitlines() if CJK.search(line)})
        assert found == [], f"{path.name}: Chinese in the en report: {found[:5]}"
