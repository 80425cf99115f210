"""The cross-release guard through the CLI: a corrected import of a scored cycle, and HR's withdrawal."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from competency.cli import main
from competency.i18n import LANGUAGES, t
from competency.publication.reasons import REASONS, reason_text
from competency.scoring.config import Anonymity
from competency.store.workspace import Workspace
from tests.reports._support import CYCLE, Person, Rater, build_cycle, items_for

PEOPLE = [Person("E0", "经理", role="regional_sales_manager"), Person("E1", "张三", role="sales_supervisor", manager_id="E0")]
PEOPLE += [Person(f"E{i}", f"同事{i}", role="sales_supervisor", manager_id="E0") for i in (2, 3, 4, 5)]


def _raters(peers: int) -> dict[str, list[Rater]]:
    return {"E1": [Rater("E1", "self", 3), Rater("E0", "manager", 3)] + [Rater(f"E{2 + i}", "peer", 2 + i % 2) for i in range(peers)]}


def _responses(path: Path, raters: dict[str, list[Rater]]) -> Path:
    rows = ["employee_id,rater_id,relationship,item_id,score"]
    rows += [f"E1,{r.rater_id},{r.relationship},{item},{r.score}" for r in raters["E1"] for item in items_for("sales_supervisor")]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _peer_figures(path: Path) -> set[tuple[bool, str | None]]:
    with Workspace(path) as workspace:
        return set(workspace.db.execute("SELECT publishable, reason FROM group_scores WHERE cycle_id = ? AND employee_id = 'E1' AND rater_group = 'peer'", [CYCLE]).fetchall())


def test_a_corrected_import_that_adds_one_peer_withholds_the_peer_figure(tmp_path: Path) -> None:
    """Scored with 3 peers (released), then re-imported with a 4th and scored again: next to the
    first run's figure the new one would give the 4th peer's answers (4·G₂ − 3·G₁), so it is
    withheld as cross_release; `cycle show` counts it. Withdrawing the release, as HR may before
    anything was handed out, publishes it again, and the withdrawal is in the audit log."""
    path = build_cycle(tmp_path, PEOPLE, _raters(3))
    assert _peer_figures(path) == {(True, None)}
    runner = CliRunner()
    ws = ["--workspace", str(path)]
    result = runner.invoke(main, [*ws, "import", "responses", str(_responses(tmp_path / "more.csv", _raters(4))), "--replace"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, [*ws, "score"]).exit_code == 0
    assert _peer_figures(path) == {(False, "cross_release")}
    shown = runner.invoke(main, [*ws, "cycle", "show", "--format", "json"])
    assert json.loads(shown.output)["withheld"]["cross_release"] >= 1
    assert "by the cross-release guard: " in runner.invoke(main, [*ws, "cycle", "show"]).output
    explained = runner.invoke(main, [*ws, "explain", "E1", "--lang", "zh"]).output
    assert "同事: 与此前已发布的同一得分相比,评价人只差1至2人,公开会暴露他们的评价" in explained
    withheld = [line for line in explained.splitlines() if "未公开 —" in line]
    assert withheld and not [line for line in withheld if re.search("[A-Za-z]{2,}", line)], withheld  # no English reason

    refused = runner.invoke(main, [*ws, "score", "--withdraw-release"])
    assert refused.exit_code == 2 and "--withdraw-release needs --reason and --by" in refused.output
    withdrawn = runner.invoke(main, [*ws, "score", "--withdraw-release", "--reason", "wrong file, nothing handed out", "--by", "Li Na"])
    assert withdrawn.exit_code == 0, withdrawn.output
    assert _peer_figures(path) == {(True, None)}
    with Workspace(path) as workspace:
        assert workspace.db.execute("SELECT actor, action, previous, reason FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone() == (
            "Li Na", "withdraw_release", "2", "wrong file, nothing handed out")
        assert workspace.db.execute("SELECT count(*) FROM releases WHERE cycle_id = ?", [CYCLE]).fetchone()[0] == 1
    assert "intact" in runner.invoke(main, [*ws, "calibrate", "log", "--verify", "--lang", "en"]).output


def test_scoring_the_same_answers_again_withholds_nothing_more(tmp_path: Path) -> None:
    """The same raters behind the same figures differ by none: re-scoring changes no decision."""
    path = build_cycle(tmp_path, PEOPLE, _raters(3))
    with Workspace(path) as workspace:
        before = workspace.db.execute("SELECT * EXCLUDE (cycle_id) FROM group_scores ORDER BY ALL").fetchall()
    assert CliRunner().invoke(main, ["--workspace", str(path), "score"]).exit_code == 0
    with Workspace(path) as workspace:
        assert workspace.db.execute("SELECT * EXCLUDE (cycle_id) FROM group_scores ORDER BY ALL").fetchall() == before


def test_every_reason_code_has_words_in_both_languages() -> None:
    """A reason code is stored; its words live only in the catalogue, in zh and en, thresholds filled in."""
    anonymity = Anonymity()
    for code in REASONS:
        for lang in LANGUAGES:
            text = reason_text(code, anonymity, lang)
            assert text and "{" not in text, (code, lang)
            assert text == t(f"reason.{code}", lang).format(k=3, k_all=4, k_minus_1=2, people_k=3)
