"""JSON Schema for editors: generated from the models, accepts the shipped files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from competency.cli import main
from competency.files.bundle import yaml_files
from competency.files.shipped import shipped_path
from competency.files.editor_schema import SCHEMA_FOLDER, SCHEMA_KINDS, json_schema, schema_text

KIND_TO_SCHEMA = {kind: name for name, (kind, _) in SCHEMA_KINDS.items()}


def _documents(folder: Path) -> list[tuple[Path, dict]]:
    found = []
    for path in yaml_files([folder]):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("kind") in KIND_TO_SCHEMA:
            found.append((path, data))
    return found


@pytest.mark.parametrize(
    ("folder", "count"),
    [(shipped_path("models"), 3), (shipped_path("rules"), 5), (Path(__file__).parent / "data" / "minimal", 3)],
    ids=["shipped models", "shipped rules", "minimal"],
)
def test_schema_accepts_every_shipped_file(folder: Path, count: int) -> None:
    """Editors checking a shipped file against its generated schema find nothing wrong."""
    documents = _documents(folder)
    assert len(documents) == count
    for path, data in documents:
        schema = json_schema(KIND_TO_SCHEMA[data["kind"]])
        jsonschema.Draft202012Validator(schema).validate(data)


def test_schema_rejects_an_unknown_key(minimal_dir: Path) -> None:
    data = yaml.safe_load((minimal_dir / "model.yaml").read_text(encoding="utf-8"))
    data["competencies"][0]["colour"] = "blue"
    errors = list(jsonschema.Draft202012Validator(json_schema("model")).iter_errors(data))
    assert any("'colour' was unexpected" in error.message for error in errors)


def test_schema_rejects_a_wrong_kind(minimal_dir: Path) -> None:
    data = yaml.safe_load((minimal_dir / "kpis.yaml").read_text(encoding="utf-8"))
    data["kind"] = "competency_model"
    assert not jsonschema.Draft202012Validator(json_schema("kpis")).is_valid(data)


@pytest.mark.parametrize("name", sorted(SCHEMA_KINDS))
def test_shipped_schema_files_are_current(name: str) -> None:
    """The schema files beside the package are exactly what the models generate."""
    assert (SCHEMA_FOLDER / f"{name}.json").read_text(encoding="utf-8") == schema_text(name)


def test_schema_command_prints_json_schema() -> None:
    result = CliRunner().invoke(main, ["schema", "--kind", "roles"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["properties"]["kind"] == {"const": "role_profiles", "description": "What this file is."}


def test_schema_command_writes_a_file(tmp_path: Path) -> None:
    target = tmp_path / "model.schema.json"
    result = CliRunner().invoke(main, ["schema", "-o", str(target)])
    assert result.exit_code == 0
    assert result.output == f"wrote {target}\n"
    assert json.loads(target.read_text(encoding="utf-8"))["$id"] == "competency:model"
