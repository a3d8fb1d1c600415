"""The tables, and the numbered migrations that create and upgrade them.

One table per record kind: the record itself as ``jsonb`` (``doc``), its key (``id``, or
``seq`` for the audit), ``n`` (the order records were first stored in, from a sequence:
what the embedded store's doc ids are) and, for each field the store looks records up by
(``INDEXES``), a column generated from the document with an index, so an account's users,
their license counts and an account's newest audit entries are index scans.
``miteam_meta`` holds the store's version (one more per commit); ``miteam_schema`` the
migrations applied. Only ``miteam db init`` and ``miteam db migrate`` change the schema.
"""

from __future__ import annotations

from typing import Any

from ..store import INDEXES, TABLES, StoreError

CHANNEL = "miteam_changes"  # NOTIFY with the new version at every commit that wrote
RECORD_TABLES = tuple(t for t in TABLES if t != "audit")


def _v1() -> list[str]:
    out = ["CREATE TABLE miteam_meta (id int PRIMARY KEY CHECK (id = 1), version bigint "
           "NOT NULL)",
           "INSERT INTO miteam_meta VALUES (1, 0)"]
    for t in TABLES:
        key = "seq bigint PRIMARY KEY" if t == "audit" else "id text PRIMARY KEY"
        cols = [key, f"n bigint NOT NULL DEFAULT nextval('{t}_n_seq')", "doc jsonb NOT NULL"]
        cols += [f"{f} text GENERATED ALWAYS AS (doc->>'{f}') STORED"
                 for f in INDEXES.get(t, ())]
        out.append(f"CREATE SEQUENCE {t}_n_seq")
        out.append(f"CREATE TABLE {t} ({', '.join(cols)})")
        out.append(f"CREATE UNIQUE INDEX {t}_n ON {t} (n)")
        out += [f"CREATE INDEX {t}_{f} ON {t} ({f}, n)" for f in INDEXES.get(t, ())]
    return out


# Version N is MIGRATIONS[N - 1]; a released migration is never edited, only appended to.
MIGRATIONS: list[list[str]] = [_v1()]
LATEST = len(MIGRATIONS)

_SCHEMA_TABLE = ("CREATE TABLE IF NOT EXISTS miteam_schema (version int PRIMARY KEY, "
                 "applied_at timestamptz NOT NULL DEFAULT now())")
# Two hosts migrating at once: the second waits, then finds nothing left to do.
_MIGRATE_LOCK = 0x6D697465616D  # "miteam"


def version(conn: Any) -> int:
    """The schema version of the database on `conn`; 0 before `db init`."""
    row = conn.execute("SELECT to_regclass('miteam_schema') IS NOT NULL").fetchone()
    if not row[0]:
        return 0
    return conn.execute("SELECT coalesce(max(version), 0) FROM miteam_schema").fetchone()[0]


def check(conn: Any, where: str) -> None:
    """Refuse a database whose schema this miteam does not speak."""
    have = version(conn)
    if have == 0:
        raise StoreError(f"{where} holds no miteam database yet: create it with "
                         "`miteam db init`")
    if have < LATEST:
        raise StoreError(f"{where} has schema version {have}, this miteam needs {LATEST}: "
                         "upgrade it with `miteam db migrate`")
    if have > LATEST:
        raise StoreError(f"{where} has schema version {have}, newer than this miteam "
                         f"knows ({LATEST}): upgrade miteam")


def migrate(conn: Any) -> tuple[int, int]:
    """Apply the missing migrations, each in its own transaction. Returns (from, to)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        conn.execute(_SCHEMA_TABLE)
        start = version(conn)
        if start > LATEST:
            raise StoreError(f"the database has schema version {start}, newer than this "
                             f"miteam knows ({LATEST}): upgrade miteam")
        for n in range(start + 1, LATEST + 1):
            for statement in MIGRATIONS[n - 1]:
                conn.execute(statement)
            conn.execute("INSERT INTO miteam_schema (version) VALUES (%s)", (n,))
    return start, LATEST
