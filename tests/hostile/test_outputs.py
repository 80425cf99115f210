"""Hostile cases for the output layer (issue 14, Build 2 and the rejects file of 6): every file
the tool writes refuses to destroy data, and says so in one paragraph.

Each case asserts its exact message, or what was written, and that nothing else was touched.
Inputs are in data/outputs/; the rest of a case is the folder it sets up.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from competency.cli import main
from competency.store.workspace import Workspace
from competency.workflow.cycles import open_cycle
from competency.workflow.demo import claim_folder
from competency.workflow.imports import run_import
from competency.workflow.scoring import score_cycle

DATA = Path(__file__).parent / "data" / "outputs"
ELSEWHERE_DEMO = "choose a new or empty folder with --out; the demo never replaces files it did not write, even with --force"


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args))


def digest(id_: str) -> str:
    return hashlib.sha256(id_.encode("utf-8")).hexdigest()[:8]


def _scored(folder: Path, roster: Path) -> Path:
    """A scored cycle of this roster (KPIs for everyone, no 360 answers)."""
    folder.mkdir(parents=True, exist_ok=True)
    with roster.open(encoding="utf-8", newline="") as handle:
        ids = [row["employee_id"] for row in csv.DictReader(handle)]
    kpis, potential = folder / "kpis.csv", folder / "potential.csv"
    with kpis.open("w", encoding="utf-8", newline="") as k, potential.open("w", encoding="utf-8", newline="") as p:
        csv.writer(k).writerows([["employee_id", "kpi_id", "actual", "target"], *([i, "sales_attainment", 1.0, 1.0] for i in ids)])
        csv.writer(p).writerows([["employee_id", "potential"], *([i, "medium"] for i in ids)])
    path = folder / "w.duckdb"
    with Workspace(path) as workspace:
        open_cycle(workspace, "2026-Q4", None, None)
        for kind, file in (("roster", roster), ("kpis", kpis), ("potential", potential)):
            assert run_import(workspace, kind, file, rejects_path=folder / f"{kind}.rejected.csv").rejected == 0
        score_cycle(workspace)
    return path


@pytest.fixture(scope="module")
def hard_ids(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _scored(tmp_path_factory.mktemp("hard-ids"), DATA / "roster_hard_ids.csv")


@pytest.fixture
def workspace(hard_ids: Path, tmp_path: Path) -> Path:
    """A copy to import into or write beside."""
    copy = tmp_path / "w.duckdb"
    shutil.copy(hard_ids, copy)
    return copy


# --------------------------------------------------------------------------- demo --out


def test_demo_into_a_folder_holding_a_workspace(workspace: Path) -> None:
    folder = workspace.parent / "demo"
    folder.mkdir()
    shutil.copy(workspace, folder / "competency.duckdb")
    before = (folder / "competency.duckdb").read_bytes()
    result = run("demo", "--out", str(folder), "--force")
    assert (result.exit_code, result.output) == (1, f"{folder} holds files the demo did not write: competency.duckdb\n  hint: {ELSEWHERE_DEMO}\n")
    assert (folder / "competency.duckdb").read_bytes() == before and os.listdir(folder) == ["competency.duckdb"]


def test_demo_into_a_forged_demo_folder_with_a_file_it_did_not_list(tmp_path: Path) -> None:
    (tmp_path / "competency-demo.json").write_text(json.dumps({"written_by": "competency demo", "files": ["results.csv"]}), encoding="utf-8")
    (tmp_path / "results.csv").write_text("old", encoding="utf-8")
    (tmp_path / "payroll.xlsx").write_bytes(b"PK")
    result = run("demo", "--out", str(tmp_path), "--force")
    assert (result.exit_code, result.output) == (1, f"{tmp_path} holds files the demo did not write: payroll.xlsx\n  hint: {ELSEWHERE_DEMO}\n")
    assert sorted(os.listdir(tmp_path)) == ["competency-demo.json", "payroll.xlsx", "results.csv"]


def test_demo_into_a_demo_folder_where_a_listed_file_became_a_link(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep", encoding="utf-8")
    out = tmp_path / "demo"
    out.mkdir()
    (out / "competency-demo.json").write_text(json.dumps({"written_by": "competency demo", "files": ["results.csv"]}), encoding="utf-8")
    (out / "results.csv").symlink_to(precious)
    result = run("demo", "--out", str(out), "--force")
    assert (result.exit_code, result.output) == (1, f"{out} holds files the demo did not write: results.csv\n  hint: {ELSEWHERE_DEMO}\n")
    assert precious.read_text(encoding="utf-8") == "keep" and (out / "results.csv").is_symlink()


def test_demo_into_a_folder_with_a_garbled_manifest(tmp_path: Path) -> None:
    (tmp_path / "competency-demo.json").write_text("{not json", encoding="utf-8")
    result = run("demo", "--out", str(tmp_path), "--force")
    assert (result.exit_code, result.output) == (1, f"{tmp_path} holds files the demo did not write: competency-demo.json\n  hint: {ELSEWHERE_DEMO}\n")


def test_a_forged_manifest_naming_files_outside_the_folder_removes_nothing_there(tmp_path: Path) -> None:
    """Only files found in the folder are ever removed; a listed ../name is just a name."""
    precious = tmp_path / "precious.txt"
    precious.write_text("keep", encoding="utf-8")
    out = tmp_path / "demo"
    out.mkdir()
    (out / "competency-demo.json").write_text(json.dumps({"written_by": "competency demo", "files": ["../precious.txt", str(precious)]}), encoding="utf-8")
    claim_folder(out, force=True)
    assert precious.read_text(encoding="utf-8") == "keep" and os.listdir(out) == []


# --------------------------------------------------------------------------- import --rejects


def _import_kpis(workspace: Path, *args: str) -> click.testing.Result:
    return run("--workspace", str(workspace), "import", "kpis", str(DATA / "kpis_formulas.csv"), *args)


def test_rejects_at_the_workspace(workspace: Path) -> None:
    before = workspace.read_bytes()
    result = _import_kpis(workspace, "--rejects", str(workspace), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {workspace}: it is the workspace; nothing was imported\n"
        "  hint: name another file with --rejects; the workspace is never written over\n"
    ))
    assert workspace.read_bytes() == before


def test_rejects_at_a_hard_link_to_the_workspace(workspace: Path) -> None:
    link = workspace.parent / "rejects.csv"
    os.link(workspace, link)
    result = _import_kpis(workspace, "--rejects", str(link), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {link}: it is the workspace; nothing was imported\n"
        "  hint: name another file with --rejects; the workspace is never written over\n"
    ))


def test_rejects_at_the_workspace_log(workspace: Path) -> None:
    log = workspace.parent / "w.duckdb.wal"
    result = _import_kpis(workspace, "--rejects", str(log))
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {log}: it is the workspace's log; nothing was imported\n"
        "  hint: name another file with --rejects; the workspace's log is never written over\n"
    ))
    assert not log.exists()


def test_rejects_at_the_input(workspace: Path) -> None:
    source = workspace.parent / "kpis.csv"
    shutil.copy(DATA / "kpis_formulas.csv", source)
    result = run("--workspace", str(workspace), "import", "kpis", str(source), "--rejects", str(source), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {source}: it is the file being imported; nothing was imported\n"
        "  hint: name another file with --rejects; the file being imported is never written over\n"
    ))
    assert source.read_bytes() == (DATA / "kpis_formulas.csv").read_bytes()


def test_rejects_at_the_mapping_file(workspace: Path) -> None:
    mapping = workspace.parent / "mapping.yaml"
    mapping.write_text("kind: import_mapping\n", encoding="utf-8")
    result = _import_kpis(workspace, "--mapping", str(mapping), "--rejects", str(mapping), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {mapping}: it is the mapping file; nothing was imported\n"
        "  hint: name another file with --rejects; the mapping file is never written over\n"
    ))
    assert mapping.read_text(encoding="utf-8") == "kind: import_mapping\n"


def test_rejects_at_a_link_pointing_out(workspace: Path, tmp_path: Path) -> None:
    link = workspace.parent / "rejects.csv"
    link.symlink_to(tmp_path / "elsewhere" / "bashrc")
    result = _import_kpis(workspace, "--rejects", str(link), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {link}: it is a symbolic link; nothing was imported\n"
        "  hint: remove the link, or name another file with --rejects; links are never written through\n"
    ))
    assert not (tmp_path / "elsewhere").exists()


def test_rejects_over_an_existing_file(workspace: Path) -> None:
    rejects = workspace.parent / "rejects.csv"
    rejects.write_text("my fixes", encoding="utf-8")
    result = _import_kpis(workspace, "--rejects", str(rejects))
    assert (result.exit_code, result.output) == (1, f"{rejects} already exists; nothing was imported\n  hint: add --force to replace it, or name another file with --rejects\n")
    assert rejects.read_text(encoding="utf-8") == "my fixes"


def test_every_rejects_cell_a_spreadsheet_would_run_is_inert(workspace: Path) -> None:
    """= + - @ tab CR first, in a cell or a header: prefixed with '; a plain number stays."""
    rejects = workspace.parent / "rejects.csv"
    assert _import_kpis(workspace, "--rejects", str(rejects)).exit_code == 0
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["row", "reason", "employee_id", "kpi_id", "actual", "'=HYPERLINK(\"http://evil\")"]
    assert [row[4] for row in rows[1:]] == ["'=1+1", "'+SUM(1)", "'-2+3", "'@cmd", "'\tTAB", "'\rCR", "1.5"]


# --------------------------------------------------------------------------- report --out, export -o, schema -o


def test_report_individual_all_over_ids_that_collide_as_file_names(hard_ids: Path, tmp_path: Path) -> None:
    result = run("--workspace", str(hard_ids), "report", "individual", "--all", "--format", "md", "--out", str(tmp_path))
    expected = sorted(["individual-张三.md", "individual-李四.md", "individual-E_10.md", f"individual-E_10-{digest('E/10')}.md"])
    assert result.exit_code == 0 and sorted(Path(line).name for line in result.output.splitlines()) == expected
    assert sorted(os.listdir(tmp_path)) == expected


def test_report_file_names_from_ids_with_controls_dots_and_case(tmp_path: Path) -> None:
    """Bidi override, BEL, '..', a backslash, E1 beside e1: each person one file, no control character in a name."""
    workspace = _scored(tmp_path / "ws", DATA / "roster_control_ids.csv")
    result = run("--workspace", str(workspace), "report", "individual", "--all", "--format", "md", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path / "out")) == sorted([
        "individual-M1.md", "individual-E1.md", f"individual-e1-{digest('e1')}.md", f"individual-A_B-{digest('A' + chr(92) + 'B')}.md",
        f"individual-_.-{digest('..')}.md", f"individual-E_bel-{digest(chr(7).join(['E', 'bel']))}.md", f"individual-E_1lmth.exe-{digest('E' + chr(0x202E) + '1lmth.exe')}.md",
    ])
    assert len(result.output.splitlines()) == 7


def test_report_named_like_the_workspace(hard_ids: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "org.html"
    shutil.copy(hard_ids, workspace)
    before = workspace.read_bytes()
    result = run("--workspace", str(workspace), "report", "org", "--out", str(tmp_path), "--force")
    assert (result.exit_code, result.output) == (1, f"cannot write {workspace}: it is the workspace\n  hint: choose another folder with --out; the workspace is never written over\n")
    assert workspace.read_bytes() == before


def test_report_over_a_planted_link(hard_ids: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "team-张三.md").symlink_to(precious)
    result = run("--workspace", str(hard_ids), "report", "team", "--all", "--format", "md", "--out", str(out), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {out / 'team-张三.md'}: it is a symbolic link\n"
        "  hint: remove the link, or choose another folder with --out; links are never written through\n"
    ))
    assert precious.read_text(encoding="utf-8") == "keep"


def test_report_over_an_existing_file(hard_ids: Path, tmp_path: Path) -> None:
    (tmp_path / "org.html").write_text("last quarter's", encoding="utf-8")
    result = run("--workspace", str(hard_ids), "report", "org", "--out", str(tmp_path))
    assert (result.exit_code, result.output) == (1, f"{tmp_path / 'org.html'} already exists\n  hint: add --force to replace it, or choose another folder with --out\n")
    assert (tmp_path / "org.html").read_text(encoding="utf-8") == "last quarter's"


def test_export_at_the_workspace(workspace: Path) -> None:
    before = workspace.read_bytes()
    result = run("--workspace", str(workspace), "export", "ratings", "--format", "csv", "-o", str(workspace), "--force")
    assert (result.exit_code, result.output) == (1, f"cannot write {workspace}: it is the workspace\n  hint: name another file with -o; the workspace is never written over\n")
    assert workspace.read_bytes() == before


def test_export_through_a_link(hard_ids: Path, tmp_path: Path) -> None:
    link = tmp_path / "ratings.xlsx"
    link.symlink_to(tmp_path / "startup.sh")
    result = run("--workspace", str(hard_ids), "export", "ratings", "-o", str(link), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {link}: it is a symbolic link\n  hint: remove the link, or name another file with -o; links are never written through\n"
    ))
    assert not (tmp_path / "startup.sh").exists()


def test_export_over_an_existing_file(hard_ids: Path, tmp_path: Path) -> None:
    target = tmp_path / "ratings.json"
    target.write_text("[]", encoding="utf-8")
    result = run("--workspace", str(hard_ids), "export", "ratings", "-o", str(target))
    assert (result.exit_code, result.output) == (1, f"{target} already exists\n  hint: add --force to replace it, or name another file with -o\n")
    assert target.read_text(encoding="utf-8") == "[]"


def test_schema_through_a_link(tmp_path: Path) -> None:
    link = tmp_path / "model.schema.json"
    link.symlink_to(tmp_path / "target.json")
    result = run("schema", "-o", str(link), "--force")
    assert (result.exit_code, result.output) == (1, (
        f"cannot write {link}: it is a symbolic link\n  hint: remove the link, or name another file with -o; links are never written through\n"
    ))
    assert not (tmp_path / "target.json").exists()
