"""Shared fixtures: the minimal valid bundle and a copy of it to break."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from tests.examples import PROFILE

# Tests that name no count get Hypothesis's default of 100 under ci (as before), 20 under dev.
# COMPETENCY_HYPOTHESIS chooses the profile and the counts tests name (tests/examples.py) together;
# pytest's --hypothesis-profile alone would change only the former.
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=20, deadline=None)
settings.load_profile(PROFILE)

# The audit log's key lives in the user's config folder; tests never touch the real one.
os.environ.setdefault("COMPETENCY_AUDIT_KEY_FILE", str(Path(tempfile.mkdtemp(prefix="competency-test-keys-")) / "audit.key"))

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
