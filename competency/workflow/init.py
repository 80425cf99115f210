"""`competency init DIR`: an organisation's own copy of the shipped model and rules."""

from __future__ import annotations

import re
from pathlib import Path

from competency.files.editor_schema import SCHEMA_KINDS, schema_files
from competency.errors import FolderNotEmpty
from competency.files.bundle import kind_of, yaml_files
from competency.files.outputs import Output, Protected
from competency.files.yaml_loader import read_yaml
from competency.files.shipped import shipped_path

_SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=.*\n")


def init_folder(target: Path, *, force: bool = False) -> list[Path]:
    """Copy `models/` and `rules/` into `target`, write the schemas beside them,
    and head every file with the schema line its editor needs.

    The folder must be new or empty; with `force` it may hold files, and those of
    the same names are replaced. Every file is checked before the first is written.
    """
    if not force and target.exists() and any(target.iterdir()):
        raise FolderNotEmpty(f"{target} is not empty", hint="choose a new folder, or add --force to replace the files init writes there")
    copies, sources = _copies()
    files = {f"schemas/{name}": text for name, text in schema_files().items()} | copies
    output = Output(target, force=force, protected=[Protected(source, "a shipped file init copies") for source in sources], elsewhere="choose another folder")
    output.check(list(files))
    return [output.write(name, text) for name, text in files.items()]


def _copies() -> tuple[dict[str, str], list[Path]]:
    """The shipped model and rule files by their place in the new folder, each headed by its
    schema line; and the shipped files themselves, which init never writes over."""
    schema_of = {kind: name for name, (kind, _) in SCHEMA_KINDS.items()}
    copies, sources = {}, []
    for folder in ("models", "rules"):
        source_root = shipped_path(folder)
        for source in yaml_files([source_root]):
            relative = source.relative_to(source_root)
            text = _SCHEMA_LINE.sub("", source.read_text(encoding="utf-8"), count=1)
            kind = kind_of(read_yaml(source))
            if kind in schema_of:
                up = "../" * len(relative.parts)  # out of the sub-folders and of models/ or rules/
                text = f"# yaml-language-server: $schema={up}schemas/{schema_of[kind]}.json\n" + text
            copies[(Path(folder) / relative).as_posix()] = text
            sources.append(source)
    return copies, sources
