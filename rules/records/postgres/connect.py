"""Connecting: the optional driver, and server problems as one line a user can act on."""

from __future__ import annotations

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
    """``host:port/database`` (or the socket directory), never the user's password."""
    psycopg = driver()
    try:
        info = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the PostgreSQL server (the URL cannot be read)"
    host = str(info.get("host") or "localhost")
    port = str(info.get("port") or "5432")
    db = str(info.get("dbname") or info.get("user") or "")
    where = f"{host}:{port}" if not host.startswith("/") else f"{host} (port {port})"
    return f"the PostgreSQL server {where}" + (f", database {db}" if db else "")


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    # psycopg names the server and says "connection failed: ..." first; the rest is detail.
    line = text[-1] if text else type(exc).__name__
    return line.removeprefix("FATAL:").strip()


def unreachable(url: str, exc: Exception) -> StoreError:
    return StoreError(f"cannot reach {server_name(url)}: {_first_line(exc)}")


def failed(url: str, exc: Exception) -> StoreError:
    return StoreError(f"{server_name(url)}: {_first_line(exc)}")


def connect(url: str) -> Any:
    """An autocommit connection (transactions are begun explicitly)."""
    psycopg = driver()
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.ProgrammingError as exc:  # a malformed URL
        raise StoreError(f"not a usable PostgreSQL URL: {_first_line(exc)}") from None
    except psycopg.Error as exc:
        raise unreachable(url, exc) from None
