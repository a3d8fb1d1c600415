"""Marking users in a list, to switch their licenses together (issue 12).

`m` marks or unmarks the user under the cursor, `M` every user the list's filter shows
(pressed again: unmarks them), and `space` on a list with marked users opens the bulk
preview (`tui/bulk.py`). The list shows "✓" on each marked row and "N marked" in its
title. Marks are the console's own: they change nothing until the preview is confirmed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
    """For a place whose user lists can be marked (mixed in before `Place`). The place
    names its lists (`MARKS_TABLES`; each keeps its own marks, as `table.marks`), shows
    `marked_title(table, title)` as a list's title, and for a list paged from the core
    answers `shown_ids` by asking the core (the default reads the rows the list holds)."""

    MARKS_TABLES: tuple[str, ...] = ("#users",)
    console: ConsoleApp

    def marks_of(self, table: ResourceTable) -> Marks:
        if not isinstance(table.marks, Marks):
            table.marks = Marks()
        return table.marks

    def marking(self) -> ResourceTable | None:
        """The list the marking keys act on: the focused one, if it is a user list."""
        focused = self.console.focused
        if isinstance(focused, ResourceTable) and any(
                focused.id == selector.lstrip("#") for selector in self.MARKS_TABLES):
            return focused
        return None

    def shown_ids(self, table: ResourceTable) -> list[str]:
        """Every user the list's filter shows (not only the rows on screen)."""
        rows = (table.source.row(i) for i in range(table.total))
        return [row.key for row in rows if row is not None]

    def marked_title(self, table: ResourceTable, title: Text) -> Text:
        if table.marks:
            title.append(f" · {self.console.tr('tui_marked', count=len(table.marks))}")
        return title

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("mark", "mark_all"):
            return self.marking() is not None
        if action == "bulk":
            # Space switches one user (or an integration) until users are marked.
            table = self.marking()
            return table is not None and bool(table.marks)
        return super().check_action(action, parameters)  # type: ignore[misc]

    def marks_changed(self, table: ResourceTable) -> None:
        table.refresh()
        self.titles()  # type: ignore[attr-defined]
        self.refresh_bindings()  # type: ignore[attr-defined]
        self.fit_footer()  # type: ignore[attr-defined]  # `space Preview` needs its room

    def action_mark(self) -> None:
        table = self.marking()
        row = table.current if table is not None else None
        if table is None or row is None:
            return
        self.marks_of(table).toggle(row.key)
        self.marks_changed(table)

    def action_mark_all(self) -> None:
        table = self.marking()
        if table is None:
            return
        try:
            # On the screen's thread, though a filter by state asks the rules for every
            # user (half a second at 10,000): a space typed after `M` must find the marks
            # made, or it would switch the one user under the cursor instead.
            ids = self.shown_ids(table)
        except (CoreError, StoreError) as exc:
            self.console.notify(str(exc), severity="error")
            return
        if not ids:
            self.console.notify(self.console.tr("tui_marked_none"), severity="warning")
            return
        marks = self.marks_of(table)
        marked = marks.toggle_all(ids)
        self.console.notify(self.console.tr(
            "tui_marked_shown" if marked else "tui_unmarked_shown",
            count=len(ids), marked=len(marks)))
        self.marks_changed(table)

    def action_bulk(self) -> None:
        table = self.marking()
        if table is None:
            return
        marks = self.marks_of(table)

        def applied() -> None:
            """The set was switched: the marks have done their work."""
            marks.clear()
            self.marks_changed(table)

        BulkSwitch(self.console, marks.ids, applied).start()
