"""The checker: names and types against the schema, before any scoring."""

from __future__ import annotations

import pytest

from competency.rules import Schema, build_schema
from competency.rules._parse import parse_expression
from competency.rules.check import check_expression
from competency.rules.expr import BOOL, NUMBER, STRING, Span, enum
from tests.rules.support import sales_model


def problems(text: str, schema: Schema, *, condition: bool = False) -> list[tuple[str, Span, str]]:
    _, errors = check_expression(parse_expression(text), schema, text, condition=condition)
    return [(e.message, e.span, e.hint) for e in errors]


def type_of(text: str, schema: Schema):
    typed, errors = check_expression(parse_expression(text), schema, text)
    assert not errors
    return typed.type


def test_schema_names_of_the_model(schema: Schema) -> None:
    for name in [
        "competency.execution",
        "behavior.execution_1",
        "kpi.sales_attainment",
        "kpi_score.expense_ratio",
        "group.manager.integrity",
        "group.others.leadership",
        "score.competency_index",
        "score.kpi_index",
        "employee.region",
    ]:
        assert name in schema
    assert schema.get("employee.role").values == ("sales_representative", "sales_supervisor", "regional_sales_manager")
    assert schema.get("employee.potential").ordered
    assert (schema.get("competency.execution").low, schema.get("competency.execution").high) == (1.0, 4.0)


def test_unknown_names_get_a_did_you_mean(schema: Schema) -> None:
    assert problems("competency.executoin > 3", schema) == [
        ("unknown name 'competency.executoin'", Span(0, 20), "did you mean 'competency.execution'?")
    ]
    assert problems("compentency.execution > 3", schema)[0][2] == "did you mean 'competency.execution'?"


def test_enum_values_are_checked(schema: Schema) -> None:
    assert problems('employee.role == "salse_supervisor"', schema) == [
        ("'salse_supervisor' is not a value of employee.role", Span(17, 35), "did you mean 'sales_supervisor'?")
    ]
    assert problems('"salse_supervisor" != employee.role', schema)[0][0] == "'salse_supervisor' is not a value of employee.role"
    assert problems('employee.potential in ["high", "hihg"]', schema)[0][:2] == (
        "'hihg' is not a value of employee.potential",
        Span(31, 37),
    )
    assert problems('employee.potential >= "meduim"', schema)[0][2] == "did you mean 'medium'?"


def test_type_mismatches(schema: Schema) -> None:
    assert problems("employee.region == 3", schema)[0][0] == "cannot compare employee.region (text) with 3 (a number)"
    assert problems('competency.execution > "3"', schema)[0][2] == "write the number without quotes: 3"
    assert problems("competency.execution and true", schema)[0][0] == "'and' needs true/false values, but competency.execution is a number"
    assert problems("not competency.execution", schema)[0][0] == "'not' needs true/false, but competency.execution is a number"
    assert problems("employee.region * 2 > 1", schema)[0][0] == "'*' needs numbers, but employee.region is text"
    assert problems("-employee.region", schema)[0][0] == "'-' needs a number, but employee.region is text"
    assert problems("mean(employee.region, 1)", schema)[0][0] == "mean() needs numbers, but employee.region is text"
    assert (
        problems("1 if competency.execution else 2", schema)[0][0]
        == "the condition after 'if' must be true/false, but competency.execution is a number"
    )
    assert problems("1 if true else 'x'", schema)[0][0] == "both results of 'if … else' must be of one type, not a number and text"
    assert problems("competency.execution in ['a']", schema)[0][0] == "competency.execution is a number, so the list may hold only numbers"
    assert problems("competency.execution < null", schema)[0][0] == "'<' with null is always null"
    assert problems("employee.region < 'x'", schema)[0][0] == "text can only be compared with == or !=, not '<'"
    assert problems("true < false", schema)[0][0] == "true/false values cannot be compared with '<'"


def test_one_mistake_is_reported_once(schema: Schema) -> None:
    """A part in error does not make its parents complain again."""
    assert len(problems("(competency.nope + 1) * 2 > 3 and employee.region == 'x'", schema)) == 1


def test_every_mistake_of_an_expression_is_reported(schema: Schema) -> None:
    found = problems("competency.nope > 1 or employee.role == 'boss' or 1 + 'a' > 0", schema)
    assert [m for m, _, _ in found] == [
        "unknown name 'competency.nope'",
        "'boss' is not a value of employee.role",
        "'+' needs numbers, but \"a\" is text",
    ]


def test_conditions_must_be_true_or_false(schema: Schema) -> None:
    assert problems("competency.execution", schema, condition=True)[0][0] == "a condition must be true or false, but this is a number"
    assert problems("competency.execution > 1", schema, condition=True) == []


def test_result_types(schema: Schema) -> None:
    assert type_of("competency.execution + 1", schema) == NUMBER
    assert type_of("competency.execution > 1", schema) == BOOL
    assert type_of("employee.region", schema) == STRING
    assert type_of("'high' if competency.execution > 3 else 'low'", schema) == STRING
    assert type_of("employee.potential if true else 'low'", schema) == schema.get("employee.potential")
    assert type_of("coalesce(competency.execution, null)", schema) == NUMBER


def test_always_null_is_not_a_value(schema: Schema) -> None:
    assert problems("null", schema)[0][0] == "this expression is always null"


@pytest.mark.parametrize(
    "text", ["employee.role == 'sales_supervisor'", "employee.potential >= 'medium'", "employee.potential > employee.potential"]
)
def test_valid_choices(text: str, schema: Schema) -> None:
    assert problems(text, schema) == []


def test_schema_parses_command_line_values(schema: Schema) -> None:
    assert schema.parse_value("competency.execution", "3.2") == 3.2
    assert schema.parse_value("competency.execution", "null") is None
    assert schema.parse_value("employee.role", '"sales_supervisor"') == "sales_supervisor"
    with pytest.raises(ValueError, match="did you mean 'competency.execution'"):
        schema.parse_value("competency.executon", "3")
    with pytest.raises(ValueError, match="is a number"):
        schema.parse_value("competency.execution", "high")
    with pytest.raises(ValueError, match="did you mean 'sales_supervisor'"):
        schema.parse_value("employee.role", "salse_supervisor")


def test_roster_values_make_choices() -> None:
    """Known roster values turn a text column into a choice; numbers stay numbers."""
    schema = build_schema(sales_model(), roster={"region": ["south", "east", None, "east"], "tenure_years": [1, 2.5]})
    assert schema.get("employee.region") == enum(("east", "south"))
    assert schema.get("employee.tenure_years") == NUMBER
    assert schema.get("employee.role") == STRING  # no role profiles given


def test_unordered_choices_cannot_be_ordered() -> None:
    schema = Schema({"r": enum(("x", "y")), "s": enum(("x", "y"), ordered=True)})
    assert problems("r > 'x'", schema)[0][0] == "text can only be compared with == or !=, not '>'"
    assert problems("s > 'x'", schema) == []
