"""Loading partitions into a state, lazily: one account's records when a command asks for
them, a record's partition found through the index without loading it.

A partition's file holds its records as of the core; records changed since (``touched``,
from the journal or this process's commits) are in memory already and win, so a file's
copy of them is skipped. The functions here raise ``PartGone`` when a file the core names
has been removed (another process compacted twice since the core was read): the store then
reloads and asks again.
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

from .layout import (
    CHUNKED,
    NO_ACCOUNT,
    PART_RE,
    PartGone,
    group_of,
    index_dir,
    join_part,
    part_of,
    read_json,
    shard_of,
    split_part,
    table_dir,
)
from .state import _State, check_table
from .tables import PARTITIONED, Doc, StoreError


def read_part(st: _State, table: str, name: str) -> dict[str, Doc]:
    """A partition file's records, checked, in doc id order."""
    assert st.path is not None
    file = table_dir(st.path, table) / name
    data = read_json(file)

    def bad(problem: str) -> StoreError:
        return StoreError(f"{file}: not a valid partition: {problem}", file)

    if not isinstance(data, dict) or set(data) - {table}:
        raise bad(f"not a {table} partition")
    return check_table(table, data.get(table, {}), bad)


def load_part(st: _State, table: str, part: str) -> None:
    """Bring one partition's records into memory (once)."""
    if st.complete[table] or part in st.loaded[table]:
        return
    name = st.part_file(table, part)
    if name is not None:
        docs = read_part(st, table, name)
        touched, raw = st.touched[table], st.tables[table]
        stray = _stray(table, part, docs)
        if stray is None:
            stray = next((k for k in docs if k in raw and k not in touched), None)
        if stray is not None:
            raise StoreError(f"{table_dir(st.path, table) / name}: {table} record #{stray}"
                             " does not belong in this partition", st.path)
        fresh = [(k, None, d) for k, d in docs.items() if k not in touched]
        if raw and fresh:
            st.disordered.add(table)
        raw.update((k, d) for k, _, d in fresh)
        problem = st.reindex_many(table, fresh)
        if problem:
            raise StoreError(f"{table_dir(st.path, table) / name}: {problem}", st.path)
    st.loaded[table].add(part)


def _stray(table: str, part: str, docs: dict[str, Doc]) -> str | None:
    """A record of ``docs`` that is not ``part``'s, if any (checked by distinct account
    and doc id range, not record by record: a partition holds thousands)."""
    field = PARTITIONED[table]
    try:
        accounts = set(map(dict.get, docs.values(), repeat(field)))
    except TypeError:  # an account that is a list or an object: record by record
        accounts = set()
    if len(accounts) > 1 and part != NO_ACCOUNT and not part.startswith(NO_ACCOUNT + "-"):
        accounts = set()  # one account per partition, bar collisions: look closer
    group, chunk = split_part(part)
    fine = all(group_of(a) == group for a in accounts) if accounts else False
    bits = CHUNKED.get(table)
    if fine and bits is not None and docs:
        low, high = int(chunk) << bits, (int(chunk) + 1) << bits
        keys = list(map(int, docs))
        fine = low <= min(keys) and max(keys) < high
    if fine or not docs:
        return None
    return next(k for k, d in docs.items() if part_of(table, d.get(field), k) != part)


def load_group(st: _State, table: str, value: Any) -> None:
    """Every partition of the records whose account is ``value``."""
    if st.complete[table]:
        return
    for part in st.parts_of(table, value):
        load_part(st, table, part)


def load_all(st: _State, table: str) -> None:
    """Every partition of ``table`` (for a scan, a full dump, a TinyDB query)."""
    if st.complete[table]:
        return
    for stats in st.stat_docs(table):
        group = stats["id"].partition(":")[2]
        for chunk in stats["files"]:
            load_part(st, table, join_part(group, chunk))
    st.complete[table] = True


def shard(st: _State, table: str, key: str) -> dict[str, str]:
    """The index shard that would hold ``key``: record key -> partition."""
    info = st.index.get(table)
    if info is None:
        return {}
    n = shard_of(key, info["n"])
    cached = st.shards.get((table, n))
    if cached is not None:
        return cached
    name = info["files"].get(str(n))
    # Not checked entry by entry here: the partition a lookup returns is (locate).
    entries = {} if name is None else _shard_entries(st, name)
    try:
        found = {e["k"]: e["p"] for e in entries.values()}
    except (TypeError, KeyError):
        raise StoreError(f"{index_dir(st.path) / name}: not a valid index file",
                         st.path) from None
    st.shards[(table, n)] = found
    return found


def _shard_entries(st: _State, name: str) -> dict[str, Any]:
    assert st.path is not None
    file = index_dir(st.path) / name
    data = read_json(file)
    entries = data.get("index") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise StoreError(f"{file}: not a valid index file", file)
    return entries


def read_shard(st: _State, name: str) -> dict[str, Any]:
    """An index shard file, checked: doc id -> {"k": record key, "p": partition}."""
    assert st.path is not None
    file = index_dir(st.path) / name
    entries = _shard_entries(st, name)
    if not all(
        isinstance(e, dict) and isinstance(e.get("k"), str)
        and isinstance(e.get("p"), str) and PART_RE.fullmatch(e["p"])
        for e in entries.values()
    ):
        raise StoreError(f"{file}: not a valid index file", file)
    return entries


def locate(st: _State, table: str, key: str) -> None:
    """Load the partition that holds the record ``key`` (its id; audit: its seq), if
    the index knows one. A record changed since the core is in memory already."""
    if st.complete[table]:
        return
    part = shard(st, table, key).get(key)
    if part is not None:
        if not isinstance(part, str) or not PART_RE.fullmatch(part):
            raise StoreError(f"{st.path}: the index names no partition for {key!r}", st.path)
        load_part(st, table, part)


class Lazy:
    """What a ``View`` asks of its storage before it reads a partitioned table: the
    partitions it needs. The store retries once after a reload when a file is gone."""

    state: _State

    def _gone(self, e: PartGone) -> None:
        raise StoreError(f"{e}: a partition file of the database is missing") from None

    def _lazy(self, fn: Any, *args: Any) -> None:
        mutex = getattr(self, "mutex", None)
        if mutex is None:
            return self._lazy_now(fn, *args)
        with mutex:  # threads of one console share the loaded state
            return self._lazy_now(fn, *args)

    def _lazy_now(self, fn: Any, *args: Any) -> None:
        try:
            fn(self.state, *args)
        except PartGone as e:
            self._gone(e)
            try:
                fn(self.state, *args)
            except PartGone as again:
                raise StoreError(f"{again}: a partition file of the database is missing"
                                 ) from None

    def part(self, table: str, value: Any) -> None:
        """Load the partitions of the records whose account is ``value``."""
        self._lazy(load_group, table, value)

    def whole(self, table: str) -> None:
        self._lazy(load_all, table)

    def find(self, table: str, key: str) -> None:
        self._lazy(locate, table, key)
