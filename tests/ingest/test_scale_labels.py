"""Answers written as the scale's own words (优秀 / 良好 / 一般 / 差, Excellent … Poor,
or the level keys) are scores, with no mapping; any other word is still refused."""

from __future__ import annotations

from pathlib import Path

from competency.files.bundle import ModelBundle
from competency.store.workspace import Workspace
from tests.ingest._support import rejections, responses_csv, rows, run_import


def test_the_scales_labels_in_both_languages_and_its_keys_are_scores(with_roster: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    levels = {level.value: level for level in bundle.model.scale.levels}
    words = [levels[4].label.zh, levels[3].label.zh, levels[2].label.zh, levels[1].label.zh, f" {levels[3].label.en.upper()} ", levels[2].key, "３"]
    raters = ["P1", "P2", "P3", "C1", "R1", "R2", "R3"]
    relationships = ["peer", "peer", "peer", "customer", "direct_report", "direct_report", "direct_report"]
    lines = [f"S1,{rater},{relationship},exe_understands_instructions,{word}," for rater, relationship, word in zip(raters, relationships, words)]
    summary = run_import(with_roster, "responses", responses_csv(tmp_path, *lines), bundle)
    assert (summary.rows_total, summary.accepted, summary.rejected) == (7, 7, 0)
    stored = rows(with_roster, "SELECT rater_id, score FROM responses ORDER BY rater_id")
    assert stored == sorted(zip(raters, [4.0, 3.0, 2.0, 1.0, 3.0, 2.0, 3.0]))


def test_a_word_that_is_no_level_of_the_scale_is_refused(with_roster: Workspace, bundle: ModelBundle, tmp_path: Path) -> None:
    summary = run_import(with_roster, "responses", responses_csv(tmp_path, "S1,P1,peer,exe_understands_instructions,很好,"), bundle)
    assert (summary.accepted, summary.rejected) == (0, 1)
    assert rejections(with_roster, summary) == [(2, "score not a number: '很好'")]
