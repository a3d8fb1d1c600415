"""TinyDB's extension points: the table mapping handed to TinyDB's updaters, and the
``Table`` class whose writes touch only the changed documents."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import TYPE_CHECKING, Any, cast

from tinydb import TinyDB
from tinydb.table import Table
from tinydb.utils import LRUCache

from .tables import _META, _PARTS, PARTITIONED, Doc, StoreError, _clone, _doc_problem, _is_key

if TYPE_CHECKING:
    from .engine import JournalStorage


class _TrackedDocs(MutableMapping[int, Doc]):
    """The table mapping handed to TinyDB's updaters: records what they touch.

    Stock ``Table._update_table`` rebuilds the whole table dict around every updater
    (O(n)); this mapping works on the stored dict in place and notes each touched doc id
    with its prior content, for undo, indexes and the journal.
    """

    def __init__(self, storage: JournalStorage, table: str) -> None:
        storage.require_tx()
        if table in (_META, _PARTS):
            raise StoreError(f"the {table} table belongs to the store")
        self._storage = storage
        self._table = table
        self._st = storage.state
        self._raw = self._st.tables.setdefault(table, {})
        self._before: dict[str, Doc | None] = {}  # content before this update call

    def _touch(self, key: str, put: bool) -> None:
        if key not in self._before:
            self._before[key] = self._raw.get(key)
        self._storage.note(self._table, key, put)

    def __getitem__(self, doc_id: int) -> Doc:
        key = str(doc_id)
        doc = self._raw[key]
        # Stock updaters change documents in place: hand out a copy and keep the stored
        # object intact, so undo and the indexes still know the old values.
        self._touch(key, False)
        copy = _clone(doc)
        self._raw[key] = copy
        return copy

    def __setitem__(self, doc_id: int, doc: Mapping[str, Any]) -> None:
        key = str(doc_id)
        if not _is_key(key):
            raise StoreError(f"bad document id {doc_id!r}")
        doc = doc if type(doc) is dict else dict(doc)
        problem = _doc_problem(self._table, key, doc)
        if problem:
            raise StoreError(problem)
        k = int(key)
        next_id = self._st.next_id.get(self._table, 1)
        if key not in self._raw and k < next_id:
            raise StoreError(f"{self._table} document id {k} was used before; ids are never reused")
        self._touch(key, True)
        self._raw[key] = cast(Doc, doc)
        if k >= next_id:
            self._st.next_id[self._table] = k + 1

    def __delitem__(self, doc_id: int) -> None:
        key = str(doc_id)
        if key not in self._raw:
            raise KeyError(doc_id)
        self._touch(key, True)
        del self._raw[key]

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        # A snapshot: stock updaters delete while iterating.
        return iter([int(k) for k in self._raw])

    def __len__(self) -> int:
        return len(self._raw)

    def finish(self) -> str | None:
        """Bring the indexes up to date with this call's changes; returns a problem."""
        problem = None
        changes = []
        for key, old in self._before.items():
            new = self._raw.get(key)
            if new is not None and new is not old:
                p = _doc_problem(self._table, key, new)
                if p:
                    # Changed in place into something the store cannot key: undo that doc.
                    if old is None:
                        del self._raw[key]
                    else:
                        self._raw[key] = old
                    new, problem = old, problem or p
            changes.append((key, old, new))
        problem = self._st.reindex_many(self._table, changes) or problem
        if self._table in PARTITIONED:
            self._st.restat(self._table, changes)
        if problem:
            self._storage.poison(problem)
        return problem


class _NoQueryCache(LRUCache):
    # Other processes' commits change tables behind TinyDB's back (a refresh does not
    # go through the Table), so a cached search() result could be stale: cache nothing.
    def __init__(self, capacity: int | None = None) -> None:
        super().__init__(capacity=0)


class JournalTable(Table):
    """``TinyDB.table_class`` for the store: writes touch only the changed documents."""

    query_cache_class = _NoQueryCache

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        docs = _TrackedDocs(cast("JournalStorage", self._storage), self.name)
        try:
            updater(cast(dict[int, Mapping], docs))
        finally:
            problem = docs.finish()
            self.clear_cache()
        if problem:
            raise StoreError(problem)

    def _get_next_id(self) -> int:
        # Peek only: the id is consumed when a document is stored under it. The counter
        # lives in _meta and never goes back, so ids of removed documents are not reused.
        return cast("JournalStorage", self._storage).peek_next_id(self.name)

    def set_doc(self, doc_id: int, doc: Doc) -> None:
        """Store ``doc`` under ``doc_id``, replacing what is there."""
        self._update_table(lambda docs: docs.__setitem__(doc_id, doc))


class _Database(TinyDB):
    table_class = JournalTable

