"""Loading partitions into a state, lazily: one account's records when a command asks for
them, a record's partition found through the index without loading it.

A partition's file holds its records as of the core; records changed since (``touched``,
from the journal or this process's commits) are in memory already and win, so a file's
copy of them is skipped. The functions here raise ``PartGone`` when a file the core names
has been removed (another process compacted twice since the core was read): the store then
reloads and asks again.
"""

from __future__ import annotations

from typing import Any

from .layout import PART_RE, PartGone, index_dir, part_of, read_json, shard_of, table_dir
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
    stats = st.stat_doc(table, part)
    name = None if stats is None else stats.get("file")
    if name is not None:
        docs = read_part(st, table, name)
        field = PARTITIONED[table]
        touched, raw = st.touched[table], st.tables[table]
        fresh = []
        for key, doc in docs.items():
            if key in touched:
                continue
            if key in raw or part_of(table, doc.get(field), key) != part:
                raise StoreError(f"{table_dir(st.path, table) / name}: {table} record #{key}"
                                 " does not belong in this partition", st.path)
            fresh.append((key, None, doc))
        if raw and fresh:
            st.disordered.add(table)
        raw.update((k, d) for k, _, d in fresh)
        problem = st.reindex_many(table, fresh)
        if problem:
            raise StoreError(f"{table_dir(st.path, table) / name}: {problem}", st.path)
    st.loaded[table].add(part)


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
        load_part(st, table, stats["id"].partition(":")[2])
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
    entries = {} if name is None else read_shard(st, name)
    found = {e["k"]: e["p"] for e in entries.values()}
    st.shards[(table, n)] = found
    return found


def read_shard(st: _State, name: str) -> dict[str, Any]:
    """An index shard file: doc id -> {"k": record key, "p": partition}."""
    assert st.path is not None
    file = index_dir(st.path) / name
    data = read_json(file)
    entries = data.get("index") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not all(
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
        load_part(st, table, part)


class Lazy:
    """What a ``View`` asks of its storage before it reads a partitioned table: the
    partitions it needs. The store retries once after a reload when a file is gone."""

    state: _State

    def _gone(self, e: PartGone) -> None:
        raise StoreError(f"{e}: a partition file of the database is missing") from None

    def _lazy(self, fn: Any, *args: Any) -> None:
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
