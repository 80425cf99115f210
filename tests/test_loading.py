"""Loading a model bundle and validating files and folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.domain import Text
from competency.errors import SourceErrors
from competency.files.bundle import load_bundle
from competency.files.kinds import validate_paths


def test_minimal_bundle_loads(minimal_dir: Path) -> None:
    bundle = load_bundle(minimal_dir)
    assert bundle.model.id == "mini"
    assert [c.id for c in bundle.model.competencies] == ["execution", "relationships"]
    assert bundle.roles.role("sales_supervisor").competencies["execution"].required == 3
    assert bundle.kpis.kpi("expense_ratio").direction == "lower_is_better"


def test_plain_string_is_both_languages() -> None:
    """A plain string in YAML serves as the Chinese and the English text."""
    text = Text.model_validate("执行力")
    assert (text.zh, text.en, text.origin) == ("执行力", "执行力", "authored")


def test_models_are_frozen(minimal_dir: Path) -> None:
    bundle = load_bundle(minimal_dir)
    with pytest.raises(Exception, match="frozen"):
        bundle.model.competencies[0].weight = 2  # type: ignore[misc]


def test_load_bundle_reports_errors_of_all_files(bundle_copy: Path) -> None:
    """Mistakes in two files come back together, each with its own file."""
    model = bundle_copy / "model.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("weight: 1\n", "weight: lots\n"), encoding="utf-8")
    roles = bundle_copy / "roles.yaml"
    roles.write_text(roles.read_text(encoding="utf-8").replace("execution: {required", "excution: {required"), encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        load_bundle(bundle_copy)
    files = sorted(Path(p.location.file).name for p in caught.value.problems)
    assert files == ["model.yaml", "roles.yaml"]
    assert str(caught.value).endswith("2 errors in 2 files.")


def test_folder_without_roles_is_an_error(bundle_copy: Path) -> None:
    (bundle_copy / "roles.yaml").unlink()
    with pytest.raises(SourceErrors, match="no files of kind 'role_profiles' in this folder"):
        load_bundle(bundle_copy)


def test_validate_expands_folders(minimal_dir: Path) -> None:
    files, problems = validate_paths([minimal_dir])
    assert [f.name for f in files] == ["kpis.yaml", "model.yaml", "roles.yaml"]
    assert problems == []


def test_missing_path_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SourceErrors, match="no such file or folder"):
        validate_paths([tmp_path / "nope.yaml"])


def test_comma_in_unquoted_text_gets_a_hint(bundle_copy: Path) -> None:
    """`{zh: 有效, 及时地沟通, en: …}` splits at the comma; the hint says to quote the text."""
    from competency.files.kinds import validate_paths

    model = bundle_copy / "model.yaml"
    model.write_text(model.read_text(encoding="utf-8").replace("{zh: 建立信任, en: Builds trust}", "{zh: 建立信任, 保持联系, en: Builds trust}"), encoding="utf-8")
    _, problems = validate_paths([model])
    assert [(p.message, p.hint) for p in problems] == [
        ("unknown field '保持联系'", 'a comma inside an unquoted text splits it: put the whole text in quotes, e.g. zh: "…，…"')
    ]
