"""Salvage a journal damaged in the middle: keep its valid prefix, set the rest aside.

Nothing is thrown away: the bytes cut from the journal go to a side file beside it
(``PATH.journal.damaged-<time>``, written and fsynced before the journal is cut), so an
engineer can inspect them or put back what was good.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from .engine import JournalStorage
from .files import _fsync_dir, _why, _write_file_atomically
from .journal import _BadLine, _decode_line
from .state import _read_base
from .tables import StoreError


@dataclass(frozen=True)
class Repair:
    kept: int  # journal lines kept (valid and in sequence)
    cut_bytes: int  # bytes set aside (0: nothing was wrong)
    side_file: Path | None  # where they went
    problem: str | None  # what was wrong with the first line cut, and where


def repair(path: Path | str) -> Repair:
    """Under the exclusive lock: find the journal's longest valid prefix that follows on
    from the base, move everything after it to a side file, cut the journal there."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"{path}: no database here (file not found)", path)
    engine = JournalStorage(path, load=False)
    try:
        engine._lock_ex()
        try:
            return _repair_locked(engine)
        finally:
            engine._unlock()
    finally:
        engine.close()


def _repair_locked(engine: JournalStorage) -> Repair:
    base = _read_base(engine.path)  # a damaged base is not ours to fix: reported
    journal = engine.journal_path
    try:
        data = journal.read_bytes()
    except FileNotFoundError:
        return Repair(0, 0, None, None)
    except OSError as e:
        raise StoreError(f"{journal}: cannot read the journal: {_why(e)}", journal) from None
    pos, kept, expected, problem = 0, 0, base.version + 1, None
    seen_new = False
    while pos < len(data):
        nl = data.find(b"\n", pos)
        if nl < 0:
            problem = f"line {kept + 1}: a torn last line (no newline)"
            break
        try:
            v, _ops, _prefix = _decode_line(data[pos:nl])
        except _BadLine as e:
            problem = f"line {kept + 1}: {e}"
            break
        if not seen_new and v <= base.base_version:
            pass  # already folded into the base by a compaction that died
        elif v != expected:
            problem = f"line {kept + 1}: version {v} follows version {expected - 1}"
            break
        else:
            seen_new, expected = True, expected + 1
        kept += 1
        pos = nl + 1
    if problem is None:
        return Repair(kept, 0, None, None)
    cut = data[pos:]
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    side = journal.with_name(f"{journal.name}.damaged-{stamp}-{os.getpid()}")
    _write_file_atomically(side, cut)
    try:
        fd = os.open(journal, os.O_WRONLY | os.O_CLOEXEC)
        try:
            os.ftruncate(fd, pos)
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(journal.parent)
    except OSError as e:
        raise StoreError(f"could not cut the journal {journal}: {_why(e)}", journal) from None
    return Repair(kept, len(cut), side, problem)
