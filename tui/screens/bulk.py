"""The bulk preview: what switching the marked users' licenses together would do, from
the core's dry run (the same lines as `miteam license set --dry-run`), every user with
their outcome in a list that scrolls, and Cancel with the focus."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from rules.text import printable

from ..widgets import Column, ResourceTable
from ..widgets.table import RowSource
from .confirm import DialogButton

# What the dialog answers: apply the set, or preview the other direction; None: cancelled.
CONFIRM, FLIP = "confirm", "flip"


class BulkDialog(ModalScreen[str | None]):
    AUTO_FOCUS = "#cancel"
    DEFAULT_CSS = """
    #bulk-body { height: auto; }
    #bulk-users { margin-top: 1; }
    .dialog-note { height: auto; margin-top: 1; text-style: bold; }
    """

    def __init__(self, title: str, lines: list[str], users: RowSource, users_title: str,
                 confirm: str | None, cancel: str, hint: str, note: str = "",
                 why: Callable[[str], object] | None = None) -> None:
        """`confirm` None: nothing can be applied (a read-only console, or no user would
        switch); `note` says why. `why(user)`: the rules' reasoning for the selected
        user's switch (`w`)."""
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.lines = lines
        self.users = users
        self.users_title = users_title
        self.confirm_label = confirm
        self.cancel_label = cancel
        self.hint = hint
        self.note = note
        self.why = why
        self._bindings.bind("escape", "cancel", show=False)
        if why is not None:
            self._bindings.bind("w", "why", show=False)
        self._bindings.bind("o", "flip", show=False)
        # The users scroll while Cancel keeps the focus.
        self._bindings.bind("up", "scroll_users(-1)", show=False)
        self._bindings.bind("down", "scroll_users(1)", show=False)
        self._bindings.bind("pageup", "page_users(-1)", show=False)
        self._bindings.bind("pagedown", "page_users(1)", show=False)
        self._bindings.bind("left", "app.focus_previous", show=False)
        self._bindings.bind("right", "app.focus_next", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="bulk", classes="dialog"):
            yield Static(printable(self.title_text), classes="dialog-title", markup=False)
            yield Static("\n".join(map(printable, self.lines)), id="bulk-body", markup=False)
            table = ResourceTable([Column("", 8), Column(""), Column("", 12)], header=False,
                                  id="bulk-users", classes="section")
            table.border_title = self.users_title
            yield table
            if self.note:
                yield Static(self.note, classes="dialog-note", markup=False)
            yield Static(self.hint, classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield DialogButton(self.cancel_label, id="cancel")
                if self.confirm_label is not None:
                    yield DialogButton(self.confirm_label, id="confirm", variant="warning")

    def on_mount(self) -> None:
        # The width there is (German lines with their rule are long), up to a readable
        # measure: wider than the stylesheet's dialogs (inline, so it wins over `.dialog`).
        box = self.query_one("#bulk").styles
        box.width, box.max_width = "100%", 110
        table = self.query_one("#bulk-users", ResourceTable)
        table.set_source(self.users)
        # As many users as the screen has room for beside the rest of the dialog (at
        # 80x24 the confirm dialog's USERS_SHOWN); the list scrolls beyond.
        room = self.app.size.height - 12 - len(self.lines) - (2 if self.note else 0)
        table.styles.height = 1 + min(table.total, max(3, room))

    @property
    def table(self) -> ResourceTable:
        return self.query_one("#bulk-users", ResourceTable)

    def action_scroll_users(self, step: int) -> None:
        self.table.action_cursor(step)

    def action_page_users(self, direction: int) -> None:
        self.table.action_page(direction)

    def on_button_pressed(self, event: DialogButton.Pressed) -> None:
        event.stop()
        self.dismiss(CONFIRM if event.button.id == "confirm" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_flip(self) -> None:
        self.dismiss(FLIP)

    def action_why(self) -> None:
        row = self.table.current
        if self.why is not None and row is not None:
            self.why(row.key)
