"""The attention line: what the license report says needs attention, on the start screen
(the operator's home place) only, above the status line; one line, fitted to the width.
Empty, it takes no room."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ..attention import line


class AttentionLine(Widget):
    def on_mount(self) -> None:
        self.refresh_text()

    def _at_home(self) -> bool:
        # The home place is the first screen pushed above Textual's default screen.
        stack = self.app.screen_stack
        return len(stack) > 1 and stack[1] is self.screen

    @property
    def parts(self) -> list[str]:
        return list(getattr(self.app, "attention", None) or [])

    def refresh_text(self) -> None:
        self.display = bool(self.parts) and self._at_home()
        self.refresh()

    def render(self) -> Text:
        lang = getattr(self.app, "lang", "en")
        text = line(self.parts, lang, self.content_size.width or None)
        return Text(text, style="bold", no_wrap=True, overflow="ellipsis")
