"""The checked rule set, cached between processes.

Parsing the rule files (and building the Lark parser to do it) is most of a one-off
command's fixed cost; checking and compiling take a few milliseconds. So the checked
program (plain dataclasses: the AST, the diagnostics, the sources) is pickled into the
user's cache directory, keyed by the rule files' names and contents, the package version
and the Python version: any edit to a rule file is a different key. Compiled closures are
not cached (they are rebuilt in 2 ms and do not pickle). Only what ``rules.cachefiles``
trusts is loaded; a damaged entry is ignored and the rules are parsed as if uncached.
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import cachefiles

FORMAT = 3  # 2: Program.asserts and the assert block (issue 15); 3: Program.settings


def key(files: Sequence[Path]) -> str | None:
    """The cache key of these rule files, or None if one cannot be read (then the
    normal load reports it)."""
    from .. import __version__

    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{sys.version}\0".encode())
    for path in files:
        try:
            data = Path(path).read_bytes()
        except OSError:
            return None
        h.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def _path(k: str) -> Path:
    return cachefiles.cache_dir() / f"rules-{k}.pickle"


def load(k: str) -> Any | None:
    path = _path(k)
    if not cachefiles.trusted(path):
        return None
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # a damaged or foreign entry: parse instead
        return None


def store(k: str, value: Any) -> None:
    """Write the cache entry; any failure (read-only home, full disk) only costs speed."""
    if cachefiles.ready_dir() is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, RecursionError, TypeError, AttributeError):
        return
    cachefiles.write(_path(k), data)
