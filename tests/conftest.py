"""Shared fixtures: the minimal valid bundle and a copy of it to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def minimal_dir() -> Path:
    return DATA / "minimal"


@pytest.fixture
def bundle_copy(tmp_path: Path) -> Path:
    """A writable copy of the minimal bundle."""
    target = tmp_path / "bundle"
    shutil.copytree(DATA / "minimal", target)
    return target
