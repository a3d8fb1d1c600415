"""One consistent in-memory picture of the database: its tables (the partitioned ones as
far as they are loaded), the id and field indexes, the per-partition counts, and what the
files looked like when it was read."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from itertools import repeat
from pathlib import Path
from typing import Any

from .files import Sig, _sig, _why
from .journal import MAX_VERSION
from .layout import (
    PART_RE,
    group_of,
    join_part,
    part_of,
    split_part,
    valid_part_file,
    valid_shard_file,
)
from .tables import (
    _INDEXABLE,
    _KEY,
    _META,
    _MISSING,
    _PARTS,
    INDEXES,
    PARTITIONED,
    TABLES,
    TALLIES,
    Doc,
    StoreError,
    _doc_problem,
    _hashable,
    _is_key,
)

# _meta "layout": 1 (absent) is one file holding every table; 2 is the core plus
# partitions (see ``layout``).
LAYOUT = 2


def _base_bytes(tables: Mapping[str, Mapping[str, Doc]], version: int,
                next_id: Mapping[str, int]) -> bytes:
    """One self-contained file (layout 1: every table inline), as backups are."""
    payload: dict[str, Any] = {_META: {"1": {"version": version, "next_id": {
        t: n for t, n in next_id.items() if t != _PARTS}}}}
    payload.update((t, docs) for t, docs in tables.items() if t != _PARTS)
    # ASCII: stock TinyDB reads the file with the locale's encoding.
    return json.dumps(payload, separators=(",", ":")).encode("ascii")


def _core_bytes(tables: Mapping[str, Mapping[str, Doc]], version: int,
                next_id: Mapping[str, int], index: Mapping[str, Any]) -> bytes:
    """The core of a partitioned database: every table but the partitioned ones."""
    meta = {"version": version, "next_id": dict(next_id), "layout": LAYOUT,
            "index": dict(index)}
    payload: dict[str, Any] = {_META: {"1": meta}}
    payload.update((t, docs) for t, docs in tables.items() if t not in PARTITIONED)
    return json.dumps(payload, separators=(",", ":")).encode("ascii")


def _read_base(path: Path) -> _State:
    """The base (core) file alone, parsed and checked (no journal, no lock)."""
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


def check_table(name: str, table: Any, bad: Any) -> dict[str, Doc]:
    """A table as read from a file, checked (``bad(problem)`` makes the error), in doc id
    order."""
    if not isinstance(table, dict):
        raise bad(f"table {name!r} is not a JSON object")
    # Checked in bulk (C-level passes): opening 100k records must stay well under 1 s.
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
    return table


def _parts_problem(doc: Doc) -> str | None:
    table, _, group = str(doc.get("id")).partition(":")
    if table not in PARTITIONED or "-" in group or not PART_RE.fullmatch(group):
        return f"partition record {doc.get('id')!r} names no partition"
    files = doc.get("files")
    if not isinstance(files, dict) or not all(
            (c == "" or (c.isascii() and c.isdigit())) and valid_part_file(n)
            for c, n in files.items()):
        return f"partition {doc['id']!r} names files that are not a partition's"
    accounts = doc.get("accounts")
    if type(doc.get("n")) is not int or not isinstance(accounts, dict) or not all(
        isinstance(a, dict) and type(a.get("n")) is int and isinstance(a.get("flags"), dict)
        for a in accounts.values()
    ):
        return f"partition {doc['id']!r} has malformed counts"
    return None


def _index_problem(index: Any) -> str | None:
    if not isinstance(index, dict):
        return "the _meta index is malformed"
    for table, info in index.items():
        if table not in PARTITIONED or not isinstance(info, dict):
            return "the _meta index is malformed"
        n, files = info.get("n"), info.get("files")
        if type(n) is not int or n < 1 or not isinstance(files, dict) or not all(
            valid_shard_file(f) for f in files.values()
        ):
            return f"the _meta index of {table} is malformed"
    return None


class _State:
    """One consistent in-memory picture of the database, plus what the files looked like.

    The partitioned tables hold the records of the partitions loaded so far (``loaded``;
    all of them once ``complete``) plus every record changed since the core was written
    (``touched``: doc id -> the partition it was in at the core, None if new), whose
    content in memory always wins over its partition file's."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.layout = LAYOUT
        self.tables: dict[str, dict[str, Doc]] = {t: {} for t in (*TABLES, _PARTS)}
        # "id" -> doc id string, per table (audit needs none: its doc id is its seq).
        self.ids: dict[str, dict[str, str]] = {
            t: {} for t in (*TABLES, _PARTS) if _KEY[t] == "id"}
        # table -> field -> value -> ordered set of doc ids (a dict, for order and O(1)).
        self.ix: dict[str, dict[str, dict[Any, dict[str, None]] | None]] = {
            t: {f: {} for f in fields} for t, fields in INDEXES.items()
        }
        # Buckets that gained a doc id out of order; sorted lazily on the next read.
        self.unsorted: set[tuple[str, str, Any]] = set()
        # Tables whose records are not in doc id order (partitions loaded out of order).
        self.disordered: set[str] = set()
        self.loaded: dict[str, set[str]] = {t: set() for t in PARTITIONED}
        self.complete: dict[str, bool] = dict.fromkeys(PARTITIONED, True)
        self.touched: dict[str, dict[str, str | None]] = {t: {} for t in PARTITIONED}
        # The partitions those changes make compaction rewrite (which bounds its time);
        # None: not counted yet (replay does not hash every change: a writer asks).
        self.dirty_parts: dict[str, set[str]] | None = None
        # table -> {"n": shards, "files": {shard: file}}; and shards read so far.
        self.index: dict[str, dict[str, Any]] = {}
        self.shards: dict[tuple[str, int], dict[str, str]] = {}
        # _parts doc ids whose counts the open transaction changed, and made.
        self.tx_stats: set[str] = set()
        self.tx_new_stats: list[str] = []
        self._sound: set[str] = set()  # _parts ids checked (a changed doc is checked anew)
        self._asked: set[tuple[str, str]] = set()  # field indexes asked of once
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
        st = cls(path)
        version, next_id, layout, index = 0, {}, 1, {}
        if _META in data:
            meta = data[_META]
            doc = meta.get("1") if isinstance(meta, dict) else None
            version = doc.get("version", 0) if isinstance(doc, dict) else None
            next_id = doc.get("next_id", {}) if isinstance(doc, dict) else None
            layout = doc.get("layout", 1) if isinstance(doc, dict) else None
            if (
                type(version) is not int
                or version < 0
                or not isinstance(next_id, dict)
                or not all(type(n) is int for n in next_id.values())
                or layout not in (1, LAYOUT)
            ):
                raise bad("the _meta table is malformed")
            if version > MAX_VERSION:
                raise bad(f"the _meta version {version} is beyond what the journal can hold")
            if layout == LAYOUT:
                index = doc.get("index", {})
                problem = _index_problem(index)
                if problem:
                    raise bad(problem)
        st.layout = layout
        for name, table in data.items():
            if name == _META:
                continue
            if layout == 1 and name == _PARTS:
                raise bad("a _parts table without a partitioned layout")
            if layout == LAYOUT and name in PARTITIONED and table:
                raise bad(f"{name} records in the core file (they belong in partitions)")
            table = check_table(name, table, bad)
            st.tables[name] = table
            ids = list(map(int, table))
            st.next_id[name] = max(next_id.get(name, 1), max(ids, default=0) + 1)
        for name in st.tables:
            st.next_id.setdefault(name, max(next_id.get(name, 1), 1))
        if layout == LAYOUT:
            # Each partition's record is checked when first used (see _checked): there
            # are thousands, and a command uses a few.
            st.index = index
            st.complete = dict.fromkeys(PARTITIONED, False)
        for name in st.tables:
            problem = st.rebuild_index(name)
            if problem:
                raise bad(problem)
        if layout == 1:
            st.rebuild_stats()
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
                # Built when first asked (_build): a command reads one or two of them.
                self.ix[table][field] = None
        return problem

    def _build(self, table: str, field: str) -> dict[Any, dict[str, None]]:
        raw = self.ordered(table)
        buckets: dict[Any, dict[str, None]] = {}
        for key, value in zip(raw, map(dict.get, raw.values(), repeat(field)), strict=True):
            if isinstance(value, _INDEXABLE):
                bucket = buckets.get(value)
                if bucket is None:
                    buckets[value] = {key: None}
                else:
                    bucket[key] = None
        self.unsorted = {u for u in self.unsorted if u[:2] != (table, field)}
        self.ix[table][field] = buckets
        return buckets


    # -- per-partition counts: the core's _parts table

    def _checked(self, doc: Doc) -> Doc:
        if doc["id"] not in self._sound:
            problem = _parts_problem(doc)
            if problem:
                raise StoreError(f"{self.path}: not a valid database: {problem}", self.path)
            self._sound.add(doc["id"])
        return doc

    def stat_doc(self, table: str, group: str) -> Doc | None:
        """The _parts record of one account's partitions: their files and counts."""
        key = self.ids[_PARTS].get(f"{table}:{group}")
        return None if key is None else self._checked(self.tables[_PARTS][key])

    def part_file(self, table: str, part: str) -> str | None:
        group, chunk = split_part(part)
        doc = self.stat_doc(table, group)
        return None if doc is None else doc["files"].get(chunk)

    def parts_of(self, table: str, value: Any) -> list[str]:
        """The partitions with a file, of the records whose account is ``value``."""
        group = group_of(value)
        doc = self.stat_doc(table, group)
        return [] if doc is None else [join_part(group, c) for c in doc["files"]]

    def stat_docs(self, table: str) -> list[Doc]:
        prefix = table + ":"
        return [self._checked(d) for d in self.tables[_PARTS].values()
                if d["id"].startswith(prefix)]

    def _stat_doc_for(self, table: str, group: str) -> Doc:
        doc = self.stat_doc(table, group)
        if doc is None:
            key = str(self.next_id.setdefault(_PARTS, 1))
            self.next_id[_PARTS] = int(key) + 1
            doc = {"id": f"{table}:{group}", "files": {}, "n": 0, "accounts": {}}
            self.tables[_PARTS][key] = doc
            self.ids[_PARTS][doc["id"]] = key
            self.tx_new_stats.append(key)
        return doc

    def restat(self, table: str, changes: Iterable[tuple[str, Doc | None, Doc | None]]
               ) -> None:
        """Keep the partitions' counts current with changed records (old -> new)."""
        for key, old, new in changes:
            if old is not new:
                if old is not None:
                    self._count(table, key, old, -1)
                if new is not None:
                    self._count(table, key, new, 1)

    def _count(self, table: str, key: str, doc: Doc, sign: int) -> None:
        value = doc.get(PARTITIONED[table])
        stats = self._stat_doc_for(table, group_of(value))
        self.tx_stats.add(self.ids[_PARTS][stats["id"]])
        stats["n"] += sign
        if not isinstance(value, str):
            return
        accounts = stats["accounts"]
        acc = accounts.get(value)
        if acc is None:
            acc = accounts[value] = {"n": 0, "flags": {}}
        acc["n"] += sign
        tally = TALLIES.get(table)
        if tally is not None:
            set_ = doc.get(tally[1])
            if type(set_) is dict:
                flags = acc["flags"]
                for flag, on in set_.items():
                    if on:
                        n = flags.get(flag, 0) + sign
                        if n:
                            flags[flag] = n
                        else:
                            flags.pop(flag, None)
        if acc["n"] == 0 and not acc["flags"]:
            del accounts[value]

    def rebuild_stats(self) -> None:
        """Count every partition again from the records (all of them in memory)."""
        self.tables[_PARTS] = {}
        self.ids[_PARTS] = {}
        self.next_id[_PARTS] = 1
        for table in PARTITIONED:
            for key, doc in self.tables[table].items():
                self._count(table, key, doc, 1)
        self.tx_stats.clear()
        self.tx_new_stats.clear()

    def count_of(self, table: str, value: Any = _MISSING) -> int:
        """Records of a partitioned table (whose account is the string ``value``)."""
        if value is _MISSING:
            return sum(n for d in self.tables[_PARTS].values()
                       if d["id"].startswith(table + ":") and type(n := d.get("n")) is int)
        stats = self.stat_doc(table, group_of(value))
        acc = None if stats is None else stats["accounts"].get(value)
        return 0 if acc is None else acc["n"]

    def flags_of(self, table: str, value: str) -> dict[str, int]:
        stats = self.stat_doc(table, group_of(value))
        acc = None if stats is None else stats["accounts"].get(value)
        return {} if acc is None else {k: n for k, n in acc["flags"].items() if n}

    # -- changes

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
        return problem

    def _unbucket(self, table: str, field: str, value: Any, key: str) -> None:
        buckets = self.ix[table][field]
        if buckets is None:
            return  # not built yet: built from the records when first asked
        bucket = buckets.get(value)
        if bucket is not None:
            bucket.pop(key, None)
            if not bucket:
                del buckets[value]
                self.unsorted.discard((table, field, value))

    def _bucket_add(self, table: str, field: str, value: Any, key: str) -> None:
        buckets = self.ix[table][field]
        if buckets is None:
            return
        bucket = buckets.get(value)
        if bucket is None:
            buckets[value] = {key: None}
            return
        if bucket and int(next(reversed(bucket))) > int(key):
            self.unsorted.add((table, field, value))
        bucket[key] = None

    def bucket(self, table: str, field: str, value: Any) -> Mapping[str, None]:
        buckets = self.ix[table][field]
        if buckets is None:
            if (table, field) not in self._asked:
                # The first question is answered by a scan (a one-off command asks once,
                # and a scan is a tenth of building the index); the second builds it.
                self._asked.add((table, field))
                return {k: None for k, d in self.ordered(table).items()
                        if d.get(field) == value}
            buckets = self._build(table, field)
        bucket = buckets.get(value)
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


    def ordered(self, table: str) -> dict[str, Doc]:
        """The table's records in doc id order (sorted once after partitions loaded)."""
        if table in self.disordered:
            self.disordered.discard(table)
            self.sort_table(table)
        return self.tables[table]

    # -- replay

    def dirty(self, table: str, was: str | None, key: str, doc: Doc | None) -> None:
        """Note the partitions a change makes compaction rewrite (once a writer asked)."""
        if self.dirty_parts is None:
            return
        parts = self.dirty_parts.setdefault(table, set())
        if was is not None:
            parts.add(was)
        if doc is not None:
            parts.add(part_of(table, doc.get(PARTITIONED[table]), key))

    def dirty_count(self) -> int:
        if self.dirty_parts is None:
            self.dirty_parts = {}
            for table, touched in self.touched.items():
                raw = self.tables[table]
                for key, was in touched.items():
                    self.dirty(table, was, key, raw.get(key))
        return sum(map(len, self.dirty_parts.values()))

    def apply(self, ops: Iterable[list[Any]], version: int) -> None:
        changes: dict[str, list[tuple[str, Doc | None, Doc | None]]] = {}
        for op in ops:
            table, key, doc = op[0], op[1], op[2]
            raw = self.tables.setdefault(table, {})
            if table in PARTITIONED and self.layout == LAYOUT:
                touched = self.touched[table]
                if key not in touched:
                    if len(op) > 3:
                        touched[key] = op[3]
                    else:
                        # A line without the partition the record was in: find it.
                        from .partitions import load_all

                        if key not in raw:
                            load_all(self, table)
                        touched[key] = (part_of(table, raw[key].get(PARTITIONED[table]), key)
                                        if key in raw else None)
                self.dirty(table, touched[key], key, doc)
            old = raw.get(key)
            if table == _PARTS and doc is not None and "files" not in doc:
                # A journaled count: the files are the core's.
                doc = {**doc, "files": {} if old is None else old["files"]}
            if doc is None:
                raw.pop(key, None)
            else:
                if old is None and raw and int(next(reversed(raw))) > int(key):
                    self.disordered.add(table)  # its partition was not loaded
                raw[key] = doc
            changes.setdefault(table, []).append((key, old, doc))
            if table == _PARTS:
                if doc is not None:
                    self._sound.discard(doc.get("id"))
            k = int(key) + 1
            if k > self.next_id.get(table, 1):
                self.next_id[table] = k
        for table, items in changes.items():
            self.reindex_many(table, items)
        if self.layout == 1 and any(t in PARTITIONED for t in changes):
            self.rebuild_stats()
        self.version = version

class _TxState:
    __slots__ = ("undo", "next_id", "poison")

    def __init__(self, next_id: dict[str, int]) -> None:
        # (table, doc id) -> [content before the transaction, changed through put/delete]
        self.undo: dict[tuple[str, str], list[Any]] = {}
        self.next_id = next_id
        self.poison: str | None = None
