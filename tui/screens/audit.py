"""The audit trail: every change the operator may see (who, when, what, before and
after, which rule), newest first; the selected entry in full below the list."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from rules.ops.views import audit_who
from rules.text import printable

from ..widgets import Column, ResourceTable, Row
from ..words import value, when
from .base import Place

LIMIT = 1000


class AuditScreen(Place):
    KEY_IDS = ("back", "filter")
    AUTO_FOCUS = "#audit"
    AUDIT_KEY = False  # `t` here: this is the audit
    LISTS = ("audit",)

    def __init__(self, account: str | None = None) -> None:
        super().__init__()
        self.account = account
        self.top = account is None

    def compose_body(self) -> ComposeResult:
        tr = self.tr
        yield ResourceTable([
            Column(tr("tui_col_when"), 16), Column(tr("tui_col_who"), 12),
            Column(tr("tui_col_operation"), 15), Column(tr("tui_col_target")),
            Column(tr("tui_col_change"), 10),
        ], empty=tr("tui_empty"), id="audit", classes="section")
        yield Static(id="audit-entry", classes="section")

    def crumbs(self) -> list[str]:
        return [self.tr("tui_audit")]

    def fetch(self) -> list[Row]:
        lang = self.lang
        entries = self.console.session.audit(self.account, limit=LIMIT)
        rows = []
        for e in reversed(entries):
            who = audit_who(e)
            if e.get("actor") not in (None, "operator"):
                who = f"{e['actor']}"
            rows.append(Row(str(e["seq"]), [
                when(e.get("at")), who, e.get("operation", ""), e.get("target", ""),
                f"{value(e.get('before'), lang)} → {value(e.get('after'), lang)}"], e))
        return rows

    def show(self, rows: list[Row]) -> None:
        self.fill(self.query_one(ResourceTable), rows)
        self.titles()
        self.show_entry()

    def titles(self) -> None:
        table = self.query_one(ResourceTable)
        label = self.tr("tui_audit") + (f" · {self.account}" if self.account else "")
        table.border_title = self.counted(label, table)

    def on_resource_table_highlighted(self, event: ResourceTable.Highlighted) -> None:
        self.show_entry()

    def show_entry(self) -> None:
        row = self.query_one(ResourceTable).current
        box = self.query_one("#audit-entry", Static)
        if row is None:
            box.update("")
            return
        e = row.data
        actor = f" ({e['actor']})" if e.get("actor") not in (None, "operator") else ""
        box.update(Text("\n".join(map(printable, [
            f"#{e['seq']} {when(e.get('at'))} {audit_who(e)}{actor} · "
            f"{e.get('operation', '')} {e.get('target', '')}",
            f"{value(e.get('before'), self.lang)} → {value(e.get('after'), self.lang)} · "
            f"{e.get('outcome', '')} · {self.tr('tui_col_rule')} {e.get('rule') or '-'}"
            + (f" ({e['rule_at']})" if e.get("rule_at") else "")
            + (f" · {e['rules']}" if e.get("rules") else "")])), no_wrap=True,
            overflow="ellipsis"))
