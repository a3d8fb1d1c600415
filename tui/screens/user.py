"""The user form: Products and Licenses exactly as the rules decide it, the stored
license beside it, and this user's license history from the audit trail."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from rules.text import printable

from ..widgets import Column, LicenseToggle, ResourceTable, Row
from ..words import value, when
from .base import Place

HISTORY = 50


class UserScreen(Place):
    KEY_IDS = ("back", "switch", "why")
    LISTS = ("products", "history")

    def __init__(self, user: str) -> None:
        super().__init__()
        self.user_id = user
        self.user: dict | None = None
        self._focus_toggle = True

    def compose_body(self) -> ComposeResult:
        tr = self.tr
        yield Static(id="user-info", classes="section")
        yield Vertical(id="products", classes="section")
        yield ResourceTable([
            Column(tr("tui_col_when"), 16), Column(tr("tui_col_who"), 14),
            Column(tr("tui_col_change"), 10), Column(tr("tui_col_rule")),
        ], empty=tr("tui_no_history"), id="history", classes="section")

    def fetch(self) -> tuple[dict, dict, list[dict]]:
        session = self.console.session
        u = session.user(self.user_id)
        target = f"user:{u['id']}"
        entries = [e for e in session.audit(u["account"], limit=None)
                   if e.get("target") == target][-HISTORY:]
        return u, session.account(u["account"]), entries

    def show(self, data: tuple[dict, dict, list[dict]]) -> None:
        tr, lang = self.tr, self.lang
        u, account, entries = data
        self.user = u
        self.crumb = u["name"]
        info = self.query_one("#user-info", Static)
        info.border_title = Text(tr("tui_user"))
        info.update(Text("\n".join(map(printable, [
            f"{u['name']}  ({u['id']})", f"{tr('tui_email')}: {u['email'] or '-'}",
            f"{tr('tui_col_account')}: {account['name']} ({account['id']})"]))))
        box = self.query_one("#products", Vertical)
        box.border_title = Text(tr("tui_products_and_licenses"))
        toggles = {w.product["product"]: w for w in box.query(LicenseToggle)}
        for product in u["products"]:
            if product["product"] in toggles:
                toggles[product["product"]].update_view(u, product)
            else:
                toggle = LicenseToggle(u, product, lang)
                box.mount(toggle)
                if self._focus_toggle:
                    self._focus_toggle = False
                    self.call_after_refresh(toggle.focus)
        history = self.query_one("#history", ResourceTable)
        self.fill(history, [Row(str(e["seq"]), [
            when(e.get("at")), e.get("operator", "") if e.get("actor") in (None, "operator")
            else f"{e.get('actor')}", f"{value(e.get('before'), lang)} → "
            f"{value(e.get('after'), lang)}", e.get("rule") or "-"], e)
            for e in reversed(entries)])
        history.border_title = Text(f"{tr('tui_history')} ({len(entries)})")

    def audit_scope(self) -> str | None:
        return self.user["account"] if self.user else None

    def _product(self) -> str:
        focused = self.focused
        if isinstance(focused, LicenseToggle):
            return focused.product["product"]
        first = next(iter(self.query(LicenseToggle)), None)
        return first.product["product"] if first else "miteam"

    def action_switch(self) -> None:
        product = self._product()
        seen = self.user["licenses"].get(product) if self.user else None
        self.console.start_switch_license(self.user_id, product, seen=seen)

    def action_why(self) -> None:
        self.console.why_license(self.user_id, self._product())
