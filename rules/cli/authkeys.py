"""The service account's `~/.ssh/authorized_keys`: the lines miteam manages, one key each,
pinned to one operator by a forced command; every other line is kept as it is.

    command="/opt/miteam/bin/miteam shell anna.huber",restrict,pty ssh-ed25519 AAAA... anna

A key is checked before it is written: one line, a known type, its base64 decoding to a
blob of that type (and `ssh-keygen -l` agreeing, where it is installed). The file is
replaced atomically (temporary file, fsync, rename) with mode 0600.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import shlex
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

KEY_TYPES = frozenset({
    "ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
})
_MAX_LINE = 16_384
# The lines miteam writes, and so recognises as its own.
_MANAGED = re.compile(r'command="(?P<command>(?:[^"\\]|\\.)*) shell '
                      r'(?P<login>[A-Za-z0-9][A-Za-z0-9._-]{0,63})",restrict,pty '
                      r'(?P<type>\S+) (?P<blob>[A-Za-z0-9+/=]+)(?: (?P<comment>.*))?')
_COMMENT_OK = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*")


class KeyProblem(ValueError):
    """Not a usable public key: the message says why."""


@dataclass(frozen=True)
class PublicKey:
    type: str
    blob: str  # base64, as written
    comment: str

    @property
    def fingerprint(self) -> str:
        """As `ssh-keygen -l` prints it: SHA256 of the key blob, base64 without padding."""
        digest = hashlib.sha256(base64.b64decode(self.blob)).digest()
        return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


@dataclass(frozen=True)
class Entry:
    login: str
    key: PublicKey

    def as_dict(self) -> dict:
        return {"operator": self.login, "type": self.key.type,
                "fingerprint": self.key.fingerprint, "comment": self.key.comment}


def authorized_keys_path() -> Path:
    return Path.home() / ".ssh" / "authorized_keys"


def parse_key(text: str) -> PublicKey:
    """One public key in OpenSSH's one-line format (`TYPE BASE64 [COMMENT]`), checked."""
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) != 1:
        raise KeyProblem(f"expected one key line, found {len(lines)}")
    line = lines[0].strip()
    if len(line) > _MAX_LINE:
        raise KeyProblem("the line is too long for a public key")
    parts = line.split(None, 2)
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        raise KeyProblem(f"it must start with a key type ({', '.join(sorted(KEY_TYPES))}); "
                         "options such as command= are miteam's to write")
    kind, blob = parts[0], parts[1]
    try:
        raw = base64.b64decode(blob, validate=True)
        (length,) = struct.unpack(">I", raw[:4])
        inner = raw[4:4 + length].decode("ascii")
    except (binascii.Error, struct.error, UnicodeDecodeError, ValueError):
        raise KeyProblem("the key data is not valid base64 of a key") from None
    if inner != kind or len(raw) <= 4 + length:
        raise KeyProblem(f"the key data is not a {kind} key")
    comment = parts[2].strip() if len(parts) > 2 else ""
    if not _COMMENT_OK.fullmatch(comment) or len(comment) > 200:
        raise KeyProblem("the comment holds control characters or is too long")
    key = PublicKey(kind, blob, comment)
    _ssh_keygen_agrees(key)
    return key


def _ssh_keygen_agrees(key: PublicKey) -> None:
    """Where OpenSSH is installed, let it read the key too (RSA sizes, curve points)."""
    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".pub") as f:
        f.write(f"{key.type} {key.blob}\n")
        f.flush()
        done = subprocess.run([keygen, "-l", "-f", f.name], capture_output=True, text=True,
                              check=False)
    if done.returncode != 0 or key.fingerprint not in done.stdout:
        raise KeyProblem("ssh-keygen cannot read it: " +
                         (done.stderr.strip().splitlines() or ["not a public key"])[-1])


def managed(line: str) -> Entry | None:
    m = _MANAGED.fullmatch(line.rstrip("\n"))
    if m is None or m["type"] not in KEY_TYPES:
        return None
    return Entry(m["login"], PublicKey(m["type"], m["blob"], m["comment"] or ""))


def read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []


def entries(path: Path) -> list[Entry]:
    return [e for e in map(managed, read_lines(path)) if e is not None]


def installed_for(lines: list[str], key: PublicKey) -> str | None:
    """The login a key is installed for already (any line holding its blob), else None."""
    for line in lines:
        if key.blob in line.split():
            entry = managed(line)
            return entry.login if entry else "-"
    return None


def miteam_command() -> Path:
    """The `miteam` of this installation (the venv's), for the forced command."""
    beside = Path(sys.executable).parent / "miteam"
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside.absolute()
    found = shutil.which("miteam")
    if found is None:
        raise FileNotFoundError(str(beside))
    return Path(found).absolute()


def forced_line(command: Path, login: str, key: PublicKey, db: Path | None) -> str:
    words = [str(command), *(["--db", str(db.absolute())] if db else []), "shell", login]
    cmd = " ".join(shlex.quote(w) for w in words).replace("\\", "\\\\").replace('"', '\\"')
    line = f'command="{cmd}",restrict,pty {key.type} {key.blob}'
    return f"{line} {key.comment}" if key.comment else line


def write_lines(path: Path, lines: list[str]) -> None:
    """Replace the file atomically, mode 0600 (sshd's StrictModes wants no more)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".authorized_keys.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("".join(f"{ln}\n" for ln in lines))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
