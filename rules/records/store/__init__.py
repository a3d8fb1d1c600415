"""The record store: TinyDB records shared safely by several consoles on one host.

Why not stock TinyDB: it rewrites the whole JSON file on every write (0.4 s per update at
100k users), has no locking, and two writers corrupt its file. This store keeps TinyDB's
file format and plugs into TinyDB's own extension points: ``JournalStorage`` (a
``Storage``) holds the database in memory and journals changes; ``JournalTable`` (our
``TinyDB.table_class``) overrides ``_update_table`` so that a write touches only the
changed documents and records which document ids are dirty.

Files, for a database at PATH (all in one directory):

- ``PATH``: the base. TinyDB's own JSON (``{"table": {"<doc_id>": {...}}}``) plus a
  ``_meta`` table (``{"1": {"version": N, "next_id": {table: int}}}``), so stock
  ``TinyDB(PATH)`` opens it. Only ever replaced whole: temp file, fsync, os.replace,
  fsync of the directory.
- ``PATH.journal``: append-only, one line per commit,
  ``{"v":N,"crc":C,"ops":[[table, doc_id, doc-or-null], ...]}`` where C is the CRC-32
  of the ops text. The state is the base plus every line with v > the base's version.
- ``PATH.lock``: empty. ``fcntl.flock`` on it serialises writers; the kernel drops a
  flock when its holder dies, so the lock can never go stale. It is never deleted.

Protocol: a transaction takes the exclusive lock, refreshes (two stat calls when nothing
changed), lets the caller read and write in memory, then appends one journal line and
fsyncs it: that fsync is the commit. Compaction (under the lock) writes the full state as
a new base carrying version N and then empties the journal; a crash in between is
harmless because replay skips lines with v <= the base's version. Readers take no lock to
follow the journal: an incomplete or bad final line is a torn write, ignored, and cut off
by the next writer. A full reload (the base changed) takes the lock shared, so it never
sees half a compaction.

Records are plain JSON dicts; each has a string "id", except audit entries, whose key is
an int "seq" that the store assigns (the TinyDB doc_id of an audit entry is its seq).
Doc ids, and so seqs, are never reused: each table's next id lives in ``_meta``.

Dicts returned by reads are the stored objects themselves (copying 100k users per read
would defeat the point); callers treat them as read-only and put changed copies.

The package: ``tables`` (names, keys, indexes), ``files`` (atomic writes, fault hook),
``journal`` (the line format), ``state`` (memory and indexes), ``tinydb_glue`` (TinyDB's
extension points), ``engine`` (the Storage: commit, compaction, refresh), ``lock`` (the
flock), ``view`` (View, Tx), ``api`` (Store), ``protocol`` (what any backend offers).
"""

from .api import Store, next_ids, read_file, records
from .engine import JournalStorage
from .tables import INDEXES, TABLES, TALLIES, StoreError
from .tinydb_glue import JournalTable
from .view import Tx, View

__all__ = [
    "INDEXES",
    "TALLIES",
    "TABLES",
    "JournalStorage",
    "JournalTable",
    "Store",
    "StoreError",
    "Tx",
    "View",
    "next_ids",
    "read_file",
    "records",
]
