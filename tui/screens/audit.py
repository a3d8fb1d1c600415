"""The audit trail: every change the operator may see (who, when, what, before and
after, which rule), newest first; the selected entry in full below the list.

`/` opens the filter bar: the CLI's filters (`account:` `user:` `operator:` `operation:`
`rule:` `since:` `until:`) read by the core (`rules.ops.filters.parse_audit`) and searched
by it (`Session.audit`), so a bad date is refused with the core's words. `u` reverts the
selected entry (`screens/revert.py`)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from rules.errors import CoreError
from rules.ops.filters import AuditQuery, parse_audit
from rules.ops.views import audit_who
from rules.records.store import StoreError
from rules.text import printable

from ..widgets import Column, ResourceTable, Row
from ..widgets.auditfilter import AuditFilterBar
from ..words import value, when
from .base import Place
from .revert import revert_entry

LIMIT = 1000


class AuditScreen(Place):
    KEY_IDS = ("back", "audit_filter", "revert")
    AUTO_FOCUS = "#audit"
    AUDIT_KEY = False  # `t` here: this is the audit
    LISTS = ("audit",)

    def __init__(self, account: str | None = None) -> None:
        super().__init__()
        self.account = account
        self.top = account is None
        self.search = AuditQuery()  # the filter in force
        self._newest = False  # select the newest entry when the rows come (a revert)

    def compose_body(self) -> ComposeResult:
        tr = self.tr
        yield AuditFilterBar(placeholder=tr("tui_audit_filter_placeholder"), id="audit-filter")
        yield ResourceTable([
            Column(tr("tui_col_when"), 16), Column(tr("tui_col_who"), 12),
            Column(tr("tui_col_operation"), 15), Column(tr("tui_col_target")),
            Column(tr("tui_col_change"), 10),
        ], empty=tr("tui_empty"), id="audit", classes="section")
        yield Static(id="audit-entry", classes="section")

    def crumbs(self) -> list[str]:
        return [self.tr("tui_audit")]

    def entries(self, search: AuditQuery) -> list[dict]:
        """The core's answer to a search (raises its refusal: a bad date, an unknown or
        unreadable account)."""
        return self.console.session.audit(search.account or self.account, limit=LIMIT,
                                          where=search.where)

    def fetch(self) -> tuple[AuditQuery, list[dict]]:
        search = self.search
        return search, self.entries(search)

    def show(self, data: tuple[AuditQuery, list[dict]]) -> None:
        search, entries = data
        if search == self.search:  # else a newer search is on screen already
            self.show_rows(entries)

    def show_rows(self, entries: list[dict]) -> None:
        lang = self.lang
        rows = []
        for e in reversed(entries):
            who = audit_who(e)
            if e.get("actor") not in (None, "operator"):
                who = f"{e['actor']}"
            rows.append(Row(str(e["seq"]), [
                when(e.get("at")), who, e.get("operation", ""), e.get("target", ""),
                f"{value(e.get('before'), lang)} → {value(e.get('after'), lang)}"], e))
        table = self.query_one(ResourceTable)
        self.fill(table, rows)
        if table.source.query != self.search.text:
            table.search(self.search.text)
        if self._newest and rows:
            self._newest = False
            table.action_jump(0)
        self.titles()
        self.show_entry()

    def titles(self) -> None:
        """`Audit (3) /user:u-1001 since:2026-11-01`: the count and the filter in force."""
        table = self.query_one(ResourceTable)
        # The place's account, unless the filter names another.
        scope = self.account if self.search.account is None else None
        label = self.tr("tui_audit") + (f" · {scope}" if scope else "")
        words = self.search.words(self.lang)
        table.border_title = Text(printable(f"{label} ({table.total})"
                                            + (f" /{words}" if words else "")))

    # The filter bar -----------------------------------------------------------
    def action_filter(self) -> None:
        self.query_one(AuditFilterBar).open(self.search.words(self.lang))

    def apply_filter(self, words: str) -> bool:
        """Search with these words; on bad input say why (the core's words) and keep the
        filter in force and the bar open to correct it."""
        try:
            search = parse_audit(words, self.lang)
            entries = self.entries(search)
        except (CoreError, StoreError) as exc:
            self.console.notify(str(exc), severity="error")
            return False
        self.search = search
        self.console.status = None
        self.show_status()
        self.show_rows(entries)
        return True

    @on(Input.Submitted, "#audit-filter")
    def _audit_filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.apply_filter(event.value):
            bar = self.query_one(AuditFilterBar)
            bar.display = False
            self.query_one(ResourceTable).focus()

    @on(AuditFilterBar.Closed)
    def _audit_filter_closed(self) -> None:
        self.query_one(ResourceTable).focus()

    def _filtered(self) -> ResourceTable | None:
        table = self.query_one(ResourceTable)
        return table if self.search != AuditQuery() else None

    def action_back(self) -> None:
        """Escape: first clear the filter, then go back one place."""
        if self.search != AuditQuery():
            self.apply_filter("")
        elif not self.is_root:
            self.app.pop_screen()

    # Revert -------------------------------------------------------------------
    def action_revert(self) -> None:
        row = self.query_one(ResourceTable).current
        if row is not None:
            revert_entry(self.console, int(row.key), lambda _: self.show_newest())

    def show_newest(self) -> None:
        """After a revert: its entry (the newest) selected, once the rows come."""
        self._newest = True

    # The entry in full --------------------------------------------------------
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
        revert = f" · {self.tr('tui_revert_of', seq=e['revert_of'])}" \
            if e.get("revert_of") else ""
        box.update(Text("\n".join(map(printable, [
            f"#{e['seq']} {when(e.get('at'))} {audit_who(e)}{actor} · "
            f"{e.get('operation', '')} {e.get('target', '')}{revert}",
            f"{value(e.get('before'), self.lang)} → {value(e.get('after'), self.lang)} · "
            f"{e.get('outcome', '')} · {self.tr('tui_col_rule')} {e.get('rule') or '-'}"
            + (f" ({e['rule_at']})" if e.get("rule_at") else "")
            + (f" · {e['rules']}" if e.get("rules") else "")])), no_wrap=True,
            overflow="ellipsis"))
