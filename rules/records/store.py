"""The record store: TinyDB records shared safely by several consoles on one host.

Why not stock TinyDB: it rewrites the whole JSON file on every write (0.4 s per update at
100k users), has no locking, and two writers corrupt its file. This store keeps TinyDB's
file format and plugs into TinyDB's own extension points: ``JournalStorage`` (a
``Storage``) holds the database in memory and journals changes; ``JournalTable`` (our
``TinyDB.table_class``) overrides ``_update_table`` so that a write touches only the
changed documents and records which document ids are dirty.

Files, for a database at PATH (all in one directory):

- ``PATH``: the base. TinyDB's own JSON (``{"table": {"<doc_id>": {...}}}``) plus a
  ``_meta`` table (``{"1": {"version": N, "next_id": {table: int}}}``), so stock
  ``TinyDB(PATH)`` opens it. Only ever replaced whole: temp file, fsync, os.replace,
  fsync of the directory.
- ``PATH.journal``: append-only, one line per commit,
  ``{"v":N,"crc":C,"ops":[[table, doc_id, doc-or-null], ...]}`` where C is the CRC-32
  of the ops text. The state is the base plus every line with v > the base's version.
- ``PATH.lock``: empty. ``fcntl.flock`` on it serialises writers; the kernel drops a
  flock when its holder dies, so the lock can never go stale. It is never deleted.

Protocol: a transaction takes the exclusive lock, refreshes (two stat calls when nothing
changed), lets the caller read and write in memory, then appends one journal line and
fsyncs it: that fsync is the commit. Compaction (under the lock) writes the full state as
a new base carrying version N and then empties the journal; a crash in between is
harmless because replay skips lines with v <= the base's version. Readers take no lock to
follow the journal: an incomplete or bad final line is a torn write, ignored, and cut off
by the next writer. A full reload (the base changed) takes the lock shared, so it never
sees half a compaction.

Records are plain JSON dicts; each has a string "id", except audit entries, whose key is
an int "seq" that the store assigns (the TinyDB doc_id of an audit entry is its seq).
Doc ids, and so seqs, are never reused: each table's next id lives in ``_meta``.

Dicts returned by reads are the stored objects themselves (copying 100k users per read
would defeat the point); callers treat them as read-only and put changed copies.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import os
import re
import secrets
import stat
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from itertools import islice, repeat
from pathlib import Path
from typing import Any, NamedTuple, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table
from tinydb.utils import LRUCache

__all__ = [
    "FAULT_HOOK",
    "INDEXES",
    "TALLIES",
    "TABLES",
    "JournalStorage",
    "JournalTable",
    "Store",
    "StoreError",
    "Tx",
    "View",
    "next_ids",
    "read_file",
    "records",
]

Doc = dict[str, Any]

TABLES: tuple[str, ...] = ("partners", "accounts", "orders", "users", "operators", "audit")
INDEXES: dict[str, tuple[str, ...]] = {
    "accounts": ("partner",),
    "orders": ("partner", "account"),
    "users": ("account",),
    "operators": ("partner", "account"),
    "audit": ("account",),
}
# Counts kept current with every change, so that reading them costs O(1) however many
# records there are: table -> (index field, dict field). For each value of the index
# field, how many records have each key of the dict field set (truthy): for users, per
# account, how many hold each product's license. The index field must be in INDEXES.
TALLIES: dict[str, tuple[str, str]] = {"users": ("account", "licenses")}
# The field that identifies a record in each table.
_KEY: dict[str, str] = {t: "id" for t in TABLES} | {"audit": "seq"}
_META = "_meta"

# Compact when the journal passes either bound: replay time on open stays bounded.
COMPACT_BYTES = 4 * 1024 * 1024
COMPACT_COMMITS = 10_000

# Crash and fault tests set this; the commit path calls it with the name of each step
# ("journal-write", "journal-fsync", "compact-temp-write", "compact-fsync",
# "compact-replace", "compact-dirfsync", "journal-truncate") just before doing it; a
# backup copy likewise ("copy-temp-write", "copy-fsync", "copy-replace").
FAULT_HOOK: Callable[[str], None] | None = None

_log = logging.getLogger(__name__)


class StoreError(Exception):
    """A store problem the user can act on: ``str(e)`` is one line, ``e.path`` the file."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class _Missing:
    """Marks "no document here" in undo records (None is a valid JSON value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


# ---------------------------------------------------------------------------
# Small helpers


def _why(e: OSError) -> str:
    return e.strerror or str(e)


def _fault(step: str) -> None:
    hook = FAULT_HOOK
    if hook is not None:
        hook(step)


def _write_fully(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_all(fd: int, data: bytes, step: str | None) -> None:
    # With a fault hook set, write half, call the hook, write the rest: a crash "at" this
    # step then leaves a torn write, as a kill in the middle of a write would.
    if step is not None and FAULT_HOOK is not None:
        half = len(data) // 2
        _write_fully(fd, data[:half])
        _fault(step)
        data = data[half:]
    _write_fully(fd, data)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    # Loading allocates ~100k dicts; each generation-0 collection would rescan the
    # existing heap (30% of a reload's time at 100k users). Nothing cyclic is made here.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _pread_all(fd: int, size: int, offset: int) -> bytes:
    parts = []
    while size > 0:
        chunk = os.pread(fd, size, offset)
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
        offset += len(chunk)
    return b"".join(parts)


def _fsync_dir(directory: Path) -> None:
    # Makes a rename or a new file's directory entry survive a power cut.
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


Sig = tuple[int, int, int, int]


def _sig(st: os.stat_result) -> Sig:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _is_key(k: Any) -> bool:
    # TinyDB doc ids as JSON object keys: canonical decimal, so str(int(k)) == k.
    return (
        isinstance(k, str) and k.isascii() and k.isdigit() and (k == "0" or k[0] != "0")
    )


def _seq_key(key: Any) -> str | None:
    """An audit key (int seq, or its decimal string) as a doc id string."""
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    if isinstance(key, str) and key.isascii() and key.isdigit():
        return str(int(key))
    return None


_INDEXABLE = (str, int, float, type(None))


def _hashable(value: Any) -> bool:
    return isinstance(value, _INDEXABLE)


def _clone(value: Any) -> Any:
    """A deep copy restricted to JSON: what is stored in memory is what a reload gives."""
    t = type(value)
    if t is str or t is int or t is float or t is bool or value is None:
        return value
    if t is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                return _clone_slow(value)
            out[k] = _clone(v)
        return out
    if t is list:
        return [_clone(v) for v in value]
    return _clone_slow(value)


def _clone_slow(value: Any) -> Any:
    # Tuples, str/int subclasses, non-str keys: exactly what JSON would make of them.
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as e:
        raise StoreError(f"cannot store this value: {e}") from None


def _doc_problem(table: str, key: str, doc: Mapping[str, Any]) -> str | None:
    field = _KEY.get(table)
    if field is None:
        return None
    value = doc.get(field)
    if field == "id":
        if not isinstance(value, str):
            return f"{table} record #{key} has no string 'id'"
    elif type(value) is not int or value != int(key):
        return f"audit entry #{key} has no matching 'seq'"
    return None


def _known(table: str) -> None:
    if table not in _KEY:
        raise StoreError(f"unknown table {table!r}")


# ---------------------------------------------------------------------------
# The journal format


_LINE = re.compile(rb'\{"v":(\d{1,18}),"crc":(\d{1,10}),"ops":(.*)\}', re.DOTALL)
_LINE_START = re.compile(rb'^\{"v":(\d{1,18}),', re.MULTILINE)


class _BadLine(Exception):
    pass


class _Corrupt(Exception):
    def __init__(self, line_no: int, problem: str) -> None:
        super().__init__(problem)
        self.line_no = line_no
        self.problem = problem


class _Entry(NamedTuple):
    v: int
    ops: list[list[Any]]
    start: int
    end: int
    prefix: bytes  # the line's '{"v":N,"crc":C,"ops":' identifies it cheaply


def _encode_line(v: int, body: bytes) -> tuple[bytes, bytes]:
    prefix = b'{"v":%d,"crc":%d,"ops":' % (v, zlib.crc32(body))
    return prefix + body + b"}\n", prefix


def _ops_problem(ops: Any) -> str | None:
    if not isinstance(ops, list) or not ops:
        return "entry has no changes"
    for op in ops:
        if not (isinstance(op, list) and len(op) == 3):
            return "malformed change"
        table, key, doc = op
        if not isinstance(table, str) or table == _META or not _is_key(key):
            return "malformed change"
        if doc is not None:
            if not isinstance(doc, dict):
                return f"{table} #{key} is not a record"
            problem = _doc_problem(table, key, doc)
            if problem:
                return problem
    return None


def _decode_line(line: bytes) -> tuple[int, list[list[Any]], bytes]:
    m = _LINE.fullmatch(line)
    if m is None:
        raise _BadLine("not a journal entry")
    body = m.group(3)
    if zlib.crc32(body) != int(m.group(2)):
        raise _BadLine("checksum mismatch")
    try:
        ops = json.loads(body)
    except ValueError:
        raise _BadLine("entry is not valid JSON") from None
    problem = _ops_problem(ops)
    if problem:
        raise _BadLine(problem)
    return int(m.group(1)), ops, line[: m.start(3)]


def _scan_journal(buf: bytes, origin: int) -> tuple[list[_Entry], int, bool]:
    """Split journal bytes (read from offset ``origin``) into valid entries.

    Returns (entries, end of the last valid line, torn). A final segment that lacks its
    newline or fails its check is a torn write (its writer died) and is left out; a bad
    line with anything after it is damage, raised as _Corrupt.
    """
    entries: list[_Entry] = []
    pos, n = 0, len(buf)
    while pos < n:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            return entries, origin + pos, True
        try:
            v, ops, prefix = _decode_line(buf[pos:nl])
        except _BadLine as e:
            if nl + 1 == n:
                return entries, origin + pos, True
            raise _Corrupt(len(entries) + 1, str(e)) from None
        entries.append(_Entry(v, ops, origin + pos, origin + nl + 1, prefix))
        pos = nl + 1
    return entries, origin + pos, False


def _sequence(entries: list[_Entry], version: int, skip_upto: int) -> list[_Entry]:
    """The entries to apply on top of ``version``; versions must follow on exactly."""
    out: list[_Entry] = []
    expected = version + 1
    for i, e in enumerate(entries, 1):
        # Lines already folded into the base: a compaction died before emptying the journal.
        if not out and e.v <= skip_upto:
            continue
        if e.v != expected:
            raise _Corrupt(i, f"version {e.v} follows version {expected - 1}")
        out.append(e)
        expected += 1
    return out


def _last_journal_version(journal: Path) -> int:
    try:
        data = journal.read_bytes()
    except FileNotFoundError:
        return 0
    except OSError as e:
        raise StoreError(f"{journal}: cannot read the journal: {_why(e)}", journal) from None
    return max((int(m) for m in _LINE_START.findall(data)), default=0)


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
    st = _State.from_base(data, path)
    st.base_sig = sig
    return st


def _write_file_atomically(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all: temp file beside it, fsync, rename, fsync dir."""
    directory = path.parent
    tmp = directory / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
        try:
            _write_all(fd, data, "copy-temp-write")
            _fault("copy-fsync")
            os.fsync(fd)
        finally:
            os.close(fd)
        _fault("copy-replace")
        os.replace(tmp, path)
        _fsync_dir(directory)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise StoreError(f"could not write {path}: {_why(e)}", path) from None


# ---------------------------------------------------------------------------
# In-memory state


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


# ---------------------------------------------------------------------------
# TinyDB extension points


class _TrackedDocs(MutableMapping[int, Doc]):
    """The table mapping handed to TinyDB's updaters: records what they touch.

    Stock ``Table._update_table`` rebuilds the whole table dict around every updater
    (O(n)); this mapping works on the stored dict in place and notes each touched doc id
    with its prior content, for undo, indexes and the journal.
    """

    def __init__(self, storage: JournalStorage, table: str) -> None:
        storage.require_tx()
        if table == _META:
            raise StoreError("the _meta table belongs to the store")
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
        docs = _TrackedDocs(cast(JournalStorage, self._storage), self.name)
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
        return cast(JournalStorage, self._storage).peek_next_id(self.name)

    def set_doc(self, doc_id: int, doc: Doc) -> None:
        """Store ``doc`` under ``doc_id``, replacing what is there."""
        self._update_table(lambda docs: docs.__setitem__(doc_id, doc))


class _Database(TinyDB):
    table_class = JournalTable


class JournalStorage(Storage):
    """A TinyDB ``Storage``: the database in memory, changes journaled (see module doc).

    ``read()`` hands TinyDB the in-memory tables; whole-database ``write()`` (used by
    stock ``drop_tables``) is turned into per-document changes. Writes of any kind are
    allowed only inside a transaction.
    """

    def __init__(self, path: str | Path, *, load: bool = True) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        # Threads of one process share the flock (it belongs to the open file), so they
        # are serialised here first.
        self.mutex = threading.RLock()
        self._lock_fd: int | None = None
        self._jfd: int | None = None
        self._tx: _TxState | None = None
        self._tx_thread: int | None = None
        self._swept = False
        self._closed = False
        self.state = _State()
        if load:
            if not self.path.exists():
                # Before the lock: opening nothing must not leave a PATH.lock behind.
                raise StoreError(f"{self.path}: no database here (file not found)", self.path)
            with self._shared():
                self.state = self._load_all()

    # -- Storage interface

    def read(self) -> dict[str, dict[str, Any]]:
        # A shallow copy: stock drop_table() deletes from what read() returned.
        return dict(self.state.tables)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.require_tx()
        for table in set(self.state.tables) | set(data):
            if table == _META:
                continue
            new = data.get(table, {})
            docs = _TrackedDocs(self, table)
            raw = self.state.tables[table]
            try:
                for key in [k for k in raw if k not in new]:
                    del docs[int(key)]
                for key, doc in new.items():
                    if raw.get(str(key)) is not doc:
                        docs[int(key)] = _clone(doc)
            finally:
                problem = docs.finish()
            if problem:
                raise StoreError(problem)

    def close(self) -> None:
        with self.mutex:
            if self._tx is not None:
                raise StoreError("cannot close the store inside a transaction")
            self._closed = True
            for fd in (self._jfd, self._lock_fd):
                if fd is not None:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._jfd = self._lock_fd = None

    # -- transactions

    def check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed", self.path)

    def in_tx_here(self) -> bool:
        return self._tx is not None and self._tx_thread == threading.get_ident()

    def require_tx(self) -> _TxState:
        if not self.in_tx_here():
            raise StoreError("records can only be changed inside Store.transaction()")
        return cast(_TxState, self._tx)

    def note(self, table: str, key: str, put: bool) -> None:
        tx = self.require_tx()
        entry = tx.undo.get((table, key))
        if entry is None:
            tx.undo[(table, key)] = [self.state.tables[table].get(key, _MISSING), put]
        elif put:
            entry[1] = True

    def poison(self, problem: str) -> None:
        tx = self.require_tx()
        tx.poison = tx.poison or problem

    def peek_next_id(self, table: str) -> int:
        return self.state.next_id.setdefault(table, 1)

    def begin(self) -> None:
        """Lock, refresh, open a transaction (released by ``finish``)."""
        self.check_open()
        self.mutex.acquire()
        try:
            if self._tx is not None:
                raise StoreError("a transaction is already open on this store")
            self._lock_ex()
            try:
                if not self._swept:
                    self._sweep()
                    self._swept = True
                self.refresh(exclusive=True)
            except BaseException:
                self._unlock()
                raise
            self._tx = _TxState(dict(self.state.next_id))
            self._tx_thread = threading.get_ident()
        except BaseException:
            self.mutex.release()
            raise

    def finish(self, ok: bool) -> None:
        """Commit (``ok``) or roll back the open transaction, then release it."""
        try:
            if not ok:
                self._rollback()
                return
            try:
                wrote = self._commit()
            except BaseException:
                self._rollback()
                raise
            if wrote:
                self._maybe_compact()
        finally:
            self._tx = None
            self._tx_thread = None
            try:
                self._unlock()
            finally:
                self.mutex.release()

    def _commit(self) -> bool:
        tx = cast(_TxState, self._tx)
        st = self.state
        if tx.poison:
            raise StoreError(tx.poison)
        ops: list[list[Any]] = []
        for (table, key), (orig, put) in tx.undo.items():
            cur = st.tables[table].get(key, _MISSING)
            if cur is _MISSING:
                if orig is not _MISSING:
                    ops.append([table, key, None])
            # A put is always written, even if equal: the caller may have changed the
            # stored dict in place before putting it, so equality proves nothing.
            elif put or cur != orig:
                ops.append([table, key, cur])
        if not ops:
            return False
        try:
            body = json.dumps(ops, ensure_ascii=False, separators=(",", ":"))
            data = body.encode("utf-8", "surrogatepass")
        except (TypeError, ValueError) as e:
            raise StoreError(f"cannot save these records: {e}") from None
        version = st.version + 1
        line, prefix = _encode_line(version, data)
        start = st.j_end
        fd: int | None = None
        try:
            fd = self._journal_fd()
            self._cut_torn_tail(fd, start)
            _write_all(fd, line, "journal-write")
            _fault("journal-fsync")
            os.fsync(fd)
            fst = os.fstat(fd)
        except OSError as e:
            if fd is not None:
                # Take back whatever part of the line got written: not committed.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, start)
            raise StoreError(
                f"could not save the change to {self.journal_path}: {_why(e)}", self.journal_path
            ) from None
        st.version = version
        st.j_end = start + len(line)
        st.j_last = (start, prefix)
        st.j_torn = False
        st.j_sig = _sig(fst)
        st.j_ino = fst.st_ino
        return True

    def _cut_torn_tail(self, fd: int, end: int) -> None:
        """Cut what follows the last valid line: a torn write by a writer that died."""
        size = os.fstat(fd).st_size
        if size == end:
            return
        if size > end:
            # Only ever a torn line. Complete lines here would mean someone wrote without
            # the lock; refuse rather than cut them off.
            try:
                entries, _, _ = _scan_journal(_pread_all(fd, size - end, end), end)
            except _Corrupt:
                entries = []
            if entries:
                raise StoreError(
                    f"{self.journal_path}: changed by another writer without the lock",
                    self.journal_path,
                )
        os.ftruncate(fd, end)

    def _rollback(self) -> None:
        tx = self._tx
        if tx is None:
            return
        st = self.state
        resort: set[str] = set()
        changes: dict[str, list[tuple[str, Doc | None, Doc | None]]] = {}
        for (table, key), (orig, _put) in tx.undo.items():
            raw = st.tables[table]
            cur = raw.get(key)
            if orig is _MISSING:
                raw.pop(key, None)
            else:
                if key not in raw:
                    resort.add(table)  # re-inserted at the end: restore doc id order
                raw[key] = orig
            changes.setdefault(table, []).append((key, cur, None if orig is _MISSING else orig))
        if not tx.poison:
            for table, items in changes.items():
                st.reindex_many(table, items)
        st.next_id = tx.next_id
        for table in resort:
            st.sort_table(table)
        if tx.poison:
            # The indexes may hold a duplicate's leftovers: rebuild what was touched.
            for table in {t for t, _ in tx.undo}:
                st.rebuild_index(table)
        tx.undo.clear()

    # -- compaction

    def compact(self) -> None:
        self.check_open()
        with self.mutex:
            if self._tx is not None:
                raise StoreError("cannot compact inside a transaction")
            self._lock_ex()
            try:
                self.refresh(exclusive=True)
                self._compact()
            finally:
                self._unlock()

    def _maybe_compact(self) -> None:
        st = self.state
        if st.j_end > COMPACT_BYTES or st.version - st.base_version > COMPACT_COMMITS:
            try:
                self._compact()
            except StoreError as e:
                # The commit itself is durable; compaction is retried after the next one.
                _log.warning("compaction postponed: %s", e)

    def _compact(self) -> None:
        """Fold the journal into a new base. Exclusive lock held, state fresh."""
        st = self.state
        self._sweep()
        self._replace_base(_base_bytes(st.tables, st.version, st.next_id), hooks=True)
        # From here the base alone holds everything; a failure below leaves journal
        # lines that replay skips (v <= base version). Refresh reloads the new base.
        try:
            _fault("journal-truncate")
            fd = self._journal_fd()
            os.ftruncate(fd, 0)
            os.fsync(fd)
            fst = os.fstat(fd)
            bst = os.stat(self.path)
        except OSError as e:
            raise StoreError(
                f"could not empty the journal {self.journal_path}: {_why(e)}", self.journal_path
            ) from None
        st.base_version = st.version
        st.base_sig = _sig(bst)
        st.j_end, st.j_last, st.j_torn = 0, None, False
        st.j_sig, st.j_ino = _sig(fst), fst.st_ino

    def _replace_base(self, data: bytes, *, hooks: bool) -> None:
        directory = self.path.parent
        tmp = directory / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        step = _fault if hooks else (lambda _step: None)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            try:
                with contextlib.suppress(FileNotFoundError):
                    # Keep the base's permissions: the temp file is born with our umask,
                    # and the other engineers must keep access to a shared database.
                    os.fchmod(fd, stat.S_IMODE(os.stat(self.path).st_mode))
                _write_all(fd, data, "compact-temp-write" if hooks else None)
                step("compact-fsync")
                os.fsync(fd)
            finally:
                os.close(fd)
            step("compact-replace")
            os.replace(tmp, self.path)
            step("compact-dirfsync")
            _fsync_dir(directory)
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StoreError(f"could not write {self.path}: {_why(e)}", self.path) from None

    def _sweep(self) -> None:
        # Temp files of a compaction whose process died. Only under the exclusive lock,
        # when nobody else can be writing one.
        pattern = re.compile(rf"\.{re.escape(self.path.name)}\.\d+\.[0-9a-f]{{8}}\.tmp")
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            if pattern.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(self.path.parent / name)

    def empty_journal(self) -> None:
        try:
            existed = self.journal_path.exists()
            fd = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
            try:
                os.ftruncate(fd, 0)
                os.fsync(fd)
            finally:
                os.close(fd)
            if not existed:
                _fsync_dir(self.path.parent)
        except OSError as e:
            raise StoreError(
                f"could not empty the journal {self.journal_path}: {_why(e)}", self.journal_path
            ) from None

    # -- files and locks

    def _lockfile(self) -> int:
        if self._lock_fd is None:
            try:
                try:
                    fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
                except PermissionError:
                    # flock works on a read-only descriptor too (a lock file created by
                    # another user with a stricter umask).
                    fd = os.open(self.lock_path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError as e:
                raise StoreError(
                    f"{self.lock_path}: cannot open the lock file: {_why(e)}", self.lock_path
                ) from None
            self._lock_fd = fd
        return self._lock_fd

    def _lock_ex(self) -> None:
        fd = self._lockfile()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as e:
            raise StoreError(f"{self.lock_path}: cannot lock: {_why(e)}", self.lock_path) from None

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def _shared(self) -> Iterator[None]:
        try:
            fd: int | None = self._lockfile()
        except StoreError:
            fd = None  # a read-only place: nobody can be writing there either
        if fd is None:
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def _journal_fd(self) -> int:
        try:
            on_disk: int | None = os.stat(self.journal_path).st_ino
        except FileNotFoundError:
            on_disk = None
        if self._jfd is not None and os.fstat(self._jfd).st_ino != on_disk:
            os.close(self._jfd)  # the journal was removed or replaced under us
            self._jfd = None
        if self._jfd is None:
            self._jfd = os.open(
                self.journal_path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666
            )
            if on_disk is None:
                _fsync_dir(self.path.parent)
        return self._jfd

    # -- loading and refreshing

    def _load_all(self) -> _State:
        """Base plus journal, into a new state (the current one is kept on error)."""
        with _gc_paused():
            return self._load_all_now()

    def _load_all_now(self) -> _State:
        st = _read_base(self.path)

        journal = self.journal_path
        try:
            with open(journal, "rb") as f:
                fst = os.fstat(f.fileno())
                buf = f.read()
        except FileNotFoundError:
            return st
        except OSError as e:
            raise StoreError(f"{journal}: cannot read the journal: {_why(e)}", journal) from None
        try:
            entries, end, torn = _scan_journal(buf, 0)
            todo = _sequence(entries, st.version, skip_upto=st.base_version)
        except _Corrupt as c:
            raise StoreError(
                f"{journal}: the journal is damaged at line {c.line_no}: {c.problem}", journal
            ) from None
        for e in todo:
            st.apply(e.ops, e.v)
        st.j_sig, st.j_ino, st.j_end, st.j_torn = _sig(fst), fst.st_ino, end, torn
        st.j_last = (entries[-1].start, entries[-1].prefix) if entries else None
        return st

    def _reload(self, exclusive: bool) -> None:
        if exclusive:
            self.state = self._load_all()
        else:
            with self._shared():
                self.state = self._load_all()

    def refresh(self, *, exclusive: bool) -> None:
        """Catch up with other processes' commits; cheap (two stats) if there are none."""
        st = self.state
        try:
            base_sig = _sig(os.stat(self.path))
        except FileNotFoundError:
            raise StoreError(f"{self.path}: the database file is gone", self.path) from None
        except OSError as e:
            raise StoreError(f"{self.path}: cannot read: {_why(e)}", self.path) from None
        if base_sig != st.base_sig:
            return self._reload(exclusive)  # compacted or replaced: start over
        try:
            jst: os.stat_result | None = os.stat(self.journal_path)
        except FileNotFoundError:
            jst = None
        except OSError as e:
            raise StoreError(
                f"{self.journal_path}: cannot read: {_why(e)}", self.journal_path
            ) from None
        if jst is None:
            if st.j_ino is not None:
                self._reload(exclusive)
            return
        if _sig(jst) == st.j_sig and not st.j_torn:
            return
        if (st.j_ino is not None and jst.st_ino != st.j_ino) or jst.st_size < st.j_end:
            return self._reload(exclusive)
        try:
            self._read_more(st)
        except _Corrupt:
            # Not what we saw before (a writer took back a line it could not fsync, or
            # the file was rewritten): start over, which also reports real damage.
            self._reload(exclusive)

    def _read_more(self, st: _State) -> None:
        """Apply journal lines appended since we last looked."""
        try:
            fd = os.open(self.journal_path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as e:
            raise StoreError(
                f"{self.journal_path}: cannot read the journal: {_why(e)}", self.journal_path
            ) from None
        try:
            fst = os.fstat(fd)
            if st.j_ino is not None and fst.st_ino != st.j_ino:
                raise _Corrupt(0, "journal replaced")
            if st.j_last is not None:
                start, prefix = st.j_last
                if (
                    os.pread(fd, len(prefix), start) != prefix
                    or os.pread(fd, 1, st.j_end - 1) != b"\n"
                ):
                    raise _Corrupt(0, "journal rewritten")
            buf = _pread_all(fd, fst.st_size - st.j_end, st.j_end)
        finally:
            os.close(fd)
        entries, end, torn = _scan_journal(buf, st.j_end)
        for e in _sequence(entries, st.version, skip_upto=-1):
            st.apply(e.ops, e.v)
        st.j_end, st.j_torn, st.j_sig, st.j_ino = end, torn, _sig(fst), fst.st_ino
        if entries:
            st.j_last = (entries[-1].start, entries[-1].prefix)


# ---------------------------------------------------------------------------
# The API the rest of the project uses


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

    def count(self, table: str) -> int:
        _known(table)
        return len(self._s.state.tables[table])

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
        if table == "audit":
            raise StoreError("audit entries are added with append(), not put()")
        if not isinstance(doc, Mapping):
            raise StoreError(f"a {table} record must be a dict")
        key = doc.get("id")
        if not isinstance(key, str):
            raise StoreError(f"a {table} record needs a string 'id'")
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
                engine._replace_base(_base_bytes(tables, version, next_id), hooks=False)
                engine.empty_journal()
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


class _Snapshot:
    """A loaded state with no files behind it: what a View needs to read a file."""

    __slots__ = ("state",)

    def __init__(self, state: _State) -> None:
        self.state = state


def read_file(path: Path | str) -> View:
    """A database file as it is on disk, its base alone (a backup is compacted): no
    journal read, no lock file made, nothing written. For checking a backup."""
    path = Path(path)
    with _gc_paused():
        return View(cast(JournalStorage, _Snapshot(_read_base(path))))


def next_ids(view: View) -> dict[str, int]:
    """Per table, the next doc id the store would issue (ids are never reused)."""
    return dict(view._s.state.next_id)


def records(view: View) -> dict[str, list[Doc]]:
    """A full dump, as copies, in the shape ``Store.create`` takes (backups, tests)."""
    return {t: [_clone(d) for d in view.all(t)] for t in TABLES}
