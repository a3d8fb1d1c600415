"""The "Why?" panel: the rule trace from the core (which rule decided, which conditions
held, with which values and where they are written), for what the screen shows and for
the switch or assignment the operator is about to try or just had refused."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from rules.text import printable


def trace_text(lines: list[str]) -> Text:
    """An explanation's lines; the deciding rule stands out (it is also marked `→`)."""
    out = Text()
    for n, line in enumerate(lines):
        stripped = line.lstrip()
        style = ""
        if n == 0 or stripped.startswith("→"):
            style = "bold"
        elif stripped.startswith("✗"):
            style = "dim"
        out.append(printable(line) + "\n", style=style)
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
        body = Text(printable(self.summary) + "\n\n", style="bold")
        for heading, lines in self.sections:
            body.append(printable(heading) + "\n", style="bold underline")
            body.append_text(trace_text(lines))
            body.append("\n")
        with Vertical(id="why", classes="dialog"):
            yield Static(printable(self.title_text), classes="dialog-title", markup=False)
            with VerticalScroll(id="why-body"):
                yield Static(body, markup=False)
            yield Static(self.close_hint, classes="dialog-hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)

