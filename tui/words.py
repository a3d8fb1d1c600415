"""How the console words what the core decided: ON/OFF in words (never colour alone),
modes, states and dates, in the operator's language."""

from __future__ import annotations

from rich.text import Text

from rules.i18n import t
from rules.text import printable, unsafe_character


def safe(cell: str | Text) -> Text:
    """Stored text as the console shows it: never markup (a name holding `[bold]` shows
    those characters), and control characters written out (`\\x1b`, rules/text.py), so
    nothing stored reaches the terminal as a command."""
    if not isinstance(cell, Text):
        return Text(printable(cell))
    if unsafe_character(cell.plain) is None:
        return cell.copy()
    return Text(printable(cell.plain), style=cell.style)


def onoff(value: bool, lang: str) -> str:
    return t("on" if value else "off", lang)


def mode(value: str | None, lang: str) -> str:
    return {"editable": t("editable", lang), "readonly": t("read_only", lang),
            "disabled": t("disabled", lang)}.get(value or "", "")


def shown(product: dict, lang: str) -> str:
    """What Products and Licenses shows for one product, as the rules decided it."""
    if product["display"] != "toggle":
        return product["message"] or t("tui_no_toggle", lang)
    text = f"{onoff(product['on'], lang)} · {mode(product['mode'], lang)}"
    return text + (f" · {product['message']}" if product["message"] else "")


def shown_text(product: dict, lang: str) -> Text:
    """`shown` with the style of the toggle state (the words carry the meaning)."""
    style = ""
    if product["display"] == "toggle":
        style = "bold" if product["on"] else ""
        if product["mode"] == "disabled":
            style = "dim"
    else:
        style = "italic"
    return Text(shown(product, lang), style=style)


def stored(user: dict, product: str, lang: str) -> str:
    return onoff(bool(user["licenses"].get(product)), lang)


def role(value: str, lang: str) -> str:
    return t(f"tui_role_{value}", lang)


def state(order: dict, lang: str) -> str:
    text = t(f"state_{order['state']}", lang)
    if order.get("expiring") and order["state"] != "expired":
        text += f", {t('expiring', lang)}"
    return text


def when(stamp: str | None) -> str:
    """An audit time as a person reads it: `2026-11-24 09:30` (UTC, as stored)."""
    if not stamp:
        return ""
    return stamp.replace("T", " ")[:16]


def value(v: object, lang: str) -> str:
    if isinstance(v, bool):
        return onoff(v, lang)
    if v is None:
        return "-"
    if isinstance(v, dict):
        return str(v.get("id", "…"))
    return str(v)
