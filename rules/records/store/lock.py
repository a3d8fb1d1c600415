"""The database lock: ``fcntl.flock`` on ``PATH.lock``, with bounded waits.

The kernel drops a flock when its holder dies, so the lock never goes stale; but a holder
that is *stopped* (Ctrl-Z in an SSH session) keeps it. So a wait is never silent: after
``WARN_AFTER`` seconds one line on stderr names the holder, and past the deadline
(``MITEAM_LOCK_TIMEOUT`` seconds, default 30) the wait fails with a ``StoreError``,
which the command line turns into exit 2. Both in the language of the environment
(``MITEAM_LANG``, ``LANG``): the store does not know the command's ``--lang``.

Waiting is fair: a flock on a second file (the partitions' directory) is the line a
waiter stands in while it polls, and everyone, also a writer that just let go, takes
its place in that line before the lock. Without it a console writing in a loop could
take the lock back every time before a waiting backup's next poll.

The exclusive holder writes ``pid<TAB>unix time<TAB>command`` into the lock file (never
fsynced: it is a hint for the message, not data); the pid itself is read from
``/proc/locks`` when it is there, which is exact even for a holder that could not write.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ...i18n import default_language, t
from .files import _why
from .tables import StoreError

WARN_AFTER = 3.0
DEFAULT_TIMEOUT = 30.0
_POLL = 0.02


def lock_timeout() -> float:
    """The deadline for a lock wait, in seconds (``MITEAM_LOCK_TIMEOUT``)."""
    raw = os.environ.get("MITEAM_LOCK_TIMEOUT", "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def _holder_pid(fd: int) -> int | None:
    """The pid holding a flock on the file behind ``fd``, from /proc/locks."""
    st = os.fstat(fd)
    dev = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            for line in f:
                parts = line.split()
                # "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" ("->" marks waiters)
                if "->" in parts or len(parts) < 6 or parts[1] != "FLOCK":
                    continue
                if parts[5] == dev and parts[4].isdigit() and int(parts[4]) != os.getpid():
                    return int(parts[4])
    except OSError:
        return None
    return None


def _command_of(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return "?"
    words = [a.decode("utf-8", "replace") for a in argv if a]
    # Printable only: the command line of another user's process goes to our terminal.
    return _printable(" ".join(words)[:80]) or "?"


def _printable(text: str) -> str:
    # Imported here: only a lock wait that names its holder needs it, not every start.
    from ...text import printable

    return printable(text)


def holder(fd: int) -> tuple[int | None, str, str]:
    """(pid, command, since) of the lock's holder, as far as they can be known."""
    pid = _holder_pid(fd)
    since, command = "?", "?"
    try:
        note = os.pread(fd, 512, 0).decode("utf-8", "replace").split("\t", 2)
    except OSError:
        note = []
    if len(note) == 3 and note[0].isdigit() and (pid is None or int(note[0]) == pid):
        pid = int(note[0])
        with contextlib.suppress(ValueError, OverflowError, OSError):
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(note[1])))
        command = _printable(note[2].strip()[:80]) or "?"
    if pid is not None and command == "?":
        command = _command_of(pid)
    return pid, command, since


def _note_holder(fd: int) -> None:
    argv = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))
    note = f"{os.getpid()}\t{time.time():.0f}\t{argv[:200]}\n".encode("utf-8", "replace")
    with contextlib.suppress(OSError):
        os.pwrite(fd, note, 0)
        os.ftruncate(fd, len(note))


class FileLock:
    """One process's handle on ``PATH.lock`` (opened once, kept open)."""

    def __init__(self, path: Path, line: Path | None = None) -> None:
        self.path = path
        self.line = line  # a directory whose flock is the waiting line (None: no line)
        self._fd: int | None = None
        self._line_fd: int | None = None
        self._writable = False

    def _line(self) -> int | None:
        if self.line is not None and self._line_fd is None:
            try:
                self._line_fd = os.open(self.line, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError:
                return None  # not there (a single-file database): no line to stand in
        return self._line_fd

    def fd(self) -> int:
        if self._fd is None:
            try:
                try:
                    fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
                    self._writable = True
                except PermissionError:
                    # flock works on a read-only descriptor too (a lock file created by
                    # another user with a stricter umask).
                    fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
            except OSError as e:
                raise StoreError(
                    f"{self.path}: cannot open the lock file: {_why(e)}", self.path
                ) from None
            self._fd = fd
        return self._fd

    def _try(self, fd: int, mode: int) -> bool:
        """flock(mode) if no one holds it against us now; False if someone does."""
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as e:
            raise StoreError(f"{self.path}: cannot lock: {_why(e)}", self.path) from None
        return True

    def _wait(self, fd: int, mode: int) -> None:
        """flock(mode), waiting at most the deadline and saying so after WARN_AFTER."""
        start = time.monotonic()
        line = self._line()
        if line is None:
            return self._poll(fd, mode, fd, start)
        self._poll(line, fcntl.LOCK_EX, fd, start)  # our turn in the line, then the lock
        try:
            self._poll(fd, mode, fd, start)
        finally:
            fcntl.flock(line, fcntl.LOCK_UN)

    def _poll(self, lock: int, mode: int, fd: int, start: float) -> None:
        """flock(mode) on ``lock``, polling; messages name the holder of ``fd``."""
        if self._try(lock, mode):
            return
        deadline = lock_timeout()
        warned = False
        while True:
            time.sleep(_POLL)
            if self._try(lock, mode):
                return
            waited = time.monotonic() - start
            if waited >= deadline:
                pid, command, since = holder(fd)
                raise StoreError(t("lock_gave_up", default_language(), path=self.path,
                                   seconds=f"{waited:.0f}", pid=pid or "?",
                                   command=command, since=since), self.path)
            if not warned and waited >= WARN_AFTER:
                warned = True
                pid, command, since = holder(fd)
                print(t("lock_waiting", default_language(), pid=pid or "?",
                        command=command, since=since), file=sys.stderr, flush=True)

    def exclusive(self) -> None:
        fd = self.fd()
        self._wait(fd, fcntl.LOCK_EX)
        if self._writable:
            _note_holder(fd)

    def unlock(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        try:
            fd: int | None = self.fd()
        except StoreError:
            fd = None  # a read-only place: nobody can be writing there either
        if fd is None:
            yield
            return
        self._wait(fd, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)

    def close(self) -> None:
        for fd in (self._fd, self._line_fd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._fd = self._line_fd = None
