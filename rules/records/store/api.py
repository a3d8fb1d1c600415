"""``Store``: the records of one database file; and whole-file helpers (read a backup,
dump records, the next ids)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from tinydb import TinyDB

from .engine import JournalStorage
from .files import _gc_paused, _write_file_atomically
from .journal import _last_journal_version
from .partitions import Lazy
from .state import _base_bytes, _read_base, _State
from .tables import _META, PARTITIONED, TABLES, Doc, StoreError, _clone, _known
from .tinydb_glue import _Database
from .view import Tx, View


class Store:
    """The records of one database file, shared with other processes on this host."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._db = _Database(self.path, storage=JournalStorage)
        self._storage = cast(JournalStorage, self._db.storage)

    @classmethod
    def create(
        cls, path: Path | str, records: Mapping[str, Iterable[Mapping[str, Any]]], *,
        overwrite: bool = False, next_id: Mapping[str, int] | None = None,
    ) -> Store:
        """Write a new database atomically and empty any old journal; then open it.

        ``next_id``: per table, ids already used (a restored backup's): never reissued."""
        path = Path(path)
        tables, next_id = _tables_from_records(records, next_id)
        if path.exists() and not overwrite:
            raise StoreError(f"{path}: a database already exists here", path)
        engine = JournalStorage(path, load=False)
        try:
            engine._lock_ex()
            try:
                if path.exists() and not overwrite:
                    raise StoreError(f"{path}: a database already exists here", path)
                engine._sweep()
                # Lines of an old journal must not replay onto the new base if we crash
                # before emptying it: give the base a version they all fall below.
                version = _last_journal_version(engine.journal_path)
                with _gc_paused():
                    engine.state = _State.from_base(
                        {_META: {"1": {"version": version, "next_id": next_id}}, **tables},
                        path)
                    # Every partition is written anew; an old database's files go.
                    engine._compact(hooks=False, keep_old=False)
            finally:
                engine._unlock()
        finally:
            engine.close()
        return cls(path)

    @property
    def version(self) -> int:
        return self._storage.state.version

    @property
    def tinydb(self) -> TinyDB:
        """The TinyDB over this store (queries, stock table methods).

        Its reads show the state as of the last ``read()`` or transaction; its writes
        are allowed only inside ``transaction()`` and are journaled like ``Tx`` writes.
        """
        return self._db

    def read(self) -> View:
        s = self._storage
        s.check_open()
        with s.mutex:
            if not s.in_tx_here():
                s.refresh(exclusive=False)
        return View(s)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Tx]:
        s = self._storage
        s.begin()
        tx = Tx(s, self._db)
        try:
            yield tx
        except BaseException:
            tx._open = False
            s.finish(ok=False)
            raise
        tx._open = False
        s.finish(ok=True)

    def compact(self) -> None:
        self._storage.compact()

    def migrate(self) -> Path | None:
        """Convert a single-file database to the partitioned layout now, as its first
        write would; returns where the single file as it was is kept (None: it was
        partitioned already)."""
        s = self._storage
        was = s.converted
        s.quiet = True
        try:
            with self.transaction():
                pass  # taking the write lock converts
        finally:
            s.quiet = False
        return s.converted if s.converted != was else None

    def backup(self, dest: Path | str) -> int:
        """Copy the database, consistently, to ``dest``: one compacted TinyDB JSON file
        (no journal), written atomically. The copy is taken under the lock (shared: other
        consoles keep reading, writers wait), so no commit is half in it. Returns the
        version copied."""
        dest = Path(dest)
        s = self._storage
        s.check_open()
        if dest.resolve() == self.path.resolve():
            raise StoreError(f"{dest}: that is the database itself", dest)
        with s.mutex:
            if s._tx is not None:
                raise StoreError("cannot back up inside a transaction")
            with s._shared():
                s.refresh(exclusive=True)  # the lock is held: reload without taking it
                for table in PARTITIONED:
                    s.whole(table)
                    s.state.ordered(table)
                st = s.state
                data = _base_bytes(st.tables, st.version, st.next_id)
                version = st.version
        _write_file_atomically(dest, data)
        return version

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, version={self.version})"


def _tables_from_records(
    records: Mapping[str, Iterable[Mapping[str, Any]]],
    used: Mapping[str, int] | None = None,
) -> tuple[dict[str, dict[str, Doc]], dict[str, int]]:
    if not isinstance(records, Mapping):
        raise StoreError("records must map table names to lists of records")
    tables: dict[str, dict[str, Doc]] = {t: {} for t in TABLES}
    for name, docs in records.items():
        _known(name)
        clones = []
        for doc in docs:
            if not isinstance(doc, Mapping):
                raise StoreError(f"a {name} record must be a dict")
            clones.append(_clone(doc if type(doc) is dict else dict(doc)))
        if name == "audit":
            seqs = [d["seq"] for d in clones if "seq" in d]
            if any(type(s) is not int or s < 1 for s in seqs) or len(set(seqs)) != len(seqs):
                raise StoreError("audit entries need distinct positive int 'seq' values")
            nxt = max(seqs, default=0) + 1
            for d in clones:
                if "seq" not in d:
                    d["seq"], nxt = nxt, nxt + 1
            tables[name] = {str(d["seq"]): d for d in sorted(clones, key=lambda d: d["seq"])}
        else:
            ids = [d.get("id") for d in clones]
            if not all(isinstance(i, str) for i in ids):
                raise StoreError(f"every {name} record needs a string 'id'")
            if len(set(ids)) != len(ids):
                raise StoreError(f"two {name} records have the same 'id'")
            tables[name] = {str(i): d for i, d in enumerate(clones, 1)}
    next_id = {t: max(max(map(int, tables[t]), default=0) + 1, (used or {}).get(t, 1))
               for t in TABLES}
    return tables, next_id


class _Snapshot(Lazy):
    """A loaded state without the store around it: what a View needs to read a file."""

    def __init__(self, state: _State) -> None:
        self.state = state


def read_file(path: Path | str) -> View:
    """A database file as it is on disk, its base (and partitions) alone: no journal
    read, no lock file made, nothing written. For checking a backup."""
    path = Path(path)
    with _gc_paused():
        return View(cast(JournalStorage, _Snapshot(_read_base(path))))


def next_ids(view: View) -> dict[str, int]:
    """Per table, the next doc id the store would issue (ids are never reused)."""
    return {t: n for t, n in view._s.state.next_id.items() if t in TABLES}


def records(view: View) -> dict[str, list[Doc]]:
    """A full dump, as copies, in the shape ``Store.create`` takes (backups, tests)."""
    return {t: [_clone(d) for d in view.all(t)] for t in TABLES}


def converted(store: Store) -> Path | None:
    """Where the single file was kept, if this store converted its database."""
    return store._storage.converted
