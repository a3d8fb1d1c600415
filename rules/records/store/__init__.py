"""The record store: TinyDB records shared safely by several consoles on one host.

Why not stock TinyDB: it rewrites the whole JSON file on every write (0.4 s per update at
100k users), has no locking, and two writers corrupt its file. This store keeps TinyDB's
file format and plugs into TinyDB's own extension points: ``JournalStorage`` (a
``Storage``) holds what it has read in memory and journals changes; ``JournalTable`` (our
``TinyDB.table_class``) overrides ``_update_table`` so that a write touches only the
changed documents and records which document ids are dirty.

Files, for a database at PATH (see ``layout``):

- ``PATH``: the core. TinyDB's own JSON (``{"table": {"<doc_id>": {...}}}``) with the
  small tables, a ``_meta`` table (version, next ids, the layout, the index's files) and
  ``_parts`` (per account: the files of its users and audit entries, and its counts), so
  stock ``TinyDB(PATH)`` opens it. Only ever replaced whole: temp file, fsync,
  os.replace, fsync of the directory. A file without ``_meta.layout`` 2 is a single-file
  database of before (every table inline): it opens as it is and is converted at its
  first write, the old file kept as ``PATH.before-migrate``.
- ``PATH.parts/``: each account's users (in doc id chunks) and audit entries, and the
  index from user id / audit seq to partition; every file written once under a fresh name.
- ``PATH.journal``: append-only, one line per commit,
  ``{"v":N,"crc":C,"ops":[[table, doc_id, doc-or-null(, partition before)], ...]}``
  where C is the CRC-32 of the ops text. The state is the core, its partitions, and every
  line with v > the core's version.
- ``PATH.lock``: empty. ``fcntl.flock`` on it serialises writers; the kernel drops a
  flock when its holder dies, so the lock can never go stale. It is never deleted.

Protocol: a transaction takes the exclusive lock, refreshes (two stat calls when nothing
changed), lets the caller read and write in memory (loading the partitions it asks for),
then appends one journal line and fsyncs it: that fsync is the commit. Compaction (under
the lock) writes the partitions changed since the core as new files, then a new core
carrying version N, then empties the journal; a crash in between is harmless because
replay skips lines with v <= the core's version. Readers take no lock to follow the
journal: an incomplete final line is a torn write, ignored, and cut off by the next
writer. A full reload (the core changed) takes the lock shared only if the core changed
again while it read, so it never sees half a compaction.

Records are plain JSON dicts; each has a string "id", except audit entries, whose key is
an int "seq" that the store assigns (the TinyDB doc_id of an audit entry is its seq).
Doc ids, and so seqs, are never reused: each table's next id lives in ``_meta``.

Dicts returned by reads are the stored objects themselves (copying 100k users per read
would defeat the point); callers treat them as read-only and put changed copies.

The package: ``tables`` (names, keys, indexes), ``files`` (atomic writes, fault hook),
``journal`` (the line format), ``layout`` (the partitions' files), ``state`` (memory,
indexes, counts), ``partitions`` (lazy loading, the index), ``compaction`` (writing the
changed partitions), ``consistency`` (what verify checks of the layout), ``tinydb_glue``
(TinyDB's extension points), ``engine`` (the Storage: commit, compaction, refresh),
``lock`` (the flock), ``view`` (View, Tx), ``api`` (Store), ``protocol`` (what any backend
offers).
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
