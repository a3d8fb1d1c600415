"""What every place of the console shares: the top bar (breadcrumbs, who, markers), the
`/` filter, the footer with this place's keys, and reloading from the core whenever the
place comes back into view, the rules change, or another console commits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from rules.errors import CoreError
from rules.records.store import StoreError

from .. import keys
from ..widgets import FilterBar, ListSource, ResourceTable, Row, StatusLine, TopBar
from ..widgets.table import RowSource
from ..words import t

if TYPE_CHECKING:
    from ..app import ConsoleApp

# The footer's right end: the palette's `^p Jump` and its separator.
PALETTE_ROOM = 12


def _width(display: str, description: str) -> int:
    return Text(f"{display} {description}").cell_len


def _app_action(action: str) -> str:
    return action if "." in action else f"app.{action}"


class Place(Screen):
    """One place of the console (partners, accounts, an account, a user, orders, audit)."""

    KEY_IDS: ClassVar[tuple[str, ...]] = ("back",)
    QUIET: ClassVar[tuple[str, ...]] = ()  # keys of this place left out of the footer
    # A top place (Billing › Orders, the whole audit) starts its own breadcrumbs: it is
    # reached from anywhere, not drilled into.
    top = False
    # Whether `t` opens something new from here (not on the audit itself).
    AUDIT_KEY = True
    # Whether `r` opens something new from here (not on the report itself).
    REPORT_KEY = True

    def __init__(self) -> None:
        super().__init__()
        self.crumb = ""
        self._filter_table: ResourceTable | None = None
        # Built per instance: descriptions in the operator's language, and a read-only
        # console gets no key that changes data.
        self._bindings = BindingsMap.merge([
            self._bindings, keys.bindings(self.KEY_IDS, self.console.lang, self.console.readonly,
                                          self.console.has_orders, self.QUIET,
                                          self.console.has_report)])
        if self.console.readonly:
            # No key changes anything here; the ones that would say why not.
            for k in keys.KEYS.values():
                if k.changes and k.id in self.KEY_IDS:
                    self._bindings.bind(k.key, "app.refuse_readonly", show=False)
        self._own_bindings = self._bindings
        self._extras: tuple[str, ...] = ()

    # Shortcuts ------------------------------------------------------------
    @property
    def console(self) -> ConsoleApp:
        return cast("ConsoleApp", self.app)

    @property
    def lang(self) -> str:
        return self.console.lang

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    # Layout ---------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TopBar(id="topbar")
        yield from self.compose_body()
        yield from self.console.bars()
        yield StatusLine(id="status")
        yield FilterBar(placeholder=self.tr("tui_filter_placeholder"), id="filter")
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        return iter(())

    # Loading --------------------------------------------------------------
    # Each place defines `fetch` (ask the core: run in a worker, so it touches no widget)
    # and `show` (fill its widgets with what `fetch` returned, on the screen's thread).
    # Until the first answer comes the lists show a loading indicator; on a reload the
    # rows on screen stay until the new ones come.
    LISTS: ClassVar[tuple[str, ...]] = ()  # the widgets (ids) that wait for `fetch`

    def fetch(self) -> Any:
        return None

    def show(self, data: Any) -> None:
        """Fill the widgets with what `fetch` returned."""

    def on_mount(self) -> None:
        # A new place starts with an empty status line: the last message was about the
        # place it came from.
        self.console.status = None
        self.show_status()
        self._set_loading(True)

    def on_screen_resume(self) -> None:
        self.reload()
        self.show_status()

    def show_status(self) -> None:
        status = self.console.status
        self.query_one(StatusLine).show(*(status or ("information", "")))

    def _set_loading(self, loading: bool) -> None:
        for name in self.LISTS:
            for widget in self.query(f"#{name}"):
                widget.loading = loading

    def get_loading_widget(self) -> Widget:
        """What a list shows until its rows come: the word, not only animated dots (they
        say nothing without colour, NO_COLOR, or to a screen reader)."""
        return Static(self.tr("tui_loading"), classes="loading", markup=False)

    def reload(self) -> None:
        """Ask the core again and show what it says (in a worker where the console has
        them: a big account's list never holds the keys)."""
        if not self.console.load_in_worker:
            self._shown(*self._fetched())
            return
        self._fetch_in_worker()

    @work(thread=True, exclusive=True, group="place")
    def _fetch_in_worker(self) -> None:
        result = self._fetched()
        if get_current_worker().is_cancelled:
            return  # a newer reload is on its way
        try:
            self.app.call_from_thread(self._shown, *result)
        except RuntimeError:  # the console is closing
            pass

    def _fetched(self) -> tuple[Any, Exception | None]:
        try:
            return self.fetch(), None
        except (CoreError, StoreError) as exc:
            return None, exc

    def _shown(self, data: Any, error: Exception | None) -> None:
        if not self.is_mounted:
            return
        if error is not None:
            self.console.notify(str(error), severity="error")
        else:
            self.show(data)
        self._set_loading(False)
        self.update_bar()
        self.fit_footer()

    def update_bar(self) -> None:
        places = [s for s in self.app.screen_stack if isinstance(s, Place)]
        if self in places:
            places = places[: places.index(self) + 1]
        tops = [i for i, p in enumerate(places) if p.top]
        if tops:
            places = places[tops[-1]:]
        bar = self.query_one(TopBar)
        bar.crumbs = tuple(c for p in places for c in p.crumbs())
        bar.status = self.console.who
        bar.markers = self.console.markers()

    def crumbs(self) -> list[str]:
        return [self.crumb] if self.crumb else []

    def audit_scope(self) -> str | None:
        """The account whose audit `t` opens from here (None: everything visible)."""
        return None

    def fill(self, table: ResourceTable, rows: list[Row] | RowSource) -> None:
        """Show new rows, keeping the filter and the cursor's row."""
        keep = table.current.key if table.total else None
        source = ListSource(rows) if isinstance(rows, list) else rows
        if table.source.query:
            source.search(table.source.query)
        table.set_source(source, keep=keep)

    # The footer ----------------------------------------------------------
    def footer_extras(self) -> list[str]:
        """The app's keys that do something here, most useful first: `t` where the rules
        offer the audit (and this is not it), `tab` where there is more than one section,
        `h` away from home, `r` where the rules offer the report (and this is not it),
        `ctrl+r` everywhere."""
        out = []
        if self.AUDIT_KEY and self.console.capabilities.offers("audit"):
            out.append("audit")
        # Counted whether or not a list is still loading (loading lists take no focus).
        if sum(1 for w in self.query("*") if w.can_focus and w.display) > 1:
            out.append("next")
        if not self.is_root:
            out.append("home")
        if self.REPORT_KEY and self.console.has_report:
            out.append("report")
        out.append("refresh")
        return out

    def fit_footer(self) -> None:
        """Show the extras that work here in the footer, as many as fit beside this
        place's own keys (every key works either way; help lists them all)."""
        # Only for the screen on top: the keys a footer shows are the focused chain's,
        # and under a dialog they would be the dialog's. A place fits again on resume.
        if not self.is_mounted or self.app.screen is not self:
            return
        lang = self.lang
        shown = self._shown_keys()
        used = sum(_width(b.key_display or b.key, b.description) + 1 for b in shown)
        room = self.app.size.width - PALETTE_ROOM - used
        extras = []
        for key_id in self.footer_extras():
            k = keys.KEYS[key_id]
            need = _width(k.display, t(k.label, lang)) + 1
            if need <= room:
                extras.append(key_id)
                room -= need
        if tuple(extras) == self._extras:
            return
        self._extras = tuple(extras)
        # The same key bound quietly (Textual's own `tab`) would hide the shown one.
        bound = {keys.KEYS[i].key for i in extras}
        own = BindingsMap.from_keys({k: v for k, v in self._own_bindings.key_to_bindings.items()
                                     if k not in bound})
        self._bindings = BindingsMap.merge([own, BindingsMap([
            Binding(keys.KEYS[i].key, _app_action(keys.KEYS[i].action),
                    t(keys.KEYS[i].label, lang), key_display=keys.KEYS[i].display,
                    id=f"miteam.{i}") for i in extras])])
        self.refresh_bindings()

    def _shown_keys(self) -> list[Binding]:
        """The keys the footer shows besides the extras: this place's and the app's,
        enabled. Worked out from the bindings, not the focus chain: the footer is fitted
        when the focus may still be in the filter bar, whose chain hides the place's."""
        out: dict[str, Binding] = {}
        for owner, bindings in ((self, self._own_bindings), (self.app, self.app._bindings)):
            for key, group in bindings.key_to_bindings.items():
                for b in group:
                    action = b.action.removeprefix("app.")
                    target = self.app if b.action.startswith("app.") else owner
                    if b.show and key not in out and \
                            target.check_action(action, ()) is not False:
                        out[key] = b
        return list(out.values())

    def on_resize(self) -> None:
        self.fit_footer()

    # Keys -----------------------------------------------------------------
    @property
    def is_root(self) -> bool:
        places = [s for s in self.app.screen_stack if isinstance(s, Place)]
        return bool(places) and places[0] is self

    def _filtered(self) -> ResourceTable | None:
        table = self.filter_table()
        return table if table is not None and table.source.query else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return not self.is_root or self._filtered() is not None
        return True

    def action_back(self) -> None:
        """Escape: first clear a filter (as k9s does), then go back one place."""
        table = self._filtered()
        if table is not None:
            self._filter_table = table
            self.query_one(FilterBar).action_clear()
        elif not self.is_root:
            self.app.pop_screen()

    def filter_table(self) -> ResourceTable | None:
        focused = self.focused
        if isinstance(focused, ResourceTable):
            return focused
        tables = list(self.query(ResourceTable))
        return tables[-1] if tables else None

    def action_filter(self) -> None:
        table = self.filter_table()
        if table is None:
            return
        self._filter_table = table
        bar = self.query_one(FilterBar)
        if bar.value != table.source.query:
            bar.value = table.source.query
        bar.open()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_table is not None:
            self._filter_table.search(event.value)
            self.titles()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        # The section title keeps showing the filter (`/query`); escape clears it.
        self.query_one(FilterBar).display = False
        if self._filter_table is not None:
            self._filter_table.focus()
        # `esc Back` comes and goes with the filter: fit the footer to the keys shown
        # once the list has the focus again (while typing, the input's keys are shown).
        self.call_after_refresh(self.fit_footer)

    @on(FilterBar.Cleared)
    def _filter_cleared(self) -> None:
        if self._filter_table is not None:
            self._filter_table.search("")
            self._filter_table.focus()
            self.titles()
            self.call_after_refresh(self.fit_footer)

    def titles(self) -> None:
        """Refresh section titles (counts change with the filter)."""

    def counted(self, label: str, table: ResourceTable, everything: int | None = None) -> Text:
        """`Users (18)`, or with a filter `Users (3 of 18) /müller` (plain text: a name or
        a filter with brackets is not markup)."""
        q = table.source.query
        if q and everything is not None:
            return Text(f"{label} ({table.total} {self.tr('tui_of')} {everything}) /{q}")
        if q:
            return Text(f"{label} ({table.total}) /{q}")
        return Text(f"{label} ({table.total})")
