"""``JournalStorage``: the TinyDB ``Storage`` that holds the database in memory and
journals its changes; transactions, commit, rollback, compaction, loading, refreshing."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import re
import secrets
import stat
import threading
from pathlib import Path
from typing import Any, cast

from tinydb.storages import Storage

from . import compaction, files
from .files import (
    _fault,
    _fsync_dir,
    _gc_paused,
    _keep_group,
    _pread_all,
    _sig,
    _why,
    _write_all,
    _write_file_atomically,
)
from .journal import _Corrupt, _encode_line, _scan_journal, _sequence
from .layout import PartGone, part_of, parts_dir
from .lock import FileLock
from .partitions import Lazy
from .state import LAYOUT, _base_bytes, _read_base, _State, _TxState
from .tables import _META, _MISSING, _PARTS, PARTITIONED, Doc, StoreError, _clone
from .tinydb_glue import _TrackedDocs

_log = logging.getLogger(__name__)
_frozen = False  # gc.freeze() done in this process


class JournalStorage(Storage, Lazy):
    """A TinyDB ``Storage``: the database in memory, changes journaled (see module doc).

    ``read()`` hands TinyDB the in-memory tables; whole-database ``write()`` (used by
    stock ``drop_tables``) is turned into per-document changes. Writes of any kind are
    allowed only inside a transaction.
    """

    def __init__(self, path: str | Path, *, load: bool = True) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        # Threads of one process share the flock (it belongs to the open file), so they
        # are serialised here first.
        self.mutex = threading.RLock()
        self.lock = FileLock(self.lock_path, parts_dir(self.path))
        self._jfd: int | None = None
        self._tx: _TxState | None = None
        self._tx_thread: int | None = None
        self._swept = False
        self._closed = False
        self.converted: Path | None = None  # where a converted single file was kept
        self._replaced = False  # the last _replace_base got as far as the rename
        self.quiet = False  # the caller says itself what a conversion did
        self.state = _State()
        if load:
            if not self.path.exists():
                # Before the lock: opening nothing must not leave a PATH.lock behind.
                raise StoreError(f"{self.path}: no database here (file not found)", self.path)
            self.state = self._load_unlocked()

    # -- Storage interface

    def read(self) -> dict[str, dict[str, Any]]:
        # TinyDB queries scan whole tables: every partition is loaded for them.
        for table in PARTITIONED:
            self.whole(table)
            self.state.ordered(table)
        # A shallow copy: stock drop_table() deletes from what read() returned.
        return {t: docs for t, docs in self.state.tables.items() if t != _PARTS}

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.require_tx()
        for table in set(self.state.tables) | set(data):
            if table in (_META, _PARTS):
                continue
            new = data.get(table, {})
            docs = _TrackedDocs(self, table)
            raw = self.state.tables[table]
            try:
                for key in [k for k in raw if k not in new]:
                    del docs[int(key)]
                for key, doc in new.items():
                    if raw.get(str(key)) is not doc:
                        docs[int(key)] = _clone(doc)
            finally:
                problem = docs.finish()
            if problem:
                raise StoreError(problem)

    def close(self) -> None:
        with self.mutex:
            if self._tx is not None:
                raise StoreError("cannot close the store inside a transaction")
            self._closed = True
            if self._jfd is not None:
                with contextlib.suppress(OSError):
                    os.close(self._jfd)
            self._jfd = None
            self.lock.close()

    # -- transactions

    def check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: the store is closed", self.path)

    def in_tx_here(self) -> bool:
        return self._tx is not None and self._tx_thread == threading.get_ident()

    def require_tx(self) -> _TxState:
        if not self.in_tx_here():
            raise StoreError("records can only be changed inside Store.transaction()")
        return cast(_TxState, self._tx)

    def note(self, table: str, key: str, put: bool) -> None:
        tx = self.require_tx()
        entry = tx.undo.get((table, key))
        if entry is None:
            tx.undo[(table, key)] = [self.state.tables[table].get(key, _MISSING), put]
        elif put:
            entry[1] = True

    def poison(self, problem: str) -> None:
        tx = self.require_tx()
        tx.poison = tx.poison or problem

    def peek_next_id(self, table: str) -> int:
        return self.state.next_id.setdefault(table, 1)

    def begin(self) -> None:
        """Lock, refresh, open a transaction (released by ``finish``)."""
        self.check_open()
        self.mutex.acquire()
        try:
            if self._tx is not None:
                raise StoreError("a transaction is already open on this store")
            self._lock_ex()
            try:
                if not self._swept:
                    self._sweep()
                    self._swept = True
                self.refresh(exclusive=True)
                if self.state.layout != LAYOUT:
                    self._convert()
            except BaseException:
                self._unlock()
                raise
            self.state.tx_stats.clear()
            self.state.tx_new_stats.clear()
            self._tx = _TxState(dict(self.state.next_id))
            self._tx_thread = threading.get_ident()
        except BaseException:
            self.mutex.release()
            raise

    def finish(self, ok: bool) -> None:
        """Commit (``ok``) or roll back the open transaction, then release it."""
        try:
            if not ok:
                self._rollback()
                return
            try:
                wrote = self._commit()
            except BaseException:
                self._rollback()
                raise
            if wrote:
                self._maybe_compact()
        finally:
            self._tx = None
            self._tx_thread = None
            try:
                self._unlock()
            finally:
                self.mutex.release()

    def _commit(self) -> bool:
        tx = cast(_TxState, self._tx)
        st = self.state
        if tx.poison:
            raise StoreError(tx.poison)
        ops: list[list[Any]] = []
        for (table, key), (orig, put) in tx.undo.items():
            cur = st.tables[table].get(key, _MISSING)
            if cur is _MISSING:
                if orig is _MISSING:
                    continue
                ops.append([table, key, None])
            # A put is always written, even if equal: the caller may have changed the
            # stored dict in place before putting it, so equality proves nothing.
            elif put or cur != orig:
                ops.append([table, key, cur])
            else:
                continue
            if table in PARTITIONED:
                # The partition the record was in: compaction rewrites it, replay needs
                # no partition loaded to know it.
                ops[-1].append(None if orig is _MISSING
                               else part_of(table, orig.get(PARTITIONED[table]), key))
        if not ops:
            return False
        # The counts of the partitions changed, in the same line: replay keeps them
        # current without loading a partition. Not their files: those change only when
        # the core is written, which empties the journal.
        parts = st.tables[_PARTS]
        ops.extend([_PARTS, k, {f: v for f, v in parts[k].items() if f != "files"}]
                   for k in sorted(st.tx_stats, key=int) if k in parts)
        try:
            body = json.dumps(ops, ensure_ascii=False, separators=(",", ":"))
            data = body.encode("utf-8", "surrogatepass")
        except (TypeError, ValueError) as e:
            raise StoreError(f"cannot save these records: {e}") from None
        version = st.version + 1
        line, prefix = _encode_line(version, data)
        start = st.j_end
        fd: int | None = None
        try:
            fd = self._journal_fd()
            self._cut_torn_tail(fd, start)
            _write_all(fd, line, "journal-write")
            _fault("journal-fsync")
            os.fsync(fd)
            fst = os.fstat(fd)
        except OSError as e:
            if fd is not None:
                # Take back whatever part of the line got written: not committed.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, start)
            raise StoreError(
                f"could not save the change to {self.journal_path}: {_why(e)}", self.journal_path
            ) from None
        for op in ops:
            if op[0] in PARTITIONED:
                st.dirty(op[0], st.touched[op[0]].setdefault(op[1], op[3]), op[1], op[2])
        st.version = version
        st.j_end = start + len(line)
        st.j_last = (start, prefix)
        st.j_torn = False
        st.j_sig = _sig(fst)
        st.j_ino = fst.st_ino
        return True

    def _cut_torn_tail(self, fd: int, end: int) -> None:
        """Cut what follows the last valid line: a torn write by a writer that died.

        Only ever bytes without a newline: a complete line there is either another
        writer's (without the lock) or damage, and neither is cut here (``db repair``
        keeps what it cuts)."""
        size = os.fstat(fd).st_size
        if size == end:
            return
        if size > end:
            if b"\n" in _pread_all(fd, size - end, end):
                raise StoreError(
                    f"{self.journal_path}: complete lines after the last valid one (damage,"
                    " or a writer without the lock): run `miteam db repair`",
                    self.journal_path,
                )
        os.ftruncate(fd, end)

    def _rollback(self) -> None:
        tx = self._tx
        if tx is None:
            return
        st = self.state
        resort: set[str] = set()
        changes: dict[str, list[tuple[str, Doc | None, Doc | None]]] = {}
        for (table, key), (orig, _put) in tx.undo.items():
            raw = st.tables[table]
            cur = raw.get(key)
            if table in PARTITIONED:
                st.restat(table, [(key, cur, None if orig is _MISSING else orig)])
            if orig is _MISSING:
                raw.pop(key, None)
            else:
                if key not in raw:
                    resort.add(table)  # re-inserted at the end: restore doc id order
                raw[key] = orig
            changes.setdefault(table, []).append((key, cur, None if orig is _MISSING else orig))
        if not tx.poison:
            for table, items in changes.items():
                st.reindex_many(table, items)
        for k in st.tx_new_stats:
            doc = st.tables[_PARTS].pop(k, None)
            if doc is not None:
                st.ids[_PARTS].pop(doc["id"], None)
        st.tx_stats.clear()
        st.tx_new_stats.clear()
        st.next_id = tx.next_id
        for table in resort:
            st.sort_table(table)
        if tx.poison:
            # The indexes may hold a duplicate's leftovers: rebuild what was touched.
            for table in {t for t, _ in tx.undo}:
                st.rebuild_index(table)
        tx.undo.clear()

    # -- compaction

    def compact(self) -> None:
        self.check_open()
        with self.mutex:
            if self._tx is not None:
                raise StoreError("cannot compact inside a transaction")
            self._lock_ex()
            try:
                self.refresh(exclusive=True)
                self._compact()
            finally:
                self._unlock()

    def _maybe_compact(self) -> None:
        st = self.state
        if (st.j_end > files.COMPACT_BYTES
                or st.version - st.base_version > files.COMPACT_COMMITS
                or st.dirty_count() >= files.COMPACT_PARTS):
            try:
                self._compact()
            except StoreError as e:
                # The commit itself is durable; compaction is retried after the next one.
                _log.warning("compaction postponed: %s", e)

    def _compact(self, *, hooks: bool = True, keep_old: bool = True) -> None:
        """Fold the journal into new partition files and a new core. Exclusive lock
        held, state fresh. ``keep_old``: keep the files the replaced core names (a reader
        may hold it); the files of older cores are deleted."""
        st = self.state
        self._sweep()
        old = compaction.named(st) if keep_old else set()
        plan = compaction.write(st, self.path, hooks=hooks)
        self._replaced = False
        try:
            self._replace_base(plan.core, hooks=hooks)
        except BaseException:
            if not self._replaced:
                plan.discard()  # never named by a core: nobody reads them
            raise
        compaction.adopt(st, plan)
        # From here the base alone holds everything; a failure below leaves journal
        # lines that replay skips (v <= base version). Refresh reloads the new base.
        try:
            if hooks:
                _fault("journal-truncate")
            fd = self._journal_fd()
            os.ftruncate(fd, 0)
            os.fsync(fd)
            fst = os.fstat(fd)
            bst = os.stat(self.path)
        except OSError as e:
            raise StoreError(
                f"could not empty the journal {self.journal_path}: {_why(e)}", self.journal_path
            ) from None
        st.base_version = st.version
        st.base_sig = _sig(bst)
        st.j_end, st.j_last, st.j_torn = 0, None, False
        st.j_sig, st.j_ino = _sig(fst), fst.st_ino
        compaction.sweep(self.path, old | compaction.named(st))

    def _convert(self) -> None:
        """A single-file database (layout 1) becomes a partitioned one at its first
        write; the file as it was (with its journal folded in) is kept beside it."""
        st = self.state
        keep = self.path.with_name(self.path.name + ".before-migrate")
        if keep.exists():
            keep = keep.with_name(f"{keep.name}-{st.version}-{secrets.token_hex(4)}")
        _write_file_atomically(keep, _base_bytes(st.tables, st.version, st.next_id))
        self._compact()
        self.converted = keep
        if not self.quiet:
            _log.warning("%s: converted to the partitioned layout; the single file as it was "
                     "is kept as %s", self.path, keep)

    def _gone(self, e: PartGone) -> None:
        # Another process compacted twice since this state's core: read the current one.
        if self.in_tx_here():
            raise StoreError(f"{e}: a partition file of the database is missing") from None
        with self.mutex:
            self._reload(exclusive=False)

    def _replace_base(self, data: bytes, *, hooks: bool) -> None:
        directory = self.path.parent
        tmp = directory / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        step = _fault if hooks else (lambda _step: None)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o666)
            try:
                with contextlib.suppress(FileNotFoundError):
                    # Keep the base's permissions: the temp file is born with our umask,
                    # and the other engineers must keep access to a shared database.
                    os.fchmod(fd, stat.S_IMODE(os.stat(self.path).st_mode))
                _keep_group(fd, self.path)
                _write_all(fd, data, "compact-temp-write" if hooks else None)
                step("compact-fsync")
                os.fsync(fd)
            finally:
                os.close(fd)
            step("compact-replace")
            os.replace(tmp, self.path)
            self._replaced = True
            step("compact-dirfsync")
            _fsync_dir(directory)
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StoreError(f"could not write {self.path}: {_why(e)}", self.path) from None

    def _sweep(self) -> None:
        # Temp files of a compaction whose process died. Only under the exclusive lock,
        # when nobody else can be writing one.
        pattern = re.compile(rf"\.{re.escape(self.path.name)}\.\d+\.[0-9a-f]{{8}}\.tmp")
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            if pattern.fullmatch(name):
                with contextlib.suppress(OSError):
                    os.unlink(self.path.parent / name)

    def empty_journal(self) -> None:
        try:
            existed = self.journal_path.exists()
            fd = os.open(self.journal_path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
            try:
                os.ftruncate(fd, 0)
                os.fsync(fd)
            finally:
                os.close(fd)
            if not existed:
                _fsync_dir(self.path.parent)
        except OSError as e:
            raise StoreError(
                f"could not empty the journal {self.journal_path}: {_why(e)}", self.journal_path
            ) from None

    # -- files and locks

    def _lock_ex(self) -> None:
        self.lock.exclusive()

    def _unlock(self) -> None:
        self.lock.unlock()

    def _shared(self) -> contextlib.AbstractContextManager[None]:
        return self.lock.shared()

    def _journal_fd(self) -> int:
        try:
            on_disk: int | None = os.stat(self.journal_path).st_ino
        except FileNotFoundError:
            on_disk = None
        if self._jfd is not None and os.fstat(self._jfd).st_ino != on_disk:
            os.close(self._jfd)  # the journal was removed or replaced under us
            self._jfd = None
        if self._jfd is None:
            self._jfd = os.open(
                self.journal_path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666
            )
            if on_disk is None:
                _keep_group(self._jfd, self.path)
                _fsync_dir(self.path.parent)
        return self._jfd

    # -- loading and refreshing

    def _load_all(self) -> _State:
        """Base plus journal, into a new state (the current one is kept on error)."""
        with _gc_paused():
            st = self._load_all_now()
        # The records loaded at start live as long as a one-off command: keep the
        # collector from rescanning them at every later collection. Once per process
        # only: a console that reloads would otherwise freeze its widgets too, and cyclic
        # garbage made of frozen objects is never collected.
        global _frozen
        if not _frozen:
            _frozen = True
            gc.freeze()
        return st

    def _load_all_now(self) -> _State:
        st = _read_base(self.path)

        journal = self.journal_path
        try:
            with open(journal, "rb") as f:
                fst = os.fstat(f.fileno())
                buf = f.read()
        except FileNotFoundError:
            return st
        except OSError as e:
            raise StoreError(f"{journal}: cannot read the journal: {_why(e)}", journal) from None
        try:
            entries, end, torn = _scan_journal(buf, 0)
            todo = _sequence(entries, st.version, skip_upto=st.base_version)
        except _Corrupt as c:
            raise StoreError(
                f"{journal}: the journal is damaged at line {c.line_no}: {c.problem}", journal
            ) from None
        for e in todo:
            st.apply(e.ops, e.v)
        st.j_sig, st.j_ino, st.j_end, st.j_torn = _sig(fst), fst.st_ino, end, torn
        st.j_last = (entries[-1].start, entries[-1].prefix) if entries else None
        return st

    def _reload(self, exclusive: bool) -> None:
        self.state = self._load_all() if exclusive else self._load_unlocked()

    def _load_unlocked(self) -> _State:
        """Load without the lock, so that a compaction (or a stopped writer) never holds
        up a reader; fall back to the shared lock if a writer replaced the base meanwhile.

        The base is only ever replaced whole (rename) before the journal is emptied, so a
        load whose base is still the one on disk when it ends read a base and a journal
        that belong together (replay skips what the base already holds). Otherwise, or
        on any error (real damage is then reported under the lock), load again locked."""
        try:
            st = self._load_all()
            if st.base_sig == _sig(os.stat(self.path)):
                return st
        except (StoreError, OSError):
            pass
        with self._shared():
            return self._load_all()

    def refresh(self, *, exclusive: bool) -> None:
        """Catch up with other processes' commits; cheap (two stats) if there are none."""
        st = self.state
        try:
            base_sig = _sig(os.stat(self.path))
        except FileNotFoundError:
            raise StoreError(f"{self.path}: the database file is gone", self.path) from None
        except OSError as e:
            raise StoreError(f"{self.path}: cannot read: {_why(e)}", self.path) from None
        if base_sig != st.base_sig:
            return self._reload(exclusive)  # compacted or replaced: start over
        try:
            jst: os.stat_result | None = os.stat(self.journal_path)
        except FileNotFoundError:
            jst = None
        except OSError as e:
            raise StoreError(
                f"{self.journal_path}: cannot read: {_why(e)}", self.journal_path
            ) from None
        if jst is None:
            if st.j_ino is not None:
                self._reload(exclusive)
            return
        if _sig(jst) == st.j_sig and not st.j_torn:
            return
        if (st.j_ino is not None and jst.st_ino != st.j_ino) or jst.st_size < st.j_end:
            return self._reload(exclusive)
        try:
            self._read_more(st)
        except _Corrupt:
            # Not what we saw before (a writer took back a line it could not fsync, or
            # the file was rewritten): start over, which also reports real damage.
            self._reload(exclusive)

    def _read_more(self, st: _State) -> None:
        """Apply journal lines appended since we last looked."""
        try:
            fd = os.open(self.journal_path, os.O_RDONLY | os.O_CLOEXEC)
        except OSError as e:
            raise StoreError(
                f"{self.journal_path}: cannot read the journal: {_why(e)}", self.journal_path
            ) from None
        try:
            fst = os.fstat(fd)
            if st.j_ino is not None and fst.st_ino != st.j_ino:
                raise _Corrupt(0, "journal replaced")
            if st.j_last is not None:
                start, prefix = st.j_last
                if (
                    os.pread(fd, len(prefix), start) != prefix
                    or os.pread(fd, 1, st.j_end - 1) != b"\n"
                ):
                    raise _Corrupt(0, "journal rewritten")
            buf = _pread_all(fd, fst.st_size - st.j_end, st.j_end)
        finally:
            os.close(fd)
        entries, end, torn = _scan_journal(buf, st.j_end)
        for e in _sequence(entries, st.version, skip_upto=-1):
            st.apply(e.ops, e.v)
        st.j_end, st.j_torn, st.j_sig, st.j_ino = end, torn, _sig(fst), fst.st_ino
        if entries:
            st.j_last = (entries[-1].start, entries[-1].prefix)

