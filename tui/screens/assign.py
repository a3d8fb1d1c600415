"""Assign an order (S2): pick the customer account by company name (type to search),
confirm; the core decides, and a refusal (expired, already assigned, another partner's
account) says why, in the dialog, with `w` for the full trace."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from rules.i18n import t
from rules.text import printable_lines

from ..widgets import Column, ListSource, ResourceTable, Row
from ..words import state
from .confirm import DialogButton

if TYPE_CHECKING:
    from ..app import ConsoleApp


class AssignDialog(ModalScreen[bool]):
    AUTO_FOCUS = "#assign-search"

    def __init__(self, order: dict, accounts: list[dict]) -> None:
        super().__init__(classes="dialog-screen")
        self.order = order
        self.accounts = accounts
        self.chosen: Row | None = None
        self._bindings.bind("escape", "cancel", show=False)
        self._bindings.bind("up", "move(-1)", show=False)
        self._bindings.bind("down", "move(1)", show=False)
        self._bindings.bind("w", "why", show=False)

    @property
    def console(self) -> ConsoleApp:
        return cast("ConsoleApp", self.app)

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.console.lang, **values)

    def compose(self) -> ComposeResult:
        o, tr = self.order, self.tr
        title = tr("tui_assign_title", order=o["id"], quantity=o["quantity"],
                   state=state(o, self.console.lang))
        with Vertical(id="assign", classes="dialog"):
            yield Static(title, classes="dialog-title", markup=False)
            yield Static(tr("tui_assign_search"), markup=False)
            yield Input(placeholder=tr("tui_assign_placeholder"), id="assign-search")
            yield ResourceTable([Column(tr("tui_col_company")), Column(tr("tui_col_id"), 16)],
                                empty=tr("tui_empty"), id="assign-accounts")
            yield Static(tr("tui_assign_pick"), id="assign-status", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield DialogButton(tr("tui_cancel"), id="cancel")
                yield DialogButton(tr("tui_assign"), id="confirm", variant="warning")

    def on_mount(self) -> None:
        rows = [Row(a["id"], [a["name"], a["id"]], a) for a in self.accounts]
        self.query_one(ResourceTable).set_source(ListSource(rows))

    @property
    def table(self) -> ResourceTable:
        return self.query_one(ResourceTable)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.table.search(event.value)
        self.chosen = None
        self._status(self.tr("tui_assign_pick"))

    def action_move(self, step: int) -> None:
        self.table.action_cursor(step)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.choose()

    def on_resource_table_activated(self, event: ResourceTable.Activated) -> None:
        self.choose()

    def key_enter(self) -> None:
        # Enter on the list chooses the highlighted account (the list has no enter key).
        if self.focused is self.table:
            self.choose()

    def choose(self) -> None:
        row = self.table.current
        if row is None:
            return
        self.chosen = row
        self._status(self.tr("tui_assign_confirm", order=self.order["id"],
                             account=row.data["name"]))
        self.query_one("#confirm", Button).focus()

    def _status(self, text: str) -> None:
        self.query_one("#assign-status", Static).update(Text(printable_lines(text)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.dismiss(False)
            return
        row = self.chosen or self.table.current
        if row is None:
            return
        if self.console.assign_order(self.order["id"], row.key) is not None:
            self.dismiss(True)
            return
        refusal = self.console.last_refusal
        reason = refusal[1] if refusal else ""
        self._status(f"{self.tr('refused').capitalize()}: {reason}\n{self.tr('tui_press_w')}")

    def action_why(self) -> None:
        row = self.chosen or self.table.current
        self.console.why_assign(self.order["id"], row.key if row else None)

    def action_cancel(self) -> None:
        self.dismiss(False)
