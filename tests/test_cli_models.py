"""`validate` and `model show` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from competency.cli import main
from competency.files.bundle import load_bundle
from competency.files.shipped import default_model_folder


def test_validate_without_paths_checks_the_shipped_files() -> None:
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "models/sales/model.yaml" in result.output
    assert result.output.rstrip().endswith("file(s) valid.")


def test_validate_reports_every_broken_file_and_exits_1(bundle_copy: Path) -> None:
    (bundle_copy / "model.yaml").write_text("kind: competency_model\nid: Bad Id\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bundle_copy)])
    assert result.exit_code == 1
    assert "'Bad Id' is not a valid id for 'id'" in result.output


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(main, ["model", "show", "--lang", "fr"])
    assert result.exit_code == 2
    assert "'fr' is not one of 'zh', 'en'" in result.output


def test_model_show_in_chinese_prints_names_behaviours_and_anchors() -> None:
    bundle = load_bundle(default_model_folder())
    result = CliRunner().invoke(main, ["model", "show", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    for competency in bundle.model.competencies:
        assert competency.name.zh in result.output
        assert all(b.text.zh in result.output for b in competency.behaviors)
        assert all(a.zh in result.output for a in competency.anchors.values())
    assert "评价等级: 4 优秀 · 3 良好 · 2 一般 · 1 差" in result.output


def test_model_show_one_competency_in_english() -> None:
    result = CliRunner().invoke(main, ["model", "show", "relationships", "--lang", "en"])
    assert result.exit_code == 0
    assert result.output.startswith("\nRelationship")
    assert "Level anchors:" in result.output
    assert "== Role profiles ==" not in result.output


def test_model_show_unknown_competency_suggests() -> None:
    result = CliRunner().invoke(main, ["model", "show", "excution"])
    assert result.exit_code == 1
    assert result.output == "no competency 'excution' in model 'sales'\n  hint: did you mean 'execution'?\n"


def test_model_show_json_is_the_whole_bundle(minimal_dir: Path) -> None:
    result = CliRunner().invoke(main, ["model", "show", "--model-dir", str(minimal_dir), "--format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.output)
    assert payload["model"]["id"] == "mini"
    assert payload["roles"]["roles"][0]["competencies"]["execution"] == {"required": 3, "weight": 0.6}


def test_unexpected_error_is_one_line_not_a_traceback(monkeypatch) -> None:
    """A bug shows a short message and exit 3, never a Python traceback."""
    from competency.workflow import models

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(models, "show_model", broken)
    monkeypatch.delenv("COMPETENCY_DEBUG", raising=False)
    result = CliRunner().invoke(main, ["model", "show"])
    assert result.exit_code == 3
    assert "Traceback" not in result.output
    assert result.output.startswith("internal error: ZeroDivisionError: division by zero\n")


def test_init_copies_model_and_rules_with_schema_lines(tmp_path: Path) -> None:
    """Every copied file names a schema file that exists, and the copy validates."""
    folder = tmp_path / "my-org"
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    copied = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.yaml"))
    assert "models/sales/model.yaml" in copied and "rules/sales/rating.yaml" in copied
    for file in folder.rglob("*.yaml"):
        first = file.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=")
        assert (file.parent / first.split("=", 1)[1]).resolve().is_file()
    assert CliRunner().invoke(main, ["validate", str(folder)]).exit_code == 0


def test_init_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"{tmp_path} is not empty\n  hint: choose a new folder, or add --force to replace the files init writes there\n"
