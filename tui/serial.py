"""One core call at a time: the console asks the core from its own thread and from
workers (long lists, previews, the palette's search), and the store is a live window on
shared state (a dry run changes it in place and rolls back). `Serialized` wraps the
session so every call holds one lock: a worker never reads half a dry run, and two reads
never refresh the state under each other.

The screen's thread waits for the lock only while a worker is inside a call; what is
slow runs in the worker (a page, a preview), so that wait is one call, not a whole list.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

# Attributes handed out wrapped as well: the session's store (the console reads its
# version on every poll).
WRAPPED = frozenset({"store"})


class Serialized:
    """`obj` with every method call under `lock`; attributes read and set through."""

    __slots__ = ("_obj", "_lock")

    def __init__(self, obj: Any, lock: threading.RLock | None = None) -> None:
        object.__setattr__(self, "_obj", obj)
        object.__setattr__(self, "_lock", lock if lock is not None else threading.RLock())

    @property
    def wrapped(self) -> Any:
        return self._obj

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._obj, name)
        if name in WRAPPED:
            return Serialized(value, self._lock)
        if not callable(value) or isinstance(value, type):
            return value
        lock = self._lock

        @functools.wraps(value)
        def call(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return value(*args, **kwargs)

        return call

    def __setattr__(self, name: str, value: Any) -> None:
        with self._lock:
            setattr(self._obj, name, value)


def serialized(obj: Any, lock: threading.RLock | None = None) -> Any:
    """`obj` serialized (once: a wrapped object is not wrapped again)."""
    return obj if isinstance(obj, Serialized) else Serialized(obj, lock)
