"""Marking users in a list, to switch their licenses together (issue 12).

`m` marks or unmarks the user under the cursor, `M` every user the list's filter shows
(pressed again: unmarks them), and `space` on a list with marked users opens the bulk
preview (`tui/bulk.py`). The list shows "✓" on each marked row and "N marked" in its
title. Marks are the console's own: they change nothing until the preview is confirmed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from rich.text import Text

from rules.errors import CoreError
from rules.records.store import StoreError

from .bulk import BulkSwitch
from .widgets import ResourceTable

if TYPE_CHECKING:
    from .app import ConsoleApp


class Marks:
    """The marked user ids of one list, in the order marked: the bulk switch decides them
    in this order, so when licenses run out (S12) the first marked get them."""

    def __init__(self) -> None:
        self._ids: dict[str, None] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    @property
    def ids(self) -> list[str]:
        return list(self._ids)

    def toggle(self, key: str) -> bool:
        """Mark `key`, or unmark it when marked; whether it is marked now."""
        if key in self._ids:
            del self._ids[key]
            return False
        self._ids[key] = None
        return True

    def toggle_all(self, keys: Iterable[str]) -> bool:
        """Mark every one of `keys`; when all of them are marked already, unmark them.
        Whether they are marked now."""
        keys = list(keys)
        if keys and all(k in self._ids for k in keys):
            for k in keys:
                del self._ids[k]
            return False
        for k in keys:
            self._ids.setdefault(k, None)
        return True

    def clear(self) -> None:
        self._ids.clear()


class MarksUsers:
    """For a place whose user list can be marked (mixed in before `Place`). The place
    names its list (`MARKS_TABLE`, whose `marks` are `self.marks`), defines `shown_ids`
    (every user its filter shows, not only the rows on screen, asked of the core) and calls
    `marked_title` for the list's title."""

    MARKS_TABLE = "#users"
    marks: Marks
    console: ConsoleApp
    shown_ids: Callable[[], list[str]]

    def marks_table(self) -> ResourceTable:
        return self.query_one(self.MARKS_TABLE, ResourceTable)  # type: ignore[attr-defined]

    def marked_title(self, title: Text) -> Text:
        if self.marks:
            title.append(f" · {self.console.tr('tui_marked', count=len(self.marks))}")
        return title

    def _on_marks(self) -> bool:
        """Whether the keys act on the list: it has the focus (or nothing has)."""
        focused = self.console.focused
        return focused is None or focused is self.marks_table()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "mark_all"):
            return self._on_marks()
        if action == "bulk":
            # Space switches one user (or an integration) until users are marked.
            return bool(self.marks) and self._on_marks()
        return super().check_action(action, parameters)  # type: ignore[misc]

    def marks_changed(self) -> None:
        self.marks_table().refresh()
        self.titles()  # type: ignore[attr-defined]
        self.refresh_bindings()  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        row = self.marks_table().current
        if row is None:
            return
        self.marks.toggle(row.key)
        self.marks_changed()

    def action_mark_all(self) -> None:
        try:
            ids = self.shown_ids()
        except (CoreError, StoreError) as exc:
            self.console.notify(str(exc), severity="error")
            return
        if not ids:
            self.console.notify(self.console.tr("tui_marked_none"), severity="warning")
            return
        marked = self.marks.toggle_all(ids)
        self.console.notify(self.console.tr(
            "tui_marked_shown" if marked else "tui_unmarked_shown",
            count=len(ids), marked=len(self.marks)))
        self.marks_changed()

    def action_bulk(self) -> None:
        BulkSwitch(self.console, self.marks.ids, self.bulk_applied).start()

    def bulk_applied(self) -> None:
        """The set was switched: the marks have done their work."""
        self.marks.clear()
        self.marks_changed()
