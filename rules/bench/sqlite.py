"""The SQLite peer of `miteam bench`: the store protocol over stdlib sqlite3.

What a user would pick instead of an embedded JSON store: one row per record (the JSON
document in a TEXT column, the fields the product looks records up by in columns of
their own, indexed), WAL, ``synchronous=FULL`` (every commit fsynced), one
``BEGIN IMMEDIATE`` transaction per change. The same rules, operations and context code
run over it unchanged (it implements ``records.store.protocol``): the bench times it
beside the product. It is a yardstick, not a product backend: no backup, no verify.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from ..records.store import INDEXES, TABLES, TALLIES, StoreError

Doc = dict[str, Any]
# Columns looked up by: the key, and every indexed field.
_COLUMNS = {t: ("seq" if t == "audit" else "id", *INDEXES.get(t, ())) for t in TABLES}


def _create_sql() -> str:
    out = []
    for t, cols in _COLUMNS.items():
        key, *fields = cols
        keytype = "INTEGER PRIMARY KEY" if key == "seq" else "TEXT UNIQUE NOT NULL"
        rowid = "" if key == "seq" else "rowid_ INTEGER PRIMARY KEY, "
        extra = "".join(f", {f} TEXT" for f in fields)
        out.append(f"CREATE TABLE IF NOT EXISTS {t} ({rowid}{key} {keytype}{extra},"
                   " doc TEXT NOT NULL);")
        out += [f"CREATE INDEX IF NOT EXISTS {t}_{f} ON {t}({f});" for f in fields]
    return "\n".join(out)


def _connect(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("PRAGMA busy_timeout=30000")
    return con


def create(path: Path, records: Mapping[str, Iterable[Mapping[str, Any]]]) -> None:
    """A new SQLite database holding ``records`` (the shape ``Store.create`` takes)."""
    path.unlink(missing_ok=True)
    con = _connect(path)
    try:
        con.executescript(_create_sql())
        con.execute("BEGIN")
        for t, docs in records.items():
            cols = _COLUMNS[t]
            sql = (f"INSERT INTO {t} ({', '.join(cols)}, doc) VALUES "
                   f"({', '.join('?' * (len(cols) + 1))})")
            seq = 0
            rows = []
            for d in docs:
                d = dict(d)
                if t == "audit" and "seq" not in d:
                    seq += 1
                    d["seq"] = seq
                rows.append((*(d.get(c) for c in cols), json.dumps(d)))
            con.executemany(sql, rows)
        con.execute("COMMIT")
    finally:
        con.close()


class SqliteView:
    """``ViewProtocol`` over one connection (inside a transaction: its own writes)."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self._con = con

    @property
    def version(self) -> int:
        return int(self._con.execute("PRAGMA data_version").fetchone()[0])

    def _docs(self, sql: str, args: tuple = ()) -> list[Doc]:
        return [json.loads(row[0]) for row in self._con.execute(sql, args)]

    @staticmethod
    def _known(table: str) -> None:
        if table not in _COLUMNS:
            raise StoreError(f"unknown table {table!r}")

    def get(self, table: str, key: str) -> Doc | None:
        self._known(table)
        docs = self._docs(f"SELECT doc FROM {table} WHERE {_COLUMNS[table][0]} = ?", (key,))
        return docs[0] if docs else None

    def all(self, table: str) -> list[Doc]:
        self._known(table)
        return self._docs(f"SELECT doc FROM {table} ORDER BY rowid")

    def by(self, table: str, field: str, value: Any) -> list[Doc]:
        self._known(table)
        if field in _COLUMNS[table]:
            return self._docs(f"SELECT doc FROM {table} WHERE {field} IS ? ORDER BY rowid",
                              (value,))
        return [d for d in self.all(table) if d.get(field) == value]

    def count(self, table: str, field: str | None = None, value: Any = None) -> int:
        self._known(table)
        if field is None:
            return int(self._con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        if field in _COLUMNS[table]:
            return int(self._con.execute(
                f"SELECT count(*) FROM {table} WHERE {field} IS ?", (value,)).fetchone()[0])
        return len(self.by(table, field, value))

    def count_flags(self, table: str, field: str, value: Any, flags: str) -> dict[str, int]:
        self._known(table)
        counts: dict[str, int] = {}
        if TALLIES.get(table) == (field, flags):
            # SQLite's JSON functions count without building the documents in Python.
            rows = self._con.execute(
                f"SELECT j.key, count(*) FROM {table}, json_each({table}.doc, '$.{flags}') j"
                f" WHERE {table}.{field} IS ? AND j.value IS NOT 0 AND j.value IS NOT NULL"
                " AND j.value IS NOT '' GROUP BY j.key", (value,))
            return {k: n for k, n in rows if n}
        for d in self.by(table, field, value):
            for flag, on in (d.get(flags) or {}).items():
                if on:
                    counts[flag] = counts.get(flag, 0) + 1
        return counts

    def tail(self, table: str, n: int, *, field: str | None = None,
             value: Any = None) -> list[Doc]:
        self._known(table)
        if n <= 0:
            return []
        if field is None:
            docs = self._docs(f"SELECT doc FROM {table} ORDER BY rowid DESC LIMIT ?", (n,))
        elif field in _COLUMNS[table]:
            docs = self._docs(f"SELECT doc FROM {table} WHERE {field} IS ? ORDER BY rowid"
                              " DESC LIMIT ?", (value, n))
        else:
            docs = [d for d in reversed(self.all(table)) if d.get(field) == value][:n]
        docs.reverse()
        return docs


class SqliteTx(SqliteView):
    """``TxProtocol``: writes go into the open ``BEGIN IMMEDIATE`` transaction."""

    def put(self, table: str, doc: Mapping[str, Any]) -> None:
        self._known(table)
        cols = _COLUMNS[table]
        d = dict(doc)
        self._con.execute(
            f"INSERT INTO {table} ({', '.join(cols)}, doc) VALUES "
            f"({', '.join('?' * (len(cols) + 1))}) ON CONFLICT({cols[0]}) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in (*cols[1:], "doc")),
            (*(d.get(c) for c in cols), json.dumps(d)))

    def delete(self, table: str, key: str) -> None:
        self._known(table)
        self._con.execute(f"DELETE FROM {table} WHERE {_COLUMNS[table][0]} = ?", (key,))

    def append(self, table: str, doc: Mapping[str, Any]) -> int:
        if table != "audit":
            raise StoreError(f"append() is for the audit trail; {table} records use put()")
        d = dict(doc)
        # AUTOINCREMENT semantics without its table: seqs are never reused here because
        # the bench never deletes audit entries.
        seq = int(self._con.execute("SELECT coalesce(max(seq), 0) + 1 FROM audit"
                                    ).fetchone()[0])
        d["seq"] = seq
        self.put("audit", d)
        if isinstance(doc, MutableMapping):
            doc["seq"] = seq
        return seq


class SqliteStore:
    """``StoreProtocol`` over a SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if not self.path.exists():
            raise StoreError(f"{self.path}: no database here (file not found)", self.path)
        self._con = _connect(self.path)

    @property
    def version(self) -> int:
        return SqliteView(self._con).version

    def read(self) -> SqliteView:
        return SqliteView(self._con)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqliteTx]:
        self._con.execute("BEGIN IMMEDIATE")
        try:
            yield SqliteTx(self._con)
        except BaseException:
            self._con.execute("ROLLBACK")
            raise
        self._con.execute("COMMIT")

    def backup(self, dest: Path | str) -> int:
        raise StoreError("the SQLite peer is the bench's yardstick; it has no backup")

    def close(self) -> None:
        self._con.close()
