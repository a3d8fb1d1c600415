"""``PgStore``: the store's protocol on a PostgreSQL server.

The guarantees of the embedded store, by PostgreSQL's means:

- One database transaction per operation. ``transaction()`` begins it and first locks the
  store's version row (``SELECT ... FOR UPDATE``): writers on every host take turns, as
  they take the embedded store's file lock, and each statement (READ COMMITTED) sees
  every commit made before it, so the rules decide on the newest state. The audit entry
  is inserted in the same transaction, so a change and its audit commit together or not
  at all; a process killed mid-transaction leaves nothing (the server rolls it back).
- Ids never reused: ``n`` and audit ``seq`` come from sequences, which never go back.
- A commit that wrote bumps the version and sends ``NOTIFY`` with it (delivered at commit):
  ``subscribe`` hands those to a console (``listen.Listener``), so nothing polls the server.

Reads outside a transaction run one statement each, in autocommit. Returned dicts are
fresh copies (callers may keep them). A connection the server dropped is replaced on the
next use; a server that cannot be reached is one ``StoreError`` naming it.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any

from ..store import INDEXES, TABLES, TALLIES, StoreError
from ..store.api import _tables_from_records
from ..store.files import _write_file_atomically
from ..store.state import _base_bytes
from ..store.tables import _known, put_key
from . import connect as pg
from . import schema
from .schema import CHANNEL, RECORD_TABLES

Doc = dict[str, Any]
_INDEXABLE = (str, int, float, type(None))


def _key(table: str) -> str:
    return "seq" if table == "audit" else "id"


def _dumps(doc: Mapping[str, Any]) -> str:
    try:
        return json.dumps(doc, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as e:
        raise StoreError(f"cannot store this value: {e}") from None


class PgView:
    """Read access, as of the first time each question is asked.

    ``store.read()`` gives a new view, which asks the server afresh; within one view each
    distinct question is asked once (a list of 10,000 users needs their account once, not
    10,000 times), as the embedded store's view answers from memory. Returned dicts may
    be shared between answers: read-only, as the embedded store's are.
    """

    def __init__(self, store: PgStore, tx: bool = False) -> None:
        self._store = store
        self._tx = tx
        self._cache: dict[str, dict[tuple[str, tuple], list[tuple]]] = {}

    def _rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return self._store._query(sql, params, in_tx=self._tx)

    def _select(self, table: str, sql: str, params: tuple = ()) -> list[tuple]:
        answers = self._cache.setdefault(table, {})
        key = (sql, params)
        if key not in answers:
            answers[key] = self._rows(sql, params)
        return answers[key]

    def _docs(self, table: str, sql: str, params: tuple = ()) -> list[Doc]:
        return [r[0] for r in self._select(table, sql, params)]

    @property
    def version(self) -> int:
        if not self._tx:
            known = self._store._listened_version()
            if known is not None:
                return known
        return self._rows("SELECT version FROM miteam_meta WHERE id = 1")[0][0]

    def get(self, table: str, key: str) -> Doc | None:
        _known(table)
        if table == "audit":
            if isinstance(key, str) and key.isascii() and key.isdigit():
                key = int(key)  # type: ignore[assignment]
            if type(key) is not int:
                return None
        elif not isinstance(key, str):
            return None
        docs = self._docs(table, f"SELECT doc FROM {table} WHERE {_key(table)} = %s", (key,))
        return docs[0] if docs else None

    def all(self, table: str) -> list[Doc]:
        _known(table)
        return self._docs(table, f"SELECT doc FROM {table} ORDER BY n")

    def _where(self, table: str, field: str, value: Any) -> tuple[str, tuple]:
        if field in INDEXES.get(table, ()) and isinstance(value, _INDEXABLE):
            if value is None:
                return f"{field} IS NULL", ()
            return f"{field} = %s", (str(value),)
        if value is None:
            return "(doc -> %s IS NULL OR doc -> %s = 'null'::jsonb)", (field, field)
        return "doc -> %s = %s::jsonb", (field, _dumps(value))

    def by(self, table: str, field: str, value: Any) -> list[Doc]:
        _known(table)
        if field == _key(table) and table != "audit":
            doc = self.get(table, value)
            return [] if doc is None else [doc]
        where, params = self._where(table, field, value)
        docs = self._docs(table, f"SELECT doc FROM {table} WHERE {where} ORDER BY n", params)
        # The text column matches "5" for 5: keep exactly what the embedded store gives.
        return [d for d in docs if d.get(field) == value]

    def count(self, table: str, field: str | None = None, value: Any = None) -> int:
        _known(table)
        if field is None:
            return self._select(table, f"SELECT count(*) FROM {table}")[0][0]
        if field == _key(table) and table != "audit":
            return int(self.get(table, value) is not None)
        # An indexed text column answers without fetching a document (for a text value it
        # is exact); anything else counts what `by`, with its exact equality, returns.
        if field in INDEXES.get(table, ()) and (value is None or isinstance(value, str)):
            where, params = self._where(table, field, value)
            return self._select(table, f"SELECT count(*) FROM {table} WHERE {where}",
                                params)[0][0]
        return len(self.by(table, field, value))

    def count_flags(self, table: str, field: str, value: Any, flags: str) -> dict[str, int]:
        """Of the records whose `field` is `value`: how many have each key of their dict
        field `flags` set. A declared tally (TALLIES) is kept by a trigger: one index
        lookup; anything else is one aggregate."""
        _known(table)
        if TALLIES.get(table) == (field, flags) and isinstance(value, str):
            rows = self._select(table, f"SELECT flag, n FROM {schema.tally_table(table)} "
                                       f"WHERE {field} = %s AND n > 0", (value,))
            return dict(rows)
        where, params = self._where(table, field, value)
        rows = self._select(
            table, f"SELECT f.key, count(*) FROM {table} t, jsonb_each(CASE WHEN "
            f"jsonb_typeof(t.doc -> %s) = 'object' THEN t.doc -> %s ELSE '{{}}' END) f "
            f"WHERE {where} AND f.value::text NOT IN {schema.FALSY_JSON} GROUP BY f.key",
            (flags, flags, *params))
        return dict(rows)

    def tail(self, table: str, n: int, *, field: str | None = None,
             value: Any = None) -> list[Doc]:
        _known(table)
        if n <= 0:
            return []
        if field is None:
            docs = self._docs(table, f"SELECT doc FROM {table} ORDER BY n DESC LIMIT %s", (n,))
        else:
            where, params = self._where(table, field, value)
            docs = [d for d in self._docs(
                table, f"SELECT doc FROM {table} WHERE {where} ORDER BY n DESC LIMIT %s",
                (*params, n)) if d.get(field) == value]
        docs.reverse()
        return docs

    def next_ids(self) -> dict[str, int]:
        """Per table, the next id the sequences would issue (ids are never reused)."""
        out = {}
        for t in TABLES:
            last, called = self._rows(f"SELECT last_value, is_called FROM {t}_n_seq")[0]
            out[t] = last + 1 if called else last
        return out


class PgTx(PgView):
    """A transaction: reads see its own writes; committed on leaving the ``with`` block."""

    def __init__(self, store: PgStore) -> None:
        super().__init__(store, tx=True)
        self._open = True
        self.wrote = False
        # Its answers stay true: it holds the writers' turn, so only its own writes change
        # records, and each drops what it knew of its table.

    def _write(self, table: str, sql: str, params: tuple) -> list[tuple]:
        if not self._open:
            raise StoreError("this transaction has ended")
        self._cache.pop(table, None)
        rows = self._rows(sql, params)  # every write says RETURNING: did it change a row?
        self.wrote = self.wrote or bool(rows)
        return rows

    def put(self, table: str, doc: Mapping[str, Any]) -> None:
        key = put_key(table, doc)
        self._write(table, f"INSERT INTO {table} (id, doc) VALUES (%s, %s::jsonb) ON CONFLICT (id) "
                    "DO UPDATE SET doc = EXCLUDED.doc RETURNING 1", (key, _dumps(doc)))

    def delete(self, table: str, key: str) -> None:
        _known(table)
        self._write(table, f"DELETE FROM {table} WHERE {_key(table)} = %s RETURNING 1",
                    (int(key) if table == "audit" and str(key).isdigit() else key,))

    def append(self, table: str, doc: Mapping[str, Any]) -> int:
        _known(table)
        if table != "audit":
            raise StoreError(f"append() is for the audit trail; {table} records use put()")
        if not isinstance(doc, Mapping):
            raise StoreError("an audit entry must be a dict")
        body = {k: v for k, v in doc.items() if k != "seq"}
        seq = self._write(
            "audit", "INSERT INTO audit (seq, n, doc) SELECT s, s, %s::jsonb || jsonb_build_object("
            "'seq', s) FROM nextval('audit_n_seq') s RETURNING seq", (_dumps(body),))[0][0]
        if isinstance(doc, MutableMapping):
            doc["seq"] = seq
        return seq


_BEGIN = "BEGIN; SELECT version FROM miteam_meta WHERE id = 1 FOR UPDATE"
# The NOTIFY is delivered at the commit, to every connection listening (listen.py).
_COMMIT_WRITES = ("UPDATE miteam_meta SET version = version + 1 WHERE id = 1 "
                  f"RETURNING pg_notify('{CHANNEL}', version::text); COMMIT")


class PgStore:
    """The records of one PostgreSQL database, shared by every host that connects to it."""

    def __init__(self, url: str, *, check: bool = True) -> None:
        self.url = url
        self.path = pg.server_name(url)  # what messages and reports name
        self._mutex = threading.RLock()
        self._conn: Any = None
        self._in_tx = False
        self._listener: Any = None
        self._psycopg = pg.driver()
        conn = self._connection()
        if check:
            try:
                self._guard(lambda: schema.check(conn, self.path))
            except StoreError:
                self.close()
                raise

    # Connections --------------------------------------------------------------------
    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.close()
            self._conn = pg.connect(self.url)
        return self._conn

    def _guard(self, fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except self._psycopg.OperationalError as exc:
            raise pg.unreachable(self.url, exc) from None
        except self._psycopg.Error as exc:
            raise pg.failed(self.url, exc) from None

    def _query(self, sql: str, params: tuple, *, in_tx: bool) -> list[tuple]:
        with self._mutex:
            if in_tx and not self._in_tx:
                raise StoreError("this transaction has ended")
            for attempt in (1, 2):
                conn = self._connection()
                try:
                    cur = conn.execute(sql, params)
                    return cur.fetchall() if cur.description else []
                except self._psycopg.OperationalError as exc:
                    # A server restart drops idle connections: outside a transaction,
                    # a read on a fresh connection is safe to repeat once.
                    if in_tx or attempt == 2 or not conn.broken:
                        raise pg.unreachable(self.url, exc) from None
                except self._psycopg.Error as exc:
                    raise pg.failed(self.url, exc) from None
            raise AssertionError("unreachable")

    # The protocol --------------------------------------------------------------------
    @property
    def version(self) -> int:
        return self.read().version

    def read(self) -> PgView:
        return PgView(self)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PgTx]:
        with self._mutex:
            if self._in_tx:
                raise StoreError("a transaction is already open on this store")
            conn = self._begin()
            self._in_tx = True
            tx = PgTx(self)
            try:
                yield tx
                tx._open = False
                self._guard(lambda: conn.execute(_COMMIT_WRITES if tx.wrote else "COMMIT"))
            except BaseException:
                tx._open = False
                if not conn.broken:
                    with contextlib.suppress(self._psycopg.Error):
                        conn.execute("ROLLBACK")
                raise
            finally:
                self._in_tx = False

    def _begin(self) -> Any:
        """BEGIN and take the writers' turn on the version row; reads after it see every
        commit. (No parameters: one round trip for both statements.) A connection the
        server dropped while idle (a restart) is replaced once: nothing was done yet."""
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.execute(_BEGIN)
                return conn
            except self._psycopg.OperationalError as exc:
                if attempt == 2 or not conn.broken:
                    raise pg.unreachable(self.url, exc) from None
            except self._psycopg.Error as exc:
                raise pg.failed(self.url, exc) from None
        raise AssertionError("unreachable")

    # Notifications ---------------------------------------------------------------------
    def subscribe(self, callback: Callable[[str, str], None]) -> None:
        """Call `callback(event, detail)` from another thread: ("changed", version) at
        every commit anywhere, ("lost", message) when the server cannot be reached,
        ("back", server) when it can again. Starts listening at the first call."""
        from .listen import Listener

        with self._mutex:
            if self._listener is None:
                self._listener = Listener(self.url, self.path)
            self._listener.callbacks.append(callback)
            self._listener.start()

    def _listened_version(self) -> int | None:
        listener = self._listener
        return None if listener is None else listener.version

    # Whole databases ---------------------------------------------------------------------
    @classmethod
    def create(cls, url: str, records: Mapping[str, Iterable[Mapping[str, Any]]], *,
               overwrite: bool = False, next_id: Mapping[str, int] | None = None) -> PgStore:
        """Fill the database with `records` in one transaction (migrating an empty
        database first); refuse one that holds records unless `overwrite`.

        ``next_id``: per table, ids already used (a copied database's): never reissued,
        nor are any the database issued before."""
        tables, next_id = _tables_from_records(records, next_id)
        store = cls(url, check=False)
        try:
            store._guard(lambda: store._fill(tables, next_id, overwrite))
        except BaseException:
            store.close()
            raise
        return store

    def _fill(self, tables: Mapping[str, Mapping[str, Doc]], next_id: Mapping[str, int],
              overwrite: bool) -> None:
        conn = self._connection()
        with self._mutex:
            schema.migrate(conn)
            with conn.transaction():
                conn.execute("SELECT version FROM miteam_meta WHERE id = 1 FOR UPDATE")
                if not overwrite and any(
                        conn.execute(f"SELECT EXISTS (SELECT 1 FROM {t})").fetchone()[0]
                        for t in TABLES):
                    raise StoreError(f"{self.path}: a database already exists here")
                conn.execute(f"TRUNCATE {', '.join(TABLES)}")
                # Counted once after the load, not row by row as it goes in.
                for t in TALLIES:
                    conn.execute(f"ALTER TABLE {t} DISABLE TRIGGER {schema.tally_table(t)}")
                for t in TABLES:
                    key = "seq" if t == "audit" else "id"
                    with conn.cursor().copy(f"COPY {t} ({key}, n, doc) FROM STDIN") as copy:
                        for doc_id, doc in tables[t].items():
                            n = int(doc_id)
                            copy.write_row((n if t == "audit" else doc["id"], n, _dumps(doc)))
                    conn.execute(f"SELECT setval('{t}_n_seq', greatest(%s, (SELECT CASE WHEN "
                                 f"is_called THEN last_value + 1 ELSE last_value END FROM "
                                 f"{t}_n_seq)), false)", (next_id[t],))
                for t in TALLIES:
                    conn.execute(f"ALTER TABLE {t} ENABLE TRIGGER {schema.tally_table(t)}")
                for statement in schema.rebuild_tallies():
                    conn.execute(statement)
                conn.execute("UPDATE miteam_meta SET version = version + 1 WHERE id = 1 "
                             "RETURNING pg_notify(%s, version::text)", (CHANNEL,))
                # Fresh statistics, so the planner uses the indexes on a loaded database.
                conn.execute("ANALYZE")

    def backup(self, dest: Path | str) -> int:
        """Copy the records, consistently, to ``dest``: one compacted TinyDB JSON file,
        as the embedded store's backups are (`db restore` reads either). Read in one
        transaction, so no commit is half in it. Returns the version copied."""
        with self.transaction() as tx:
            version = tx._rows("SELECT version FROM miteam_meta WHERE id = 1")[0][0]
            tables, next_id = _tables_from_records(
                {t: tx.all(t) for t in TABLES}, tx.next_ids())
        _write_file_atomically(Path(dest), _base_bytes(tables, version, next_id))
        return version

    def migrate(self) -> tuple[int, int]:
        """Apply missing schema migrations: (version before, version after)."""
        conn = self._connection()
        with self._mutex:
            return self._guard(lambda: schema.migrate(conn))

    def has_records(self) -> bool:
        """Whether the database is initialised and holds any record."""
        conn = self._connection()
        if self._guard(lambda: schema.version(conn)) == 0:
            return False
        return any(self._query(f"SELECT EXISTS (SELECT 1 FROM {t})", (), in_tx=False)[0][0]
                   for t in TABLES)

    def close(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.stop()
        with self._mutex:
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.close()
                self._conn = None

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PgStore({self.path!r})"


__all__ = ["PgStore", "PgTx", "PgView", "RECORD_TABLES"]
