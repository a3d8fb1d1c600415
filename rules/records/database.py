"""Where the operator's database lives, and the first run that fills it.

The shipped demo database is only ever read: a first run copies its records into the
user's data directory and registers the current login there as a support operator.

A database is named by a path (the embedded TinyDB store) or by a ``postgresql://`` URL
(the PostgreSQL backend, ``records.postgres``); ``open_store`` and ``create_store`` are
the one place that tells them apart.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from ..paths import DEMO_DB
from .postgres.connect import is_url
from .store import TABLES, Store, StoreError

DB_FILENAME = "miteam.json"


def default_db_path() -> Path:
    return Path(platformdirs.user_data_dir("miteam", appauthor=False)) / DB_FILENAME


def demo_records() -> dict[str, list[dict]]:
    """The demo database's records, read from the shipped file (TinyDB's JSON layout)."""
    try:
        raw = json.loads(DEMO_DB.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(f"{DEMO_DB}: the shipped demo database cannot be read: {exc}") from None
    return {t: list(raw.get(t, {}).values()) for t in TABLES}


def register_support(store: Store, login: str) -> bool:
    """Make `login` a support operator unless it is registered already."""
    with store.transaction() as tx:
        if tx.get("operators", login) is not None:
            return False
        tx.put("operators", {"id": login, "name": login, "role": "support",
                             "partner": None, "account": None})
        return True


Target = Path | str  # a file, or a postgresql:// URL


def open_store(target: Target) -> Any:
    """The store at `target`: a PostgreSQL database for a URL, else the file."""
    if is_url(target):
        from .postgres import PgStore

        return PgStore(str(target))
    return Store(target)


def create_store(target: Target, records: dict[str, list[dict]], *, overwrite: bool = False,
                 next_id: dict[str, int] | None = None) -> Any:
    """A new database at `target` holding `records` (see `Store.create`)."""
    if is_url(target):
        from .postgres import PgStore

        return PgStore.create(str(target), records, overwrite=overwrite, next_id=next_id)
    path = Path(target)
    # A new data directory is the owner's alone: the records are every tenant's.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return Store.create(path, records, overwrite=overwrite, next_id=next_id)


def describe(target: Target) -> str:
    """How messages name `target`: a file's path; a server, never a URL's password."""
    if is_url(target):
        from .postgres import server_name

        return server_name(str(target))
    return str(target)


def name_of(target: Target) -> str:
    """A database's short name for audit entries: the file's name, or the server's
    database (``PostgreSQL host:port/db``, never a password)."""
    return describe(target) if is_url(target) else Path(target).name


def next_ids(view: Any) -> dict[str, int]:
    """Per table, the next id the store would issue (ids are never reused)."""
    own = getattr(view, "next_ids", None)
    if own is not None:
        return own()
    from .store import next_ids as embedded

    return embedded(view)


def create(path: Target, login: str, *, demo: bool, force: bool) -> Any:
    records = demo_records() if demo else {t: [] for t in TABLES}
    store = create_store(path, records, overwrite=force)
    register_support(store, login)
    return store


def open_or_first_run(path: Target | None, login: str) -> Any:
    """Open the database at `path`; with no path, the user's own, created on first run."""
    if path is not None:
        return open_store(path)
    path = default_db_path()
    if not path.exists():
        return create(path, login, demo=True, force=False)
    return Store(path)


def target(value: str | None) -> Target | None:
    """A `--db` or MITEAM_DB value: a URL as it is, a path with ~ expanded."""
    if not value:
        return None
    return value if is_url(value) else Path(value).expanduser()


def env_db_path() -> Target | None:
    return target(os.environ.get("MITEAM_DB"))


def exists(target: Target) -> bool:
    """Whether `target` holds a database (for a URL: an initialised one with records)."""
    if not is_url(target):
        return Path(target).exists()
    from .postgres import PgStore

    store = PgStore(str(target), check=False)
    try:
        return store.has_records()
    finally:
        store.close()

