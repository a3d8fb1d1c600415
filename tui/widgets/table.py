"""A list that stays quick at any length.

The Line API renders only the rows on screen, and the rows come from a source that may
fetch them a page at a time: a 10,000-user account costs one page of rule evaluations,
not 10,000 (DataTable builds every row up front: seconds at 100k rows, measured).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..words import safe

GUTTER = 2  # "› " marks the cursor row in words, not only in colour
# A marked row (bulk switching) shows "✓ " after the cursor's place: a sign, not a colour,
# so NO_COLOR shows it too. The room for it is taken only while something is marked.
MARK = "✓ "
SPACING = 3  # at most this much extra space between columns when there is room


@dataclass(frozen=True)
class Column:
    """A column. `width` 0: it takes the width left over and gives way first (names).
    Any other column is as wide as its widest cell on hand (and its title), never
    truncated: ids, counts, states and the rules' messages are read whole. `width` is
    its width before any row is known."""

    title: str
    width: int = 0
    align: str = "left"  # left | right


@dataclass
class Row:
    key: str
    cells: Sequence[str | Text]
    data: Any = None


class RowSource(Protocol):
    query: str

    def total(self) -> int: ...

    def row(self, index: int) -> Row | None: ...

    def index_of(self, key: str) -> int | None: ...

    def search(self, query: str) -> None: ...


class ListSource:
    """Rows held in memory (partners, accounts, orders: lists of tens to hundreds)."""

    def __init__(self, rows: list[Row]) -> None:
        self._all = rows
        self._rows = rows
        self.query = ""

    def known(self) -> list[Row]:
        """The rows on hand (columns are fitted to them, filter or not)."""
        return self._all

    def total(self) -> int:
        return len(self._rows)

    def row(self, index: int) -> Row | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def index_of(self, key: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.key == key), None)

    def search(self, query: str) -> None:
        self.query = query
        q = query.strip().casefold()
        if not q:
            self._rows = self._all
            return
        self._rows = [r for r in self._all
                      if q in " ".join([r.key, *map(str, r.cells)]).casefold()]


Fetch = Callable[[int, int, str], tuple[int, list[Row]]]


class PagedSource:
    """Rows fetched a page at a time: `fetch(offset, limit, query) -> (total, rows)`.

    Only the pages the screen shows are ever asked for, so the rules run for those rows
    alone; a new query or `reset()` drops every page.
    """

    def __init__(self, fetch: Fetch, page_size: int = 64) -> None:
        self._fetch = fetch
        self.page_size = page_size
        self.query = ""
        self._pages: dict[int, list[Row]] = {}
        self._total: int | None = None
        self.fetches = 0  # how many pages were asked for (tests read it)

    def _load(self, page: int) -> list[Row]:
        total, rows = self._fetch(page * self.page_size, self.page_size, self.query)
        self.fetches += 1
        self._total = total
        self._pages[page] = rows
        return rows

    def total(self) -> int:
        if self._total is None:
            self._load(0)
        return self._total or 0

    def row(self, index: int) -> Row | None:
        if index < 0:
            return None
        page, at = divmod(index, self.page_size)
        rows = self._pages.get(page)
        if rows is None:
            rows = self._load(page)
        return rows[at] if at < len(rows) else None

    def known(self) -> list[Row]:
        return [r for rows in self._pages.values() for r in rows]

    def index_of(self, key: str) -> int | None:
        for page, rows in self._pages.items():
            for at, r in enumerate(rows):
                if r.key == key:
                    return page * self.page_size + at
        return None

    def search(self, query: str) -> None:
        self.query = query
        self.reset()

    def reset(self) -> None:
        self._pages.clear()
        self._total = None


def _cell_len(cell: str | Text) -> int:
    return cell.cell_len if isinstance(cell, Text) else Text(str(cell)).cell_len


class ResourceTable(ScrollView, can_focus=True):
    """Rows with a cursor, a fixed header line and columns fitted to the width."""

    COMPONENT_CLASSES = {
        "resource-table--header",
        "resource-table--cursor",
        "resource-table--empty",
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", show=False),
        Binding("down,j", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    class Highlighted(Message):
        def __init__(self, table: ResourceTable, row: Row | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> ResourceTable:
            return self.table

    class Activated(Message):
        """A double click on a row: the same as `enter`."""

        def __init__(self, table: ResourceTable, row: Row) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> ResourceTable:
            return self.table

    def __init__(self, columns: Sequence[Column], *, empty: str = "", header: bool = True,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self.empty = empty
        self.header = header
        self.source: RowSource = ListSource([])
        self._fit_key: tuple[int, int] | None = None
        self._fit: list[int] = []
        # The keys of the rows marked in this list (None: a list without marks).
        self.marks: Collection[str] | None = None

    # Data -------------------------------------------------------------------
    def set_source(self, source: RowSource, keep: str | None = None) -> None:
        """Show `source`; keep the cursor on row `keep` (by key) when it is still there,
        else on the same position."""
        old = self.cursor
        self.source = source
        index = source.index_of(keep) if keep is not None else None
        self._resize_virtual()
        self.cursor = self._clamp(old if index is None else index)
        self.refresh()

    def search(self, query: str) -> None:
        self.source.search(query)
        self._resize_virtual()
        self.cursor = 0
        self.scroll_to(y=0, animate=False)
        self.refresh()

    @property
    def total(self) -> int:
        return self.source.total()

    @property
    def current(self) -> Row | None:
        return self.source.row(self.cursor) if self.total else None

    def _clamp(self, index: int) -> int:
        return max(0, min(index, self.total - 1))

    def _resize_virtual(self) -> None:
        self.virtual_size = Size(self.size.width, self.total + self._head)

    @property
    def _head(self) -> int:
        return 1 if self.header else 0

    # Cursor -----------------------------------------------------------------
    def watch_cursor(self, cursor: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _scroll_to_cursor(self) -> None:
        visible = self.size.height - self._head
        if visible <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        if self.total:
            self.cursor = self._clamp(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.size.height - self._head - 1))

    def action_jump(self, index: int) -> None:
        if self.total:
            self.cursor = self._clamp(index if index >= 0 else self.total - 1)

    def on_resize(self, event: events.Resize) -> None:
        self._resize_virtual()
        self._scroll_to_cursor()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y - self._head
        if 0 <= index < self.total:
            self.focus()
            self.cursor = index
            row = self.current
            if event.chain >= 2 and row is not None:
                self.post_message(self.Activated(self, row))

    # Rendering --------------------------------------------------------------
    def _fitted(self) -> list[int]:
        """Each column's width on the rows on hand: its widest cell or title."""
        known = getattr(self.source, "known", None)
        rows = known() if known is not None else []
        key = (id(self.source), len(rows))
        if self._fit_key != key:
            widths = []
            for n, c in enumerate(self.columns):
                cells = [_cell_len(r.cells[n]) for r in rows if n < len(r.cells)]
                widest = max([Text(c.title).cell_len, *cells])
                widths.append(widest if cells else max(c.width, widest))
            self._fit_key, self._fit = key, widths
        return self._fit

    @property
    def row_gutter(self) -> int:
        """The cursor's "› ", and while any row is marked, the mark's column."""
        return GUTTER + (len(MARK) if self.marks else 0)

    def _prefix(self, row: Row, selected: bool) -> str:
        cursor = "› " if selected else "  "
        if not self.marks:
            return cursor
        return cursor + (MARK if row.key in self.marks else " " * len(MARK))

    def _widths(self, width: int) -> list[int]:
        """Fitted columns (ids, counts, states, the rules' messages) are never cut; the
        giving-way columns (`width` 0: names) share what is left, up to their own width;
        extra width then spaces the columns a little, the rest stays at the end."""
        space = width - self.row_gutter - (len(self.columns) - 1)
        fitted = self._fitted()
        flex = [n for n, c in enumerate(self.columns) if not c.width]
        fixed = sum(w for n, w in enumerate(fitted) if n not in flex)
        out = list(fitted)
        left = space - fixed
        wanted = sum(fitted[n] for n in flex)
        if flex and wanted > left:
            # Names give way: each in proportion to its width, none below nothing.
            for n in flex:
                out[n] = max(0, left * fitted[n] // max(1, wanted))
            return out
        spare = space - sum(out)
        pad = min(SPACING, spare // max(1, len(out) - 1)) if len(out) > 1 else 0
        return [w + (pad if n < len(out) - 1 else 0) for n, w in enumerate(out)]
    def _line(self, cells: Sequence[str | Text], width: int) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        for n, (column, w, cell) in enumerate(zip(self.columns, self._widths(width), cells,
                                                   strict=False)):
            text = safe(cell if isinstance(cell, Text) else str(cell))
            text.truncate(w, overflow="ellipsis")
            pad = " " * (w - text.cell_len)
            if column.align == "right":
                line.append(pad)
                line.append_text(text)
            else:
                line.append_text(text)
                line.append(pad)
            if n < len(self.columns) - 1:
                line.append(" ")
        return line

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = list(text.render(self.app.console, end=""))
        return Strip(segments).apply_style(style).crop_extend(0, width, style)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        # Columns fit the width left of the scrollbar; the strip still fills the line.
        cells = min(width, self.scrollable_content_region.width or width)
        base = self.rich_style
        if self.header and y == 0:
            style = base + self.get_component_rich_style("resource-table--header")
            head = Text(" " * self.row_gutter) + self._line([c.title for c in self.columns], cells)
            return self._strip(head, width, style)
        index = round(self.scroll_y) + y - self._head
        total = self.total
        if total == 0:
            if index == 0 and self.empty:
                style = base + self.get_component_rich_style("resource-table--empty")
                return self._strip(Text(" " * GUTTER + self.empty), width, style)
            return Strip.blank(width, base)
        row = self.source.row(index) if 0 <= index < total else None
        if row is None:
            return Strip.blank(width, base)
        selected = index == self.cursor
        line = Text(self._prefix(row, selected)) + self._line(row.cells, cells)
        style = base
        if selected:
            cursor = self.get_component_rich_style("resource-table--cursor")
            style = base + (cursor if self.has_focus else Style(bold=True))
        return self._strip(line, width, style)
