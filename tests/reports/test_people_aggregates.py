"""An average over fewer than k people is withheld, with its reason (DESIGN §7a).

A department of one shows its one person's scores if it shows an average, so
the org report's averages by department and region, its trend figures, and a
team report's team-level rows (mean, margin, strengths and gaps) are left out
when fewer than `anonymity.people_k` people (3 in the shipped rules) are behind
them: the cell shows "—", the report names what it left out and why, and the
value is nowhere in the file. The org figures are withheld in SQL, so they
never leave the database.

The cycle: 法务部 one person (E1, alone in region west), 财务部 two (E2, E3,
a team of two under E1), 销售部 three (E4, E5 and the supervisor E6); E0
manages E1 and 销售部.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.reports import load
from competency.store.workspace import Workspace
from competency.workflow import reports as R
from tests.reports._support import CYCLE, ITEMS, Person, Rater, build_cycle

# Averages the reports must not show: 法务部's and west's (E1's own scores), and
# 财务部's, which are also E1's team means.
LEGAL = ("1.20", "1.25")  # E1: 1.2 in every competency, 1.25 in decision making (4 behaviours)
FINANCE = ("2.70", "2.75")  # (2.2 + 3.2) / 2 and (2.25 + 3.25) / 2
SALES = "3.67"  # (4 + 4 + 3) / 3: three people, shown
SUPERVISORS = {"en": "Team management, Leadership", "zh": "团队管理, 领导才能"}  # in 销售部 and east, only E6 has them

NOTE = {
    "en": "{names} — fewer than 3 people: no average shown",
    "zh": "{names} — 少于3人,不显示平均值",
}
NOT_SHOWN = {"en": "Not shown", "zh": "未公开"}


def _manager(manager_id: str, base: float, last: float) -> list[Rater]:
    """Rated by the manager only: `base` for every behaviour, `last` for each competency's last one."""
    return [Rater(manager_id, "manager", base, scores={items[-1]: last for items in ITEMS.values()})]


@pytest.fixture(scope="module")
def small_groups(tmp_path_factory: pytest.TempPathFactory) -> Path:
    people = [
        Person("E0", "经理", role="regional_sales_manager", department="总部", region="north"),
        Person("E1", "法务一", manager_id="E0", department="法务部", region="west"),
        Person("E2", "财务二", manager_id="E1", department="财务部"),
        Person("E3", "财务三", manager_id="E1", department="财务部"),
        Person("E4", "销售四", manager_id="E0", department="销售部"),
        Person("E5", "销售五", manager_id="E0", department="销售部"),
        Person("E6", "销售六", role="sales_supervisor", manager_id="E0", department="销售部"),
    ]
    raters = {
        "E1": _manager("E0", 1, 2),
        "E2": _manager("E1", 2, 3),
        "E3": _manager("E1", 3, 4),
        "E4": _manager("E0", 4, 4),
        "E5": _manager("E0", 4, 4),
        "E6": _manager("E0", 3, 3),
    }
    return build_cycle(tmp_path_factory.mktemp("small-groups"), people, raters)


@pytest.fixture(scope="module")
def pages(small_groups: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The org report and both team reports, by name ('en/org.html', 'zh/team-E1.md', …)."""
    out = tmp_path_factory.mktemp("small-groups-reports")
    with Workspace(small_groups) as workspace:
        for lang in ("en", "zh"):
            R.report_org(workspace, None, "html", lang, out / lang)
            for fmt in ("html", "md"):
                R.report_team(workspace, None, None, fmt, lang, out / lang)
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.*"))}


def _note(lang: str, names: str) -> str:
    return f"{NOT_SHOWN[lang]}: {NOTE[lang].format(names=names)}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_department_of_one_or_of_k_minus_1_shows_no_average_and_says_why(pages: dict[str, str], lang: str) -> None:
    """法务部 (1) and 财务部 (2): no figure, named with the reason; west, a region of one, likewise."""
    html = pages[f"{lang}/org.html"]
    departments = f"法务部 (1); 财务部 (2); 销售部 (3): {SUPERVISORS[lang]}"
    assert f'<p class="note withheld">{_note(lang, departments)}</p>' in html
    assert f'<p class="note withheld">{_note(lang, f"east (5): {SUPERVISORS[lang]}; west (1)")}</p>' in html
    for value in LEGAL + FINANCE:
        assert value not in html, f"the withheld average {value} is in {lang}/org.html"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_region_that_would_reveal_a_withheld_department_by_difference_is_withheld(pages: dict[str, str], lang: str) -> None:
    """east (5) holds 销售部 (3, shown) and 财务部 (2, withheld): 5 × east − 3 × 销售部 would give
    财务部's sum, so east's averages of the competencies both have are withheld, with the reason."""
    html = pages[f"{lang}/org.html"]
    reason = {"en": "would reveal a small group by difference: not shown", "zh": "公开会通过相减暴露人数过少的组,不公开"}[lang]
    found = [note for note in html.split('<p class="note withheld">')[1:] if note.startswith(f"{NOT_SHOWN[lang]}: east (5): ")]
    assert any(reason in note and "—" in note for note in found), found
    assert "3.28" not in html  # east's execution average (5 people)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_department_of_k_people_shows_its_averages(pages: dict[str, str], lang: str) -> None:
    """销售部 has 3 people: the averages of the competencies all three have are shown;
    the note names only the two that only its supervisor has."""
    html = pages[f"{lang}/org.html"]
    assert html.count(f">{SALES}</text>") == 7  # the seven competencies of a sales representative


def test_org_rows_carry_null_and_a_reason_code_for_fewer_than_k_people(small_groups: Path) -> None:
    """The withheld value never leaves the database: the row has no score, only `people_minimum`."""
    with Workspace(small_groups) as workspace:
        averages, trend = load.org_rows(workspace.db, CYCLE, people_k=3)
        stricter, _ = load.org_rows(workspace.db, CYCLE, people_k=4)
    cells = {(r["scope"], r["competency_id"]): (r["people"], r["score"], r["reason"]) for r in averages}
    assert cells[("法务部", "execution")] == (1, None, "people_minimum")
    assert cells[("财务部", "decision_making")] == (2, None, "people_minimum")
    assert cells[("west", "integrity")] == (1, None, "people_minimum")
    assert cells[("总部", "execution")] == (0, None, None)  # nobody scored: no figure, nothing withheld
    people, score, reason = cells[("销售部", "execution")]
    assert (people, f"{score:.2f}", reason) == (3, SALES, None)
    # east (5) less the shown 销售部 (3) inside it would give 财务部's (2) average: withheld too.
    assert cells[("east", "execution")] == (5, None, "differencing")
    strict = {(r["scope"], r["competency_id"]): (r["score"], r["reason"]) for r in stricter}
    assert strict[("销售部", "execution")] == (None, "people_minimum") and strict[("east", "execution")][1] is None
    assert [(t["cycle_id"], t["people"], t["rated"], t["reason"]) for t in trend] == [(CYCLE, 7, 6, None)]


def test_trend_figures_of_a_cycle_are_withheld_each_by_its_own_head_count(small_groups: Path) -> None:
    """At k = 7: 6 people rated (shares and the competency index mean withheld), 7 with a KPI index (shown)."""
    with Workspace(small_groups) as workspace:
        (row,) = load.org_rows(workspace.db, CYCLE, people_k=7)[1]
    assert (row["people"], row["rated"], row["ratings"], row["competency_index"], row["reason"]) == (7, 6, None, None, "people_minimum")
    assert f"{row['kpi_index']:.2f}" == "3.25"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_team_of_fewer_than_k_shows_no_team_average(pages: dict[str, str], lang: str, fmt: str) -> None:
    """E1's team (E2, E3): each member's own scores stay, the team's mean, margin, strengths and gaps go."""
    page = pages[f"{lang}/team-E1.{fmt}"]
    names = {
        "en": "Execution; Relationship building; Influence; Integrity; Market information gathering and feedback; Decision making; "
              "Self-management and motivation",
        "zh": "执行力; 关系建立; 影响力; 个人品德; 市场信息收集及反馈; 决策力; 自我管理和激励",
    }[lang]
    assert _note(lang, names) in page
    for value in FINANCE:
        assert value not in page, f"the withheld team mean {value} is in {lang}/team-E1.{fmt}"
    assert "3.20" in page and "2.20" in page  # the members' own 360 scores
    if fmt == "md":
        first = {"en": "| Execution | — | 3.0 | — | — / 2 |", "zh": "| 执行力 | — | 3.0 | — | — / 2 |"}[lang]
        assert first in page
        assert page.count(f"- {'none' if lang == 'en' else '无'}\n") == 2  # no strengths, no gaps


def test_a_team_of_k_people_shows_its_team_averages(pages: dict[str, str]) -> None:
    """E0's team (E1, E4, E5, E6): team means shown, but for the supervisor's own competencies (E6 alone)."""
    page = pages["en/team-E0.md"]
    assert "| Execution | 3.05 | 3.0 | +0.05 | 1 / 4 |" in page
    assert "| Team management | — | 3.0 | — | — / 1 |" in page
    assert "Not shown: Team management; Leadership — fewer than 3 people: no average shown" in page
