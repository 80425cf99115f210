"""Loading rule files: errors land on the right line and column, for every YAML style."""

from __future__ import annotations

from pathlib import Path

import pytest

from competency.files.yaml_loader import parse_yaml
from competency.errors import SourceErrors
from competency.files.bundle import Documents
from competency.rules import Schema, check_rule_document, check_rule_file, check_ruleset_file, load_ruleset
from competency.rules._positions import scalar_location
from competency.rules.expr import Span
from tests.rules.support import RULES_DIR, ruleset_problems, sales_kpis, sales_model, sales_roles

HEAD = "kind: ruleset\nid: t\nversion: '1'\nname: t\nsteps:\n  - id: f\n    kind: flag\n    message: m\n"


def first_line(text: str, schema: Schema) -> str:
    return ruleset_problems(HEAD + text, schema).splitlines()[0]


@pytest.mark.parametrize(
    ("when", "location"),
    [
        ("    when: competency.executon > 3\n", "rules.yaml:9:11"),
        ("    when: 'competency.integrity < 2 and competency.executon > 3'\n", "rules.yaml:9:41"),
        ('    when: "competency.integrity < 2 and competency.executon > 3"\n', "rules.yaml:9:41"),
        ("    when: 'employee.role == ''sales_supervisor'' or competency.executon > 3'\n", "rules.yaml:9:53"),
        ('    when: "employee.role == \\"sales_supervisor\\" or competency.executon > 3"\n', "rules.yaml:9:53"),
        ("    when: |\n      competency.executon > 3\n", "rules.yaml:9:11"),
        ("    when: >-\n      competency.integrity < 2 and\n      competency.executon > 3\n", "rules.yaml:9:11"),
        ("    when: {a: 1}\n", "rules.yaml:9:11"),
    ],
)
def test_expression_errors_point_inside_the_yaml_scalar(when: str, location: str, schema: Schema) -> None:
    """Plain and quoted scalars: the column of the sub-expression; block scalars: the value's start."""
    assert first_line(when, schema).startswith(location)


def test_the_caret_sits_under_the_sub_expression_in_quoted_scalars() -> None:
    document = parse_yaml("when: 'a == ''x'' or bad > 3'\n", "f.yaml")
    value = document.data["when"]
    start = value.index("bad")
    location = scalar_location(document, ("when",), Span(start, start + 3), value)
    assert (location.column, location.end_column) == (22, 25)


def test_check_ruleset_file_for_validate(tmp_path: Path) -> None:
    """`competency validate` calls this with the model's three parts."""
    assert check_ruleset_file(RULES_DIR / "rating.yaml", sales_model(), sales_kpis(), sales_roles()) == []
    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "    when: employee.role == 'boss'\n", encoding="utf-8")
    [problem] = check_ruleset_file(bad, sales_model(), sales_kpis(), sales_roles())
    assert (problem.location.line, problem.location.column, problem.message) == (9, 28, "'boss' is not a value of employee.role")


def test_check_rule_document_finds_the_model_among_the_files_validated_together() -> None:
    """The checker for competency.files.bundle.register_kind uses `model:` to find the schema."""
    context = Documents()
    for kind, data in (("competency_model", sales_model()), ("kpi_definitions", sales_kpis()), ("role_profiles", sales_roles())):
        document = parse_yaml("x: 1\n", f"{kind}.yaml")
        document.data = {"kind": kind, **data.model_dump(mode="json")}
        context.add(document)
    rules = parse_yaml(HEAD.replace("version: '1'\n", "version: '1'\nmodel: sales\n") + "    when: competency.executon > 3\n", "r.yaml")
    [problem] = check_rule_document(rules, context)
    assert problem.message == "unknown name 'competency.executon'"
    orphan = parse_yaml(HEAD.replace("version: '1'\n", "version: '1'\nmodel: nowhere\n") + "    when: true\n", "r.yaml")
    assert check_rule_document(orphan, Documents())[0].message == "cannot check the rule names: no competency model 'nowhere' found"
    unnamed = parse_yaml(HEAD + "    when: competency.executon > 3\n", "r.yaml")
    assert check_rule_document(unnamed, context)[0].message == "unknown name 'competency.executon'"  # the only model there
    assert check_rule_document(unnamed, Documents())[0].message == "the rule file names no competency model"


def test_files_that_are_not_rules(tmp_path: Path, schema: Schema) -> None:
    other = tmp_path / "model.yaml"
    other.write_text("kind: competency_model\nid: x\n", encoding="utf-8")
    assert check_rule_file(other, schema)[0].message == "not a rule file: kind 'competency_model'"
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: ruleset\nsteps: [\n", encoding="utf-8")
    assert check_rule_file(broken, schema)[0].message.startswith("YAML syntax error")


def test_the_file_shape_is_checked(schema: Schema) -> None:
    rendered = ruleset_problems("kind: ruleset\nid: Bad Id\nversion: '1'\nname: t\nsteps: []\n", schema)
    assert "'Bad Id' is not a valid id for 'id'" in rendered
    assert "'steps' needs at least 1 item(s), has 0" in rendered
    assert "missing required field 'kind'" in ruleset_problems(HEAD.replace("    kind: flag\n", "") + "    when: true\n", schema)


def test_load_ruleset_raises_all_problems_together(tmp_path: Path, schema: Schema) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(HEAD + "    when: competency.executon > 3 and employee.role == 'boss'\n", encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        load_ruleset(path, schema)
    assert len(caught.value.problems) == 2 and str(caught.value).endswith("2 errors in 1 file.")
