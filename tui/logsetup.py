"""The console's logging: the command's log file (rules/cli/logsetup.py) and Textual's
log handler beside it, so a warning of the store (e.g. "compaction postponed") shows in
`textual console` while it happens and stays in the file afterwards. Nothing is written
to the screen the console draws on."""

from __future__ import annotations

from pathlib import Path

from textual.logging import TextualHandler

from rules.cli import logsetup


def install() -> Path:
    # Before the app runs (and after it ends) Textual's handler has no app to log to;
    # it would print over the terminal, so it stays silent there: the file has it all.
    return logsetup.install(TextualHandler(stderr=False, stdout=False))
