"""File-level primitives: whole writes, fsyncs, atomic replacement, the fault hook that
the crash tests use, and the compaction bounds."""

from __future__ import annotations

import contextlib
import gc
import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from .tables import StoreError

# Compact when the journal passes either bound: replay time on open stays bounded (every
# command replays the journal; 256 kB take a few ms, and a compaction rewrites only what
# the journal changed).
COMPACT_BYTES = 256 * 1024
COMPACT_COMMITS = 10_000
# ... or when this many partitions wait to be rewritten: compaction holds the write lock
# while it writes them (about 5 s for 850 files on a loaded 2-core machine), and other
# writers wait for it, so it is done in bounded steps.
COMPACT_PARTS = 128

# Crash and fault tests set this; the commit path calls it with the name of each step
# ("journal-write", "journal-fsync", "compact-temp-write", "compact-fsync",
# "compact-replace", "compact-dirfsync", "journal-truncate") just before doing it; a
# backup copy likewise ("copy-temp-write", "copy-fsync", "copy-replace").
FAULT_HOOK: Callable[[str], None] | None = None


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def _fault(step: str) -> None:
    hook = FAULT_HOOK
    if hook is not None:
        hook(step)


def _write_fully(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_all(fd: int, data: bytes, step: str | None) -> None:
    # With a fault hook set, write half, call the hook, write the rest: a crash "at" this
    # step then leaves a torn write, as a kill in the middle of a write would.
    if step is not None and FAULT_HOOK is not None:
        half = len(data) // 2
        _write_fully(fd, data[:half])
        _fault(step)
        data = data[half:]
    _write_fully(fd, data)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # Loading allocates ~100k dicts; each generation-0 collection would rescan the
    # existing heap (30% of a reload's time at 100k users). Nothing cyclic is made here.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _pread_all(fd: int, size: int, offset: int) -> bytes:
    parts = []
    while size > 0:
        chunk = os.pread(fd, size, offset)
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return b"".join(parts)


def _fsync_dir(directory: Path) -> None:
    # Makes a rename or a new file's directory entry survive a power cut.
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


Sig = tuple[int, int, int, int]


def _sig(st: os.stat_result) -> Sig:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)



def _write_file_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: temp file beside it, fsync, rename, fsync dir."""
    directory = path.parent
    tmp = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            _write_all(fd, data, "copy-temp-write")
            _fault("copy-fsync")
            os.fsync(fd)
        finally:
            os.close(fd)
        _fault("copy-replace")
        os.replace(tmp, path)
        _fsync_dir(directory)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StoreError(f"could not write {path}: {_why(e)}", path) from None


def _keep_group(fd: int, like: Path) -> None:
    """Give a new file the group of ``like`` (the database): engineers who share the
    database through a group keep write access after one of them compacts or restores.
    Not possible for someone outside that group: then the file keeps its own."""
    try:
        gid = os.stat(like).st_gid
        if os.fstat(fd).st_gid != gid:
            os.fchown(fd, -1, gid)
    except OSError:
        pass
