"""The attention line: what the license report says needs attention, on the start screen
(the operator's home place) only, above the status line. Empty, it takes no room."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


class AttentionLine(Static):
    def on_mount(self) -> None:
        self.refresh_text()

    def _at_home(self) -> bool:
        # The home place is the first screen pushed above Textual's default screen.
        stack = self.app.screen_stack
        return len(stack) > 1 and stack[1] is self.screen

    def refresh_text(self) -> None:
        text: Any = getattr(self.app, "attention", None) or ""
        shown = bool(text) and self._at_home()
        self.update(Text(text if shown else "", style="bold"))
        self.display = shown
