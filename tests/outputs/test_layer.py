"""The output layer (`competency.files.outputs`): what it refuses, and how it writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from competency.errors import OutputError
from competency.files.outputs import Output, OutputFile, Protected, person_file_names, workspace_files


def test_writes_text_and_bytes_and_makes_sub_folders(tmp_path: Path) -> None:
    output = Output(tmp_path / "out")
    assert output.write("a.txt", "张三\n") == tmp_path / "out" / "a.txt"
    assert output.write("sub/b.bin", b"\x00\x01") == tmp_path / "out" / "sub" / "b.bin"
    assert (tmp_path / "out" / "a.txt").read_text(encoding="utf-8") == "张三\n"
    assert (tmp_path / "out" / "sub" / "b.bin").read_bytes() == b"\x00\x01"


def test_a_new_file_gets_the_mode_open_would_give(tmp_path: Path) -> None:
    """The temporary file is made 0600; the file written is not left that way."""
    umask = os.umask(0o022)
    os.umask(umask)
    path = Output(tmp_path).write("a.txt", "x")
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_an_existing_file_is_refused_and_kept_then_replaced_with_force(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError) as caught:
        Output(tmp_path).write("a.txt", "new")
    assert str(caught.value) == f"{tmp_path / 'a.txt'} already exists\n  hint: add --force to replace it, or choose another folder with --out"
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "mine"
    Output(tmp_path, force=True).write("a.txt", "new")
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "new"


def test_a_batch_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """check() names the first existing file and how many others; nothing is written."""
    for name in ("b.txt", "c.txt"):
        (tmp_path / name).write_text("mine", encoding="utf-8")
    output = Output(tmp_path, elsewhere="choose another folder")
    with pytest.raises(OutputError) as caught:
        output.check(["a.txt", "b.txt", "c.txt"])
    assert str(caught.value) == f"{tmp_path / 'b.txt'} and 1 other files to write already exist\n  hint: add --force to replace them, or choose another folder"
    assert not (tmp_path / "a.txt").exists()


def test_an_error_while_writing_leaves_no_file_and_no_temporary_file(tmp_path: Path) -> None:
    """Atomic: the target appears whole or not at all; an earlier file stays as it was."""
    with pytest.raises(RuntimeError), Output(tmp_path).open("new.csv") as stream:
        stream.write("half a file")
        raise RuntimeError("the export failed half-way")
    (tmp_path / "old.csv").write_text("the old one", encoding="utf-8")
    with pytest.raises(RuntimeError), Output(tmp_path, force=True).open("old.csv") as stream:
        stream.write("half")
        raise RuntimeError("again")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.csv"]
    assert (tmp_path / "old.csv").read_text(encoding="utf-8") == "the old one"


def test_a_disk_error_while_writing_is_named_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught, Output(tmp_path).open("full.csv"):
        raise OSError(28, "No space left on device")
    assert str(caught.value) == (
        f"cannot write {tmp_path / 'full.csv'}: No space left on device\n"
        "  hint: check that the folder is writable and the disk has room; nothing was written there"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_link_is_never_written_through_even_with_force(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("precious", encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "report.html").symlink_to(outside)
    with pytest.raises(OutputError) as caught:
        Output(tmp_path / "out", force=True).write("report.html", "<p>")
    assert str(caught.value) == (
        f"cannot write {tmp_path / 'out' / 'report.html'}: it is a symbolic link\n"
        "  hint: remove the link, or choose another folder with --out; links are never written through"
    )
    assert outside.read_text(encoding="utf-8") == "precious"


def test_a_sub_folder_linked_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "people").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(OutputError) as caught:
        Output(tmp_path / "out").write("people/individual-E1.html", "<p>")
    assert str(caught.value) == (
        f"cannot write {tmp_path / 'out' / 'people' / 'individual-E1.html'}: {tmp_path / 'out' / 'people'} is a symbolic link out of {tmp_path / 'out'}\n"
        "  hint: remove the link, or choose another folder with --out; links are never followed"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_sub_folder_linked_inside_the_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "out" / "real").mkdir(parents=True)
    (tmp_path / "out" / "people").symlink_to(tmp_path / "out" / "real", target_is_directory=True)
    Output(tmp_path / "out").write("people/a.html", "<p>")
    assert (tmp_path / "out" / "real" / "a.html").read_text(encoding="utf-8") == "<p>"


def test_the_workspace_is_never_written_over_by_any_name(tmp_path: Path) -> None:
    """Its own path, another spelling of it, a hard link to it, its write-ahead log."""
    workspace = tmp_path / "w.duckdb"
    workspace.write_bytes(b"DUCK")
    os.link(workspace, tmp_path / "hard.duckdb")
    protected = workspace_files(workspace)
    for folder, name in ((tmp_path, "w.duckdb"), (tmp_path / "sub" / "..", "w.duckdb"), (tmp_path, "hard.duckdb")):
        with pytest.raises(OutputError, match=r": it is the workspace\n  hint: choose another folder with --out; the workspace is never written over$"):
            Output(folder, force=True, protected=protected).write(name, "x")
    with pytest.raises(OutputError, match=r"w\.duckdb\.wal: it is the workspace's log\n"):
        Output(tmp_path, force=True, protected=protected).write("w.duckdb.wal", "x")
    assert workspace.read_bytes() == b"DUCK"


def test_one_file_outputs_name_their_own_way_elsewhere(tmp_path: Path) -> None:
    source = tmp_path / "roster.csv"
    source.write_text("employee_id\n", encoding="utf-8")
    target = OutputFile(source, force=True, protected=(Protected(source, "the file being imported"),), elsewhere="name another file with --rejects")
    with pytest.raises(OutputError) as caught:
        target.place()
    assert str(caught.value) == (
        f"cannot write {source}: it is the file being imported\n"
        "  hint: name another file with --rejects; the file being imported is never written over"
    )


def test_a_folder_in_the_way_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.csv").mkdir()
    with pytest.raises(OutputError, match=r"a\.csv: it is a folder\n  hint: name another file with -o$"):
        OutputFile(tmp_path / "a.csv", force=True).write("x")


# --------------------------------------------------------------------------- people's file names


def test_names_keep_unicode_and_replace_what_a_path_cannot_hold() -> None:
    names = person_file_names(["张三", "E000123", "E/10", "E_10", "a\\b", "tab\there", "\u202eexe.html", ".hidden", ""])
    assert names["张三"] == "张三" and names["E000123"] == "E000123" and names["E_10"] == "E_10"
    for employee_id in ("E/10", "a\\b", "tab\there", "\u202eexe.html", ".hidden", ""):
        name = names[employee_id]
        assert not set(name) & set("/\\\t\u202e") and not name.startswith(".")
        assert len(name.rsplit("-", 1)[1]) == 8  # the stable suffix: 8 hex digits of the id's sha256
    assert names["E/10"].startswith("E_10-") and names["tab\there"].startswith("tab_here-")


def test_names_are_nfc() -> None:
    decomposed = "Jose\u0301"
    assert person_file_names([decomposed])[decomposed].startswith("Jos\u00e9-")  # normalised, so marked as changed
    assert person_file_names(["Jos\u00e9"]) == {"Jos\u00e9": "Jos\u00e9"}


def test_names_are_unique_also_where_case_is_ignored_and_do_not_depend_on_order() -> None:
    ids = ["E1", "e1", "E/1", "E_1", "E:1"]
    names = person_file_names(ids)
    assert len({n.casefold() for n in names.values()}) == len(ids)
    assert names["E1"] == "E1" and names["E_1"] == "E_1" and names["e1"].startswith("e1-")
    assert person_file_names(reversed(ids)) == names


def test_long_ids_are_cut_to_fit_a_file_name() -> None:
    long_id = "长" * 200
    name = person_file_names([long_id])[long_id]
    assert len(name.encode("utf-8")) <= 120 + 9 and name.startswith("长" * 40)
