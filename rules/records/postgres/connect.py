"""Connecting: the optional driver, and server problems as one line a user can act on."""

from __future__ import annotations

import json
from typing import Any

from ..store import StoreError

SCHEMES = ("postgresql://", "postgres://")
EXTRA = "pip install 'miteam-console[postgresql]'"
CONNECT_TIMEOUT = 5  # seconds: a command whose server is down says so, it does not hang


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(SCHEMES)


def driver() -> Any:
    """psycopg, or one clear message naming the extra that brings it."""
    try:
        import psycopg
    except ImportError:
        raise StoreError("a PostgreSQL database needs the PostgreSQL driver, which is not "
                         f"installed: {EXTRA}") from None
    return psycopg


def server_name(url: str) -> str:
    """``PostgreSQL host:port/database`` for messages: never the URL's password."""
    psycopg = driver()
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "PostgreSQL (a URL that cannot be read)"
    host = str(info.get("host") or "localhost")
    port = str(info.get("port") or "5432")
    db = str(info.get("dbname") or info.get("user") or "")
    return f"PostgreSQL {host}:{port}/{db}"


def _first_line(exc: Exception) -> str:
    # psycopg: 'connection failed: connection to server at "h", port p failed: REASON'
    # and a hint on the next line; the reason is what the user needs (never a password).
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    line = lines[0] if lines else type(exc).__name__
    if "failed: " in line:
        line = line.rsplit("failed: ", 1)[1]
    return line.removeprefix("FATAL:").strip()


def unreachable(url: str, exc: Exception) -> StoreError:
    return StoreError(f"cannot reach {server_name(url)}: {_first_line(exc)}")


def failed(url: str, exc: Exception) -> StoreError:
    return StoreError(f"{server_name(url)}: {_first_line(exc)}")


def _loads(data: str | bytes) -> Any:
    """JSON from the server: orjson when installed (the extra brings it; 3x faster on
    10,000 users' records), json otherwise, and json for what orjson refuses (integers
    beyond 64 bits), so every record reads back as written. A module-level function, not
    a closure: psycopg keeps it per connection."""
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


def connect(url: str, role: str = "miteam") -> Any:
    """An autocommit connection (transactions are begun explicitly); `role` is its
    application_name, what `pg_stat_activity` shows the server's operators."""
    psycopg = driver()
    from psycopg.types.json import set_json_loads

    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                               application_name=role)
        set_json_loads(_loads, conn)
        return conn
    except psycopg.ProgrammingError as exc:  # a malformed URL
        raise StoreError(f"not a usable PostgreSQL URL: {_first_line(exc)}") from None
    except psycopg.Error as exc:
        raise unreachable(url, exc) from None
