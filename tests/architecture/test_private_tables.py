"""Tests read what a stage hands out, never a temp table it keeps to itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.architecture._modules import modules, string_constants

TESTS = Path(__file__).resolve().parents[1]
_TEMP = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?TEMP(?:ORARY)?\s+(?:TABLE|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?([a-z_][a-z_0-9]*)\b", re.IGNORECASE)



def private_temp_tables() -> set[str]:
    """Temp tables and views the package creates under a fixed name."""
    return {name.lower() for path in modules().values() for _, text in string_constants(path) for name in _TEMP.findall(text)}


def relation_stems() -> set[str]:
    """The stems of the Relations the package makes (`new_relation("stem", …)`): their
    tables are named stem_<n> at run time, so nobody outside may name them."""
    stems = set()
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "new_relation":
                if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                    stems.add(node.args[0].value.lower())
    return stems


def test_no_test_names_a_relation_the_package_made() -> None:
    stems = relation_stems()
    named = re.compile(r"\b([a-z_][a-z_0-9]*?)_(?:\d+|%)")
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}: names {match}_…"
        for path in sorted(TESTS.rglob("*.py"))
        for line, text in string_constants(path)
        for match in named.findall(text)
        if match.lower() in stems
    ]
    assert found == []


def test_the_package_makes_its_temp_tables_as_relations() -> None:
    assert {"s_raters", "s_item_sums", "s_groups", "s_figures", "planned_people"} <= relation_stems()


def test_no_test_reads_a_private_temp_table() -> None:
    private = private_temp_tables()
    reads = re.compile(r"\b(?:FROM|JOIN)\s+\"?(\w+)", re.IGNORECASE)
    found = [
        f"{path.relative_to(TESTS.parent)}:{line}: reads {name}"
        for path in sorted(TESTS.rglob("*.py"))
        for line, text in string_constants(path)
        for name in reads.findall(text)
        if name.lower() in private
    ]
    assert found == []


def test_the_finder_reads_temp_table_definitions() -> None:
    assert _TEMP.findall("CREATE OR REPLACE TEMP TABLE p_people AS SELECT 1") == ["p_people"]
    assert _TEMP.findall('CREATE TEMP VIEW IF NOT EXISTS "x_ids" AS SELECT 1') == ["x_ids"]
    assert _TEMP.findall("CREATE TABLE roster (id VARCHAR)") == []


def test_no_module_reads_a_temp_table_another_module_made_by_name() -> None:
    made_by: dict[str, set[str]] = {}
    texts = {name: string_constants(path) for name, path in modules().items()}
    for module, strings in texts.items():
        for _, text in strings:
            for table in _TEMP.findall(text):
                made_by.setdefault(table.lower(), set()).add(module)
    uses = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+\"?(\w+)", re.IGNORECASE)
    found = sorted(
        f"{module} line {line} reads {table}, made by {', '.join(sorted(made_by[table.lower()]))}"
        for module, strings in texts.items()
        for line, text in strings
        for table in uses.findall(text)
        if table.lower() in made_by and module not in made_by[table.lower()]
    )
    assert found == []
