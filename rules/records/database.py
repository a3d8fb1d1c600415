"""Where the operator's database lives, and the first run that fills it.

The shipped demo database is only ever read: a first run copies its records into the
user's data directory and registers the current login there as a support operator.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from ..paths import DEMO_DB
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


def create(path: Path, login: str, *, demo: bool, force: bool) -> Store:
    records = demo_records() if demo else {t: [] for t in TABLES}
    # A new data directory is the owner's alone: the records are every tenant's.
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    store = Store.create(path, records, overwrite=force)
    register_support(store, login)
    return store


def open_or_first_run(path: Path | None, login: str) -> Store:
    """Open the database at `path`; with no path, the user's own, created on first run."""
    if path is not None:
        return Store(path)
    path = default_db_path()
    if not path.exists():
        return create(path, login, demo=True, force=False)
    return Store(path)


def env_db_path() -> Path | None:
    value = os.environ.get("MITEAM_DB")
    return Path(value).expanduser() if value else None
