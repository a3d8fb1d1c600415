"""Help: every key of the console (from the one key table), who you are, and whether
this console can change anything."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import keys, prefs
from ..words import t

if TYPE_CHECKING:
    from ..app import ConsoleApp

GROUPS = (
    ("tui_help_everywhere", ("quit", "help", "palette", "home", "orders", "audit", "report",
                             "refresh", "back", "next")),
    ("tui_help_lists", ("open", "filter")),
    ("tui_help_licenses", ("switch", "why")),
    ("tui_help_marks", ("mark", "mark_all", "bulk")),
    ("tui_help_orders", ("assign", "state")),
    ("tui_help_audit", ("audit_filter", "revert")),
)

# Keys whose footer symbol is spelled out here as well.
SPELLED = ("enter", "ctrl+p")
MOVES = "↑ ↓ / j k, pgup pgdn, home end"


class HelpScreen(ModalScreen[None]):
    AUTO_FOCUS = "#help-body"

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self._bindings.bind("escape,question_mark,q", "close", show=False)

    @property
    def console(self) -> ConsoleApp:
        return cast("ConsoleApp", self.app)

    def body(self) -> Text:
        app = self.console
        lang = app.lang
        out = Text()
        out.append(app.who + "\n", style="bold")
        if app.readonly:
            out.append(t("tui_help_readonly", lang) + "\n", style="bold")
        if app.rules_error is not None:
            out.append(t("tui_rules_error", lang, error=app.rules_error.render()) + "\n",
                       style="bold")
        for label, ids in GROUPS:
            shown = keys.available(ids, app.readonly, app.has_orders, app.has_report)
            if not shown:
                continue
            out.append("\n" + t(label, lang) + "\n", style="bold underline")
            for k in shown:
                display = prefs.key_shown(app, k)  # as the keymap file moved it
                name = f"{display} {k.key}" if k.key in SPELLED and display == k.display \
                    else display
                out.append(f"  {name:<14}", style="bold")
                out.append(t(f"{k.label}_help", lang) + "\n")
        out.append("\n" + t("tui_help_move", lang) + "\n", style="bold underline")
        out.append(f"  {MOVES}\n")
        out.append("  " + t("tui_help_mouse", lang) + "\n")
        out.append("\n" + t("tui_help_prefs", lang) + "\n", style="bold underline")
        out.append(t("tui_help_prefs_text", lang,
                     path=prefs.shown_path(prefs.keymap_path())) + "\n")
        return out

    def compose(self) -> ComposeResult:
        with Vertical(id="help", classes="dialog"):
            yield Static(t("tui_help", self.console.lang), classes="dialog-title", markup=False)
            with VerticalScroll(id="help-body"):
                yield Static(self.body(), markup=False)
            yield Static(t("tui_close_hint", self.console.lang), classes="dialog-hint",
                         markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
