"""The read and write API the rest of the project uses: ``View`` and ``Tx``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from itertools import islice
from typing import Any, cast

from tinydb import TinyDB
from tinydb.table import Document

from .engine import JournalStorage
from .tables import (
    _KEY,
    INDEXES,
    PARTITIONED,
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
    The partitioned tables (users, audit) are read from their partitions as a question
    needs them: one account's, or all for a scan.
    """

    __slots__ = ("_s",)

    def __init__(self, storage: JournalStorage) -> None:
        self._s = storage

    @property
    def version(self) -> int:
        return self._s.state.version

    def _doc_id(self, table: str, key: Any) -> str | None:
        """The doc id of the record ``key`` (its id; audit: its seq), loading its
        partition if need be."""
        st = self._s.state
        if table == "audit":
            k = _seq_key(key)
            if k is not None and k not in st.tables[table] and not st.complete[table]:
                self._s.find(table, k)
                st = self._s.state
            return k if k is not None and k in st.tables[table] else None
        if not isinstance(key, str):
            return None
        doc_id = st.ids[table].get(key)
        if doc_id is None and table in PARTITIONED and not st.complete[table]:
            self._s.find(table, key)
            doc_id = self._s.state.ids[table].get(key)
        return doc_id

    def get(self, table: str, key: str) -> Doc | None:
        _known(table)
        doc_id = self._doc_id(table, key)
        return None if doc_id is None else self._s.state.tables[table][doc_id]

    def _whole(self, table: str) -> dict[str, Doc]:
        if table in PARTITIONED:
            self._s.whole(table)
        return self._s.state.ordered(table)

    def _scoped(self, table: str, field: str, value: Any) -> bool:
        """Whether the question is one partition's (then it is loaded)."""
        if PARTITIONED.get(table) != field or not _hashable(value):
            return False
        self._s.part(table, value)
        return True

    def all(self, table: str) -> list[Doc]:
        _known(table)
        return list(self._whole(table).values())

    def by(self, table: str, field: str, value: Any) -> list[Doc]:
        _known(table)
        if field == "id" and _KEY[table] == "id":
            doc = self.get(table, value)
            return [] if doc is None else [doc]
        if table in PARTITIONED and not self._scoped(table, field, value):
            self._whole(table)
        st = self._s.state
        raw = st.tables[table]
        if field in INDEXES.get(table, ()) and _hashable(value):
            return [raw[k] for k in st.bucket(table, field, value)]
        return [d for d in st.ordered(table).values() if d.get(field) == value]

    def count(self, table: str, field: str | None = None, value: Any = None) -> int:
        _known(table)
        st = self._s.state
        if table in PARTITIONED and not st.complete[table]:
            if field is None:
                return st.count_of(table)
            if field == PARTITIONED[table] and isinstance(value, str):
                return st.count_of(table, value)
        if field is None:
            return len(st.tables[table])
        if field in INDEXES.get(table, ()) and _hashable(value):
            if table in PARTITIONED:
                self._scoped(table, field, value)
            return len(self._s.state.bucket(table, field, value))
        return len(self.by(table, field, value))

    def count_flags(self, table: str, field: str, value: Any, flags: str) -> dict[str, int]:
        """Of the records whose ``field`` is ``value``: how many have each key of their
        dict field ``flags`` set. O(1) for a declared tally (TALLIES), else a scan."""
        _known(table)
        if TALLIES.get(table) == (field, flags) and isinstance(value, str):
            return self._s.state.flags_of(table, value)
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
        it: Iterator[Doc]
        if field is not None and field in INDEXES.get(table, ()) and _hashable(value):
            if table in PARTITIONED and not self._scoped(table, field, value):
                self._whole(table)
            st = self._s.state
            raw = st.tables[table]
            it = (raw[k] for k in reversed(st.bucket(table, field, value)))
        else:
            docs = self._whole(table)
            it = reversed(docs.values())
            if field is not None:
                it = (d for d in it if d.get(field) == value)
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
        doc_id = self._doc_id(table, key)
        st = self._s.state
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
        doc_id = self._doc_id(table, key)
        if doc_id is not None:
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

