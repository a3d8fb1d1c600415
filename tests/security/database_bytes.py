"""What the security tests need: the database's exact bytes, to prove an attack changed
nothing (not one record, not one journal line)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def database_bytes(db: Path) -> dict[str, bytes]:
    """Every file of the database at `db` (its journal, partitions, segments), by name.
    The lock file is left out: taking a lock is not a change."""
    files = [p for p in db.parent.rglob("*") if p.is_file()
             and p.name.startswith(db.name) and not p.name.endswith(".lock")]
    return {str(p.relative_to(db.parent)): p.read_bytes() for p in sorted(files)}


@contextmanager
def unchanged(db: Path) -> Iterator[None]:
    """`with unchanged(db): ...` fails if the database's bytes differ afterwards."""
    before = database_bytes(db)
    assert before, f"no database files at {db}"
    yield
    assert database_bytes(db) == before, "the attack changed the database"
