"""Confirm a change that reaches beyond one record (S8: an integration switched off
deactivates licenses): what will happen first, from the core's dry run; Cancel has focus."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from rules.text import printable

from ..widgets import Column, ResourceTable
from ..widgets.table import RowSource


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


# The users list shows this many rows (and scrolls beyond): the dialog fits 80x24.
USERS_SHOWN = 8


class ConfirmDialog(ModalScreen[bool]):
    AUTO_FOCUS = "#cancel"

    def __init__(self, title: str, lines: list[str], confirm: str, cancel: str,
                 why: Callable[[], object] | None = None, hint: str = "",
                 users: RowSource | None = None, users_title: str = "") -> None:
        super().__init__(classes="dialog-screen")
        # Every user the change touches, in a list that scrolls (with the total above it):
        # the preview never stops silently after the first few.
        self.users = users
        self.users_title = users_title
        self.title_text = title
        self.lines = lines
        self.confirm_label = confirm
        self.cancel_label = cancel
        self.why = why  # `w`: the rules' reasoning for the change previewed
        self.hint = hint
        self._bindings.bind("escape", "cancel", show=False)
        if why is not None:
            self._bindings.bind("w", "why", show=False)
        if users is not None:
            self._bindings.bind("up", "scroll_users(-1)", show=False)
            self._bindings.bind("down", "scroll_users(1)", show=False)
        self._bindings.bind("left", "app.focus_previous", show=False)
        self._bindings.bind("right", "app.focus_next", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(printable(self.title_text), classes="dialog-title", markup=False)
            yield Static("\n".join(map(printable, self.lines)), id="confirm-body",
                         markup=False)
            if self.users is not None:
                table = ResourceTable([Column("", 8), Column("")], header=False,
                                      id="confirm-users", classes="section")
                table.border_title = self.users_title
                yield table
            if self.hint:
                yield Static(self.hint, classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield DialogButton(self.cancel_label, id="cancel")
                yield DialogButton(self.confirm_label, id="confirm", variant="warning")

    def on_mount(self) -> None:
        if self.users is not None:
            table = self.query_one("#confirm-users", ResourceTable)
            table.set_source(self.users)
            table.styles.height = 1 + min(table.total, USERS_SHOWN)

    def action_scroll_users(self, step: int) -> None:
        """↑ ↓ scroll the users while Cancel keeps the focus."""
        for table in self.query("#confirm-users").results(ResourceTable):
            table.action_cursor(step)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)

    def action_why(self) -> None:
        if self.why is not None:
            self.why()
