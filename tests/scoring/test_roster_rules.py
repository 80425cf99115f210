"""Extra roster columns: scoring reads them as `employee.<name>`, and a rule comparing one
with a value is checked against the values the cycle's roster holds (`store.roster`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from competency.errors import SourceErrors
from competency.files.shipped import default_rules_folder
from competency.files.yaml_loader import YamlDocument, parse_yaml
from competency.scoring.aggregate import aggregate
from competency.scoring.model_tables import load_model_tables
from competency.scoring.person_inputs import extra_attributes, person_inputs
from competency.scoring.rate import rating_ruleset
from competency.store.roster import roster_values
from competency.store.workspace import Workspace
from competency.workflow.cycles import CycleInputs, cycle_inputs, open_cycle
from competency.workflow.imports import run_import
from competency.workflow.scoring import score_cycle

CYCLE = "2026-Q4"
GRADES = {"E1": "G1", "E2": "G2", "E3": "G3", "E4": None}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A cycle of the shipped model whose roster has a `grade` column (E4's left blank)."""
    folder = tmp_path_factory.mktemp("roster-rules")
    roster = folder / "roster.csv"
    lines = ["employee_id,name,role,grade"] + [f"{e},{e},sales_representative,{g or ''}" for e, g in GRADES.items()]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    opened = Workspace(folder / "w.duckdb")
    open_cycle(opened, CYCLE, None, None)
    run_import(opened, "roster", roster, cycle_id=CYCLE, rejects_path=folder / "rejected.csv")
    yield opened
    opened.close()


def _with_flag(inputs: CycleInputs, condition: str) -> list[YamlDocument]:
    """The cycle's rule documents, the rating rules flagging `condition` (rule files naming a
    roster column are checked when scoring, once the roster is known)."""
    text = (default_rules_folder() / "rating.yaml").read_text(encoding="utf-8")
    flag = f"  - id: senior_grade\n    kind: flag\n    when: {condition}\n    message: {{zh: 高级职级, en: Senior grade}}\n\n"
    rating = parse_yaml(text.replace("  - id: not_enough_data\n", flag + "  - id: not_enough_data\n"), "rating.yaml")
    return [rating if isinstance(d.data, dict) and d.data.get("id") == "sales_rating" else d for d in inputs.rule_documents]


def test_the_roster_values_are_every_distinct_value_of_every_extra_column(workspace: Workspace) -> None:
    assert roster_values(workspace.db, CYCLE) == {"grade": ["G1", "G2", "G3"]}


def test_a_rule_on_a_value_the_roster_holds_is_accepted(workspace: Workspace) -> None:
    inputs = cycle_inputs(workspace, CYCLE)
    ruleset = rating_ruleset(_with_flag(inputs, 'employee.grade == "G3"'), inputs.bundle, inputs.scoring, roster_values(workspace.db, CYCLE))
    assert "employee.grade" in ruleset.inputs


def test_a_value_the_roster_lacks_is_refused(workspace: Workspace) -> None:
    """A value no one in the roster has is a mistake in the rule, refused before anyone is rated."""
    inputs = cycle_inputs(workspace, CYCLE)
    with pytest.raises(SourceErrors) as raised:
        rating_ruleset(_with_flag(inputs, 'employee.grade == "G4"'), inputs.bundle, inputs.scoring, roster_values(workspace.db, CYCLE))
    [problem] = raised.value.problems
    assert problem.message == "'G4' is not a value of employee.grade"


def test_the_rules_read_each_persons_extra_columns(workspace: Workspace) -> None:
    """The person inputs carry `employee.grade` (blank: null) for everyone, and the cycle scores."""
    inputs = cycle_inputs(workspace, CYCLE)
    db = workspace.db
    model = load_model_tables(db, inputs.bundle, inputs.scoring)
    made = person_inputs(db, CYCLE, inputs.bundle, aggregate(db, CYCLE, inputs.scoring, model), extra_attributes(db, CYCLE))
    assert dict(db.execute(f'SELECT employee_id, "employee.grade" FROM {made}').fetchall()) == GRADES
    assert score_cycle(workspace, CYCLE).people == len(GRADES)
