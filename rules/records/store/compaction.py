"""Compaction of a partitioned database: new files for the partitions and index shards
changed since the core was written (all of them when converting a single-file database),
then the new core that names them.

Partition and shard files are immutable and get fresh names, so nothing a reader may be
reading is changed; the new core, replaced by rename, is the commit point (see
``engine``). Files named by neither the new core nor the one it replaced are deleted
afterwards, which also removes those of a compaction that died.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import _fsync_dir
from .layout import (
    MAX_SHARDS,
    SHARD_KEYS,
    encode,
    index_dir,
    join_part,
    make_dir,
    new_part_name,
    new_shard_name,
    part_of,
    shard_count,
    shard_of,
    split_part,
    table_dir,
    valid_part_file,
    valid_shard_file,
    write_new,
)
from .partitions import _shard_entries, read_part
from .state import LAYOUT, _core_bytes, _State
from .tables import _PARTS, PARTITIONED, Doc


@dataclass
class Plan:
    """What a compaction wrote, for the new core and, once that is in place, the state."""

    # (_parts doc id, chunk) -> the partition's new file (None: it has no records left)
    files: dict[tuple[str, str], str | None] = field(default_factory=dict)
    # (table, partition) -> its records as written: loaded into the state afterwards.
    groups: dict[tuple[str, str], dict[str, Doc]] = field(default_factory=dict)
    index: dict[str, dict[str, Any]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)
    core: bytes = b""

    def discard(self) -> None:
        for file in self.written:
            with contextlib.suppress(OSError):
                os.unlink(file)


def _key(table: str, doc_id: str, doc: Doc) -> str:
    # What the index is looked up by: a user's id, an audit entry's seq (its doc id).
    return doc["id"] if table != "audit" else doc_id


def write(st: _State, path: Path, *, hooks: bool) -> Plan:
    """Write the changed partitions and shards; return the plan with the new core's
    bytes. Nothing the current core names is touched. On failure the files written
    are removed and the error raised."""
    plan = Plan(index={t: {"n": i["n"], "files": dict(i["files"])}
                       for t, i in st.index.items()})
    try:
        for table in PARTITIONED:
            _write_table(st, path, table, plan, hooks)
        dirs = {f.parent for f in plan.written}
        for d in dirs:
            _fsync_dir(d)
        core = {t: docs for t, docs in st.tables.items() if t not in PARTITIONED}
        parts = dict(core[_PARTS])
        for (doc_id, chunk), name in plan.files.items():
            if parts[doc_id] is core[_PARTS][doc_id]:
                parts[doc_id] = {**parts[doc_id], "files": dict(parts[doc_id]["files"])}
            _name(parts[doc_id]["files"], chunk, name)
        core[_PARTS] = parts
        plan.core = _core_bytes(core, st.version, st.next_id, plan.index)
    except BaseException:
        plan.discard()
        raise
    return plan


def _name(files: dict[str, str], chunk: str, name: str | None) -> None:
    if name is None:
        files.pop(chunk, None)
    else:
        files[chunk] = name


def _write_table(st: _State, path: Path, table: str, plan: Plan, hooks: bool) -> None:
    field_ = PARTITIONED[table]
    raw = st.tables[table]
    groups: dict[str, dict[str, Doc]] = {}
    shards: dict[int, dict[str, Any]] = {}
    if st.layout != LAYOUT:
        # A single-file database: every record is written into its partition.
        for k, d in st.ordered(table).items():
            groups.setdefault(part_of(table, d.get(field_), k), {})[k] = d
        n = shard_count(len(raw))
        plan.index[table] = {"n": n, "files": {}}
        for part, docs in groups.items():
            for k, d in docs.items():
                key = _key(table, k, d)
                shards.setdefault(shard_of(key, n), {})[k] = {"k": key, "p": part}
    else:
        touched = st.touched[table]
        if not touched:
            return
        dirty = {p for p in touched.values() if p is not None}
        dirty.update(part_of(table, raw[k].get(field_), k) for k in touched if k in raw)
        bases: dict[str, dict[str, Doc]] = {}
        for part in dirty:
            name = st.part_file(table, part)
            bases[part] = read_part(st, table, name) if name else {}
            groups[part] = {k: d for k, d in bases[part].items() if k not in touched}
        resort = set()
        for k in touched:
            d = raw.get(k)
            if d is not None:
                part = part_of(table, d.get(field_), k)
                group = groups[part]
                if group and int(next(reversed(group))) > int(k):
                    resort.add(part)
                group[k] = d
        for part in resort:
            groups[part] = dict(sorted(groups[part].items(), key=lambda kv: int(kv[0])))
        info = plan.index.setdefault(table, {"n": shard_count(len(touched)), "files": {}})
        n = info["n"]
        total = st.count_of(table)
        if total > 4 * n * SHARD_KEYS and n < MAX_SHARDS:
            # Grown well past what its shards were sized for: index it anew (doubling,
            # so this happens a dozen times on the way to millions).
            _reindex(st, table, groups, plan, shards, shard_count(total))
            return _write_files(st, path, table, plan, groups, shards, hooks)
        changes: dict[int, dict[str, Any]] = {}
        for k, base_part in touched.items():
            old = None if base_part is None else bases[base_part].get(k)
            new = raw.get(k)
            was = None if old is None else (_key(table, k, old), base_part)
            now = None if new is None else (_key(table, k, new),
                                            part_of(table, new.get(field_), k))
            if was == now:
                continue  # a change that moved nothing: the index stays
            if was is not None:
                changes.setdefault(shard_of(was[0], n), {})[k] = None
            if now is not None:
                changes.setdefault(shard_of(now[0], n), {})[k] = {"k": now[0], "p": now[1]}
        for s, change in changes.items():
            name = info["files"].get(str(s))
            # Copied as they are (a lookup checks what it uses; verify checks them all).
            entries = dict(_shard_entries(st, name)) if name else {}
            for k, e in change.items():
                if e is None:
                    entries.pop(k, None)
                else:
                    entries[k] = e
            shards[s] = entries
    _write_files(st, path, table, plan, groups, shards, hooks)


def _reindex(st: _State, table: str, groups: dict[str, dict[str, Doc]], plan: Plan,
             shards: dict[int, dict[str, Any]], n: int) -> None:
    """Every key of ``table`` into ``n`` new shards (the partitions not rewritten are
    read from their files)."""
    plan.index[table] = {"n": n, "files": {}}
    parts = {join_part(s["id"].partition(":")[2], c): name
             for s in st.stat_docs(table) for c, name in s["files"].items()}
    for part in set(parts) | set(groups):
        docs = groups.get(part)
        if docs is None:
            docs = read_part(st, table, parts[part])
        for k, d in docs.items():
            key = _key(table, k, d)
            shards.setdefault(shard_of(key, n), {})[k] = {"k": key, "p": part}


def _write_files(st: _State, path: Path, table: str, plan: Plan,
                 groups: dict[str, dict[str, Doc]], shards: dict[int, dict[str, Any]],
                 hooks: bool) -> None:
    directory = table_dir(path, table)
    make_dir(directory, path)
    for part, docs in groups.items():
        group, chunk = split_part(part)
        stats = st.stat_doc(table, group)
        if stats is None:
            continue  # no counts: no records (a part left empty)
        name = new_part_name(part, st.version) if docs else None
        if name is not None:
            file = directory / name
            plan.written.append(file)
            write_new(file, encode(table, docs), path, hooks=hooks)
        plan.files[(st.ids[_PARTS][stats["id"]], chunk)] = name
        plan.groups[(table, part)] = docs
    if shards:
        make_dir(index_dir(path), path)
    files = plan.index[table]["files"]
    for s, entries in shards.items():
        if not entries:
            files.pop(str(s), None)
            continue
        name = new_shard_name(table, s, st.version)
        file = index_dir(path) / name
        plan.written.append(file)
        write_new(file, encode("index", entries), path, hooks=hooks)
        files[str(s)] = name


def adopt(st: _State, plan: Plan) -> None:
    """The new core is in place: make the state the one it names."""
    parts = st.tables[_PARTS]
    for (doc_id, chunk), name in plan.files.items():
        _name(parts[doc_id]["files"], chunk, name)
    st.index = plan.index
    st.shards.clear()
    # Records changed since the old core are in memory; with nothing to tell them apart
    # from the new core's any more, their partitions must count as loaded: they are
    # (their other records were read to write them).
    for (table, part), docs in plan.groups.items():
        if st.complete[table] or part in st.loaded[table]:
            continue
        raw = st.tables[table]
        fresh = [(k, None, d) for k, d in docs.items() if k not in raw]
        if fresh:
            st.disordered.add(table)
            raw.update((k, d) for k, _, d in fresh)
            st.reindex_many(table, fresh)
        st.loaded[table].add(part)
    for table in PARTITIONED:
        st.touched[table].clear()
    st.dirty_parts = {}
    st.layout = LAYOUT


def named(st: _State) -> set[str]:
    """Every file the state's core names."""
    names = {n for d in st.tables[_PARTS].values() for n in d["files"].values()}
    for info in st.index.values():
        names.update(info["files"].values())
    return names


def sweep(path: Path, keep: set[str]) -> None:
    """Delete partition and shard files named by neither of the cores in ``keep``."""
    for directory in [table_dir(path, t) for t in PARTITIONED] + [index_dir(path)]:
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            if name not in keep and (valid_part_file(name) or valid_shard_file(name)):
                with contextlib.suppress(OSError):
                    os.unlink(directory / name)
