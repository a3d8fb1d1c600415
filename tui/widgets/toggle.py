"""One product in a user's Products and Licenses: exactly what the rules decided (a
toggle ON or OFF that is switchable, read-only or disabled, or a message such as
"No licenses"), with the stored license state beside it (S13 with S5: they can differ)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ..words import mode, onoff, t


class LicenseToggle(Widget, can_focus=True):
    def __init__(self, user: dict, product: dict, lang: str) -> None:
        super().__init__(id=f"toggle-{product['product']}")
        self.user = user
        self.product = product
        self.lang = lang

    def update_view(self, user: dict, product: dict) -> None:
        self.user = user
        self.product = product
        self.refresh(layout=True)

    def render(self) -> Text:
        p, lang = self.product, self.lang
        mark = "› " if self.has_focus else "  "
        out = Text(mark)
        out.append(f"{p['name']:<18}", style="bold")
        if p["display"] == "toggle":
            state = onoff(p["on"], lang)
            style = "reverse bold" if p["on"] else "reverse"
            if p["mode"] == "disabled":
                style = "dim"
            out.append(f"[ {state:^4} ]", style=style)
            out.append(f"  {mode(p['mode'], lang)}")
            if p["message"]:
                out.append(f"\n{'':20}{p['message']}", style="italic")
        else:
            out.append(p["message"] or t("tui_no_toggle", lang), style="italic")
        by = self.user["set_by"].get(p["product"])
        out.append(f"\n{'':20}{t('tui_stored_license', lang)}: ")
        out.append(onoff(bool(self.user["licenses"].get(p["product"])), lang), style="bold")
        if by:
            out.append(f" · {t('set_by', lang)} {by}")
        out.append(f"\n{'':20}{t('tui_decided_by', lang)} {p['rule']}", style="dim")
        out.append(f"\n{'':20}{p['rule_at']}", style="dim")
        out.no_wrap = True
        out.overflow = "ellipsis"
        return out

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
