"""Where Python's logging goes: a file in the user's log directory, for the command and the
console alike (the console adds Textual's own handler beside it, tui/logsetup.py).

    ~/.local/state/miteam/log/miteam.log   (platformdirs.user_log_dir("miteam"))

Level WARNING unless `MITEAM_LOG` names another (debug, info, warning, error). The file
may hold records of every tenant this login can reach (a store's warning quotes what
failed), so it is created 0600 in a 0700 directory, and only when there is something to
write (`miteam --help` touches no file). Logged text is anyone's input: control
characters are written out, so `less` or `cat` of the file cannot be steered by a name.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

from ..text import printable_lines

ENV = "MITEAM_LOG"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING,
          "error": logging.ERROR}
DEFAULT = logging.WARNING
# The file is rotated at this size, keeping this many old ones (miteam.log.1, ...).
MAX_BYTES = 1_000_000
BACKUPS = 3

# What install() added to the root logger, and the root's level before it.
_installed: list[logging.Handler] = []
_root_level: list[int] = []


def log_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("miteam", appauthor=False)) / "miteam.log"


def level() -> tuple[int, str | None]:
    """The level `MITEAM_LOG` asks for, and the value when it names none (else None)."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return DEFAULT, None
    chosen = LEVELS.get(value.lower())
    return (DEFAULT, value) if chosen is None else (chosen, None)


class PrivateFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file only its owner can read: the directory is made 0700 and the
    file opened 0600 (and brought to 0600 if an older one was looser), never through a
    symbolic link."""

    def _open(self):  # logging's own hook, called when the first record is written
        path = Path(self.baseFilename)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW
                     | os.O_CLOEXEC, 0o600)
        os.fchmod(fd, 0o600)
        return open(fd, "a", encoding="utf-8", errors="backslashreplace")

    def handleError(self, record: logging.LogRecord) -> None:
        # A log that cannot be written (a full disk, a symbolic link in its place) is
        # lost, silently: logging's own report is a traceback on stderr, which is where
        # the console draws its screen.
        pass


class SafeFormatter(logging.Formatter):
    """Every line as a terminal may show it (rules/text.py's `printable`)."""

    def format(self, record: logging.LogRecord) -> str:
        return printable_lines(super().format(record))


FORMAT = "%(asctime)s %(levelname)s %(name)s [pid %(process)d]: %(message)s"


def install(*extra: logging.Handler) -> Path:
    """Send Python's logging to the log file (and to `extra` handlers, e.g. Textual's),
    at the level MITEAM_LOG asks for. Called again (the tests run many commands in one
    process, each with its own HOME), it replaces what it installed before."""
    chosen, bad = level()
    path = log_path()
    uninstall()
    root = logging.getLogger()
    _root_level.append(root.level)
    file_handler = PrivateFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      delay=True)
    for handler in (file_handler, *extra):
        handler.setFormatter(SafeFormatter(FORMAT))
        handler.setLevel(chosen)
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(chosen)
    if bad is not None:  # said where the reader of MITEAM_LOG looks: in the file
        logging.getLogger("miteam").warning(
            "%s=%r is not a level (%s): logging warnings and above", ENV, bad,
            ", ".join(LEVELS))
    return path


def uninstall() -> None:
    """Take back what install() added (the root logger as it was before)."""
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    if _root_level:
        root.setLevel(_root_level.pop())
