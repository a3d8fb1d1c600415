"""Every key of the console in one table: the footer, the help screen, the bindings and
the keymap ids all come from here, so they cannot disagree.

Keys that change data are left out of a read-only console altogether (not just disabled):
with `--readonly` there is no key that could switch anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingsMap

from .words import t


@dataclass(frozen=True)
class Key:
    id: str  # the binding id (`miteam.<id>`), for keymaps
    key: str  # Textual's key name(s)
    action: str
    label: str  # CATALOG key of the description
    display: str  # how the footer and help show the key
    show: bool = True  # in the footer (help lists every key)
    changes: bool = False  # changes data: absent from a read-only console
    priority: bool = False


KEYS: dict[str, Key] = {k.id: k for k in (
    # Everywhere (the app's own)
    Key("quit", "q", "quit", "key_quit", "q"),
    Key("help", "question_mark", "help", "key_help", "?"),
    Key("palette", "ctrl+p", "command_palette", "key_palette", "^p", show=False,
        priority=True),
    Key("home", "h", "home", "key_home", "h", show=False),
    Key("orders", "o", "orders", "key_orders", "o", show=False),
    Key("audit", "t", "audit", "key_audit", "t", show=False),
    Key("report", "r", "report", "key_report", "r", show=False),
    Key("refresh", "ctrl+r", "refresh", "key_refresh", "ctrl+r", show=False),
    # In a place
    Key("open", "enter", "open", "key_open", "⏎"),
    Key("back", "escape", "back", "key_back", "esc"),
    Key("filter", "slash", "filter", "key_filter", "/"),
    Key("switch", "space", "switch", "key_switch", "space", changes=True),
    Key("why", "w", "why", "key_why", "w"),
    Key("assign", "a", "assign", "key_assign", "a", changes=True),
    Key("state", "f", "next_state", "key_state", "f"),
    Key("next", "tab", "app.focus_next", "key_next", "tab", show=False),
    # A user list: mark users, then switch them together (tui/marks.py). Marking changes
    # nothing; `bulk` only previews (its dialog confirms), so a read-only console keeps
    # them and the preview says nothing can be changed. `bulk` shares space with `switch`:
    # it comes first and answers only while users are marked.
    Key("mark", "m", "mark", "key_mark", "m"),
    Key("mark_all", "M", "mark_all", "key_mark_all", "M"),
    Key("bulk", "space", "bulk", "key_bulk", "space"),
    # The home places show `o` in the footer (there is room there, and a partner starts
    # at Accounts and at Billing › Orders).
    Key("goto_orders", "o", "app.orders", "key_orders", "o"),
    # The Audit place: its filter bar (the CLI's filters) and revert.
    Key("audit_filter", "slash", "filter", "key_audit_filter", "/"),
    Key("revert", "u", "revert", "key_revert", "u", changes=True),
    # A scenario replay (`miteam tui --replay FILE`): the scenario makes the changes.
    Key("replay_next", "n", "replay_next", "key_replay_next", "n"),
    Key("replay_previous", "p", "replay_previous", "key_replay_previous", "p"),
    Key("replay_end", "G", "replay_end", "key_replay_end", "G"),
    Key("replay_transcript", "l", "replay_transcript", "key_replay_transcript", "l",
        show=False),
)}

APP_KEYS = ("quit", "help", "palette", "home", "orders", "audit", "report", "refresh")
REPLAY_KEYS = ("replay_next", "replay_previous", "replay_end", "replay_transcript")
ORDER_KEYS = ("orders", "goto_orders")  # none for an account admin: orders are the partner's
REPORT_KEYS = ("report",)  # offered when the rules offer the Report place


def _withheld(orders: bool, report: bool) -> set[str]:
    """The keys of places the rules do not offer."""
    return (set() if orders else set(ORDER_KEYS)) | (set() if report else set(REPORT_KEYS))


def available(ids: Iterable[str], readonly: bool, orders: bool = True,
              report: bool = True) -> list[Key]:
    withheld = _withheld(orders, report)
    return [KEYS[i] for i in ids if not (readonly and KEYS[i].changes) and i not in withheld]


def bindings(ids: Iterable[str], lang: str, readonly: bool, orders: bool = True,
             quiet: Iterable[str] = (), report: bool = True) -> BindingsMap:
    """The bindings for these keys, described in the operator's language. `quiet` keys
    work but stay out of the footer (80 columns hold only so many; help lists them all).
    Without the Orders (or Report) place its keys stay bound, out of the footer and help,
    so that `o` says why not instead of doing nothing."""
    ids = list(ids)
    hidden = set(quiet)
    offered = available(ids, readonly, orders, report)
    withheld = _withheld(orders, report)
    if withheld:
        hidden |= withheld
        offered += [KEYS[i] for i in ids if i in withheld]
    return BindingsMap([
        Binding(k.key, k.action, t(k.label, lang), show=k.show and k.id not in hidden,
                key_display=k.display, priority=k.priority, id=f"miteam.{k.id}")
        for k in offered
    ])
