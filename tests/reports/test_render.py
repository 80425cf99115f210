"""Every report renders for the demo organisation: self-contained HTML that prints on A4,
Markdown where promised, and the templates laid out as STYLE.md §8 asks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from competency.files.outputs import person_file_names
from competency.files.shipped import shipped_path
from competency.store.workspace import Workspace
from competency.workflow import reports as R
from competency.workflow.exports import export_table

TEMPLATES = shipped_path("reports")


def _people(workspace: Workspace) -> int:
    return workspace.db.execute("SELECT count(*) FROM person_results WHERE cycle_id = '2026-Q4'").fetchone()[0]


def test_the_report_set_has_every_report_and_an_index_linking_them(report_set: Path, workspace: Workspace) -> None:
    """write_report_set: individual reports for everyone, a team report per manager, calibration, org, plans; all linked."""
    index = (report_set / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"]+)"', index)
    assert all((report_set / link).is_file() for link in links)
    managers = workspace.db.execute("SELECT count(DISTINCT manager_id) FROM roster WHERE manager_id IS NOT NULL").fetchone()[0]
    assert len([link for link in links if link.startswith("people/individual-")]) == _people(workspace)
    assert len([link for link in links if link.startswith("teams/team-")]) == managers
    assert "calibration.html" in links and "org.html" in links
    assert len([link for link in links if link.startswith("plans/plan-")]) == workspace.db.execute("SELECT count(*) FROM plans").fetchone()[0]


def _reports(report_set: Path) -> dict[str, Path]:
    return {
        "individual": next((report_set / "people").glob("individual-*.html")),
        "team": next((report_set / "teams").glob("team-*.html")),
        "calibration": report_set / "calibration.html",
        "org": report_set / "org.html",
        "index": report_set / "index.html",
    }


@pytest.mark.parametrize("kind", ["individual", "team", "calibration", "org", "index"])
def test_html_is_one_self_contained_file_that_prints_on_a4(report_set: Path, kind: str) -> None:
    """No script, no linked style sheet or font, nothing fetched from a network; A4 print CSS inline."""
    html = _reports(report_set)[kind].read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower() and "<link" not in html.lower() and "@import" not in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html), "a resource from the network"
    assert not re.search(r"url\(", html), "CSS that loads something"
    assert "@page { size: A4" in html and "break-before: page" in html
    if kind != "index":
        assert "<svg" in html and 'role="img"' in html
    assert "None" not in re.sub(r"<[^>]+>", " ", html), "a missing value printed as None"


def test_individual_report_has_every_section(report_set: Path) -> None:
    html = _reports(report_set)["individual"].read_text(encoding="utf-8")
    for section in ("summary", "profile", "self-view", "behaviours-extremes", "by-group", "behaviours", "kpis", "comments"):
        assert f'id="{section}"' in html
    assert 'class="chart radar"' in html and html.count('class="chart bars"') >= 5
    assert 'id="plan"' in html


@pytest.mark.parametrize("kind", ["individual", "plan", "team"])
def test_markdown_variants_render_with_tables_and_no_html(workspace: Workspace, tmp_path: Path, kind: str) -> None:
    if kind == "team":
        paths = R.report_team(workspace, None, ["E000002"], "md", "zh", tmp_path)
    else:
        paths = getattr(R, f"report_{kind}")(workspace, None, ["E000005"], "md", "zh", tmp_path)
    text = paths[0].read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "<svg" not in text and "<div" not in text
    if kind != "plan":
        assert "| --- |" in text
    else:
        assert "______" in text  # signature lines


def test_plan_report_has_signature_lines(workspace: Workspace, tmp_path: Path) -> None:
    """The development plan is the document the person and the manager sign."""
    html = R.report_plan(workspace, None, ["E000005"], "html", "en", tmp_path)[0].read_text(encoding="utf-8")
    assert "Employee&#39;s signature" in html and "Manager&#39;s signature" in html and 'class="sign"' in html


def test_calibrated_rating_shows_both_final_and_computed(demo: Path, tmp_path: Path) -> None:
    """A person whose rating calibration changed reads the final rating, the computed one and the reason."""
    import shutil

    copy = tmp_path / "ws.duckdb"
    shutil.copy(demo, copy)
    with Workspace(copy) as workspace:
        workspace.db.execute(
            "INSERT INTO overrides VALUES (1, '2026-Q4', 'E000005', 'A', 'C', 'Agreed in the meeting', NULL, 'hr', now(), 'manual')"
        )
        computed = workspace.db.execute("SELECT rating FROM person_results WHERE employee_id = 'E000005'").fetchone()[0]
        html = R.report_individual(workspace, None, ["E000005"], "html", "en", tmp_path)[0].read_text(encoding="utf-8")
        _, _, rows = export_table(workspace, "ratings", None)
    assert "Changed in calibration; the computed rating was" in html and "Agreed in the meeting" in html
    assert '<span class="rating r-C"' in html and f'<span class="rating r-{computed}"' in html
    row = next(r for r in rows if r["employee_id"] == "E000005")
    assert (row["computed_rating"], row["final_rating"], row["overridden"]) == (computed, "C", True)


def test_every_template_and_macro_opens_with_a_comment_naming_its_arguments() -> None:
    """STYLE.md §8: one template per report at the top, one topic per macro file, each macro introduced by a comment."""
    top = sorted(p.name for p in TEMPLATES.glob("*.*") if p.suffix in (".html", ".md") and p.name != "README.md")
    assert top == ["calibration.html", "index.html", "individual.html", "individual.md", "org.html", "plan.html", "plan.md", "team.html", "team.md"]
    for template in TEMPLATES.glob("*.*"):
        if template.name != "README.md":
            assert template.read_text(encoding="utf-8").startswith("{#"), template.name
    for macros in (TEMPLATES / "_macros").iterdir():
        text = macros.read_text(encoding="utf-8")
        for match in re.finditer(r"\{%-?\s*macro\s+(\w+)\(([^)]*)\)", text):
            before = text[: match.start()]
            comment = before[before.rfind("{#") :]
            assert comment.startswith("{#") and "#}" in comment, f"{macros.name}: macro {match.group(1)} has no comment before it"
            assert f"{match.group(1)}(" in comment, f"{macros.name}: the comment before {match.group(1)} does not name it with its arguments"


def test_unknown_people_and_managers_are_named_with_a_hint(workspace: Workspace, tmp_path: Path) -> None:
    with pytest.raises(R.ReportError, match=r"no employee 'E999999' in cycle 2026-Q4\n  hint: "):
        R.report_individual(workspace, None, ["E999999"], "html", "en", tmp_path)
    with pytest.raises(R.ReportError, match=r"no team with manager 'E000005' in cycle 2026-Q4"):
        R.report_team(workspace, None, ["E000005"], "html", "en", tmp_path)


def test_file_names_never_leave_the_output_folder() -> None:
    """Reports name people with `person_file_names`: no separator, no leading dot, a suffix for a changed id."""
    names = person_file_names(["../../etc/passwd", "E 1/2"])
    assert names["../../etc/passwd"].startswith("_._.._etc_passwd-") and names["E 1/2"].startswith("E 1_2-")
    assert all("/" not in name and not name.startswith(".") for name in names.values())


def test_org_summary_shows_the_trend_when_there_are_several_cycles(demo: Path, tmp_path: Path) -> None:
    """A second, later cycle: the org summary of it draws the trend of both; the earlier one's does not look ahead."""
    import shutil

    copy = tmp_path / "ws.duckdb"
    shutil.copy(demo, copy)
    with Workspace(copy) as workspace:
        db = workspace.db
        db.execute("INSERT INTO cycles SELECT '2027-Q1', status, opened_at + INTERVAL 90 DAY, model_id, model_version, scored_at FROM cycles WHERE cycle_id = '2026-Q4'")
        db.execute("INSERT INTO cycle_files SELECT '2027-Q1', kind, name, sha256, text FROM cycle_files WHERE cycle_id = '2026-Q4'")
        for table in ("roster", "competency_scores"):
            db.execute(f"INSERT INTO {table} SELECT * REPLACE ('2027-Q1' AS cycle_id) FROM {table} WHERE cycle_id = '2026-Q4'")
        db.execute("INSERT INTO person_results SELECT * REPLACE ('2027-Q1' AS cycle_id, competency_index + 0.2 AS competency_index) FROM person_results WHERE cycle_id = '2026-Q4'")
        later = R.report_org(workspace, "2027-Q1", "html", "en", tmp_path / "later")[0].read_text(encoding="utf-8")
        earlier = R.report_org(workspace, "2026-Q4", "html", "en", tmp_path / "earlier")[0].read_text(encoding="utf-8")
    assert 'class="chart trend"' in later and "<td>2026-Q4</td>" in later and "<td>2027-Q1</td>" in later
    assert 'class="chart trend"' not in earlier and "<td>2027-Q1</td>" not in earlier and "Only one cycle so far" in earlier
