"""Account Information (a partner's or support's way in) or the Dashboard (an account
admin's own account): the integrations, the Orders section with the license counts (S3),
and the users with their MiTeam Meetings license state, a page at a time."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult

from rules.ops.actions import SetIntegration
from rules.schema import INTEGRATIONS

from ..marks import Marks, MarksUsers
from ..widgets import Column, PagedSource, ResourceTable, Row
from ..words import onoff, safe, shown_text, state, stored
from .base import Place

# The Orders section shows this many rows (and scrolls beyond): the users need the room.
MAX_ORDER_ROWS = 3


def user_row(user: dict, lang: str) -> Row:
    product = next(p for p in user["products"] if p["product"] == "miteam")
    return Row(user["id"], [user["name"], user["id"], shown_text(product, lang),
                            stored(user, "miteam", lang)], user)


class AccountScreen(MarksUsers, Place):
    KEY_IDS = ("open", "back", "filter", "bulk", "switch", "why", "mark", "mark_all")
    # 80 columns hold no more in German (with esc): help lists `m` and `M`; once users are
    # marked, the footer shows space's "Preview".
    QUIET = ("mark", "mark_all")
    AUTO_FOCUS = "#users"
    LISTS = ("integrations", "account-orders", "users")

    def __init__(self, account: str, dashboard: bool = False) -> None:
        super().__init__()
        self.account_key = account
        self.dashboard = dashboard
        self.account: dict | None = None

    def compose_body(self) -> ComposeResult:
        tr = self.tr
        yield ResourceTable([Column("", 30), Column("", 4), Column("")], header=False,
                            id="integrations", classes="section")
        yield ResourceTable([
            Column(tr("tui_col_order"), 10), Column(tr("tui_col_quantity"), 5, "right"),
            Column(tr("tui_col_state"), 30), Column(tr("tui_col_expires"), 10),
        ], empty=tr("tui_no_orders"), id="account-orders", classes="section")
        users = ResourceTable([
            Column(tr("tui_col_name")), Column(tr("tui_col_id"), 8),
            Column("MiTeam Meetings", 34), Column(tr("tui_col_stored"), 11),
        ], empty=tr("tui_empty"), id="users", classes="section")
        users.marks = Marks()  # the users marked to switch together (`m`, `M`, space)
        yield users

    @property
    def account_id(self) -> str:
        return self.account["id"] if self.account else self.account_key

    def crumbs(self) -> list[str]:
        return [self.crumb] if self.crumb else []

    def fetch(self) -> tuple[dict, list[Row], PagedSource]:
        session, lang, tr = self.console.session, self.lang, self.tr
        a = session.account(self.account_key)
        rows = []
        for name in INTEGRATIONS:
            on = a["integrations"][name]
            # The rules' answer to switching it (no trace: `w` asks for that).
            if self.console.readonly and not self.console.replaying:
                can = tr("tui_readonly_row")
            elif session.decide(SetIntegration(a["id"], name, not on)).allowed:
                can = tr("editable")
            else:
                can = tr("tui_not_switchable")
            # The row carries the state it shows, so a switch can tell if it went stale.
            rows.append(Row(name, [tr(f"integration_{name}"), onoff(on, lang), can], on))
        account_id = a["id"]

        def fetch(offset: int, limit: int, query: str) -> tuple[int, list[Row]]:
            total, users = session.users_page(account_id, offset, limit, query)
            return total, [user_row(u, lang) for u in users]

        users = PagedSource(fetch)
        users.total()  # the first page, here in the worker
        return a, rows, users

    def show(self, data: tuple[dict, list[Row], PagedSource]) -> None:
        a, rows, users = data
        self.account = a
        self.crumb = self.tr("tui_dashboard") if self.dashboard else a["name"]
        self.fill(self.query_one("#integrations", ResourceTable), rows)
        orders = [Row(o["id"], [o["id"], str(o["quantity"]), state(o, self.lang),
                            o["expires"] or "-"], o) for o in a["orders"]]
        table = self.query_one("#account-orders", ResourceTable)
        self.fill(table, orders)
        table.styles.height = 2 + max(1, min(len(orders), MAX_ORDER_ROWS))
        self.fill(self.query_one("#users", ResourceTable), users)
        self.titles()

    def titles(self) -> None:
        a, tr = self.account, self.tr
        if a is None:
            return
        head = tr("tui_dashboard") if self.dashboard else tr("tui_account_information")
        self.query_one("#integrations", ResourceTable).border_title = \
            safe(f"{head}: {a['name']} ({a['id']})")
        lic = a["licenses"]["miteam"]
        # The section shows a few orders and scrolls without a bar of its own (the users
        # have the one scrollbar): when there are more, the count says how many.
        many = f" ({len(a['orders'])})" if len(a["orders"]) > MAX_ORDER_ROWS else ""
        counts = (f"{tr('tui_orders')}{many} · {tr('licenses')}: "
                  f"{tr('total')} {lic['total']} · {tr('assigned')} {lic['assigned']} · "
                  f"{tr('available')} {lic['available']}")
        if lic["over_allocated"]:
            counts += f" ({tr('over_allocated')})"
        self.query_one("#account-orders", ResourceTable).border_title = Text(counts)
        users = self.query_one("#users", ResourceTable)
        users.border_title = self.marked_title(users, self.counted(tr("tui_users"), users,
                                                                   a["users"]))

    def shown_ids(self, table: ResourceTable) -> list[str]:
        # The list holds a page at a time: the core answers for the whole filter.
        return self.console.session.user_ids(self.account_id, table.source.query)

    def audit_scope(self) -> str | None:
        return self.account_id

    def filter_table(self) -> ResourceTable | None:
        return self.query_one("#users", ResourceTable)

    # Keys -----------------------------------------------------------------
    def _focused(self) -> tuple[str, Row | None]:
        table = self.focused if isinstance(self.focused, ResourceTable) else \
            self.query_one("#users", ResourceTable)
        return table.id or "", table.current

    def action_open(self) -> None:
        which, row = self._focused()
        if row is None:
            return
        if which == "users":
            self.console.open_user(row.key, push=True)
        elif which == "account-orders":
            self.console.open_order(row.key)  # Billing › Orders, on this order (or why not)
        elif which == "integrations":
            self.action_why()

    def on_resource_table_activated(self, event: ResourceTable.Activated) -> None:
        self.action_open()

    def action_switch(self) -> None:
        which, row = self._focused()
        if row is None:
            return
        if which == "users":
            self.console.start_switch_license(row.key, seen=row.data["licenses"]["miteam"])
        elif which == "integrations":
            self.console.start_switch_integration(self.account_id, row.key, seen=row.data)
        else:
            self.console.notify(self.tr("tui_orders_section_space"), severity="warning")

    def action_why(self) -> None:
        which, row = self._focused()
        if row is None:
            return
        if which == "users":
            self.console.why_license(row.key)
        elif which == "integrations":
            self.console.why_integration(self.account_id, row.key)
        elif which == "account-orders":
            self.console.why_assign(row.key, self.account_id)
