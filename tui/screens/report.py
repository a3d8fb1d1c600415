"""The license report as a place (`r`): what needs attention in the accounts the operator
may read, as the core's `Session.report()` answers it (a partner sees their customers, an
account admin their own account).

Four sections, `tab` between them: per account total / assigned / available with
over-allocation (now, or once its expiring orders expire) first; users whose stored license
differs from what the screen shows (S5/S13); users whose license the MiCollab server set
(S4); orders expiring soon, those that leave their account over-allocated first. `enter` goes to
the account or user of the row (an unassigned order: Billing › Orders).

The report reads every readable account's users: it is asked for in the place's worker,
so a large database never holds the keys.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult

from rules.ops.report import AccountLine, ExpiringOrder, LicenseReport, UserLine

from ..attention import expiring_days
from ..widgets import Column, ResourceTable, Row
from ..words import onoff
from .base import Place


class ReportScreen(Place):
    KEY_IDS = ("open", "back", "filter", "next")
    QUIET = ("next",)
    AUTO_FOCUS = "#report-accounts"
    LISTS = ("report-accounts", "report-differs", "report-micollab", "report-expiring")
    top = True
    REPORT_KEY = False  # `r` here: this is the report

    def __init__(self) -> None:
        super().__init__()
        self.report: LicenseReport | None = None

    def compose_body(self) -> ComposeResult:
        tr = self.tr
        empty = tr("tui_empty")
        yield ResourceTable([
            Column(tr("tui_col_company")), Column(tr("tui_col_id"), 12),
            Column(tr("tui_col_total"), 6, "right"), Column(tr("tui_col_assigned"), 8, "right"),
            Column(tr("tui_col_available"), 9, "right"), Column(tr("tui_col_attention"), 10),
        ], empty=empty, id="report-accounts", classes="section")
        users = [Column(tr("tui_col_name")), Column(tr("tui_col_id"), 8),
                 Column(tr("tui_col_account"), 12), Column(tr("tui_col_stored"), 6),
                 Column(tr("tui_col_shown"), 14)]
        yield ResourceTable(users, empty=empty, id="report-differs", classes="section")
        yield ResourceTable(users[:3] + users[4:], empty=empty, id="report-micollab",
                            classes="section")
        yield ResourceTable([
            Column(tr("tui_col_order"), 10), Column(tr("tui_col_quantity"), 5, "right"),
            Column(tr("tui_col_expires"), 10), Column(tr("tui_col_account"), 12),
            Column(tr("tui_col_after_expiry")),
        ], empty=empty, id="report-expiring", classes="section")

    def crumbs(self) -> list[str]:
        return [self.tr("tui_report")]

    # Loading: `fetch` in the place's worker (the report reads every readable user with a
    # license: seconds on a large database), `show` on the screen's thread.
    def fetch(self) -> LicenseReport:
        return self.console.session.report()

    def show(self, report: LicenseReport) -> None:
        self.report = report
        self.console.show_attention(report.attention())
        tr, lang = self.tr, self.lang
        accounts = {a.account: a for a in report.accounts}
        # Over-allocated now first, then once its orders expire, then the rest as listed.
        ranked = sorted(report.accounts, key=lambda a: (not a.over_allocated,
                                                        not a.over_after_expiry))
        self.fill(self.table("report-accounts"), [self.account_row(a) for a in ranked])
        self.fill(self.table("report-differs"), [Row(u.user, [
            u.name, u.user, u.account, onoff(u.stored, lang), self.shown(u)], u)
            for u in report.differs])
        self.fill(self.table("report-micollab"), [Row(u.user, [
            u.name, u.user, u.account, self.shown(u)], u) for u in report.micollab])
        rows = []

        def urgency(o: ExpiringOrder) -> tuple[bool, bool, str]:
            # Orders that leave an account over-allocated first, then the assigned ones.
            line = accounts.get(o.account or "")
            return (not (line and line.over_after_expiry), line is None, o.expires)

        for o in sorted(report.expiring, key=urgency):
            line = accounts.get(o.account or "")
            if line is None:
                after = Text(tr("tui_report_unassigned"), style="italic")
            elif line.over_after_expiry:
                after = Text(tr("tui_report_will_be_over", keeps=line.after_expiry,
                                assigned=line.assigned), style="bold")
            else:
                after = Text(tr("tui_report_keeps", keeps=line.after_expiry,
                                assigned=line.assigned))
            rows.append(Row(o.order, [o.order, str(o.quantity), o.expires,
                                      o.account or "-", after], o))
        self.fill(self.table("report-expiring"), rows)
        self.titles()

    def account_row(self, a: AccountLine) -> Row:
        tr = self.tr
        if a.over_allocated:
            flag = Text(tr("over_allocated"), style="bold")
        elif a.over_after_expiry:
            flag = Text(tr("tui_report_over_after", keeps=a.after_expiry), style="bold")
        else:
            flag = Text("")
        return Row(a.account, [a.name, a.account, str(a.total), str(a.assigned),
                               str(a.available), flag], a)

    def shown(self, u: UserLine) -> str:
        """What Products and Licenses shows: the rules' message ("No licenses"), else ON/OFF."""
        return u.message or (onoff(u.shown == "on", self.lang))

    def table(self, name: str) -> ResourceTable:
        return self.query_one(f"#{name}", ResourceTable)

    def titles(self) -> None:
        tr = self.tr
        labels = {"report-accounts": tr("tui_accounts"),
                  "report-differs": tr("tui_report_differs"),
                  "report-micollab": tr("tui_report_micollab"),
                  "report-expiring": tr("tui_report_expiring",
                                      days=expiring_days(self.console.session))}
        over = len(self.report.over_allocated) if self.report else 0
        for name, label in labels.items():
            table = self.table(name)
            if self.report is None:
                table.border_title = Text(label)
                continue
            title = self.counted(label, table)
            if name == "report-accounts" and over:
                title.append(f" · {tr('tui_attention_over_allocated', count=over)}",
                             style="bold")
            table.border_title = title

    # Keys -------------------------------------------------------------------
    def action_open(self) -> None:
        """The account or user of the row, on top of the report (escape comes back)."""
        table = self.filter_table()
        row = table.current if table is not None else None
        if table is None or row is None:
            return
        if table.id in ("report-differs", "report-micollab"):
            self.console.open_user(row.key, push=True)
        elif table.id == "report-accounts":
            self.console.open_account(row.key, push=True)
        elif row.data.account is not None:
            self.console.open_account(row.data.account, push=True)
        else:
            self.console.open_order(row.key)

    def on_resource_table_activated(self, event: ResourceTable.Activated) -> None:
        self.action_open()
