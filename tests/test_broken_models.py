"""Every broken model file in the corpus fails with exit 1 and one exact message.

Each file in `tests/data/broken/` holds one mistake (a few hold two, to show
that all errors of a file are reported together). The file is validated beside
the two other files of the minimal valid bundle, so references resolve.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from competency.cli import main

DATA = Path(__file__).parent / "data"

EXPECTED = {
    'bad_direction.kpis.yaml': (
        "bad_direction.kpis.yaml:7:16: 'direction' must be one of 'higher_is_better' or 'lower_is_better', not 'higher'\n"
        '        direction: higher\n'
        '                   ^^^^^^\n'
        '  hint: known: higher_is_better, lower_is_better\n'
        '\n'
        '1 error in 1 file.'
    ),
    'bad_id.model.yaml': (
        "bad_id.model.yaml:28:9: 'Relationship Building' is not a valid id for 'id'\n"
        '      - id: "Relationship Building"\n'
        '            ^^^^^^^^^^^^^^^^^^^^^^^\n'
        '  hint: use lower-case letters, digits and _ and start with a letter, e.g. `sales_attainment`\n'
        '\n'
        '1 error in 1 file.'
    ),
    'behaviors_not_list.model.yaml': (
        "behaviors_not_list.model.yaml:32:16: 'behaviors' must be a list, not 'rel_trust'\n"
        '        behaviors: rel_trust\n'
        '                   ^^^^^^^^^\n'
        '  hint: write each item on its own line starting with `- `\n'
        '\n'
        '1 error in 1 file.'
    ),
    'colon_in_value.model.yaml': (
        'colon_in_value.model.yaml:30:33: YAML syntax error: mapping values are not allowed here\n'
        '        definition: Builds a network: with customers\n'
        '                                    ^\n'
        "  hint: a value containing ': ' must be quoted, or a key is indented wrongly\n"
        '\n'
        '1 error in 1 file.'
    ),
    'curve_not_rising.kpis.yaml': (
        'curve_not_rising.kpis.yaml:9:12: curve points must rise: threshold (1.2) < target (1.0) < stretch (1.3)\n'
        '        curve: {threshold: 1.2, target: 1.0, stretch: 1.3}\n'
        '               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n'
        '\n'
        '1 error in 1 file.'
    ),
    'duplicate_behavior_id.model.yaml': (
        "duplicate_behavior_id.model.yaml:34:14: duplicate behaviour id 'exe_sets_goals' (first used on line 21)\n"
        '          - {id: exe_sets_goals, text: {zh: 定期拜访, en: Visits regularly}}\n'
        '                 ^^^^^^^^^^^^^^\n'
        '  hint: give each one its own id\n'
        '\n'
        '1 error in 1 file.'
    ),
    'duplicate_competency_id.model.yaml': (
        "duplicate_competency_id.model.yaml:28:9: duplicate competency id 'execution' (first used on line 14)\n"
        '      - id: execution\n'
        '            ^^^^^^^^^\n'
        '  hint: give each one its own id\n'
        '\n'
        '1 error in 1 file.'
    ),
    'duplicate_key.model.yaml': (
        "duplicate_key.model.yaml:19:5: duplicate key 'weight' (first given on line 18)\n"
        '        weight: 2\n'
        '        ^^^^^^\n'
        '  hint: remove one of them or merge their contents\n'
        '\n'
        '1 error in 1 file.'
    ),
    'duplicate_kpi_id.kpis.yaml': (
        "duplicate_kpi_id.kpis.yaml:10:9: duplicate KPI id 'sales_attainment' (first used on line 4)\n"
        '      - id: sales_attainment\n'
        '            ^^^^^^^^^^^^^^^^\n'
        '  hint: give each one its own id\n'
        '\n'
        '1 error in 1 file.'
    ),
    'duplicate_scale_value.model.yaml': (
        'duplicate_scale_value.model.yaml:11:15: two levels share the value 3; each level needs its own\n'
        '        - {value: 3, key: average, label: {zh: 一般, en: Average}}\n'
        '                  ^\n'
        '\n'
        '1 error in 1 file.'
    ),
    'empty_behaviors.model.yaml': (
        "empty_behaviors.model.yaml:19:5: 'behaviors' needs at least 3 item(s), has 0\n"
        '        behaviors: []\n'
        '        ^\n'
        '\n'
        '1 error in 1 file.'
    ),
    'empty_file.model.yaml': (
        'empty_file.model.yaml:1:1: the file is empty\n'
        '  hint: start it with `kind: …` (one of action_library, competency_model, decision_table, development_rules, guidelines, import_mapping, kpi_definitions, role_profiles, ruleset, scoring)\n'
        '\n'
        '1 error in 1 file.'
    ),
    'missing_anchor_level.model.yaml': (
        "missing_anchor_level.model.yaml:23:5: competency 'execution' has no anchor for level 'average'\n"
        '        anchors:\n'
        '        ^\n'
        '  hint: add `average: {zh: …, en: …}` under anchors: every level of the scale needs a behavioural description\n'
        '\n'
        '1 error in 1 file.'
    ),
    'missing_kind.model.yaml': (
        'missing_kind.model.yaml:1:1: missing `kind:` at the top of the file\n'
        '    id: mini\n'
        '    ^\n'
        '  hint: add `kind: …`, one of action_library, competency_model, decision_table, development_rules, guidelines, import_mapping, kpi_definitions, role_profiles, ruleset, scoring\n'
        '\n'
        '1 error in 1 file.'
    ),
    'missing_profile_field.roles.yaml': (
        "missing_profile_field.roles.yaml:12:5: missing required field 'development_opportunities'\n"
        '        profile:\n'
        '        ^\n'
        '  hint: add `development_opportunities: …` here\n'
        '\n'
        '1 error in 1 file.'
    ),
    'missing_zh.model.yaml': (
        "missing_zh.model.yaml:15:5: missing required field 'zh'\n"
        '        name: {en: Execution}\n'
        '        ^\n'
        '  hint: add `zh: …` here\n'
        '\n'
        '1 error in 1 file.'
    ),
    'negative_weight.model.yaml': (
        "negative_weight.model.yaml:18:13: 'weight' is -1: input should be greater than 0\n"
        '        weight: -1\n'
        '                ^^\n'
        '\n'
        '1 error in 1 file.'
    ),
    'not_utf8.model.yaml': (
        'not_utf8.model.yaml:4:1: the file is not UTF-8 text (it may be GB18030/GBK)\n'
        "  hint: save it as UTF-8: in your editor choose 'Save as…' with encoding UTF-8\n"
        '\n'
        '1 error in 1 file.'
    ),
    'reports_to_unknown.roles.yaml': (
        "reports_to_unknown.roles.yaml:6:17: role 'sales_supervisor' reports to unknown role 'regional_manager'\n"
        '        reports_to: regional_manager\n'
        '                    ^^^^^^^^^^^^^^^^\n'
        '  hint: known: sales_supervisor\n'
        '\n'
        '1 error in 1 file.'
    ),
    'required_level_off_scale.roles.yaml': (
        'required_level_off_scale.roles.yaml:7:29: required level 5 is not on the scale\n'
        '          execution: {required: 5, weight: 0.6}\n'
        '                                ^\n'
        "  hint: use one of the scale's levels: 1, 2, 3, 4\n"
        '\n'
        '1 error in 1 file.'
    ),
    'tab_indentation.model.yaml': (
        'tab_indentation.model.yaml:17:1: tab character in indentation\n'
        '     cluster: results\n'
        '    ^\n'
        '  hint: YAML indents with spaces only: replace the tab with spaces (2 per level is usual)\n'
        '\n'
        '1 error in 1 file.'
    ),
    'too_few_behaviors.model.yaml': (
        "too_few_behaviors.model.yaml:32:5: 'behaviors' needs at least 3 item(s), has 2\n"
        '        behaviors:\n'
        '        ^\n'
        '\n'
        '1 error in 1 file.'
    ),
    'two_mistakes.model.yaml': (
        "two_mistakes.model.yaml:18:13: 'weight' must be a number, not 'heavy'\n"
        '        weight: heavy\n'
        '                ^^^^^\n'
        '  hint: write digits only, without quotes or units (e.g. 0.25)\n'
        '\n'
        "two_mistakes.model.yaml:23:5: competency 'execution' has no anchor for level 'poor'\n"
        '        anchors:\n'
        '        ^\n'
        '  hint: add `poor: {zh: …, en: …}` under anchors: every level of the scale needs a behavioural description\n'
        '\n'
        '2 errors in 1 file.'
    ),
    'unclosed_quote.model.yaml': (
        'unclosed_quote.model.yaml:3:10: YAML syntax error: the quote opened here is never closed\n'
        '    version: "1\n'
        '             ^\n'
        '  hint: add the closing quote at the end of the text\n'
        '\n'
        '1 error in 1 file.'
    ),
    'unknown_anchor_level.model.yaml': (
        "unknown_anchor_level.model.yaml:23:5: competency 'execution' has no anchor for level 'good'\n"
        '        anchors:\n'
        '        ^\n'
        '  hint: add `good: {zh: …, en: …}` under anchors: every level of the scale needs a behavioural description\n'
        '\n'
        "unknown_anchor_level.model.yaml:25:7: anchor for unknown level 'goood' in competency 'execution'\n"
        '          goood: {zh: 良好描述, en: Good anchor}\n'
        '          ^\n'
        "  hint: did you mean 'good'?\n"
        '\n'
        '2 errors in 1 file.'
    ),
    'unknown_competency_in_role.roles.yaml': (
        "unknown_competency_in_role.roles.yaml:7:7: role 'sales_supervisor' requires unknown competency 'excution'\n"
        '          excution: {required: 3, weight: 0.6}\n'
        '          ^\n'
        "  hint: did you mean 'execution'?\n"
        '\n'
        '1 error in 1 file.'
    ),
    'unknown_field.model.yaml': (
        "unknown_field.model.yaml:14:5: missing required field 'definition'\n"
        '      - id: execution\n'
        '        ^\n'
        '  hint: add `definition: …` here\n'
        '\n'
        "unknown_field.model.yaml:16:5: unknown field 'defintion'\n"
        '        defintion: {zh: 正确理解公司、上级的政策指令, en: Understands instructions correctly}\n'
        '        ^\n'
        "  hint: did you mean 'definition'?\n"
        '\n'
        '2 errors in 1 file.'
    ),
    'unknown_kind.model.yaml': (
        "unknown_kind.model.yaml:1:7: unknown kind 'competency_modle'\n"
        '    kind: competency_modle\n'
        '          ^^^^^^^^^^^^^^^^\n'
        "  hint: did you mean 'competency_model'?\n"
        '\n'
        '1 error in 1 file.'
    ),
    'unknown_kpi_in_role.roles.yaml': (
        "unknown_kpi_in_role.roles.yaml:11:7: role 'sales_supervisor' uses unknown KPI 'expenses'\n"
        '          expenses: {weight: 0.3}\n'
        '          ^\n'
        "  hint: did you mean 'expense_ratio'?\n"
        '\n'
        '1 error in 1 file.'
    ),
    'unknown_model.roles.yaml': (
        "unknown_model.roles.yaml:2:8: no competency model with id 'minii' found beside this file\n"
        '    model: minii\n'
        '           ^^^^^\n'
        "  hint: did you mean 'mini'?\n"
        '\n'
        '1 error in 1 file.'
    ),
    'weight_as_text.model.yaml': (
        "weight_as_text.model.yaml:18:13: 'weight' must be a number, not 'heavy'\n"
        '        weight: heavy\n'
        '                ^^^^^\n'
        '  hint: write digits only, without quotes or units (e.g. 0.25)\n'
        '\n'
        '1 error in 1 file.'
    ),
    'weights_not_summing.roles.yaml': (
        "weights_not_summing.roles.yaml:6:5: the competency (role 'sales_supervisor') weights add up to 0.9, not 1\n"
        '        competencies:\n'
        '        ^\n'
        '  hint: weights are shares of the whole: change them so that they add up to exactly 1\n'
        '\n'
        '1 error in 1 file.'
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_gives_exact_positioned_message(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A broken file exits 1 and names file, line and column, with the line, a caret and a hint."""
    kind = name.split(".")[-2]
    for sibling in (DATA / "minimal").iterdir():
        if sibling.stem != kind:
            shutil.copy(sibling, tmp_path / sibling.name)
    shutil.copy(DATA / "broken" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate", name])
    assert result.exit_code == 1
    assert result.output.rstrip("\n") == EXPECTED[name]


def test_corpus_is_complete() -> None:
    """Every corpus file has its expected message, and the corpus holds at least 20 cases."""
    files = sorted(p.name for p in (DATA / "broken").iterdir())
    assert files == sorted(EXPECTED)
    assert len(files) >= 20
