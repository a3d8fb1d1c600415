"""Files in the user's cache directory that another process of ours may load: where they
live, whether one may be trusted, and how to write one so that two processes building it
at once never leave a torn file.

What is cached here (the checked rule set, Lark's parse tables) is loaded with pickle,
which runs code: only a regular file owned by us, in a directory owned by us, neither
writable by anyone else, is ever loaded. Anything else is ignored (it costs speed only).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path


def cache_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("miteam", appauthor=False))


def _ours(path: Path, kind: int) -> bool:
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return (stat.S_IFMT(st.st_mode) == kind and st.st_uid == os.getuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def trusted(path: Path) -> bool:
    """A cache file we may load: ours, in a directory of ours, writable by us alone."""
    return _ours(path.parent, stat.S_IFDIR) and _ours(path, stat.S_IFREG)


def ready_dir() -> Path | None:
    """The cache directory, made if need be; None if it cannot be trusted or made."""
    directory = cache_dir()
    with contextlib.suppress(OSError):
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory if _ours(directory, stat.S_IFDIR) else None


def temp_beside(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def publish(tmp: Path, final: Path) -> None:
    """Rename a fully written temp file over ``final`` (the last writer wins; both wrote
    the same thing). Failing costs only speed."""
    try:
        os.chmod(tmp, 0o600)
        os.replace(tmp, final)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write(final: Path, data: bytes) -> None:
    tmp = temp_beside(final)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return
    publish(tmp, final)
