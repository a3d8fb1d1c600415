"""The status line above the footer: what the last change did or why it was refused.

One line (up to three when a reason is long), the newest replacing the older, so it never covers
the rows a change just touched (toasts did, for seconds, over half a list at 80x24). The
words carry the meaning (`Refused: …`, `Done: …`); colour only repeats it.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

STYLES = {"error": "bold", "warning": "bold", "information": ""}


class StatusLine(Static):
    def show(self, severity: str, text: str) -> None:
        # One line: a reason's own line breaks become " · ".
        flat = " · ".join(part.strip() for part in text.splitlines() if part.strip())
        self.set_classes(f"-{severity}" if flat else "")
        self.update(Text(flat, style=STYLES.get(severity, "")))
        self.display = bool(flat)
