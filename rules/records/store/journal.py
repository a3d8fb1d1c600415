"""The journal format: one line per commit, ``{"v":N,"crc":C,"ops":[...]}``, C the CRC-32
of the ops text; scanning, checking and sequencing lines."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from .files import _why
from .layout import PART_RE
from .tables import _META, _PARTS, PARTITIONED, StoreError, _doc_problem, _is_key

_LINE = re.compile(rb'\{"v":(\d{1,18}),"crc":(\d{1,10}),"ops":(.*)\}', re.DOTALL)
_LINE_START = re.compile(rb'^\{"v":(\d{1,18}),', re.MULTILINE)


class _BadLine(Exception):
    pass


class _Corrupt(Exception):
    def __init__(self, line_no: int, problem: str) -> None:
        super().__init__(problem)
        self.line_no = line_no
        self.problem = problem


class _Entry(NamedTuple):
    v: int
    ops: list[list[Any]]
    start: int
    end: int
    prefix: bytes  # the line's '{"v":N,"crc":C,"ops":' identifies it cheaply


def _encode_line(v: int, body: bytes) -> tuple[bytes, bytes]:
    prefix = b'{"v":%d,"crc":%d,"ops":' % (v, zlib.crc32(body))
    return prefix + body + b"}\n", prefix


def _ops_problem(ops: Any) -> str | None:
    if not isinstance(ops, list) or not ops:
        return "entry has no changes"
    for op in ops:
        # [table, doc id, record or null] and, for a partitioned table, the partition the
        # record was in before (null: a new record).
        if not (isinstance(op, list) and len(op) in (3, 4)):
            return "malformed change"
        table, key, doc = op[:3]
        if not isinstance(table, str) or table == _META or not _is_key(key):
            return "malformed change"
        if len(op) == 4 and (table not in PARTITIONED or not (
                op[3] is None or (isinstance(op[3], str) and PART_RE.fullmatch(op[3])))):
            return "malformed change"
        if doc is not None:
            if not isinstance(doc, dict):
                return f"{table} #{key} is not a record"
            problem = _doc_problem(table, key, doc)
            if problem:
                return problem
            if table == _PARTS:
                from .state import _parts_problem

                problem = _parts_problem({"files": {}, **doc})
                if problem:
                    return problem
    return None


# The journal's format holds versions of up to 18 digits; a base claiming more could
# never be followed by a readable line (every later commit would vanish), so it is
# refused on open. A million commits a second would take 30,000 years to get here.
MAX_VERSION = 10**18 - 10**12


def _decode_line(line: bytes) -> tuple[int, list[list[Any]], bytes]:
    m = _LINE.fullmatch(line)
    if m is None:
        raise _BadLine("not a journal entry")
    body = m.group(3)
    if zlib.crc32(body) != int(m.group(2)):
        raise _BadLine("checksum mismatch")
    try:
        ops = json.loads(body)
    except ValueError:
        raise _BadLine("entry is not valid JSON") from None
    except RecursionError:
        raise _BadLine("entry is nested too deeply") from None
    problem = _ops_problem(ops)
    if problem:
        raise _BadLine(problem)
    return int(m.group(1)), ops, line[: m.start(3)]


def _scan_journal(buf: bytes, origin: int) -> tuple[list[_Entry], int, bool]:
    """Split journal bytes (read from offset ``origin``) into valid entries.

    Returns (entries, end of the last valid line, torn). A final segment that lacks its
    newline is a torn write (its writer died before the newline, so before its fsync) and
    is left out. A complete line (newline included) that fails its check is damage,
    wherever it is, raised as _Corrupt: a line is written whole with one final newline,
    so a bad complete line is not a torn write, and cutting it could lose a commit.
    """
    entries: list[_Entry] = []
    pos, n = 0, len(buf)
    while pos < n:
        nl = buf.find(b"\n", pos)
        if nl < 0:
            return entries, origin + pos, True
        try:
            v, ops, prefix = _decode_line(buf[pos:nl])
        except _BadLine as e:
            raise _Corrupt(len(entries) + 1, str(e)) from None
        entries.append(_Entry(v, ops, origin + pos, origin + nl + 1, prefix))
        pos = nl + 1
    return entries, origin + pos, False


def _sequence(entries: list[_Entry], version: int, skip_upto: int) -> list[_Entry]:
    """The entries to apply on top of ``version``; versions must follow on exactly."""
    out: list[_Entry] = []
    expected = version + 1
    for i, e in enumerate(entries, 1):
        # Lines already folded into the base: a compaction died before emptying the journal.
        if not out and e.v <= skip_upto:
            continue
        if e.v != expected:
            raise _Corrupt(i, f"version {e.v} follows version {expected - 1}")
        out.append(e)
        expected += 1
    return out


def _last_journal_version(journal: Path) -> int:
    try:
        data = journal.read_bytes()
    except FileNotFoundError:
        return 0
    except OSError as e:
        raise StoreError(f"{journal}: cannot read the journal: {_why(e)}", journal) from None
    return max((int(m) for m in _LINE_START.findall(data)), default=0)
