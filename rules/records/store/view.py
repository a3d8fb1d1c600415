"""The read and write API the rest of the project uses: ``View`` and ``Tx``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from itertools import islice
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Document

from .engine import JournalStorage
from .tables import (
    INDEXES,
    TALLIES,
    Doc,
    StoreError,
    _clone,
    _hashable,
    _known,
    _seq_key,
    put_key,
)
from .tinydb_glue import JournalTable


class View:
    """Read access to the store's current state.

    A live window, not a copy: it shows the state as of the store's latest refresh
    (``Store.read()`` or a transaction). Returned dicts are the stored ones: read-only.
    """

    __slots__ = ("_s",)

    def __init__(self, storage: JournalStorage) -> None:
        self._s = storage

    @property
    def version(self) -> int:
        return self._s.state.version

    def get(self, table: str, key: str) -> Doc | None:
        _known(table)
        st = self._s.state
        if table == "audit":
            k = _seq_key(key)
            return None if k is None else st.tables[table].get(k)
        doc_id = st.ids[table].get(key) if isinstance(key, str) else None
        return None if doc_id is None else st.tables[table][doc_id]

    def all(self, table: str) -> list[Doc]:
        _known(table)
        return list(self._s.state.tables[table].values())

    def by(self, table: str, field: str, value: Any) -> list[Doc]:
        _known(table)
        st = self._s.state
        raw = st.tables[table]
        if field in INDEXES.get(table, ()) and _hashable(value):
            return [raw[k] for k in st.bucket(table, field, value)]
        if field == "id" and table in st.ids:
            doc_id = st.ids[table].get(value) if isinstance(value, str) else None
            return [] if doc_id is None else [raw[doc_id]]
        return [d for d in raw.values() if d.get(field) == value]

    def count(self, table: str, field: str | None = None, value: Any = None) -> int:
        _known(table)
        st = self._s.state
        if field is None:
            return len(st.tables[table])
        if field in INDEXES.get(table, ()) and _hashable(value):
            return len(st.bucket(table, field, value))
        return len(self.by(table, field, value))

    def count_flags(self, table: str, field: str, value: Any, flags: str) -> dict[str, int]:
        """Of the records whose ``field`` is ``value``: how many have each key of their
        dict field ``flags`` set. O(1) for a declared tally (TALLIES), else a scan."""
        _known(table)
        st = self._s.state
        if TALLIES.get(table) == (field, flags) and _hashable(value):
            return {k: n for k, n in st.tally(table, value).items() if n}
        counts: dict[str, int] = {}
        for doc in self.by(table, field, value):
            set_ = doc.get(flags)
            if isinstance(set_, dict):
                for flag, on in set_.items():
                    if on:
                        counts[flag] = counts.get(flag, 0) + 1
        return counts

    def tail(self, table: str, n: int, *, field: str | None = None, value: Any = None) -> list[Doc]:
        _known(table)
        if n <= 0:
            return []
        st = self._s.state
        raw = st.tables[table]
        it: Iterator[Doc]
        if field is None:
            it = reversed(raw.values())
        elif field in INDEXES.get(table, ()) and _hashable(value):
            it = (raw[k] for k in reversed(st.bucket(table, field, value)))
        else:
            it = (d for d in reversed(raw.values()) if d.get(field) == value)
        out = list(islice(it, n))
        out.reverse()
        return out


class Tx(View):
    """A transaction: reads see its own writes; written on leaving the ``with`` block."""

    __slots__ = ("_db", "_open")

    def __init__(self, storage: JournalStorage, db: TinyDB) -> None:
        super().__init__(storage)
        self._db = db
        self._open = True

    def _table(self, table: str) -> JournalTable:
        if not self._open:
            raise StoreError("this transaction has ended")
        _known(table)
        return cast(JournalTable, self._db.table(table))

    def put(self, table: str, doc: Mapping[str, Any]) -> None:
        tbl = self._table(table)
        key = put_key(table, doc)
        st = self._s.state
        doc_id = st.ids[table].get(key)
        if doc_id is not None and doc is st.tables[table][doc_id]:
            # The stored dict itself, most likely changed in place: that change would
            # bypass undo. A programming error, not a user-facing one.
            raise ValueError(
                "put() was given the stored record itself; records read from the store"
                " are read-only, put a changed copy"
            )
        copy = _clone(doc if type(doc) is dict else dict(doc))
        if doc_id is None:
            tbl.insert(copy)
        else:
            tbl.set_doc(int(doc_id), copy)

    def delete(self, table: str, key: str) -> None:
        tbl = self._table(table)
        st = self._s.state
        doc_id = _seq_key(key) if table == "audit" else st.ids[table].get(key)
        if doc_id is not None and doc_id in st.tables[table]:
            tbl.remove(doc_ids=[int(doc_id)])

    def append(self, table: str, doc: Mapping[str, Any]) -> int:
        tbl = self._table(table)
        if table != "audit":
            raise StoreError(f"append() is for the audit trail; {table} records use put()")
        if not isinstance(doc, Mapping):
            raise StoreError("an audit entry must be a dict")
        copy = _clone(doc if type(doc) is dict else dict(doc))
        seq = self._s.peek_next_id("audit")
        copy["seq"] = seq
        tbl.insert(Document(copy, seq))
        if isinstance(doc, MutableMapping):
            doc["seq"] = seq
        return seq

