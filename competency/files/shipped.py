"""Where the shipped models, rules and report templates are.

In a wheel they are packaged under `competency/_shipped/`; in a source
checkout (or an editable install) they are the top-level folders beside the
package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # competency/
SHIPPED_FOLDERS = ("models", "rules", "reports")


def shipped_path(name: str) -> Path:
    """The folder of shipped files called `name` (models, rules or reports)."""
    if name not in SHIPPED_FOLDERS:
        raise ValueError(f"unknown shipped folder {name!r}")
    packaged = _PACKAGE / "_shipped" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name


def default_model_folder() -> Path:
    """The shipped sales-organisation model."""
    return shipped_path("models") / "sales"


def default_rules_folder() -> Path:
    return shipped_path("rules") / "sales"
