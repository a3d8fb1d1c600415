"""The top line: where you are (breadcrumbs) on the left, who you are and the console's
state (read-only, rules error) on the right."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from rules.text import printable

from ..words import safe

SEPARATOR = " › "


class TopBar(Widget):
    crumbs: reactive[tuple[str, ...]] = reactive(tuple)
    status: reactive[str] = reactive("")
    markers: reactive[tuple[str, ...]] = reactive(tuple)

    def render(self) -> Text:
        width = self.size.width
        right = safe(self.status)
        for marker in self.markers:
            right.append(" ")
            right.append(f" {marker} ", style="reverse bold")
        room = max(0, width - right.cell_len - 3)  # a space each side, two in between
        left = SEPARATOR.join(printable(c) for c in self.crumbs)
        if len(left) > room:
            # The place you are at matters most: cut from the left.
            left = "…" + left[len(left) - room + 1:] if room > 1 else ""
        line = Text(" ")
        line.append(left, style="bold")
        line.append(" " * max(1, width - 1 - len(left) - right.cell_len))
        line.append_text(right)
        return line
