"""Partners: where a support operator starts."""

from __future__ import annotations

from textual.app import ComposeResult

from ..widgets import Column, ResourceTable, Row
from .base import Place


class PartnersScreen(Place):
    KEY_IDS = ("open", "back", "filter", "goto_orders")
    LISTS = ("partners",)

    def compose_body(self) -> ComposeResult:
        yield ResourceTable([Column(self.tr("tui_col_partner")), Column(self.tr("tui_col_id"), 18)],
                            empty=self.tr("tui_empty"), id="partners", classes="section")

    def fetch(self) -> list[Row]:
        return [Row(p["id"], [p["name"], p["id"]], p) for p in self.console.session.partners()]

    def show(self, rows: list[Row]) -> None:
        self.crumb = self.tr("tui_partners")
        self.fill(self.query_one(ResourceTable), rows)
        self.titles()

    def titles(self) -> None:
        table = self.query_one(ResourceTable)
        table.border_title = self.counted(self.tr("tui_partners"), table)

    def action_open(self) -> None:
        row = self.query_one(ResourceTable).current
        if row is not None:
            self.console.open_accounts(row.key)

    def on_resource_table_activated(self, event: ResourceTable.Activated) -> None:
        self.action_open()
