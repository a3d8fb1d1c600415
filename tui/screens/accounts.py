"""Accounts: a partner's customer accounts (where a partner starts), or one partner's
accounts for support."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult

from ..widgets import Column, ResourceTable, Row
from ..words import onoff
from .base import Place


class AccountsScreen(Place):
    KEY_IDS = ("open", "back", "filter", "goto_orders")
    LISTS = ("accounts",)

    def __init__(self, partner: str | None = None) -> None:
        super().__init__()
        self.partner = partner
        self.top_level = True  # where the operator starts: "Accounts", not a partner

    def on_mount(self) -> None:
        super().on_mount()
        self.top_level = self.is_root or self.partner is None

    def compose_body(self) -> ComposeResult:
        tr = self.tr
        yield ResourceTable([
            Column(tr("tui_col_company")), Column(tr("tui_col_id"), 14),
            Column("MiCollab", 8), Column("MiTeam", 6),
            Column(tr("tui_col_assigned"), 8, "right"),
            Column(tr("tui_col_available"), 11, "right"),
        ], empty=self.tr("tui_empty"), id="accounts", classes="section")

    def fetch(self) -> tuple[str, list[Row]]:
        session, lang = self.console.session, self.lang
        crumb = self.tr("tui_accounts")
        if not self.top_level:
            names = {p["id"]: p["name"] for p in session.partners()}
            crumb = names.get(self.partner or "", self.partner or crumb)
        rows = []
        for a in session.accounts(self.partner):
            lic = a["licenses"]["miteam"]
            available = Text(str(lic["available"]))
            if lic["over_allocated"]:
                available = Text(f"{lic['available']} {self.tr('tui_over')}", style="bold")
            rows.append(Row(a["id"], [
                a["name"], a["id"], onoff(a["integrations"]["micollab"], lang),
                onoff(a["integrations"]["miteam"], lang),
                f"{lic['assigned']}/{lic['total']}", available,
            ], a))
        return crumb, rows

    def show(self, data: tuple[str, list[Row]]) -> None:
        self.crumb, rows = data
        self.fill(self.query_one(ResourceTable), rows)
        self.titles()

    def titles(self) -> None:
        table = self.query_one(ResourceTable)
        table.border_title = self.counted(self.tr("tui_accounts"), table)

    def action_open(self) -> None:
        row = self.query_one(ResourceTable).current
        if row is not None:
            self.console.open_account(row.key, push=True)

    def on_resource_table_activated(self, event: ResourceTable.Activated) -> None:
        self.action_open()
