"""Bad action libraries and development rules: each is refused with this exact message.

One YAML file per kind of mistake in `corpus/`, checked against the minimal
model (`tests/data/minimal`) and a valid library beside it (`data/`): the
message is the full rendered text (file:line:col, the line, the caret, the
hint), every mistake of a file at once. Such a file also stops `cycle open`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.files.yaml_loader import read_yaml
from competency.development import check_action_library_document, check_development_rules_document
from competency.errors import SourceErrors
from competency.files.bundle import Documents, yaml_files

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"

EXPECTED = {
    "actions_bad_fields.yaml": """\
actions_bad_fields.yaml:9:7: missing required field 'evidence'
        - id: exe_coach
          ^
  hint: add `evidence: …` here

actions_bad_fields.yaml:10:13: 'type' must be one of 'experience', 'exposure' or 'education', not 'coaching'
          type: coaching
                ^^^^^^^^
  hint: known: education, experience, exposure

actions_bad_fields.yaml:12:14: 'weeks' must be a whole number, not 'six'
          weeks: six
                 ^^^
  hint: write digits only, without quotes or units (e.g. 0.25)

actions_bad_fields.yaml:18:88: 'hours' is 0: input should be greater than 0
        - {id: rel_shadow, type: exposure, levels: [poor, average, good], weeks: 4, hours: 0, title: 跟岗, evidence: 笔记}
                                                                                           ^

4 errors in 1 file.""",
    "actions_duplicate_id.yaml": """\
actions_duplicate_id.yaml:13:12: duplicate action id 'exe_coach' (first used on line 9)
        - {id: exe_coach, type: exposure, levels: [poor, average, good], weeks: 4, hours: 8, title: 跟岗, evidence: 笔记}
               ^^^^^^^^^
  hint: give each action its own id

1 error in 1 file.""",
    "actions_missing_coverage.yaml": """\
actions_missing_coverage.yaml:6:1: no actions for competency 'relationships'
    competencies:
    ^
  hint: add `relationships:` with its actions under competencies: a plan may focus on any competency of the model

actions_missing_coverage.yaml:7:3: competency 'execution' lacks actions: education for 'good'
      execution:
      ^
  hint: every level below the top needs at least one experience, one exposure and one education action

2 errors in 1 file.""",
    "actions_unknown_competency.yaml": """\
actions_unknown_competency.yaml:6:1: no actions for competency 'execution'
    competencies:
    ^
  hint: add `execution:` with its actions under competencies: a plan may focus on any competency of the model

actions_unknown_competency.yaml:7:3: unknown competency 'excution'
      excution:
      ^
  hint: did you mean 'execution'?

2 errors in 1 file.""",
    "actions_unknown_level.yaml": """\
actions_unknown_level.yaml:8:55: action 'exe_plan' names unknown level 'avrage'
        - {id: exe_plan, type: experience, levels: [poor, avrage, good], weeks: 8, hours: 28, title: 周计划, evidence: 计划}
                                                          ^^^^^^
  hint: did you mean 'average'?

actions_unknown_level.yaml:9:61: action 'exe_stretch' names unknown level 'excelent'
        - {id: exe_stretch, type: experience, levels: [average, excelent], weeks: 8, hours: 28, title: 挑战, evidence: 结果}
                                                                ^^^^^^^^
  hint: did you mean 'excellent'?

2 errors in 1 file.""",
    "actions_wrong_behaviours.yaml": """\
actions_wrong_behaviours.yaml:13:19: action 'exe_plan' names unknown behaviour 'exe_sets_goal'
          behaviors: [exe_sets_goal, rel_visits]
                      ^^^^^^^^^^^^^
  hint: did you mean 'exe_sets_goals'?

actions_wrong_behaviours.yaml:13:34: behaviour 'rel_visits' belongs to competency 'relationships', not 'execution'
          behaviors: [exe_sets_goal, rel_visits]
                                     ^^^^^^^^^^
  hint: an action works on behaviours of its own competency: exe_understands, exe_sets_goals, exe_perseveres

2 errors in 1 file.""",
    "rules_learning_cycle.yaml": """\
rules_learning_cycle.yaml:9:11: unknown step kind 'tabel'
        kind: tabel
              ^^^^^
  hint: did you mean 'table'?

rules_learning_cycle.yaml:37:1: missing required field 'reflect'
    learning_cycle:
    ^
  hint: add `reflect: …` here

rules_learning_cycle.yaml:39:20: 'questions' needs at least 1 item(s), has 0
      act: {title: 行动, questions: []}
                         ^

3 errors in 1 file.""",
    "rules_missing_outputs.yaml": """\
rules_missing_outputs.yaml:7:1: the decisions never set 'plan.type'
    decisions:
    ^
  hint: add a table whose output is named plan.type, with values: [improvement, development, growth]

rules_missing_outputs.yaml:7:1: the decisions never set 'plan.focus_count'
    decisions:
    ^
  hint: add a step (compute or table with type: number) named plan.focus_count

2 errors in 1 file.""",
    "rules_parameters.yaml": """\
rules_parameters.yaml:27:12: focus.minimum (4) is above focus.maximum (2)
      minimum: 4
               ^
  hint: the decided focus count is kept between them

rules_parameters.yaml:29:3: missing required field 'growth'
      order:
      ^
  hint: add `growth: …` here

rules_parameters.yaml:32:5: unknown field 'growht'
        growht: [gap, next_role, stretch]
        ^
  hint: did you mean 'growth'?

rules_parameters.yaml:34:8: the mix's shares add up to 1.1, not 1
      mix: {experience: 0.7, exposure: 0.2, education: 0.2}
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^

rules_parameters.yaml:35:3: unknown field 'mix_tolerence'
      mix_tolerence: 0.1
      ^
  hint: did you mean 'mix_tolerance'?

5 errors in 1 file.""",
    "rules_unknown_library.yaml": """\
rules_unknown_library.yaml:5:17: no action library with id 'mini_action' found beside this file
    action_library: mini_action
                    ^^^^^^^^^^^
  hint: did you mean 'mini_actions'?

rules_unknown_library.yaml:22:15: 'unrated_plan' must be one of 'improvement', 'development' or 'growth', not 'develop'
    unrated_plan: develop
                  ^^^^^^^
  hint: did you mean 'development'?

rules_unknown_library.yaml:23:1: missing required field 'growth'
    plan_labels:
    ^
  hint: add `growth: …` here

3 errors in 1 file.""",
    "rules_unknown_names.yaml": """\
rules_unknown_names.yaml:12:30: unknown name 'person.final_ratng'
          - {name: rating, expr: person.final_ratng}
                                 ^^^^^^^^^^^^^^^^^^
  hint: did you mean 'person.final_rating'?

rules_unknown_names.yaml:21:19: unknown name 'person.gap'
        expr: 'min(3, person.gap + 1)'
                      ^^^^^^^^^^
  hint: did you mean 'person.gaps'?

rules_unknown_names.yaml:36:10: unknown level 'top'
      level: top
             ^^^
  hint: known: average, excellent, good, poor

rules_unknown_names.yaml:38:13: unknown figure 'al_others'
      figures: [al_others, self]
                ^^^^^^^^^
  hint: did you mean 'all_others'?

rules_unknown_names.yaml:38:24: the self figure cannot say which behaviours others see as weakest
      figures: [al_others, self]
                           ^^^^
  hint: use all_others, others, manager, peer, direct_report or customer

5 errors in 1 file.""",
    "rules_wrong_outputs.yaml": """\
rules_wrong_outputs.yaml:13:5: unknown plan type 'coaching'
        output: {name: plan.type, values: [improvement, development, coaching]}
        ^
  hint: plan types are improvement, development, growth

rules_wrong_outputs.yaml:18:5: 'plan.focus_count' must be a number, not true/false
      - id: focus_count
        ^
  hint: declare the table's output with type: number

2 errors in 1 file.""",
}


@pytest.fixture(scope="module")
def context() -> Documents:
    """The minimal model and a valid action library, as `validate` would find them beside the file."""
    documents = Documents()
    for file in yaml_files([HERE.parent / "data" / "minimal", HERE / "data"]):
        documents.add(read_yaml(file))
    return documents


def test_the_corpus_is_complete() -> None:
    """Every corpus file has its expected message; at least six of each kind of file."""
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(EXPECTED)
    assert sum(name.startswith("actions_") for name in EXPECTED) >= 6
    assert sum(name.startswith("rules_") for name in EXPECTED) >= 6


def test_the_valid_files_beside_the_corpus_pass(context: Documents) -> None:
    """The corpus files are the valid ones with mistakes put in: those pass."""
    assert check_action_library_document(read_yaml(HERE / "data" / "mini_actions.yaml"), context) == []
    assert check_development_rules_document(read_yaml(HERE / "data" / "mini_development.yaml"), context) == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_refused_with_its_message(name: str, context: Documents, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unknown competencies, levels, behaviours, names and ids get a "did you mean"; every error is placed."""
    monkeypatch.chdir(CORPUS)
    check = check_action_library_document if name.startswith("actions_") else check_development_rules_document
    assert SourceErrors(check(read_yaml(name), context)).render() == EXPECTED[name]
