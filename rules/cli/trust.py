"""Who is calling, and whether the files that decide can be trusted (the sshd model).

- The local identity is the kernel's: the effective uid's login, never `USER`, `LOGNAME`
  or any other environment variable (those are the caller's to set).
- The administrator is whoever owns the database file (or root): they can edit the file
  anyway, so they may act as any operator (`--operator`), audited with both identities.
- StrictModes: a database, its directory, a configured rule file or directory, or the
  config file that others than the owner (and the owner's private group) can write is
  refused before anything is read, naming the file and the fix.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from pathlib import Path

from ..errors import BadInput
from ..i18n import t
from ..records.postgres.connect import is_url


def os_login() -> str:
    """The login of the effective uid, from the password database."""
    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no passwd entry (some containers): its number
        return str(uid)


def _existing(path: Path) -> Path:
    """`path`, or the nearest directory above it that exists (a database yet to create)."""
    path = path.absolute()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def is_administrator(db_path: Path | str) -> bool:
    """Root, or the owner of the database (of the directory it will be made in). For a
    PostgreSQL database: whoever holds working credentials for it, who can change its
    tables directly anyway (as a file's owner can edit the file); the engineers of a
    licensing host log in through `miteam shell`, pinned, and never hold them."""
    if is_url(db_path):
        return True
    uid = os.geteuid()
    return uid == 0 or _existing(Path(db_path)).stat().st_uid == uid


def _private_group(st: os.stat_result) -> bool:
    """The owner's own group, with no other members (a Debian "user private group")."""
    try:
        owner = pwd.getpwuid(st.st_uid)
        group = grp.getgrgid(st.st_gid)
    except KeyError:
        return False
    return (st.st_gid == owner.pw_gid and group.gr_name == owner.pw_name
            and not [m for m in group.gr_mem if m != owner.pw_name])


def loose(path: Path) -> bool:
    """True when someone other than the owner (and root) may write `path`."""
    st = path.stat()
    if st.st_mode & stat.S_IWOTH:
        return True
    return bool(st.st_mode & stat.S_IWGRP) and not _private_group(st)


def require_strict(paths: list[Path], lang: str) -> None:
    """Refuse (exit 2) if any existing file or directory among `paths`, or the directory
    of a file among them, is writable by others than its owner."""
    seen: set[Path] = set()
    for path in paths:
        path = path.expanduser().absolute()
        for p in (path, path.parent) if not path.is_dir() else (path,):
            if p in seen or not p.exists():
                continue
            seen.add(p)
            if loose(p):
                raise BadInput(t("strict_modes", lang, path=p))
        if path.is_dir():  # a rules directory: each rule file in it too
            for f in sorted(path.glob("*.rules")):
                if loose(f):
                    raise BadInput(t("strict_modes", lang, path=f))
