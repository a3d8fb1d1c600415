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

from ..store import INDEXES, TABLES, TALLIES, StoreError

CHANNEL = "miteam_changes"  # NOTIFY with the new version at every commit that wrote
RECORD_TABLES = tuple(t for t in TABLES if t != "audit")
# A flag counts when it is set as Python's `if on:` reads it (as the embedded store's).
FALSY_JSON = "('false', 'null', '0', '\"\"', '[]', '{}')"


def tally_table(table: str) -> str:
    return f"{table}_tally"


def _flags(row: str, flags: str) -> str:
    """The set flags of one row's dict field, as (key, value) rows."""
    return (f"jsonb_each(CASE WHEN jsonb_typeof({row}.doc -> '{flags}') = 'object' THEN "
            f"{row}.doc -> '{flags}' ELSE '{{}}' END) f WHERE f.value::text NOT IN "
            f"{FALSY_JSON}")


def _tally(table: str, field: str, flags: str) -> list[str]:
    """Counts kept by a trigger, so an account's license counts are one index lookup
    however many users it has (the embedded store's TALLIES, the PostgreSQL way)."""
    tally = tally_table(table)
    upsert = (f"ON CONFLICT ({field}, flag) DO UPDATE SET n = {tally}.n + EXCLUDED.n")

    def change(row: str, sign: str) -> str:
        return (f"INSERT INTO {tally} ({field}, flag, n) SELECT {row}.{field}, f.key, {sign}1 "
                f"FROM {_flags(row, flags)} AND {row}.{field} IS NOT NULL {upsert};")

    return [
        f"CREATE TABLE {tally} ({field} text NOT NULL, flag text NOT NULL, n bigint NOT NULL,"
        f" PRIMARY KEY ({field}, flag))",
        f"CREATE FUNCTION {tally}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {change('OLD', '-')} END IF; "
        f"IF TG_OP IN ('INSERT', 'UPDATE') THEN {change('NEW', '+')} END IF; "
        "RETURN NULL; END $$",
        f"CREATE TRIGGER {tally} AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {tally}()",
    ]


def rebuild_tallies() -> list[str]:
    """After a bulk load with the triggers off: count everything once."""
    out = []
    for table, (field, flags) in TALLIES.items():
        tally = tally_table(table)
        out += [f"TRUNCATE {tally}",
                f"INSERT INTO {tally} ({field}, flag, n) SELECT t.{field}, f.key, count(*) "
                f"FROM {table} t, {_flags('t', flags)} AND t.{field} IS NOT NULL "
                f"GROUP BY t.{field}, f.key"]
    return out


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
    for table, (field, flags) in TALLIES.items():
        out += _tally(table, field, flags)
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
