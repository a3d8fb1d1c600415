"""Confirm a change that reaches beyond one record (S8: an integration switched off
deactivates licenses): what will happen first, from the core's dry run; Cancel has focus."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

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


T = TypeVar("T")

# The users list shows this many rows (and scrolls beyond): the dialog fits 80x24.
USERS_SHOWN = 8


class PreviewDialog(ModalScreen[T]):
    """A change previewed before it is made: a title, the core's lines, every user it
    touches in a list that scrolls (↑ ↓ while Cancel keeps the focus), Cancel and, when
    something can be applied, the confirm button. ``NAME`` names the parts (``#NAME``,
    ``#NAME-body``, ``#NAME-users``); a dialog says what it answers (``answer``)."""

    AUTO_FOCUS = "#cancel"
    NAME = "confirm"
    USER_COLUMNS: tuple[Column, ...] = (Column("", 8), Column(""))

    def __init__(self, title: str, lines: list[str], confirm: str | None, cancel: str,
                 hint: str = "", users: RowSource | None = None, users_title: str = "",
                 note: str = "") -> None:
        super().__init__(classes="dialog-screen")
        # Every user the change touches, in a list that scrolls (with the total above it):
        # the preview never stops silently after the first few.
        self.users = users
        self.users_title = users_title
        self.title_text = title
        self.lines = lines
        self.confirm_label = confirm
        self.cancel_label = cancel
        self.hint = hint
        self.note = note
        self._bindings.bind("escape", "cancel", show=False)
        if users is not None:
            self._bindings.bind("up", "scroll_users(-1)", show=False)
            self._bindings.bind("down", "scroll_users(1)", show=False)
        self._bindings.bind("left", "app.focus_previous", show=False)
        self._bindings.bind("right", "app.focus_next", show=False)

    def compose(self) -> ComposeResult:
        with Vertical(id=self.NAME, classes="dialog"):
            yield Static(printable(self.title_text), classes="dialog-title", markup=False)
            yield Static("\n".join(map(printable, self.lines)), id=f"{self.NAME}-body",
                         markup=False)
            if self.users is not None:
                table = ResourceTable(list(self.USER_COLUMNS), header=False,
                                      id=f"{self.NAME}-users", classes="section")
                table.border_title = self.users_title
                yield table
            if self.note:
                yield Static(self.note, classes="dialog-note", markup=False)
            if self.hint:
                yield Static(self.hint, classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield DialogButton(self.cancel_label, id="cancel")
                if self.confirm_label is not None:
                    yield DialogButton(self.confirm_label, id="confirm", variant="warning")

    def on_mount(self) -> None:
        if self.users is not None:
            table = self.table
            table.set_source(self.users)
            table.styles.height = 1 + min(table.total, self.users_shown())

    def users_shown(self) -> int:
        """How many users the list shows before it scrolls."""
        return USERS_SHOWN

    @property
    def table(self) -> ResourceTable:
        return self.query_one(f"#{self.NAME}-users", ResourceTable)

    def action_scroll_users(self, step: int) -> None:
        for table in self.query(f"#{self.NAME}-users").results(ResourceTable):
            table.action_cursor(step)

    def answer(self, confirmed: bool) -> object:
        return confirmed

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.answer(event.button.id == "confirm"))

    def action_cancel(self) -> None:
        self.dismiss(self.answer(False))


class ConfirmDialog(PreviewDialog[bool]):
    """Confirm a change: ``True`` when confirmed."""

    def __init__(self, title: str, lines: list[str], confirm: str, cancel: str,
                 why: Callable[[], object] | None = None, hint: str = "",
                 users: RowSource | None = None, users_title: str = "") -> None:
        super().__init__(title, lines, confirm, cancel, hint, users, users_title)
        self.why = why  # `w`: the rules' reasoning for the change previewed
        if why is not None:
            self._bindings.bind("w", "why", show=False)

    def action_why(self) -> None:
        if self.why is not None:
            self.why()
