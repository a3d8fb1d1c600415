"""The Audit place's filter bar: `account:` `user:` `operator:` `operation:` `rule:`
`since:` `until:` (German words too), the CLI's filters, read by the core
(`rules.ops.filters.parse_audit`); other words narrow the rows shown. `enter` applies
(a bad date or word is refused with the reason, and the bar stays open to correct it);
`escape` closes the bar, keeping the filter in force (escape on the list clears it)."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class AuditFilterBar(Input):
    BINDINGS = [Binding("escape", "close", show=False)]

    class Closed(Message):
        pass

    def on_mount(self) -> None:
        self.display = False

    def open(self, words: str) -> None:
        self.value = words
        self.display = True
        self.cursor_position = len(self.value)
        self.focus()

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
