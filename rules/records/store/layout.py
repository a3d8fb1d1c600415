"""Where the partitioned store keeps its files, what they are called, and how one is read
or written.

For a database at PATH: the core ``PATH`` (TinyDB JSON: the small tables, ``_meta``, and
``_parts``, which names each partition's file and holds its counts);
``PATH.parts/<table>/<part>.<version>.<token>.json``: one partition of a partitioned
table (``PARTITIONED``: users and audit, by account), stock-TinyDB readable
(``{"users": {"<doc_id>": {...}}}``); ``PATH.parts/index/<table>-<shard>.<version>.
<token>.json``: which partition holds each record key (``{"index": {"<doc_id>": {"k":
key, "p": part}}}``), sharded by a hash of the key so that a lookup reads one small file.

A partition's name is a hash of its account id (ids may be hostile: never a file name),
or ``none`` for records without a string account; users are further split by doc id
range (``<hash>-<n>``: 1,024 doc ids each), so that one user of a 10,000-user account is
read without parsing the other 9,000. Files are written once under a fresh
name and never changed: the core names the files that make up its state, so a reader
holding an older core still reads what that core names.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Any

from .files import _fault, _fsync_dir, _keep_group, _why, _write_all
from .tables import StoreError

NO_ACCOUNT = "none"
INDEX = "index"
_PART = r"(?:[0-9a-f]{32}|none)(?:-\d{1,15})?"
# Tables split further by doc id: table -> bits of the doc id each chunk spans.
CHUNKED = {"users": 10}
_NAME = re.compile(rf"{_PART}\.\d{{1,19}}\.[0-9a-f]{{8}}\.json")
_SHARD_NAME = re.compile(r"[a-z]{1,16}-\d{1,5}\.\d{1,19}\.[0-9a-f]{8}\.json")
PART_RE = re.compile(_PART)
# Keys per index shard a new index aims at: one lookup parses one file of about this many.
SHARD_KEYS = 2000
MAX_SHARDS = 4096


def group_of(value: Any) -> str:
    """The partitions' name of the records whose account field is ``value``."""
    if isinstance(value, str):
        try:
            raw = value.encode()
        except UnicodeEncodeError:  # a lone surrogate (JSON allows it): hashed as is
            raw = value.encode("utf-8", "surrogatepass")
        return hashlib.blake2b(raw, digest_size=16).hexdigest()
    return NO_ACCOUNT


def part_of(table: str, value: Any, doc_id: str) -> str:
    """The partition of the record ``doc_id`` of ``table`` whose account is ``value``."""
    bits = CHUNKED.get(table)
    group = group_of(value)
    return group if bits is None else f"{group}-{int(doc_id) >> bits}"


def split_part(part: str) -> tuple[str, str]:
    """(group, chunk) of a partition; the chunk is "" for a table not split by doc id."""
    group, _, chunk = part.partition("-")
    return group, chunk


def join_part(group: str, chunk: str) -> str:
    return f"{group}-{chunk}" if chunk else group


def shard_of(key: str, shards: int) -> int:
    raw = key.encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big") % shards


def shard_count(keys: int) -> int:
    """How many index shards a table of ``keys`` records gets (a power of two)."""
    n = 1
    while n * SHARD_KEYS < keys and n < MAX_SHARDS:
        n *= 2
    return n


def parts_dir(path: Path) -> Path:
    return path.with_name(path.name + ".parts")


def table_dir(path: Path, table: str) -> Path:
    return parts_dir(path) / table


def index_dir(path: Path) -> Path:
    return parts_dir(path) / INDEX


def valid_part_file(name: Any) -> bool:
    return isinstance(name, str) and _NAME.fullmatch(name) is not None


def valid_shard_file(name: Any) -> bool:
    return isinstance(name, str) and _SHARD_NAME.fullmatch(name) is not None


def new_part_name(part: str, version: int) -> str:
    return f"{part}.{version}.{secrets.token_hex(4)}.json"


def new_shard_name(table: str, shard: int, version: int) -> str:
    return f"{table}-{shard}.{version}.{secrets.token_hex(4)}.json"


class PartGone(Exception):
    """A file the loaded core names is gone: another process compacted twice since.
    The reader reloads the current core and tries again."""


def read_json(file: Path) -> Any:
    """One partition or index file, parsed (StoreError naming it if it is damaged)."""
    try:
        with open(file, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise PartGone(str(file)) from None
    except OSError as e:
        raise StoreError(f"{file}: cannot read: {_why(e)}", file) from None
    try:
        return json.loads(raw)
    except ValueError as e:
        raise StoreError(f"{file}: not a valid partition file: {e}", file) from None
    except RecursionError:
        raise StoreError(f"{file}: not a valid partition file: JSON nested too deeply",
                         file) from None


def make_dir(directory: Path, like: Path) -> None:
    """Create ``directory`` (and its parents up to the database's) with the database's
    group and its permissions (plus search where it can be read)."""
    if directory.is_dir():
        return
    if directory.parent != like.parent:
        make_dir(directory.parent, like)
    try:
        mode = stat.S_IMODE(os.stat(like).st_mode)
    except OSError:
        mode = 0o600
    mode |= (mode & 0o444) >> 2
    try:
        os.mkdir(directory, 0o700)
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            _keep_group(fd, like)
            os.fchmod(fd, mode | 0o700)
        finally:
            os.close(fd)
        _fsync_dir(directory.parent)
    except FileExistsError:
        pass
    except OSError as e:
        raise StoreError(f"could not create {directory}: {_why(e)}", directory) from None


def write_new(file: Path, data: bytes, like: Path, *, hooks: bool) -> None:
    """Write a new immutable file whole and fsync it (the directory is fsynced by the
    caller, once for all). A failure leaves no file behind."""
    try:
        fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    except OSError as e:
        raise StoreError(f"could not write {file}: {_why(e)}", file) from None
    try:
        try:
            with contextlib.suppress(OSError):
                os.fchmod(fd, stat.S_IMODE(os.stat(like).st_mode))
            _keep_group(fd, like)
            _write_all(fd, data, "parts-write" if hooks else None)
            if hooks:
                _fault("parts-fsync")
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as e:
        with contextlib.suppress(OSError):
            os.unlink(file)
        raise StoreError(f"could not write {file}: {_why(e)}", file) from None


def encode(table: str, docs: dict[str, Any]) -> bytes:
    # ASCII, as the core: stock TinyDB reads a file with the locale's encoding.
    return json.dumps({table: docs}, separators=(",", ":")).encode("ascii")


def disk_size(path: Path) -> int:
    """Bytes the database takes: its core, journal and every partition and index file
    (those of a replaced core too, until the next compaction)."""
    total = 0
    for p in (path, path.with_name(path.name + ".journal")):
        with contextlib.suppress(OSError):
            total += p.stat().st_size
    for root, _dirs, names in os.walk(parts_dir(path)):
        for name in names:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(root, name)).st_size
    return total
