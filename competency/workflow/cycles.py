"""Quarterly cycles: open one with frozen copies of its model and rule files,
list them, show one, and load a cycle's frozen bundle back."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from competency.files.yaml_loader import YamlDocument, parse_yaml
from competency.errors import CycleError, SourceErrors
from competency.files.bundle import ModelBundle, bundle_from_documents, kind_of, yaml_files
from competency.files.kinds import validate_paths
from competency.publication import gate
from competency.files.shipped import default_model_folder, default_rules_folder
from competency.scoring.config import ScoringConfig
from competency.store.cycles import FrozenFile, save_cycle
from competency.store.workspace import Workspace, now
from competency._text import did_you_mean

CYCLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


@dataclass(frozen=True)
class Cycle:
    cycle_id: str
    status: str
    opened_at: Any
    model_id: str
    model_version: str
    scored_at: Any


@dataclass(frozen=True)
class CycleInputs:
    """What scoring needs, read from the cycle's frozen files."""

    bundle: ModelBundle
    scoring: ScoringConfig
    rule_documents: list[YamlDocument]
    documents: list[YamlDocument]  # every frozen file, parsed (plans read theirs from here)


def _frozen_name(root: Path, file: Path, prefix: str) -> str:
    return f"{prefix}/{file.resolve().relative_to(root.resolve()).as_posix()}"


def open_cycle(workspace: Workspace, cycle_id: str, model_dir: Path | None, rules_dir: Path | None) -> Cycle:
    """Check the model and rule files, then record the cycle with frozen copies of them."""
    if not CYCLE_ID.match(cycle_id):
        raise CycleError(f"'{cycle_id}' is not a usable cycle name", hint="use letters, digits, '-', '_' or '.', e.g. 2026-Q4")
    model_dir = model_dir or default_model_folder()
    rules_dir = rules_dir or default_rules_folder()
    files, problems = validate_paths([model_dir, rules_dir])
    if problems:
        raise SourceErrors(problems)
    bundle = bundle_from_documents([parse_yaml(f.read_text(encoding="utf-8-sig"), str(f)) for f in yaml_files([model_dir])], str(model_dir))
    named = [(f, _frozen_name(model_dir, f, "models")) for f in yaml_files([model_dir])]
    named += [(f, _frozen_name(rules_dir, f, "rules")) for f in yaml_files([rules_dir])]
    frozen = [_frozen(file, name) for file, name in named]
    with workspace.transaction() as db:
        if db.execute("SELECT 1 FROM cycles WHERE cycle_id = ?", [cycle_id]).fetchone():
            raise CycleError(f"cycle {cycle_id} is already open", hint=f"see it with `competency cycle show {cycle_id}`, or choose another name")
        save_cycle(db, cycle_id, now(), bundle.model.id, bundle.model.version, frozen)
    return get_cycle(workspace, cycle_id)


def _frozen(file: Path, name: str) -> FrozenFile:
    text = file.read_text(encoding="utf-8-sig")
    return FrozenFile(kind_of(parse_yaml(text, str(file))) or "", name, hashlib.sha256(text.encode()).hexdigest(), text)


def list_cycles(workspace: Workspace) -> list[Cycle]:
    rows = workspace.db.execute("SELECT * FROM cycles ORDER BY opened_at, cycle_id").fetchall()
    return [Cycle(*row) for row in rows]


def get_cycle(workspace: Workspace, cycle_id: str) -> Cycle:
    row = workspace.db.execute("SELECT * FROM cycles WHERE cycle_id = ?", [cycle_id]).fetchone()
    if row is None:
        known = [c.cycle_id for c in list_cycles(workspace)]
        hint = did_you_mean(cycle_id, known) if known else "open one with `competency cycle open 2026-Q4`"
        raise CycleError(f"no cycle '{cycle_id}' in workspace {workspace.path}", hint=hint)
    return Cycle(*row)


def resolve_cycle(workspace: Workspace, cycle_id: str | None) -> Cycle:
    """The named cycle, or the one opened last."""
    if cycle_id is not None:
        return get_cycle(workspace, cycle_id)
    cycles = list_cycles(workspace)
    if not cycles:
        raise CycleError(f"no cycle in workspace {workspace.path}", hint="open one with `competency cycle open 2026-Q4`")
    return cycles[-1]


def require_status(cycle: Cycle, allowed: tuple[str, ...], doing: str) -> None:
    if cycle.status not in allowed:
        raise CycleError(f"cannot {doing}: cycle {cycle.cycle_id} is {cycle.status}", hint="a final cycle is locked; `competency calibrate reopen` records why it is opened again")


def cycle_inputs(workspace: Workspace, cycle_id: str) -> CycleInputs:
    """The model bundle, scoring parameters and rule files frozen with the cycle."""
    rows = workspace.db.execute("SELECT name, sha256, text FROM cycle_files WHERE cycle_id = ? ORDER BY name", [cycle_id]).fetchall()
    key = (cycle_id, tuple((name, sha) for name, sha, _ in rows))
    if key not in _PARSED:
        # Frozen files never change, so their parse can be kept for the process's life.
        _PARSED[key] = _parse_frozen(cycle_id, [(name, text) for name, _, text in rows])
    return _PARSED[key]


_PARSED: dict[tuple, CycleInputs] = {}


def _parse_frozen(cycle_id: str, files: list[tuple[str, str]]) -> CycleInputs:
    documents = [parse_yaml(text, f"{cycle_id}:{name}") for name, text in files]
    bundle = bundle_from_documents([d for d, (name, _) in zip(documents, files) if name.startswith("models/")], f"cycle {cycle_id}")
    scoring = [d for d in documents if kind_of(d) == "scoring"]
    if len(scoring) != 1:
        raise CycleError(f"cycle {cycle_id} has {len(scoring)} scoring files; it needs exactly one (kind: scoring) in its rules folder")
    rules = [d for d in documents if kind_of(d) == "ruleset"]
    return CycleInputs(bundle, ScoringConfig.model_validate(scoring[0].data), rules, documents)


def cycle_summary(workspace: Workspace, cycle_id: str) -> dict[str, Any]:
    """What `cycle show` prints: status, frozen files, imports, result counts."""
    cycle = get_cycle(workspace, cycle_id)
    db = workspace.db
    files = db.execute("SELECT name, kind, sha256 FROM cycle_files WHERE cycle_id = ? ORDER BY name", [cycle_id]).fetchall()
    imports = db.execute(
        "SELECT kind, file_name, accepted, rejected, imported_at, superseded FROM imports WHERE cycle_id = ? ORDER BY import_id", [cycle_id]
    ).fetchall()
    counts = {
        table: db.execute(f"SELECT count(*) FROM {table} WHERE cycle_id = ?", [cycle_id]).fetchone()[0]  # noqa: S608 - fixed table names
        for table in ("roster", "responses", "kpi_actuals", "potential", "person_results")
    }
    return {
        "cycle": cycle.cycle_id,
        "status": cycle.status,
        "opened_at": str(cycle.opened_at),
        "scored_at": str(cycle.scored_at) if cycle.scored_at else None,
        "model": f"{cycle.model_id} {cycle.model_version}",
        "files": [{"name": n, "kind": k, "sha256": s} for n, k, s in files],
        "imports": [
            {"kind": k, "file": f, "accepted": a, "rejected": r, "imported_at": str(t), "superseded": s} for k, f, a, r, t, s in imports
        ],
        "rows": counts,
        # Figures withheld to protect raters, by reason; `cross_release` counts those the
        # cross-release guard withholds (DESIGN §7a).
        "withheld": gate.withheld_counts(db, cycle_id),
        "releases": db.execute("SELECT count(*) FROM releases WHERE cycle_id = ?", [cycle_id]).fetchone()[0],
    }
