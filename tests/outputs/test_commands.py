"""Outputs that never destroy data, as a user meets them through the commands (issue 14)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click.testing
import pytest
from click.testing import CliRunner

from competency.cli import main
from competency.store.workspace import Workspace
from competency.workflow.reports import write_report_set


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(main, list(args))


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` by its relative name → sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- demo


def test_demo_into_a_folder_holding_a_workspace_refuses_and_leaves_it_byte_identical(hard_ids: Path, tmp_path: Path) -> None:
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "competency.duckdb").write_bytes(hard_ids.read_bytes())
    before = tree(folder)
    for extra in ([], ["--force"]):
        result = run("demo", "--out", str(folder), "--lang", "en", *extra)
        assert result.exit_code == 1
        assert result.output == (
            f"{folder} holds files the demo did not write: competency.duckdb\n"
            "  hint: choose a new or empty folder with --out; the demo never replaces files it did not write, even with --force\n"
        )
        assert tree(folder) == before


def test_demo_recognises_its_own_earlier_folder_and_replaces_it_only_with_force(tmp_path: Path) -> None:
    """The manifest lists what the demo wrote; a re-run needs --force; a file added since is never replaced."""
    out = tmp_path / "demo"
    assert run("demo", "--out", str(out), "--lang", "en").exit_code == 0
    manifest = json.loads((out / "competency-demo.json").read_text(encoding="utf-8"))
    assert manifest["written_by"] == "competency demo"
    assert set(manifest["files"]) == set(tree(out)) - {"competency-demo.json"}
    again = run("demo", "--out", str(out), "--lang", "en")
    assert again.exit_code == 1
    assert again.output == f"{out} holds an earlier demo\n  hint: add --force to replace it, or choose a new folder with --out\n"
    before = tree(out)
    replaced = run("demo", "--out", str(out), "--lang", "zh", "--force")
    assert replaced.exit_code == 0, replaced.output
    after = tree(out)
    assert set(after) == set(before) and after["results.csv"] == before["results.csv"] and after["reports/index.html"] != before["reports/index.html"]
    (out / "reports" / "my-notes.txt").write_text("mine", encoding="utf-8")
    refused = run("demo", "--out", str(out), "--lang", "en", "--force")
    assert refused.exit_code == 1 and refused.output.startswith(f"{out} holds files the demo did not write: reports/my-notes.txt\n")
    assert (out / "reports" / "my-notes.txt").read_text(encoding="utf-8") == "mine"


# --------------------------------------------------------------------------- import --rejects


def _import(workspace: Path, *args: str) -> click.testing.Result:
    return run("--workspace", str(workspace), "import", *args)


def test_rejects_pointed_at_the_workspace_is_refused_and_the_workspace_kept(workspace_copy: Path) -> None:
    kpis = workspace_copy.parent / "kpis.csv"
    kpis.write_text("employee_id,kpi_id,actual\nX9,sales_attainment,1\n", encoding="utf-8")
    before = workspace_copy.read_bytes()
    result = _import(workspace_copy, "kpis", str(kpis), "--rejects", str(workspace_copy), "--force")
    assert result.exit_code == 1
    assert result.output == (
        f"cannot write {workspace_copy}: it is the workspace; nothing was imported\n"
        "  hint: name another file with --rejects; the workspace is never written over\n"
    )
    assert workspace_copy.read_bytes() == before


def test_rejects_pointed_at_the_input_is_refused_and_the_input_kept(workspace_copy: Path) -> None:
    kpis = workspace_copy.parent / "kpis.csv"
    kpis.write_text("employee_id,kpi_id,actual\nX9,sales_attainment,1\n", encoding="utf-8")
    result = _import(workspace_copy, "kpis", str(kpis), "--rejects", str(kpis))
    assert result.exit_code == 1
    assert result.output == (
        f"cannot write {kpis}: it is the file being imported; nothing was imported\n"
        "  hint: name another file with --rejects; the file being imported is never written over\n"
    )
    assert kpis.read_text(encoding="utf-8") == "employee_id,kpi_id,actual\nX9,sales_attainment,1\n"


def test_an_existing_rejects_file_is_replaced_only_with_force(workspace_copy: Path) -> None:
    """Without --force the import is rolled back: nothing imported, the earlier rejects file kept."""
    kpis = workspace_copy.parent / "kpis-2.csv"
    kpis.write_text("employee_id,kpi_id,actual\n李四,sales_attainment,1.2\nX9,sales_attainment,1\n", encoding="utf-8")
    rejects = workspace_copy.parent / "kpis-2.rejected.csv"
    rejects.write_text("my fixes", encoding="utf-8")
    refused = _import(workspace_copy, "kpis", str(kpis))
    assert refused.exit_code == 1
    assert refused.output == f"{rejects} already exists; nothing was imported\n  hint: add --force to replace it, or name another file with --rejects\n"
    assert rejects.read_text(encoding="utf-8") == "my fixes"
    with Workspace(workspace_copy) as workspace:
        assert workspace.db.execute("SELECT count(*) FROM imports WHERE file_name = 'kpis-2.csv'").fetchone()[0] == 0
    done = _import(workspace_copy, "kpis", str(kpis), "--force")
    assert done.exit_code == 0, done.output
    assert rejects.read_text(encoding="utf-8-sig").splitlines()[2].startswith("3,unknown employee: 'X9'")


# --------------------------------------------------------------------------- reports and exports


def test_report_individual_all_writes_one_file_per_person_and_says_so(hard_ids: Path, tmp_path: Path) -> None:
    """张三, 李四, E/10 and E_10: four files, four printed; names keep Unicode, E/10 gets a stable suffix."""
    out = tmp_path / "reports"
    result = run("--workspace", str(hard_ids), "report", "individual", "--all", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    files = sorted(p.name for p in out.iterdir())
    assert len(printed) == len(files) == 4
    assert sorted(Path(line).name for line in printed) == files
    slash = hashlib.sha256("E/10".encode()).hexdigest()[:8]
    assert files == sorted(["individual-张三.html", "individual-李四.html", "individual-E_10.html", f"individual-E_10-{slash}.html"])
    assert "Slash Ten" in (out / f"individual-E_10-{slash}.html").read_text(encoding="utf-8")
    assert "Under Ten" in (out / "individual-E_10.html").read_text(encoding="utf-8")


def test_a_report_over_an_existing_file_is_refused_then_done_with_force(hard_ids: Path, tmp_path: Path) -> None:
    args = ("--workspace", str(hard_ids), "report", "individual", "--all", "--format", "md", "--lang", "en", "--out", str(tmp_path))
    assert run(*args).exit_code == 0
    (tmp_path / "individual-李四.md").write_text("my notes", encoding="utf-8")
    before = tree(tmp_path)
    refused = run(*args)
    assert refused.exit_code == 1
    assert refused.output == (
        f"{tmp_path / 'individual-E_10-' }{hashlib.sha256(b'E/10').hexdigest()[:8]}.md and 3 other files to write already exist\n"
        "  hint: add --force to replace them, or choose another folder with --out\n"
    )
    assert tree(tmp_path) == before
    forced = run(*args, "--force")
    assert forced.exit_code == 0 and len(forced.output.splitlines()) == 4
    assert "Li Si" in (tmp_path / "individual-李四.md").read_text(encoding="utf-8")


def test_a_symlink_in_the_report_folder_is_not_followed(hard_ids: Path, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    out = tmp_path / "reports"
    out.mkdir()
    (out / "individual-张三.html").symlink_to(precious)
    result = run("--workspace", str(hard_ids), "report", "individual", "--employee", "张三", "--out", str(out), "--force")
    assert result.exit_code == 1
    assert result.output == (
        f"cannot write {out / 'individual-张三.html'}: it is a symbolic link\n"
        "  hint: remove the link, or choose another folder with --out; links are never written through\n"
    )
    assert precious.read_text(encoding="utf-8") == "keep me"


def test_export_never_writes_the_workspace_nor_through_a_link_nor_over_a_file(hard_ids: Path, tmp_path: Path) -> None:
    workspace = tmp_path / "w.duckdb"
    workspace.write_bytes(hard_ids.read_bytes())
    before = workspace.read_bytes()
    at_workspace = run("--workspace", str(workspace), "export", "ratings", "-o", str(workspace), "--format", "csv", "--force")
    assert at_workspace.exit_code == 1
    assert at_workspace.output == f"cannot write {workspace}: it is the workspace\n  hint: name another file with -o; the workspace is never written over\n"
    assert workspace.read_bytes() == before
    link = tmp_path / "ratings.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    through = run("--workspace", str(workspace), "export", "ratings", "-o", str(link))
    assert through.exit_code == 1 and through.output.startswith(f"cannot write {link}: it is a symbolic link\n")
    assert not (tmp_path / "elsewhere.csv").exists()
    target = tmp_path / "r.csv"
    assert run("--workspace", str(workspace), "export", "ratings", "-o", str(target)).exit_code == 0
    again = run("--workspace", str(workspace), "export", "ratings", "-o", str(target))
    assert again.exit_code == 1 and again.output == f"{target} already exists\n  hint: add --force to replace it, or name another file with -o\n"
    assert run("--workspace", str(workspace), "export", "ratings", "-o", str(target), "--force").output == f"wrote 4 rows of ratings of cycle 2026-Q4 to {target}\n"


def test_the_report_set_links_every_person_by_name_and_id(hard_ids: Path, tmp_path: Path) -> None:
    with Workspace(hard_ids) as workspace:
        index = write_report_set(workspace, None, tmp_path, "en").read_text(encoding="utf-8")
    slash = hashlib.sha256(b"E/10").hexdigest()[:8]
    assert f'href="people/individual-E_10-{slash}.html"' in index and "Slash Ten (E/10)" in index
    assert 'href="people/individual-E_10.html"' in index and "Under Ten (E_10)" in index
    assert 'href="teams/team-张三.html"' in index and "Zhang San (张三)" in index


# --------------------------------------------------------------------------- schemas and init


def test_schema_all_refuses_existing_files_until_forced(tmp_path: Path) -> None:
    assert run("schema", "--all", str(tmp_path)).exit_code == 0
    (tmp_path / "model.json").write_text("{}", encoding="utf-8")
    refused = run("schema", "--all", str(tmp_path))
    assert refused.exit_code == 1
    assert refused.output.startswith(f"{tmp_path / 'model.json'} and ")
    assert (tmp_path / "model.json").read_text(encoding="utf-8") == "{}"
    assert run("schema", "--all", str(tmp_path), "--force").exit_code == 0
    assert json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))["$id"] == "competency:model"


def test_init_with_force_writes_into_a_folder_that_holds_other_files(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    refused = run("init", str(tmp_path))
    assert refused.exit_code == 1
    assert refused.output == f"{tmp_path} is not empty\n  hint: choose a new folder, or add --force to replace the files init writes there\n"
    done = run("init", str(tmp_path), "--force")
    assert done.exit_code == 0, done.output
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine" and (tmp_path / "schemas" / "model.json").is_file()


def test_init_never_writes_over_the_files_it_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`init --force` into the folder the model and rules come from: refused before anything is written."""
    import shutil

    from competency.errors import OutputError
    from competency.files.shipped import shipped_path
    from competency.workflow import init

    for folder in ("models", "rules"):
        shutil.copytree(shipped_path(folder), tmp_path / folder)
    monkeypatch.setattr(init, "shipped_path", lambda folder: tmp_path / folder)
    before = tree(tmp_path)
    with pytest.raises(OutputError, match=r"^cannot write .*/models/.*\.yaml: it is a shipped file init copies\n  hint: choose another folder; a shipped file init copies is never written over$"):
        init.init_folder(tmp_path, force=True)
    assert tree(tmp_path) == before
