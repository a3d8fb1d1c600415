"""`ctrl+p`: jump to an account, a user or an order by name or id, or to a place.

The core is asked in a worker (`ConsoleApp.in_worker`): the palette answers keys while a
search over a big database runs. Only what the operator may see is offered: accounts and
orders as the core lists them for this operator, users found a page at a time through the
core (`users_page`), so a search never evaluates the rules for a whole 10,000-user
account.

Textual's palette reads a hit's prompt and help as markup: names go in through `_shown`,
control characters written out and brackets escaped, so a name is only ever text.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape

from rules.errors import CoreError
from rules.records.store import StoreError
from rules.text import printable

from .words import state, t

if TYPE_CHECKING:
    from .app import ConsoleApp

USERS_PER_ACCOUNT = 8
MAX_USERS = 24


def _shown(text: str) -> str:
    return escape(printable(text))


class JumpProvider(Provider):
    @property
    def console(self) -> ConsoleApp:
        return cast("ConsoleApp", self.app)

    async def startup(self) -> None:
        app = self.console
        orders = app.has_orders

        def load() -> tuple[list[dict], list[dict]]:
            try:
                return app.session.accounts(), app.session.orders() if orders else []
            except (CoreError, StoreError):
                return [], []

        # Off the screen's thread: the palette opens at once, keys keep working.
        self.accounts, self.orders = await app.in_worker(load)

    def places(self) -> list[tuple[str, object, str]]:
        app, lang = self.console, self.console.lang
        out = [(t("tui_cmd_home", lang), app.home, t("key_home_help", lang))]
        if app.has_orders:
            out.append((t("tui_cmd_orders", lang), partial(app.open_orders, None),
                        t("key_orders_help", lang)))
            for s in ("unassigned", "expiring", "expired"):
                out.append((f"{t('tui_cmd_orders', lang)}: {t(f'tui_filter_{s}', lang)}",
                            partial(app.open_orders, s), t("key_orders_help", lang)))
        out.append((t("tui_cmd_audit", lang), partial(app.open_audit, None, True),
                    t("key_audit_help", lang)))
        out.append((t("tui_cmd_help", lang), app.action_help, t("key_help_help", lang)))
        return out

    async def discover(self) -> Hits:
        for text, command, help_text in self.places():
            yield DiscoveryHit(text, command, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        app, lang = self.console, self.console.lang
        matcher = self.matcher(query)
        q = query.strip().casefold()

        def hit(text: str, command, help_text: str, found: bool = False):
            score = matcher.match(text)
            if score > 0 or found:
                return Hit(max(score, 0.1), matcher.highlight(_shown(text)), command,
                           text=text, help=_shown(help_text) or None)
            return None

        candidates = [hit(text, command, help_text)
                      for text, command, help_text in self.places()]
        for a in self.accounts:
            text = f"{t('tui_kind_account', lang)}: {a['name']} ({a['id']})"
            candidates.append(hit(text, partial(app.open_account, a["id"]), "",
                                  q in a["name"].casefold() or q in a["id"].casefold()))
        for o in self.orders:
            text = (f"{t('tui_kind_order', lang)}: {o['id']} · {o['quantity']} · "
                    f"{state(o, lang)}")
            candidates.append(hit(text, partial(app.open_order, o["id"]), "",
                                  q in o["id"].casefold()))
        if len(q) >= 2:
            # A page of each account's users asked of the core: in a worker.
            candidates.extend(await app.in_worker(partial(self._users, q)))
        for found in candidates:
            if found is not None:
                yield found

    def _users(self, q: str) -> list[Hit]:
        app, lang = self.console, self.console.lang
        matcher = self.matcher(q)
        out: list[Hit] = []
        for a in self.accounts:
            try:
                _, users = app.session.users_page(a["id"], 0, USERS_PER_ACCOUNT, q)
            except (CoreError, StoreError):
                continue
            for u in users:
                text = f"{t('tui_kind_user', lang)}: {u['name']} ({u['id']})"
                out.append(Hit(max(matcher.match(text), 0.1), matcher.highlight(_shown(text)),
                               partial(app.open_user, u["id"]), text=text,
                               help=_shown(a["name"])))
            if len(out) >= MAX_USERS:
                break
        return out
