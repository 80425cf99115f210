"""`competency init DIR`: an organisation's own copy of the shipped model and rules."""

from __future__ import annotations

import re
from pathlib import Path

from competency.files.editor_schema import SCHEMA_KINDS, write_all
from competency.errors import FolderNotEmpty
from competency.files.bundle import kind_of, yaml_files
from competency.files.yaml_loader import read_yaml
from competency.files.shipped import shipped_path

_SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=.*\n")


def init_folder(target: Path) -> list[Path]:
    """Copy `models/` and `rules/` into `target`, write the schemas beside them,
    and head every file with the schema line its editor needs."""
    if target.exists() and any(target.iterdir()):
        raise FolderNotEmpty(f"{target} is not empty", hint="choose a new folder; init never overwrites files")
    schema_of = {kind: name for name, (kind, _) in SCHEMA_KINDS.items()}
    written = write_all(target / "schemas")
    for folder in ("models", "rules"):
        source_root = shipped_path(folder)
        for source in yaml_files([source_root]):
            relative = source.relative_to(source_root)
            destination = target / folder / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            text = _SCHEMA_LINE.sub("", source.read_text(encoding="utf-8"), count=1)
            kind = kind_of(read_yaml(source))
            if kind in schema_of:
                up = "../" * len(relative.parts)  # out of the sub-folders and of models/ or rules/
                text = f"# yaml-language-server: $schema={up}schemas/{schema_of[kind]}.json\n" + text
            destination.write_text(text, encoding="utf-8")
            written.append(destination)
    return written
