"""The audit key: a secret kept outside the workspace that signs its audit log.

Whoever can write the workspace file can rewrite a hash chain and its head, so
each audit row also carries an HMAC made with this key (`calibration.audit`).
The key file is `$COMPETENCY_AUDIT_KEY_FILE`, else `audit.key` in the user's
config folder (`$XDG_CONFIG_HOME/competency`, else `~/.config/competency`). It
is made on first use: 32 random bytes as 64 hex digits, readable by its owner
only (mode 0600, its folder 0700).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from competency.errors import AuditKeyError

ENV_KEY_FILE = "COMPETENCY_AUDIT_KEY_FILE"
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")


@dataclass(frozen=True)
class AuditKey:
    """The key's secret and where it was read from (named in messages, never the secret)."""

    path: Path
    secret: bytes = field(repr=False)


def key_path() -> Path:
    """Where the audit key is kept on this computer."""
    named = os.environ.get(ENV_KEY_FILE)
    if named:
        return Path(named).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config).expanduser() / "competency" / "audit.key"


def read_key(path: Path | None = None) -> AuditKey | None:
    """The key at `path` (default: `key_path()`), or None when there is none yet."""
    path = path or key_path()
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise AuditKeyError(f"cannot read the audit key {path}: {error}", hint=_where_hint()) from None
    if not _HEX_KEY.fullmatch(text):
        raise AuditKeyError(
            f"{path} is not an audit key: it should hold 64 hex digits (0-9, a-f) on one line and nothing else",
            hint="restore the file from a backup: rows signed with a lost key can no longer be checked",
        )
    return AuditKey(path, bytes.fromhex(text))


def audit_key() -> AuditKey:
    """The key to sign new audit rows with, made (0600) when there is none yet."""
    path = key_path()
    found = read_key(path)
    if found is not None:
        return found
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it just now: use theirs
        return read_key(path) or _missing(path)
    except OSError as error:
        raise AuditKeyError(f"cannot create the audit key {path}: {error}", hint=_where_hint()) from None
    with os.fdopen(handle, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32) + "\n")
        file.flush()
        os.fsync(file.fileno())
    return read_key(path) or _missing(path)


def _missing(path: Path) -> AuditKey:
    raise AuditKeyError(f"the audit key {path} vanished while it was being read", hint=_where_hint())


def _where_hint() -> str:
    return f"the key lives outside the workspace; set {ENV_KEY_FILE} to a file you can read and write, e.g. {ENV_KEY_FILE}=~/keys/competency-audit.key"
