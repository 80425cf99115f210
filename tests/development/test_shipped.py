"""The shipped action library and development rules: complete, valid, faithful to the seed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from competency.files.yaml_loader import read_yaml
from competency.development import ACTION_TYPES, ActionLibrary, DevelopmentRules
from competency.files.editor_schema import json_schema
from competency.errors import NoPlanRules, SourceErrors
from competency.files.bundle import load_bundle
from competency.files.kinds import validate_paths
from competency.files.shipped import default_model_folder, default_rules_folder
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.plans import generate_plans

RULES = default_rules_folder()
SEED = Path(__file__).parents[1] / "data" / "seed.txt"


def _flat(text: str) -> str:
    """The seed is text pulled from slides: compare without whitespace."""
    return re.sub(r"\s+", "", text)


def _seed_texts(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["zh"]] if node.get("origin") == "seed" else []
        return found + [t for value in node.values() for t in _seed_texts(value)]
    if isinstance(node, list):
        return [t for value in node for t in _seed_texts(value)]
    return []


def test_the_shipped_files_validate() -> None:
    files, problems = validate_paths([RULES / "actions.yaml", RULES / "development.yaml"])
    assert problems == [] and len(files) == 2


def test_the_library_covers_every_competency_with_three_actions_of_each_type() -> None:
    """At least three experience, exposure and education actions for each competency of the sales model."""
    library = ActionLibrary.model_validate(read_yaml(RULES / "actions.yaml").data)
    model = load_bundle(default_model_folder()).model
    assert set(library.competencies) == {c.id for c in model.competencies}
    for competency_id, actions in library.competencies.items():
        for kind in ACTION_TYPES:
            assert sum(a.type == kind for a in actions) >= 3, (competency_id, kind)
        for action in actions:
            assert action.title.zh != action.title.en and action.evidence.zh != action.evidence.en


@pytest.mark.parametrize("name", ["actions.yaml", "development.yaml"])
def test_texts_marked_seed_quote_the_seed_word_for_word(name: str) -> None:
    seed = _flat(SEED.read_text(encoding="utf-8"))
    texts = _seed_texts(yaml.safe_load((RULES / name).read_text(encoding="utf-8")))
    assert texts
    for text in texts:
        assert _flat(text) in seed, text


def test_the_learning_cycle_asks_the_seed_s_questions() -> None:
    """Plan / act / reflect (计划 / 行动 / 反思) with the seed's guiding questions."""
    rules = DevelopmentRules.model_validate(read_yaml(RULES / "development.yaml").data)
    cycle = rules.learning_cycle
    assert (cycle.plan.title.zh, cycle.act.title.zh, cycle.reflect.title.zh) == ("计划", "行动", "反思")
    assert "经理对我的期望是什么?" in [q.zh for q in cycle.plan.questions]
    assert "我应当向谁寻求反馈和辅导?" in [q.zh for q in cycle.act.questions]
    assert [q.zh for q in cycle.reflect.questions][:3] == ["我目前为止学到了些什么?", "我如何应用我所学到的?", "可以和他人分享什么?"]
    assert all(q.origin == "seed" for phase in (cycle.plan, cycle.act, cycle.reflect) for q in phase.questions)


@pytest.mark.parametrize(("name", "kind"), [("actions.yaml", "action_library"), ("development.yaml", "development_rules")])
def test_the_editor_schema_accepts_the_shipped_file(name: str, kind: str) -> None:
    data = yaml.safe_load((RULES / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(json_schema(kind)).validate(data)


def test_a_broken_development_file_stops_cycle_open(tmp_path: Path) -> None:
    """The rules folder is checked when a cycle opens: a bad development rule never reaches planning."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    text = (rules / "development.yaml").read_text(encoding="utf-8")
    (rules / "development.yaml").write_text(text.replace("expr: person.final_rating", "expr: person.final_ratin", 1), encoding="utf-8")
    with Workspace(tmp_path / "w.duckdb") as workspace, pytest.raises(SourceErrors) as error:
        open_cycle(workspace, "2026-Q4", None, rules)
    assert "development.yaml:" in str(error.value)
    assert "unknown name 'person.final_ratin'\n" in str(error.value) and "hint: did you mean 'person.final_rating'?" in str(error.value)


def test_a_cycle_opened_without_development_rules_says_so(tmp_path: Path) -> None:
    """Plans need the development rules frozen with the cycle."""
    rules = tmp_path / "rules"
    rules.mkdir()
    for name in ("rating.yaml", "scoring.yaml"):
        shutil.copy(RULES / name, rules / name)
    with Workspace(tmp_path / "w.duckdb") as workspace:
        open_cycle(workspace, "2026-Q4", None, rules)
        workspace.db.execute("UPDATE cycles SET status = 'scored'")
        workspace.db.execute("INSERT INTO person_results (cycle_id, employee_id) VALUES ('2026-Q4', 'E1')")
        with pytest.raises(NoPlanRules) as error:
            generate_plans(workspace, "2026-Q4")
    assert str(error.value) == (
        "cycle 2026-Q4 has no development rules files (kind: development_rules); plans need exactly one\n"
        "  hint: put one in the rules folder (the shipped one is rules/sales/development.yaml) and open a new cycle with it"
    )
