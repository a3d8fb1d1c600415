"""What `db verify` checks of the partitioned layout itself: each partition's counts
against its records, and the index against where each record is."""

from __future__ import annotations

from typing import Any

from .layout import part_of
from .partitions import read_shard
from .tables import PARTITIONED
from .view import View


def layout_problems(view: Any) -> list[tuple[str, str, str]]:
    """(table, record, problem) for every count or index entry that disagrees with the
    records. Loads every partition (a damaged file raises StoreError naming it)."""
    if not isinstance(view, View):
        return []  # another backend: nothing partitioned
    out: list[tuple[str, str, str]] = []
    for table, field in PARTITIONED.items():
        docs = view.all(table)
        st = view._s.state
        counted: dict[str, int] = {}
        for d in docs:
            value = d.get(field)
            if isinstance(value, str):
                counted[value] = counted.get(value, 0) + 1
        accounts = {a for s in st.stat_docs(table) for a in s["accounts"]} | set(counted)
        for account in sorted(accounts):
            kept = st.count_of(table, account)
            if kept != counted.get(account, 0):
                out.append(("accounts", account, f"the store counts {kept} {table} records"
                                                 f", there are {counted.get(account, 0)}"))
        if st.count_of(table) != len(docs):
            out.append((table, "*", f"the store counts {st.count_of(table)} records, there "
                                    f"are {len(docs)}"))
        out.extend(_index_problems(view, table, docs))
    return out


def _index_problems(view: View, table: str, docs: list[dict]) -> list[tuple[str, str, str]]:
    st = view._s.state
    info = st.index.get(table)
    if st.layout != 2 or info is None and not docs:
        return []
    field = PARTITIONED[table]
    indexed: dict[str, str] = {}
    for name in (info or {}).get("files", {}).values():
        for e in read_shard(st, name).values():
            indexed[e["k"]] = e["p"]
    raw = st.tables[table]
    # Records changed since the core are found in memory, not through the index.
    changed = {_key(table, k, raw[k]) for k in st.touched[table] if k in raw}
    out = []
    keys = set()
    for doc_id, d in raw.items():
        key = _key(table, doc_id, d)
        keys.add(key)
        if key in changed:
            continue
        where = indexed.get(key)
        if where is None:
            out.append((table, key, "not in the index"))
        elif where != part_of(table, d.get(field), doc_id):
            out.append((table, key, "the index names another partition"))
    for key in sorted(set(indexed) - keys - changed):
        out.append((table, key, "in the index, but there is no such record"))
    return out


def _key(table: str, doc_id: str, doc: dict) -> str:
    return doc_id if table == "audit" else doc["id"]
