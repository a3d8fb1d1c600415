"""What the security tests share: the database's bytes (to prove an attack changed nothing),
running as an unprivileged login, and running a command the way an SSH login does."""

from __future__ import annotations

import os
import pwd
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from rules.cli import main
from tests.miteam_command import Result

# A real login that owns nothing here: the kernel says who the caller is, so the tests
# make the kernel's answer (geteuid) that of this login.
NOBODY = pwd.getpwnam("nobody")


def db_files(db: Path) -> dict[str, bytes]:
    """Every file of a database (base, journal, a big one's partitions and segments), byte
    for byte. The lock file is left out: taking a lock is not a change."""
    files = [p for p in db.parent.rglob("*") if p.is_file()
             and p.name.startswith(db.name) and not p.name.endswith(".lock")]
    return {str(p.relative_to(db.parent)): p.read_bytes() for p in sorted(files)}


@contextmanager
def unchanged(db: Path) -> Iterator[None]:
    """`with unchanged(db): ...` fails if the database's bytes differ afterwards."""
    before = db_files(db)
    assert before, f"no database files at {db}"
    yield
    assert db_files(db) == before, "the attack changed the database"


def as_nobody(monkeypatch: pytest.MonkeyPatch) -> str:
    """From here on the process's effective uid is `nobody`'s, as far as miteam can tell."""
    monkeypatch.setattr(os, "geteuid", lambda: NOBODY.pw_uid)
    return NOBODY.pw_name


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Result:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return Result(code, out.out, out.err)


def shell(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path,
          login: str, command: str | None, *service: str, **environ: str) -> Result:
    """`miteam --db DB [SERVICE...] shell LOGIN` as sshd runs it for a key pinned to LOGIN,
    with the person's command in SSH_ORIGINAL_COMMAND and whatever environment they sent."""
    if command is None:
        monkeypatch.delenv("SSH_ORIGINAL_COMMAND", raising=False)
    else:
        monkeypatch.setenv("SSH_ORIGINAL_COMMAND", command)
    today = os.environ.get("MITEAM_TODAY")
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    try:
        return run(capsys, "--db", str(db), *service, "shell", login)
    finally:
        # The shell drops MITEAM_*; the rest of the test keeps the pinned date.
        if today is not None:
            monkeypatch.setenv("MITEAM_TODAY", today)
