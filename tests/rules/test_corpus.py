"""The corpus of bad rule files: each is refused at load time with this exact message.

One YAML file per mistake in `corpus/`; the message is the full rendered
`SourceErrors` text (file:line:col, the line, the caret, the hint). Nothing
in the corpus may reach evaluation: loading must raise.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from competency.errors import SourceErrors
from competency.rules import Schema, check_rule_file, load_ruleset, load_table
from competency.rules.loading import RULE_KINDS

CORPUS = Path(__file__).parent / "corpus"

EXPECTED = {
    "and_of_numbers.yaml": """\
and_of_numbers.yaml:8:11: 'and' needs true/false values, but competency.execution is a number
        when: competency.execution and competency.integrity
              ^^^^^^^^^^^^^^^^^^^^
  hint: compare it to make a condition, e.g. competency.integrity < 2

and_of_numbers.yaml:8:36: 'and' needs true/false values, but competency.integrity is a number
        when: competency.execution and competency.integrity
                                       ^^^^^^^^^^^^^^^^^^^^
  hint: compare it to make a condition, e.g. competency.integrity < 2

2 errors in 1 file.""",
    "arithmetic_on_text.yaml": """\
arithmetic_on_text.yaml:8:11: '+' needs numbers, but employee.region is text
        when: employee.region + 1 > 2
              ^^^^^^^^^^^^^^^

1 error in 1 file.""",
    "assignment.yaml": """\
assignment.yaml:8:25: '=' is not a comparison
        when: employee.role = "sales_supervisor"
                            ^
  hint: use '==' to compare, e.g. employee.role == "sales_supervisor"

1 error in 1 file.""",
    "bad_unary_test.yaml": """\
bad_unary_test.yaml:12:33: the interval is not closed: expected ']' or ')'
      - when: {performance: "[1..2.5"}
                                    ^
  hint: e.g. [1..2.5)

bad_unary_test.yaml:14:29: expected a number after '>='
      - when: {performance: ">= "}
                                ^
  hint: write e.g. [1..2.5), >= 3.5, "east","south" or -

bad_unary_test.yaml:16:26: an interval needs brackets
      - when: {performance: "2.5..4"}
                             ^^^^^^
  hint: e.g. [1..2.5] or [1..2.5)

3 errors in 1 file.""",
    "cap_bad_value.yaml": """\
cap_bad_value.yaml:22:13: a cap can only bound a value of an earlier step; 'ratng' is not defined by an earlier step
        target: ratng
                ^^^^^
  hint: did you mean 'rating'?

cap_bad_value.yaml:30:15: 'E' is not a value of rating (A, B, C, D)
        at_least: E
                  ^
  hint: known: A, B, C, D

2 errors in 1 file.""",
    "cap_unordered.yaml": """\
cap_unordered.yaml:21:13: cannot cap 'segment': it is a choice of field, office, which has no order
        target: segment
                ^^^^^^^
  hint: a table output gets an order with order: [best, …, worst]

1 error in 1 file.""",
    "cell_value_typo.yaml": """\
cell_value_typo.yaml:14:23: 'hgh' is not in the domain of 'potential'
      - when: {potential: hgh, performance: "east"}
                          ^^^
  hint: did you mean 'high'?

cell_value_typo.yaml:14:41: input 'performance' is a number: this test needs a number test such as >= 3.5 or [1..2.5)
      - when: {potential: hgh, performance: "east"}
                                            ^^^^^^

cell_value_typo.yaml:16:12: unknown input 'potentail'
      - when: {potentail: low}
               ^
  hint: did you mean 'potential'?

3 errors in 1 file.""",
    "collect_sum_on_text.yaml": """\
collect_sum_on_text.yaml:9:1: COLLECT with sum needs a numeric output
    output:
    ^
  hint: declare type: number

1 error in 1 file.""",
    "comprehension.yaml": """\
comprehension.yaml:8:12: comprehensions are not allowed
        when: '[c for c in competency] == 1'
               ^^^^^^^^^^^^^^^^^^^^^^^

1 error in 1 file.""",
    "dunder_class.yaml": """\
dunder_class.yaml:8:14: names starting with '_' are not allowed: '__class__'
        when: ().__class__ == 1
                 ^^^^^^^^^

1 error in 1 file.""",
    "duplicate_step_id.yaml": """\
duplicate_step_id.yaml:10:9: duplicate step id 'ability' (first used on line 6)
      - id: ability
            ^^^^^^^
  hint: give each step its own id

1 error in 1 file.""",
    "enum_typo.yaml": """\
enum_typo.yaml:8:28: 'salse_supervisor' is not a value of employee.role
        when: employee.role == 'salse_supervisor'
                               ^^^^^^^^^^^^^^^^^^
  hint: did you mean 'sales_supervisor'?

1 error in 1 file.""",
    "fstring.yaml": """\
fstring.yaml:8:11: f-strings are not allowed
        when: f'{employee.name}' == 'x'
              ^^^^^^^^^^^^^^^^^^
  hint: write plain text in quotes

1 error in 1 file.""",
    "gap_unique.yaml": """\
gap_unique.yaml:13:1: no row matches performance=3.5, potential=low
    rows:
    ^
  hint: change the tests so that every combination of inputs matches exactly one row

1 error in 1 file.""",
    "import_call.yaml": """\
import_call.yaml:8:11: names starting with '_' are not allowed: '__import__'
        when: __import__('os').system('ls') == 0
              ^^^^^^^^^^

1 error in 1 file.""",
    "import_os.yaml": """\
import_os.yaml:8:11: names starting with '_' are not allowed: '__import__'
        when: __import__('os')
              ^^^^^^^^^^

1 error in 1 file.""",
    "is_none.yaml": """\
is_none.yaml:8:11: 'is' is not allowed
        when: competency.execution is None
              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: use '==', e.g. competency.execution == null

1 error in 1 file.""",
    "lambda_expr.yaml": """\
lambda_expr.yaml:8:12: lambda is not allowed
        when: 'lambda x: x'
               ^^^^^^^^^^^

1 error in 1 file.""",
    "method_call.yaml": """\
method_call.yaml:8:12: '.' is only allowed in names such as competency.execution
        when: '"abc".upper() == "ABC"'
               ^^^^^^^^^^^

1 error in 1 file.""",
    "missing_domain.yaml": """\
missing_domain.yaml:5:5: input 'performance' is a number: declare its domain
      - name: performance
        ^
  hint: add e.g. domain: "[1..4]" (a quoted interval)

1 error in 1 file.""",
    "misspelled_name.yaml": """\
misspelled_name.yaml:8:11: unknown name 'competency.executoin'
        when: competency.executoin >= 3
              ^^^^^^^^^^^^^^^^^^^^
  hint: did you mean 'competency.execution'?

1 error in 1 file.""",
    "not_a_condition.yaml": """\
not_a_condition.yaml:8:11: a condition must be true or false, but this is a number
        when: competency.execution * 2
              ^^^^^^^^^^^^^^^^^^^^^^^^
  hint: compare it, e.g. competency.integrity < 2

1 error in 1 file.""",
    "open_call.yaml": """\
open_call.yaml:8:11: unknown function 'open'
        when: open('/etc/passwd') == 'x'
              ^^^^
  hint: known: abs, coalesce, max, mean, min, round

1 error in 1 file.""",
    "ordered_text.yaml": """\
ordered_text.yaml:8:11: text can only be compared with == or !=, not '<'
        when: employee.region < 'east'
              ^^^^^^^^^^^^^^^^^^^^^^^^
  hint: only ordered choices such as rating or employee.potential have an order

1 error in 1 file.""",
    "overlapping_unique.yaml": """\
overlapping_unique.yaml:20:5: rows 1 and 4 both match performance=2, potential=low
      - when: {performance: "[2..3)", potential: low}
        ^
  hint: change the tests so that every combination of inputs matches exactly one row

overlapping_unique.yaml:20:5: rows 3 and 4 both match performance=2.1, potential=low
      - when: {performance: "[2..3)", potential: low}
        ^
  hint: change the tests so that every combination of inputs matches exactly one row

2 errors in 1 file.""",
    "power.yaml": """\
power.yaml:8:11: '**' (power) is not allowed
        when: competency.execution ** 2 > 9
              ^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: multiply instead, e.g. x * x

1 error in 1 file.""",
    "priority_without_order.yaml": """\
priority_without_order.yaml:9:3: a PRIORITY table needs an ordered output
      values: [field, office]
      ^
  hint: list the output values best first: order: [A, B, C, D]

1 error in 1 file.""",
    "redefined_name.yaml": """\
redefined_name.yaml:8:11: 'competency.execution' is an input name
        name: competency.execution
              ^^^^^^^^^^^^^^^^^^^^
  hint: choose a new name, e.g. score.<name>

redefined_name.yaml:12:11: 'Score.Ability' is not a valid name
        name: Score.Ability
              ^^^^^^^^^^^^^
  hint: use lower-case words joined by dots, e.g. score.performance

2 errors in 1 file.""",
    "row_errors.yaml": """\
row_errors.yaml:13:11: 'senoir' is not one of the output's values (senior, junior)
        then: senoir
              ^^^^^^
  hint: did you mean 'senior'?

row_errors.yaml:14:9: duplicate row id 'r1' (first used on line 11)
      - id: r1
            ^^

2 errors in 1 file.""",
    "set_literal.yaml": """\
set_literal.yaml:8:30: 'in' needs a literal list
        when: employee.region in {"east", "south"}
                                 ^^^^^^^^^^^^^^^^^
  hint: e.g. employee.region in ["east", "south"]

1 error in 1 file.""",
    "several_errors.yaml": """\
several_errors.yaml:9:17: unknown name 'score.kpi_indx'
        expr: 0.7 * score.kpi_indx + 0.3 * competency.execution
                    ^^^^^^^^^^^^^^
  hint: did you mean 'score.kpi_index'?

several_errors.yaml:12:62: 'hihg' is not a value of employee.potential
        when: 'score.performance < 2.5 and employee.potential == ''hihg'''
                                                                 ^^^^^^^^
  hint: did you mean 'high'?

several_errors.yaml:17:11: '+' needs numbers, but employee.name is text
        expr: |
              ^

3 errors in 1 file.""",
    "sql_injection.yaml": """\
sql_injection.yaml:8:28: 'x'); DROP TABLE inputs; --' is not a value of employee.role
        when: employee.role == "x'); DROP TABLE inputs; --"
                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: known: regional_sales_manager, sales_representative, sales_supervisor

1 error in 1 file.""",
    "subscript.yaml": """\
subscript.yaml:8:11: subscripts like x[...] are not allowed
        when: competency["execution"] > 3
              ^^^^^^^^^^^^^^^^^^^^^^^
  hint: use a dotted name, e.g. competency.execution

1 error in 1 file.""",
    "text_vs_number.yaml": """\
text_vs_number.yaml:8:11: cannot compare employee.region (text) with 3 (a number)
        when: employee.region == 3
              ^^^^^^^^^^^^^^^^^^^^

1 error in 1 file.""",
    "too_deep.yaml": """\
too_deep.yaml:8:87: expression is nested too deeply (more than 20 levels)
        when: abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(abs(competency.execution))))))))))))))))))))))))) > 1
                                                                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: split it into compute steps that name the parts

1 error in 1 file.""",
    "too_long.yaml": """\
too_long.yaml:8:511: expression is too long (599 characters; at most 500)
        when: competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution + competency.execution > 3
                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  hint: split it into compute steps that name the parts

1 error in 1 file.""",
    "unknown_field.yaml": """\
unknown_field.yaml:6:5: missing required field 'when'
      - id: integrity_concern
        ^
  hint: add `when: …` here

unknown_field.yaml:8:5: unknown field 'whne'
        whne: competency.integrity < 2
        ^
  hint: did you mean 'when'?

2 errors in 1 file.""",
    "unknown_function.yaml": """\
unknown_function.yaml:8:11: unknown function 'median'
        when: median(competency.execution, competency.integrity) > 3
              ^^^^^^
  hint: did you mean 'mean'?

1 error in 1 file.""",
    "unknown_hit_policy.yaml": """\
unknown_hit_policy.yaml:3:6: unknown hit policy 'UNIQE'
    hit: UNIQE
         ^^^^^
  hint: did you mean 'UNIQUE'? (UNIQUE, FIRST, PRIORITY or COLLECT)

1 error in 1 file.""",
    "unknown_step_kind.yaml": """\
unknown_step_kind.yaml:11:11: unknown step kind 'tabel'
        kind: tabel
              ^^^^^
  hint: did you mean 'table'?

1 error in 1 file.""",
    "unquoted_interval.yaml": """\
unquoted_interval.yaml:12:25: a numeric test must be quoted text
      - when: {performance: [1..2.5]}
                            ^^^^^^^^
  hint: write "[1..2.5]" in quotes — YAML reads unquoted [ ] as a list

1 error in 1 file.""",
    "walrus.yaml": """\
walrus.yaml:8:12: ':=' is not allowed
        when: (x := 3) > 2
               ^^^^^^
  hint: define values with a compute step

1 error in 1 file.""",
    "yes_no_values.yaml": """\
yes_no_values.yaml:9:12: YAML reads an unquoted yes, no, true or false as a boolean: write the value in quotes, e.g. "yes"
      values: [yes, no]
               ^^^

yes_no_values.yaml:9:17: YAML reads an unquoted yes, no, true or false as a boolean: write the value in quotes, e.g. "yes"
      values: [yes, no]
                    ^^

2 errors in 1 file.""",
}


def test_the_corpus_is_complete() -> None:
    """Every corpus file has its expected message, and there are at least 25."""
    assert sorted(p.name for p in CORPUS.glob("*.yaml")) == sorted(EXPECTED)
    assert len(EXPECTED) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_rule_file_is_refused_with_its_message(name: str, schema: Schema, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad rule or table is reported at load time, with position, caret and hint."""
    monkeypatch.chdir(CORPUS)
    problems = check_rule_file(name, schema)
    assert SourceErrors(problems).render() == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_rule_file_never_reaches_evaluation(name: str, schema: Schema, monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading raises SourceErrors, so no rule set or table exists to evaluate."""
    monkeypatch.chdir(CORPUS)
    import competency.rules.ruleset as ruleset_module

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a bad rule file reached evaluation")

    monkeypatch.setattr(ruleset_module, "evaluate_one", refuse)
    kind = "decision_table" if "kind: decision_table" in (CORPUS / name).read_text(encoding="utf-8") else "ruleset"
    assert kind in RULE_KINDS
    with pytest.raises(SourceErrors):
        (load_table if kind == "decision_table" else load_ruleset)(name, schema)


def test_a_sql_injection_in_a_text_literal_stays_a_literal(schema: Schema, con: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    """Against free text the same literal is legal: it compiles to a quoted
    string that DuckDB compares, and the table it names is still there."""
    from competency.rules import evaluate_one, to_sql

    attack = "x'); DROP TABLE inputs; --"
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "kind: ruleset\nid: t\nversion: '1'\nname: t\nsteps:\n"
        "  - id: named\n    kind: flag\n"
        f"    when: 'employee.name == \"{attack.replace(chr(39), chr(39) * 2)}\"'\n"
        "    message: m\n",
        encoding="utf-8",
    )
    ruleset = load_ruleset(rules, schema)
    con.execute('CREATE TABLE inputs ("employee.name" VARCHAR)')
    con.execute("INSERT INTO inputs VALUES ('Li Lei'), (?)", [attack])
    result = con.execute(to_sql(ruleset, "inputs")).fetchall()
    assert [row[-1] for row in result] == [False, True]
    assert con.execute("SELECT count(*) FROM inputs").fetchone() == (2,)
    assert evaluate_one(ruleset, {"employee.name": attack})[0] == {"flag.named": True}
