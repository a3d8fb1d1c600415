"""The tables of the store, how their records are keyed and indexed, and what a record
must look like to be stored."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

Doc = dict[str, Any]

TABLES: tuple[str, ...] = ("partners", "accounts", "orders", "users", "operators", "audit")
INDEXES: dict[str, tuple[str, ...]] = {
    "accounts": ("partner",),
    "orders": ("partner", "account"),
    "users": ("account",),
    "operators": ("partner", "account"),
    "audit": ("account",),
}
# Counts kept current with every change, so that reading them costs O(1) however many
# records there are: table -> (index field, dict field). For each value of the index
# field, how many records have each key of the dict field set (truthy): for users, per
# account, how many hold each product's license. The index field must be in INDEXES.
TALLIES: dict[str, tuple[str, str]] = {"users": ("account", "licenses")}
# The tables kept in partitions (one file per account: see ``layout``), and the field
# that picks a record's partition. The other tables live in the core file.
PARTITIONED: dict[str, str] = {"users": "account", "audit": "account"}
# The core's internal table of partitions: per partition its file and its counts.
_PARTS = "_parts"
# The field that identifies a record in each table.
_KEY: dict[str, str] = {t: "id" for t in TABLES} | {"audit": "seq", _PARTS: "id"}
_META = "_meta"
_PUBLIC = frozenset(TABLES)


class StoreError(Exception):
    """A store problem the user can act on: ``str(e)`` is one line, ``e.path`` the file."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class _Missing:
    """Marks "no document here" in undo records (None is a valid JSON value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _is_key(k: Any) -> bool:
    # TinyDB doc ids as JSON object keys: canonical decimal, so str(int(k)) == k.
    return (
        isinstance(k, str) and k.isascii() and k.isdigit() and (k == "0" or k[0] != "0")
    )


def _seq_key(key: Any) -> str | None:
    """An audit key (int seq, or its decimal string) as a doc id string."""
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    if isinstance(key, str) and key.isascii() and key.isdigit():
        return str(int(key))
    return None


_INDEXABLE = (str, int, float, type(None))


def _hashable(value: Any) -> bool:
    return isinstance(value, _INDEXABLE)


def _clone(value: Any) -> Any:
    """A deep copy restricted to JSON: what is stored in memory is what a reload gives."""
    t = type(value)
    if t is str or t is int or t is float or t is bool or value is None:
        return value
    if t is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                return _clone_slow(value)
            out[k] = _clone(v)
        return out
    if t is list:
        return [_clone(v) for v in value]
    return _clone_slow(value)


def _clone_slow(value: Any) -> Any:
    # Tuples, str/int subclasses, non-str keys: exactly what JSON would make of them.
    try:
        return json.loads(json.dumps(value))
    except (TypeError, ValueError) as e:
        raise StoreError(f"cannot store this value: {e}") from None


def _doc_problem(table: str, key: str, doc: Mapping[str, Any]) -> str | None:
    field = _KEY.get(table)
    if field is None:
        return None
    value = doc.get(field)
    if field == "id":
        if not isinstance(value, str):
            return f"{table} record #{key} has no string 'id'"
    elif type(value) is not int or value != int(key):
        return f"audit entry #{key} has no matching 'seq'"
    return None


def _known(table: str) -> None:
    if table not in _PUBLIC:
        raise StoreError(f"unknown table {table!r}")


def put_key(table: str, doc: Any) -> str:
    """The id of a record about to be `put`, or StoreError saying why it cannot be (every
    backend refuses the same things)."""
    _known(table)
    if table == "audit":
        raise StoreError("audit entries are added with append(), not put()")
    if not isinstance(doc, Mapping):
        raise StoreError(f"a {table} record must be a dict")
    key = doc.get("id")
    if not isinstance(key, str):
        raise StoreError(f"a {table} record needs a string 'id'")
    return key

