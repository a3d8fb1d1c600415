"""The Why panel's contents, built from the core's answers without a screen: what
Products and Licenses shows and why, what a switch or an assignment would meet, and what
an integration switch would do. Tests call these directly; the app shows them.

The core's traces name message keys (rule authors read them in `miteam explain`); an
operator reads the message itself, in their language, with the key beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rules.errors import Refused
from rules.ops.actions import AssignOrder, SetIntegration, SetLicense
from rules.ops.session import Outcome, Session

from .words import onoff, shown, t

Sections = list[tuple[str, list[str]]]


@dataclass
class Why:
    title: str
    summary: str
    sections: Sections


class WhyBuilder:
    def __init__(self, session: Session, lang: str,
                 preview_lines: Callable[[Outcome], list[str]], readonly: bool = False
                 ) -> None:
        self.session = session
        self.lang = lang
        self.preview_lines = preview_lines
        self.readonly = readonly

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def worded(self, lines: list[str]) -> list[str]:
        """Each message key a trace names, as the operator reads it: `“text” (key)`.
        Only where the trace says "message KEY" or "because KEY" (a display value
        spelled like a key, `no_licenses`, stays as it is)."""
        rules = self.session.rules
        keys = sorted(rules.program.messages, key=len, reverse=True)
        if not keys:
            return lines
        # Where a trace names a message: after "message", "because" (German "weil").
        lead = "|".join(f"(?<={re.escape(w)} )" for w in ("message", "because", "weil"))
        pattern = re.compile(f"(?:{lead})(" + "|".join(map(re.escape, keys)) + r")(?![\w.])")

        def say(m: re.Match[str]) -> str:
            return f"“{rules.message(m.group(1), self.lang)}” ({m.group(1)})"

        return [pattern.sub(say, line) for line in lines]

    def license(self, user_id: str, product: str = "miteam") -> Why:
        """What Products and Licenses shows and why; what switching it would meet."""
        s = self.session
        user = s.user(user_id)
        p = next(x for x in user["products"] if x["product"] == product)
        stored_on = user["licenses"].get(product, False)
        summary = (f"{user['name']} ({user['id']}) · {p['name']}: {shown(p, self.lang)} · "
                   f"{self.tr('tui_stored_license')}: {onoff(stored_on, self.lang)}")
        return Why(self.tr("tui_why_title"), summary, [
            (self.tr("tui_why_shows"),
             self.worded(s.explain(user_id, product).lines(self.lang))),
            (self.tr("tui_why_switch", value=onoff(not stored_on, self.lang)),
             self.worded(s.why(SetLicense(user_id, product, not stored_on)).lines(self.lang))),
        ])

    def integration(self, account: str, integration: str) -> Why:
        s = self.session
        acc = s.account(account)
        on = acc["integrations"][integration]
        label = self.tr(f"integration_{integration}")
        summary = f"{acc['name']} ({acc['id']}) · {label}: {onoff(on, self.lang)}"
        action = SetIntegration(acc["id"], integration, not on)
        sections = [(self.tr("tui_why_integration", integration=label,
                             value=onoff(not on, self.lang)),
                     self.worded(s.why(action).lines(self.lang)))]
        if not self.readonly:
            try:
                sections.append((self.tr("tui_why_follows"),
                                 self.preview_lines(s.apply(action, dry_run=True))))
            except Refused:
                pass  # refused: the trace above says why
        return Why(self.tr("tui_why_title"), summary, sections)

    def assign(self, order_id: str, account: str) -> Why:
        summary = self.tr("tui_why_assign", order=order_id, account=account)
        return Why(self.tr("tui_why_title"), summary, [
            (self.tr("tui_why_assign_rules"),
             self.worded(self.session.why(AssignOrder(order_id, account)).lines(self.lang)))])

