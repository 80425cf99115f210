"""No report or export lets a reader recover what a small group of raters answered.

The test is differential: two cycles differ only in the answers (and comments)
of a group too small to be shown. Every report and every export must come out
byte for byte the same — so nothing in them, not a figure, a chart, a count or
the order of comments, depends on those answers. A control shows the same
comparison does notice a change in a figure that is shown.
"""

from __future__ import annotations

from pathlib import Path

from competency.store.workspace import Workspace
from competency.workflow.plans import generate_plans
from competency.workflow import reports as R
from competency.workflow.exports import export
from tests.reports._support import Person, Rater, build_cycle

EXPORTS = [(kind, fmt) for kind in ("ratings", "scores", "plans", "audit") for fmt in ("csv", "json")]


def _everything(path: Path, out: Path) -> dict[str, bytes]:
    """Every report (zh and en, HTML and Markdown) and every export of the cycle, by name."""
    with Workspace(path) as workspace:
        generate_plans(workspace, None)
        for lang, formats in (("en", ("html", "md")), ("zh", ("html",))):  # the language changes words, not figures
            for fmt in formats:
                R.report_individual(workspace, None, None, fmt, lang, out / lang)
                R.report_team(workspace, None, None, fmt, lang, out / lang)
                R.report_plan(workspace, None, None, fmt, lang, out / lang)
            R.report_calibration(workspace, None, "html", lang, out / lang)
            R.report_org(workspace, None, "html", lang, out / lang)
        found = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        for kind, fmt in EXPORTS:
            _, data, _ = export(workspace, kind, None, fmt)
            found[f"export-{kind}.{fmt}"] = data.encode() if isinstance(data, str) else data
    return found


def _team(peer_scores: tuple[float, float], *, manager_score: float = 3, reports: tuple[float, float] | None = None) -> tuple[list[Person], dict[str, list[Rater]]]:
    """E1 (a supervisor when `reports` is given) rated by self, manager E0, peers — two, or three
    when E1 has reports — and, with `reports`, two direct reports E8, E9."""
    role = "sales_supervisor" if reports else "sales_representative"
    people = [Person("E0", "经理", role="regional_sales_manager"), Person("E1", "张三", role=role, manager_id="E0")]
    people += [Person(f"E{i}", f"同事{i}", role=role, manager_id="E0") for i in (2, 3, 4)]
    people += [Person(f"E{i}", f"下属{i}", manager_id="E1") for i in (8, 9)] if reports else []
    raters = [Rater("E1", "self", 4), Rater("E0", "manager", manager_score, comment="经理的评语")]
    if reports:
        raters += [Rater("E2", "peer", 3), Rater("E3", "peer", 2), Rater("E4", "peer", 3)]
        raters += [Rater("E8", "direct_report", reports[0], comment=f"下属说 {reports[0]}"), Rater("E9", "direct_report", reports[1], comment=f"另一位下属说 {reports[1]}")]
    else:
        raters += [Rater("E2", "peer", peer_scores[0], comment=f"同事说 {peer_scores[0]}"), Rater("E3", "peer", peer_scores[1], comment=f"另一位同事说 {peer_scores[1]}")]
    return people, {"E1": raters, "E2": [Rater("E2", "self", 3), Rater("E0", "manager", 3)]}


def _compare(tmp_path: Path, a: tuple[list[Person], dict[str, list[Rater]]], b: tuple[list[Person], dict[str, list[Rater]]]) -> tuple[dict[str, bytes], dict[str, bytes]]:
    one = _everything(build_cycle(tmp_path / "a", *a), tmp_path / "a-out")
    two = _everything(build_cycle(tmp_path / "b", *b), tmp_path / "b-out")
    return one, two


def test_two_peers_answers_leave_no_trace_in_any_report_or_export(tmp_path: Path) -> None:
    """A person with 2 peers: the peers' scores and comments change nothing anyone can read."""
    one, two = _compare(tmp_path, _team((1, 1)), _team((4, 2)))
    assert one.keys() == two.keys() and len(one) > 20
    changed = [name for name in one if one[name] != two[name]]
    assert changed == [], f"the peers' answers show in {changed}"
    individual = one["en/individual-E1.html"].decode()
    assert "同事说" not in individual and "经理的评语" in individual  # suppressed group's comments left out, the manager's shown
    assert "peers — fewer than 3 raters and too few to pool: not shown" in individual


def test_two_direct_reports_leave_no_trace_even_beside_three_peers(tmp_path: Path) -> None:
    """Peers (3) shown, direct reports (2) withheld: no 'all except self' figure or anything else reveals them by difference."""
    one, two = _compare(tmp_path, _team((3, 3), reports=(1, 1)), _team((3, 3), reports=(4, 3)))
    changed = [name for name in one if one[name] != two[name]]
    assert changed == [], f"the direct reports' answers show in {changed}"
    individual = one["en/individual-E1.html"].decode()
    assert "下属说" not in individual and "all except self — would reveal a small group by difference: not shown" in individual


def test_the_comparison_notices_a_figure_that_is_shown(tmp_path: Path) -> None:
    """The control: the manager's answers are shown, so changing them changes the individual report."""
    pages = []
    for name, score in (("a", 2), ("b", 4)):
        with Workspace(build_cycle(tmp_path / name, *_team((2, 2), manager_score=score))) as workspace:
            pages.append(R.report_individual(workspace, None, ["E1"], "html", "en", tmp_path / f"{name}-out")[0].read_bytes())
    assert pages[0] != pages[1]


def test_comment_order_says_nothing_about_who_wrote_which(tmp_path: Path) -> None:
    """Three peers' comments: swapping who wrote which (and the rater ids and import order) gives the same report."""
    def team(order: list[int]) -> tuple[list[Person], dict[str, list[Rater]]]:
        people = [Person("E0", "经理", role="sales_supervisor")] + [Person(f"E{i}", f"P{i}", manager_id="E0") for i in range(1, 5)]
        texts = ["第一条评语", "second comment", "третий"]
        raters = [Rater("E1", "self", 3), Rater("E0", "manager", 3)] + [Rater(f"E{2 + k}", "peer", 3, comment=texts[i]) for k, i in enumerate(order)]
        return people, {"E1": raters}

    one = build_cycle(tmp_path / "a", *team([0, 1, 2]))
    two = build_cycle(tmp_path / "b", *team([2, 0, 1]))
    pages = []
    for path, out in ((one, tmp_path / "a-out"), (two, tmp_path / "b-out")):
        with Workspace(path) as workspace:
            pages.append(R.report_individual(workspace, None, ["E1"], "html", "en", out)[0].read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert all(text in pages[0] for text in ("第一条评语", "second comment", "третий"))
