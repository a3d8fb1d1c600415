"""The `/` filter: typing narrows the list at once; enter keeps the filter and returns to
the list; escape clears it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    BINDINGS = [Binding("escape", "clear", show=False)]

    class Cleared(Message):
        pass

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        self.display = True
        self.cursor_position = len(self.value)  # go on typing where the filter ends
        self.focus()

    def action_clear(self) -> None:
        self.value = ""
        self.display = False
        self.post_message(self.Cleared())
