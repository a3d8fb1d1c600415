"""The bulk preview: what switching the marked users' licenses together would do, from
the core's dry run (the same lines as `miteam license set --dry-run`), every user with
their outcome in a list that scrolls, and Cancel with the focus."""

from __future__ import annotations

from collections.abc import Callable

from ..widgets import Column
from ..widgets.table import RowSource
from .confirm import PreviewDialog

# What the dialog answers: apply the set, or preview the other direction; None: cancelled.
CONFIRM, FLIP = "confirm", "flip"


class BulkDialog(PreviewDialog[str | None]):
    NAME = "bulk"
    USER_COLUMNS = (Column("", 8), Column(""), Column("", 12))
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
        super().__init__(title, lines, confirm, cancel, hint, users, users_title, note)
        self.why = why
        if why is not None:
            self._bindings.bind("w", "why", show=False)
        self._bindings.bind("o", "flip", show=False)
        self._bindings.bind("pageup", "page_users(-1)", show=False)
        self._bindings.bind("pagedown", "page_users(1)", show=False)

    def on_mount(self) -> None:
        # The width there is (German lines with their rule are long), up to a readable
        # measure: wider than the stylesheet's dialogs (inline, so it wins over `.dialog`).
        box = self.query_one("#bulk").styles
        box.width, box.max_width = "100%", 110
        super().on_mount()

    def users_shown(self) -> int:
        # As many users as the screen has room for beside the rest of the dialog (at
        # 80x24 the confirm dialog's USERS_SHOWN); the list scrolls beyond.
        return max(3, self.app.size.height - 12 - len(self.lines) - (2 if self.note else 0))

    def action_page_users(self, direction: int) -> None:
        self.table.action_page(direction)

    def answer(self, confirmed: bool) -> str | None:
        return CONFIRM if confirmed else None

    def action_flip(self) -> None:
        self.dismiss(FLIP)

    def action_why(self) -> None:
        row = self.table.current
        if self.why is not None and row is not None:
            self.why(row.key)
