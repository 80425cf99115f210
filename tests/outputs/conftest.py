"""A small scored cycle whose ids make file names hard: 张三, 李四, E/10 and E_10."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.reports._support import Person, Rater, build_cycle

PEOPLE = [
    Person("张三", "Zhang San", role="sales_supervisor"),
    Person("李四", "Li Si", manager_id="张三"),
    Person("E/10", "Slash Ten", manager_id="张三"),
    Person("E_10", "Under Ten", manager_id="张三"),
]


@pytest.fixture(scope="session")
def hard_ids(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scored workspace (read only: copy it to change it); its input files lie beside it."""
    raters = {"李四": [Rater("李四", "self", 3), Rater("张三", "manager", 3)]}
    return build_cycle(tmp_path_factory.mktemp("hard-ids"), PEOPLE, raters)


@pytest.fixture
def workspace_copy(hard_ids: Path, tmp_path: Path) -> Path:
    """A copy of the workspace with its input files, to import into."""
    folder = tmp_path / "work"
    shutil.copytree(hard_ids.parent, folder, ignore=shutil.ignore_patterns("*.rejected.csv"))
    return folder / "competency.duckdb"
