"""What every security test needs: the database's exact bytes, to prove an attack changed
nothing (not one record, not one journal line)."""

from __future__ import annotations

from pathlib import Path

import pytest


def database_bytes(db: Path) -> dict[str, bytes]:
    """Every file of the database at `db` (its journal, partitions, segments), by name.
    The lock file is left out: taking a lock is not a change."""
    files = [p for p in db.parent.rglob("*") if p.is_file()
             and p.name.startswith(db.name) and not p.name.endswith(".lock")]
    return {str(p.relative_to(db.parent)): p.read_bytes() for p in sorted(files)}


@pytest.fixture
def unchanged(demo_db: Path):
    """`with unchanged(): ...` fails if the database's bytes differ afterwards."""
    from contextlib import contextmanager

    @contextmanager
    def check():
        before = database_bytes(demo_db)
        assert before, f"no database files at {demo_db}"
        yield
        assert database_bytes(demo_db) == before, "the attack changed the database"
    return check
