"""The one way the tool writes a file: reports, exports, rejects, plans, demo, init, schemas.

An `Output` is a folder a command writes into. Before a file is written it checks that:
- the file is not the workspace (or its log) nor a file the same command reads;
- neither the file nor a sub-folder on its way is a symbolic link leading out of the
  folder (the file itself may not be a link at all: a link is never written through);
- the file does not exist yet, unless the command was given `--force`.
Each file is written to a temporary file in its own folder, then renamed over the
target (`os.replace`), so an error, a full disk or a kill never leaves half a file.

`person_file_names` turns employee ids into file-name parts that keep their Unicode
and are unique per person.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from competency.errors import OutputError

NAME_BYTES = 120  # an id's part of a file name, in UTF-8 bytes: room for a prefix and suffix under 255
_UNSAFE = set('/\\<>:"|?*')  # path separators, and what Windows refuses in a name
_CONTROL = {"Zl", "Zp"}  # line and paragraph separators; categories C* (controls, format, unassigned) too


@dataclass(frozen=True)
class Protected:
    """A file a command must never write over: what it is, as the message names it."""

    path: Path
    what: str


def workspace_files(path: Path) -> tuple[Protected, ...]:
    """The workspace and its write-ahead log (DuckDB's `NAME.wal`)."""
    path = Path(path)
    return Protected(path, "the workspace"), Protected(path.with_name(path.name + ".wal"), "the workspace's log")


class Output:
    """A folder one command writes into; `force` lets it replace existing files.

    `elsewhere` ends the hints: how to write somewhere else with this command.
    """

    def __init__(
        self, folder: Path, *, force: bool = False, protected: Iterable[Protected] = (), elsewhere: str = "choose another folder with --out"
    ) -> None:
        self.folder = Path(folder)
        self.force = force
        self.protected = tuple(protected)
        self.elsewhere = elsewhere

    def check(self, names: Sequence[str]) -> None:
        """Refuse now, before anything is written, if any of these files could not be."""
        if len(set(names)) != len(names):  # two files of one command under one name: the count would lie
            raise ValueError(f"the same file name twice among {len(names)} files to write")
        existing = [path for path in map(self.place, names) if _exists(path)]
        if existing and not self.force:
            more = f" and {len(existing) - 1} other files to write already exist" if len(existing) > 1 else " already exists"
            hint = "add --force to replace " + ("them" if len(existing) > 1 else "it") + f", or {self.elsewhere}"
            raise OutputError(f"{existing[0]}{more}", hint=hint)

    def write(self, name: str, data: str | bytes) -> Path:
        """Write `data` (text as UTF-8) as `name` in the folder, atomically; the file's path."""
        binary = isinstance(data, bytes)
        with self.open(name, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as stream:
            stream.write(data)
        return self.folder / name

    @contextmanager
    def open(self, name: str, mode: str = "w", **options: Any) -> Iterator[IO[Any]]:
        """A stream to write `name` through: the file appears, whole, when the block ends."""
        self.check([name])
        target = self.folder / name
        temporary = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".competency-", suffix=".tmp", dir=target.parent)
            with os.fdopen(handle, mode, **options) as stream:
                yield stream
            os.chmod(temporary, _file_mode())
            self.place(name)  # a link made meanwhile is still not written through
            os.replace(temporary, target)
            temporary = None
        except OSError as error:
            hint = "check that the folder is writable and the disk has room; nothing was written there"
            raise OutputError(f"cannot write {target}: {error.strerror or error}", hint=hint) from None
        finally:
            if temporary is not None:
                with suppress(OSError):
                    os.unlink(temporary)

    def place(self, name: str) -> Path:
        """`name`'s path in the folder, refused if it is protected or a link leads it out."""
        relative = Path(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError(f"not a file name inside the output folder: {name!r}")
        target = self.folder / relative
        if self.folder.exists() and not self.folder.is_dir():
            raise OutputError(f"cannot write {target}: {self.folder} is not a folder", hint=self.elsewhere)
        root = self.folder.resolve()
        step = self.folder
        for part in relative.parts[:-1]:
            step = step / part
            if step.is_symlink() and not step.resolve().is_relative_to(root):
                hint = f"remove the link, or {self.elsewhere}; links are never followed"
                raise OutputError(f"cannot write {target}: {step} is a symbolic link out of {self.folder}", hint=hint)
        if target.is_symlink():
            hint = f"remove the link, or {self.elsewhere}; links are never written through"
            raise OutputError(f"cannot write {target}: it is a symbolic link", hint=hint)
        if target.is_dir():
            raise OutputError(f"cannot write {target}: it is a folder", hint=self.elsewhere)
        for kept in self.protected:
            if _same_file(target, kept.path):
                raise OutputError(f"cannot write {target}: it is {kept.what}", hint=f"{self.elsewhere}; {kept.what} is never written over")
        return target


@dataclass(frozen=True)
class OutputFile:
    """One file a command writes (an export, a rejects file): an `Output` of its folder."""

    path: Path
    force: bool = False
    protected: tuple[Protected, ...] = ()
    elsewhere: str = "name another file with -o"

    @property
    def output(self) -> Output:
        return Output(self.path.parent, force=self.force, protected=self.protected, elsewhere=self.elsewhere)

    def place(self) -> Path:
        """Refuse now if the file is protected or a link (it may still exist)."""
        return self.output.place(self.path.name)

    def write(self, data: str | bytes) -> Path:
        return self.output.write(self.path.name, data)

    def open(self, mode: str = "w", **options: Any) -> Any:
        return self.output.open(self.path.name, mode, **options)


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _same_file(one: Path, other: Path) -> bool:
    """The same file (a hard link or another spelling included), or the same place if either is missing."""
    if one.exists() and other.exists():
        return os.path.samefile(one, other)
    return one.resolve() == other.resolve()


@cache
def _file_mode() -> int:
    """What `open()` would give a new file: 0o666 less the umask (mkstemp makes 0o600)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


# --------------------------------------------------------------------------- file names of people


def person_file_names(ids: Iterable[str]) -> dict[str, str]:
    """A file-name part for each id, unique among them even where case is ignored.

    An id that is a safe file name is used as it is (张三 stays 张三). Any other is
    cleaned — NFC, path separators, control and Windows-forbidden characters
    replaced by '_', a leading dot too, cut to NAME_BYTES — and followed by 8 hex
    digits of its sha256, so E/10 never takes the file of E_10. Ids that would
    still meet (E1 and e1 on a case-blind disk) get the suffix in sorted order after the first.
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for employee_id in sorted(set(ids), key=lambda i: (_clean(i) != i, i)):
        cleaned = _clean(employee_id)
        digest = hashlib.sha256(employee_id.encode("utf-8", "surrogatepass")).hexdigest()
        candidates = [cleaned] if cleaned == employee_id else []
        candidates += [f"{cleaned}-{digest[:8]}", f"{cleaned}-{digest[:16]}", f"{cleaned}-{digest}"]
        name = next(c for c in candidates if unicodedata.normalize("NFC", c.casefold()) not in taken)
        taken.add(unicodedata.normalize("NFC", name.casefold()))
        names[employee_id] = name
    return names


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    cleaned = "".join("_" if ch in _UNSAFE or unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in _CONTROL else ch for ch in text)
    if cleaned.startswith("."):
        cleaned = "_" + cleaned[1:]
    while len(cleaned.encode("utf-8", "surrogatepass")) > NAME_BYTES:
        cleaned = cleaned[:-1]
    return cleaned or "_"
