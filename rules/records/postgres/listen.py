"""``LISTEN/NOTIFY``: a console hears every commit, on any host, as it happens.

One thread and one connection per console: it waits for notifications (the server pushes
them; nothing polls) and passes each new version to the subscribers. When the server goes
away it says so once ("lost"), tries again every second, and says so when it is back
("back"), having read the version once so a change made meanwhile is not missed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Any

from ..store import StoreError
from . import connect as pg
from .schema import CHANNEL

RETRY_SECONDS = 1.0
APPLICATION_NAME = "miteam-listen"
_WAKE_SECONDS = 0.5  # how soon `stop()` is noticed while no notification comes

_log = logging.getLogger(__name__)


class Listener:
    def __init__(self, url: str, server: str) -> None:
        self.url = url
        self.server = server
        self.callbacks: list[Callable[[str, str], None]] = []
        self.version: int | None = None  # None until first connected: ask the server
        self.online = True
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._conn: Any = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="miteam-listen",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def _tell(self, event: str, detail: str) -> None:
        for callback in list(self.callbacks):
            try:
                callback(event, detail)
            except Exception:  # a subscriber's bug must not stop the notifications
                _log.exception("a store subscriber failed")

    def _changed(self, version: int) -> None:
        if version != self.version:
            self.version = version
            self._tell("changed", str(version))

    def _run(self) -> None:
        psycopg = pg.driver()
        while not self._stop.is_set():
            try:
                self._conn = pg.connect(self.url, role=APPLICATION_NAME)
                self._conn.execute(f"LISTEN {CHANNEL}")
                version = self._conn.execute(
                    "SELECT version FROM miteam_meta WHERE id = 1").fetchone()[0]
            except (StoreError, psycopg.Error) as exc:
                self._lost(str(exc) if isinstance(exc, StoreError)
                           else str(pg.unreachable(self.url, exc)))
                self._stop.wait(RETRY_SECONDS)
                continue
            if not self.online:
                self.online = True
                self._tell("back", self.server)
            self._changed(version)
            try:
                while not self._stop.is_set():
                    for note in self._conn.notifies(timeout=_WAKE_SECONDS):
                        if note.payload.isdigit():
                            self._changed(int(note.payload))
            except psycopg.Error as exc:
                self._lost(str(pg.unreachable(self.url, exc)))
            finally:
                with contextlib.suppress(Exception):
                    self._conn.close()

    def _lost(self, message: str) -> None:
        # The last version heard stays: a console polls it without asking a server that is
        # gone; on reconnecting, the version is read again and any change meanwhile told.
        if self.online:
            self.online = False
            self._tell("lost", message)
