"""What a database leaves on disk: its top-level files, and the partition and index files,
each of which must be named by the core (no file of a failed or dead compaction)."""

from __future__ import annotations

import json
import os
from pathlib import Path

# Every step of a commit and a compaction that the fault hook can fail or kill at.
JOURNAL_STEPS = ["journal-write", "journal-fsync"]
COMPACT_STEPS = ["parts-write", "parts-fsync", "compact-temp-write", "compact-fsync",
                 "compact-replace", "compact-dirfsync", "journal-truncate"]


def named(db: Path) -> set[str]:
    """The partition and index files the core names."""
    core = json.loads(db.read_text())
    names = {n for d in core.get("_parts", {}).values() for n in d["files"].values()}
    for info in core["_meta"]["1"].get("index", {}).values():
        names |= set(info["files"].values())
    return names


def db_files(db: Path, before: set[str] = frozenset()) -> list[str]:
    """The directory's names, after checking that the partition files are the ones the
    core names (and, kept for readers that hold it, ``before``: the replaced core's)."""
    now = named(db)
    parts = db.with_name(db.name + ".parts")
    on_disk = {f.name for f in parts.rglob("*") if f.is_file()} if parts.exists() else set()
    assert now <= on_disk <= now | before, (sorted(on_disk - now - before),
                                            sorted(now - on_disk))
    return sorted(os.listdir(db.parent))
