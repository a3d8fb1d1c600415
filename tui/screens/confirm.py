"""Confirm a change that reaches beyond one record (S8: an integration switched off
deactivates licenses): what will happen first, from the core's dry run; Cancel has focus."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from rules.text import printable


class DialogButton(Button):
    """A compact button that marks its focus in words as well as colour: `› Cancel ‹`."""

    def __init__(self, label: str, *, id: str, variant: str = "default") -> None:
        super().__init__(label, id=id, compact=True, variant=variant)  # type: ignore[arg-type]
        self.plain = label

    def on_focus(self) -> None:
        self.label = f"› {self.plain} ‹"

    def on_blur(self) -> None:
        self.label = f"  {self.plain}  "

    def on_mount(self) -> None:
        self.label = f"  {self.plain}  "


class ConfirmDialog(ModalScreen[bool]):
    AUTO_FOCUS = "#cancel"

    def __init__(self, title: str, lines: list[str], confirm: str, cancel: str) -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.lines = lines
        self.confirm_label = confirm
        self.cancel_label = cancel
        self._bindings.bind("escape", "cancel", show=False)
        self._bindings.bind("left", "app.focus_previous", show=False)
        self._bindings.bind("right", "app.focus_next", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(printable(self.title_text), classes="dialog-title", markup=False)
            with VerticalScroll(id="confirm-body"):
                yield Static("\n".join(map(printable, self.lines)), markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield DialogButton(self.cancel_label, id="cancel")
                yield DialogButton(self.confirm_label, id="confirm", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
