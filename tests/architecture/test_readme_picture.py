"""The README's picture of the package names every part of it, and no part that is gone."""

from __future__ import annotations

import re

from tests.architecture._modules import PACKAGE

README = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")


def _picture() -> str:
    section = README.split("### How the package is built", 1)[1]
    return section.split("```", 2)[1]


def test_every_part_of_the_package_is_in_the_picture() -> None:
    parts = {f"{p.name}/" for p in PACKAGE.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    parts |= {p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")}
    named = set(re.findall(r"\b([a-z_0-9]+/|_?[a-z_0-9]+\.py)", _picture()))
    assert {p for p in parts if p not in named} == set()
    gone = {n for n in named if n.endswith("/") and not (PACKAGE / n.rstrip("/")).is_dir()}
    assert gone == set()


def test_every_file_the_picture_names_exists() -> None:
    files = set(re.findall(r"\b((?:[a-z_0-9]+/)+_?[a-z_0-9]+\.py)", _picture()))
    assert files, "the picture names no module"
    assert {f for f in files if not (PACKAGE / f).is_file()} == set()
