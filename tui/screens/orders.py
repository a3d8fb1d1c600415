"""Billing → Orders (S1): the partner's orders, filtered all / unassigned / expiring /
expired, searchable, each assignable to a customer account (S2)."""

from __future__ import annotations

from textual.app import ComposeResult

from ..widgets import Column, ResourceTable, Row
from ..words import state
from .base import Place

STATES: tuple[str | None, ...] = (None, "unassigned", "expiring", "expired")


class OrdersScreen(Place):
    KEY_IDS = ("open", "back", "filter", "assign", "state", "why")
    QUIET = ("open",)  # enter opens the order's account: the footer needs the room
    AUTO_FOCUS = "#orders"
    LISTS = ("orders",)
    top = True

    def __init__(self, state: str | None = None, select: str | None = None) -> None:
        super().__init__()
        self.state = state if state in STATES else None
        self.select = select

    def compose_body(self) -> ComposeResult:
        tr = self.tr
        yield ResourceTable([
            Column(tr("tui_col_order"), 9), Column(tr("tui_col_quantity"), 4, "right"),
            Column(tr("tui_col_state"), 28), Column(tr("tui_col_expires"), 10),
            Column(tr("tui_col_account")),
        ], empty=tr("tui_empty"), id="orders", classes="section")

    def crumbs(self) -> list[str]:
        return [self.tr("tui_billing"), self.tr("tui_orders")]

    def fetch(self) -> list[Row]:
        session, lang = self.console.session, self.lang
        names = {a["id"]: a["name"] for a in session.accounts()}
        rows = []
        for o in session.orders(self.state):
            account = names.get(o["account"], o["account"]) if o["account"] else "-"
            rows.append(Row(o["id"], [o["id"], str(o["quantity"]), state(o, lang),
                                      o["expires"] or "-", account], o))
        return rows

    def show(self, rows: list[Row]) -> None:
        table = self.query_one(ResourceTable)
        self.fill(table, rows)
        if self.select is not None:
            index = table.source.index_of(self.select)
            if index is not None:
                table.cursor = index
            self.select = None
        self.titles()

    def titles(self) -> None:
        table = self.query_one(ResourceTable)
        choices = " ".join(f"[{self._label(s)}]" if s == self.state else self._label(s)
                           for s in STATES)
        table.border_title = self.counted(f"{self.tr('tui_orders')}: {choices}", table)

    def _label(self, s: str | None) -> str:
        return self.tr(f"tui_filter_{s or 'all'}")

    def set_state(self, s: str | None) -> None:
        self.state = s
        self.reload()

    def action_next_state(self) -> None:
        self.set_state(STATES[(STATES.index(self.state) + 1) % len(STATES)])

    def _row(self) -> Row | None:
        return self.query_one(ResourceTable).current

    def action_open(self) -> None:
        row = self._row()
        if row is None:
            return
        if row.data["account"]:
            self.console.open_account(row.data["account"], push=True)
        else:
            self.console.open_assign(row.key)  # or why not (read-only, expired, ...)

    def on_resource_table_activated(self, event: ResourceTable.Activated) -> None:
        self.action_open()

    def action_assign(self) -> None:
        row = self._row()
        if row is not None:
            self.console.open_assign(row.key)

    def action_why(self) -> None:
        row = self._row()
        if row is not None:
            self.console.why_assign(row.key, row.data["account"])
