"""One consistent in-memory picture of the database: its tables, the id and field
indexes, the per-account tallies, and what the files looked like when it was read."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from itertools import repeat
from pathlib import Path
from typing import Any

from .files import Sig, _sig, _why
from .journal import MAX_VERSION
from .tables import (
    _INDEXABLE,
    _KEY,
    _META,
    _MISSING,
    INDEXES,
    TABLES,
    TALLIES,
    Doc,
    StoreError,
    _doc_problem,
    _hashable,
    _is_key,
)


def _base_bytes(tables: Mapping[str, Mapping[str, Doc]], version: int,
                next_id: Mapping[str, int]) -> bytes:
    payload: dict[str, Any] = {_META: {"1": {"version": version, "next_id": dict(next_id)}}}
    payload.update(tables)
    # ASCII: stock TinyDB reads the file with the locale's encoding.
    return json.dumps(payload, separators=(",", ":")).encode("ascii")


def _read_base(path: Path) -> _State:
    """The base file alone, parsed and checked (no journal, no lock)."""
    try:
        with open(path, "rb") as f:
            sig = _sig(os.fstat(f.fileno()))
            raw = f.read()
    except FileNotFoundError:
        raise StoreError(f"{path}: no database here (file not found)", path) from None
    except OSError as e:
        raise StoreError(f"{path}: cannot read the database: {_why(e)}", path) from None
    if not raw.strip():
        raise StoreError(f"{path}: not a valid database: the file is empty", path)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        raise StoreError(
            f"{path}: not a valid database: not JSON ({e.msg} at line {e.lineno},"
            f" column {e.colno})",
            path,
        ) from None
    except ValueError:
        raise StoreError(f"{path}: not a valid database: not UTF-8 text", path) from None
    except RecursionError:
        raise StoreError(f"{path}: not a valid database: JSON nested too deeply", path
                         ) from None
    st = _State.from_base(data, path)
    st.base_sig = sig
    return st


class _State:
    """One consistent in-memory picture of the database, plus what the files looked like."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Doc]] = {t: {} for t in TABLES}
        # "id" -> doc id string, per table (audit needs none: its doc id is its seq).
        self.ids: dict[str, dict[str, str]] = {t: {} for t in TABLES if _KEY[t] == "id"}
        # table -> field -> value -> ordered set of doc ids (a dict, for order and O(1)).
        self.ix: dict[str, dict[str, dict[Any, dict[str, None]]]] = {
            t: {f: {} for f in fields} for t, fields in INDEXES.items()
        }
        # table -> index value -> flag -> how many records have it set (see TALLIES).
        self.tallies: dict[str, dict[Any, dict[str, int]]] = {t: {} for t in TALLIES}
        # Buckets that gained a doc id out of order; sorted lazily on the next read.
        self.unsorted: set[tuple[str, str, Any]] = set()
        self.version = 0
        self.base_version = 0
        self.next_id: dict[str, int] = {}
        self.base_sig: Sig | None = None
        self.j_sig: Sig | None = None
        self.j_ino: int | None = None
        self.j_end = 0  # end of the last valid journal line
        self.j_last: tuple[int, bytes] | None = None  # (start, prefix) of that line
        self.j_torn = False

    @classmethod
    def from_base(cls, data: Any, path: Path) -> _State:
        def bad(problem: str) -> StoreError:
            return StoreError(f"{path}: not a valid database: {problem}", path)

        if not isinstance(data, dict):
            raise bad("the top level is not a JSON object")
        st = cls()
        version, next_id = 0, {}
        if _META in data:
            meta = data[_META]
            doc = meta.get("1") if isinstance(meta, dict) else None
            version = doc.get("version", 0) if isinstance(doc, dict) else None
            next_id = doc.get("next_id", {}) if isinstance(doc, dict) else None
            if (
                type(version) is not int
                or version < 0
                or not isinstance(next_id, dict)
                or not all(type(n) is int for n in next_id.values())
            ):
                raise bad("the _meta table is malformed")
            if version > MAX_VERSION:
                raise bad(f"the _meta version {version} is beyond what the journal can hold")
        for name, table in data.items():
            if name == _META:
                continue
            if not isinstance(table, dict):
                raise bad(f"table {name!r} is not a JSON object")
            # Checked in bulk (C-level passes): opening 100k users must stay well under 1 s.
            try:
                ids = list(map(int, table))
            except ValueError:
                ids = []
            if len(ids) != len(table) or any(map(str.__ne__, map(str, ids), table)) or (
                ids and min(ids) < 0
            ):
                key = next(k for k in table if not _is_key(k))
                raise bad(f"table {name!r} has a record under {key!r}, not a number")
            if table and set(map(type, table.values())) != {dict}:
                key = next(k for k, d in table.items() if not isinstance(d, dict))
                raise bad(f"{name} record #{key} is not a JSON object")
            if name in _KEY:
                # C-level passes first; the slow loop only finds which record is wrong.
                field = _KEY[name]
                values = list(map(dict.get, table.values(), repeat(field)))
                if field == "id":
                    fine = not values or set(map(type, values)) == {str}
                else:
                    fine = (not values or set(map(type, values)) == {int}) and values == ids
                if not fine:
                    for key, doc in table.items():
                        problem = _doc_problem(name, key, doc)
                        if problem:
                            raise bad(problem)
            if any(map(int.__gt__, ids, ids[1:])):
                # Insertion order is doc id order everywhere else; restore it.
                table = dict(sorted(table.items(), key=lambda kv: int(kv[0])))
            st.tables[name] = table
            st.next_id[name] = max(next_id.get(name, 1), max(ids, default=0) + 1)
        for name in st.tables:
            st.next_id.setdefault(name, max(next_id.get(name, 1), 1))
        for name in st.tables:
            problem = st.rebuild_index(name)
            if problem:
                raise bad(problem)
        st.version = st.base_version = version
        return st

    # -- indexes

    def rebuild_index(self, table: str) -> str | None:
        """Index a whole table; its docs must be in doc id order (buckets then are too)."""
        raw = self.tables.get(table, {})
        self.unsorted = {u for u in self.unsorted if u[0] != table}
        problem = None
        if table in self.ids:
            ids: dict[str, str] = dict(zip(map(dict.get, raw.values(), repeat("id")), raw,
                                           strict=True))
            if len(ids) != len(raw):
                # A duplicate id: the first record keeps it, and it is reported.
                ids = {}
                for key, doc in raw.items():
                    if ids.setdefault(doc["id"], key) != key:
                        problem = problem or f"two {table} records have the id {doc['id']!r}"
            self.ids[table] = ids
        if table in self.ix:
            for field in INDEXES[table]:
                buckets: dict[Any, dict[str, None]] = {}
                for key, value in zip(raw, map(dict.get, raw.values(), repeat(field)),
                                      strict=True):
                    if isinstance(value, _INDEXABLE):
                        bucket = buckets.get(value)
                        if bucket is None:
                            buckets[value] = {key: None}
                        else:
                            bucket[key] = None
                self.ix[table][field] = buckets
        if table in TALLIES:
            self.tallies[table] = {}  # counted again on demand
        return problem

    def tally(self, table: str, value: Any) -> dict[str, int]:
        """The counts of TALLIES[table] for one index value: counted over its bucket the
        first time (opening stays cheap), then kept current by every change."""
        tallies = self.tallies[table]
        counts = tallies.get(value)
        if counts is None:
            field, flags = TALLIES[table]
            counts = {}
            raw = self.tables[table]
            for key in self.bucket(table, field, value):
                set_ = raw[key].get(flags)
                if type(set_) is dict:
                    for flag, on in set_.items():
                        if on:
                            counts[flag] = counts.get(flag, 0) + 1
            tallies[value] = counts
        return counts

    def _tally(self, table: str, doc: Doc, sign: int) -> None:
        field, flags = TALLIES[table]
        value, set_ = doc.get(field), doc.get(flags)
        if type(set_) is not dict or not isinstance(value, _INDEXABLE):
            return
        counts = self.tallies[table].get(value)
        if counts is None:
            return  # not counted yet: counted from the records when first asked
        for flag, on in set_.items():
            if on:
                counts[flag] = counts.get(flag, 0) + sign

    def reindex(self, table: str, key: str, old: Doc | None, new: Doc | None) -> str | None:
        """Move doc ``key`` in the indexes from its ``old`` to its ``new`` content."""
        return self.reindex_many(table, [(key, old, new)])

    def reindex_many(self, table: str, changes: Iterable[tuple[str, Doc | None, Doc | None]]
                     ) -> str | None:
        """Reindex several docs of one table; returns a problem (a duplicate id)."""
        changes = list(changes)
        problem = None
        ids = self.ids.get(table)
        if ids is not None:
            # All out, then all in: an id that moved to another doc id (deleted, then
            # put again) must not collide with itself.
            for key, old, _new in changes:
                if old is not None and ids.get(old["id"]) == key:
                    del ids[old["id"]]
            for key, _old, new in changes:
                if new is not None:
                    owner = ids.setdefault(new["id"], key)
                    if owner != key:
                        problem = problem or f"two {table} records have the id {new['id']!r}"
        for field in INDEXES.get(table, ()):
            for key, old, new in changes:
                ov = _MISSING if old is None else old.get(field)
                nv = _MISSING if new is None else new.get(field)
                if ov is nv or (ov is not _MISSING and nv is not _MISSING and ov == nv):
                    continue  # unchanged: keep its place in the bucket
                if ov is not _MISSING and _hashable(ov):
                    self._unbucket(table, field, ov, key)
                if nv is not _MISSING and _hashable(nv):
                    self._bucket_add(table, field, nv, key)
        if table in TALLIES:
            for _key, old, new in changes:
                if old is not new:
                    if old is not None:
                        self._tally(table, old, -1)
                    if new is not None:
                        self._tally(table, new, 1)
        return problem

    def _unbucket(self, table: str, field: str, value: Any, key: str) -> None:
        buckets = self.ix[table][field]
        bucket = buckets.get(value)
        if bucket is not None:
            bucket.pop(key, None)
            if not bucket:
                del buckets[value]
                self.unsorted.discard((table, field, value))

    def _bucket_add(self, table: str, field: str, value: Any, key: str) -> None:
        buckets = self.ix[table][field]
        bucket = buckets.get(value)
        if bucket is None:
            buckets[value] = {key: None}
            return
        if bucket and int(next(reversed(bucket))) > int(key):
            self.unsorted.add((table, field, value))
        bucket[key] = None

    def bucket(self, table: str, field: str, value: Any) -> Mapping[str, None]:
        bucket = self.ix[table][field].get(value)
        if bucket is None:
            return {}
        if self.unsorted and (table, field, value) in self.unsorted:
            bucket = dict.fromkeys(sorted(bucket, key=int))
            self.ix[table][field][value] = bucket
            self.unsorted.discard((table, field, value))
        return bucket

    def sort_table(self, table: str) -> None:
        raw = self.tables[table]
        items = sorted(raw.items(), key=lambda kv: int(kv[0]))
        raw.clear()
        raw.update(items)

    # -- replay

    def apply(self, ops: Iterable[list[Any]], version: int) -> None:
        changes: dict[str, list[tuple[str, Doc | None, Doc | None]]] = {}
        for table, key, doc in ops:
            raw = self.tables.setdefault(table, {})
            old = raw.get(key)
            if doc is None:
                raw.pop(key, None)
            else:
                raw[key] = doc
            changes.setdefault(table, []).append((key, old, doc))
            k = int(key) + 1
            if k > self.next_id.get(table, 1):
                self.next_id[table] = k
        for table, items in changes.items():
            self.reindex_many(table, items)
        self.version = version


class _TxState:
    __slots__ = ("undo", "next_id", "poison")

    def __init__(self, next_id: dict[str, int]) -> None:
        # (table, doc id) -> [content before the transaction, changed through put/delete]
        self.undo: dict[tuple[str, str], list[Any]] = {}
        self.next_id = next_id
        self.poison: str | None = None
