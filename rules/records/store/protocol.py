"""What every store backend offers the code above it (rules, operations, console, CLI).

The TinyDB store (``api.Store``) is one implementation; another (PostgreSQL, SQLite for the
bench) implements the same three protocols and nothing above the store changes. Records
are plain JSON dicts: each has a string ``"id"``, except audit entries, keyed by the int
``"seq"`` the store assigns. Dicts returned by reads may be the stored objects themselves:
callers treat them as read-only and ``put`` changed copies.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

Doc = dict[str, Any]


@runtime_checkable
class ViewProtocol(Protocol):
    """Read access to one consistent state (as of ``Store.read()`` or inside a
    transaction). Unknown tables raise ``StoreError``."""

    @property
    def version(self) -> int:
        """A number that grows with every commit: equal versions, equal states."""
        ...

    def get(self, table: str, key: str) -> Doc | None:
        """The record whose id (audit: seq, int or decimal string) is ``key``, or None."""
        ...

    def all(self, table: str) -> list[Doc]:
        """Every record of ``table``, in insertion order."""
        ...

    def by(self, table: str, field: str, value: Any) -> list[Doc]:
        """The records whose ``field`` equals ``value``, in insertion order (indexed for
        the fields in ``INDEXES``)."""
        ...

    def count(self, table: str, field: str | None = None, value: Any = None) -> int:
        """How many records ``table`` holds (of those whose ``field`` is ``value``): the
        number ``len(by(...))`` would give, without building the records."""
        ...

    def count_flags(self, table: str, field: str, value: Any, flags: str) -> dict[str, int]:
        """Of the records whose ``field`` is ``value``: how many have each key of their
        dict field ``flags`` set (truthy); keys counted 0 are left out. O(1) for the
        tallies in ``TALLIES`` (users' licenses per account)."""
        ...

    def tail(self, table: str, n: int, *, field: str | None = None,
             value: Any = None) -> list[Doc]:
        """The newest ``n`` records (optionally of those whose ``field`` is ``value``),
        oldest first."""
        ...


@runtime_checkable
class TxProtocol(ViewProtocol, Protocol):
    """A transaction: reads see its own writes; all of it is committed (durably, as one)
    when the ``with`` block ends normally, none of it when it raises."""

    def put(self, table: str, doc: Mapping[str, Any]) -> None:
        """Insert or replace the record with ``doc["id"]`` (a copy is stored)."""
        ...

    def delete(self, table: str, key: str) -> None:
        """Remove the record ``key`` if it exists."""
        ...

    def append(self, table: str, doc: Mapping[str, Any]) -> int:
        """Add an audit entry; returns the seq assigned (also set in ``doc`` if mutable).
        Seqs are never reused."""
        ...


@runtime_checkable
class StoreProtocol(Protocol):
    """The records of one database, shared safely with other processes."""

    path: Path

    @property
    def version(self) -> int:
        ...

    def read(self) -> ViewProtocol:
        """Catch up with other processes' commits and return a view of the state."""
        ...

    def transaction(self) -> AbstractContextManager[TxProtocol]:
        """Take the write lock, catch up, yield a ``Tx``; commit on a normal exit."""
        ...

    def backup(self, dest: Path | str) -> int:
        """Write a consistent, self-contained copy to ``dest``; returns its version."""
        ...

    def close(self) -> None:
        ...
