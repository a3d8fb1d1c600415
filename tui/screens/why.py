"""The "Why?" panel: the rule trace from the core (which rule decided, which conditions
held, with which values and where they are written), for what the screen shows and for
the switch or assignment the operator is about to try or just had refused."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from rules.text import printable


def _style(n: int, line: str) -> str:
    stripped = line.lstrip()
    if n == 0 or stripped.startswith("→"):
        return "bold"
    if stripped.startswith("✗"):
        return "dim"
    return ""


def trace_lines(lines: list[str]) -> list[Padding]:
    """The lines as renderables that keep their indentation when they wrap (a condition
    under its rule stays under it on a narrow panel)."""
    out = []
    for n, line in enumerate(lines):
        stripped = line.lstrip()
        out.append(Padding(Text(printable(stripped), style=_style(n, line)),
                           (0, 0, 0, len(line) - len(stripped))))
    return out


class WhyPanel(ModalScreen[None]):
    AUTO_FOCUS = "#why-body"

    def __init__(self, title: str, summary: str, sections: list[tuple[str, list[str]]],
                 close_hint: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.summary = summary
        self.sections = sections
        self.close_hint = close_hint
        self._bindings.bind("escape,w,q", "close", show=False)

    def compose(self) -> ComposeResult:
        parts: list = [Text(printable(self.summary) + "\n", style="bold")]
        for heading, lines in self.sections:
            parts.append(Text(printable(heading), style="bold underline"))
            parts.extend(trace_lines(lines))
            parts.append(Text(""))
        body = Group(*parts)
        with Vertical(id="why", classes="dialog"):
            yield Static(printable(self.title_text), classes="dialog-title", markup=False)
            with VerticalScroll(id="why-body"):
                yield Static(body, markup=False)
            yield Static(self.close_hint, classes="dialog-hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

