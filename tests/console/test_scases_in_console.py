"""The console walked through every S-case with Textual's Pilot, by keyboard, as the partner
anna.huber (p-alpen) and as the account admin markus.weber (a-kranich), at 80x24.

Screens are compared as text snapshots (tests/snapshots/tui/, pytest-snapshot); the clock
is pinned, so they are the same on every run. Accept a change with --snapshot-update only
after reading the diff.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot

from rules.engine.reload import RuleSource
from rules.ops import outcome
from rules.ops.actions import AssignOrder, SetLicense
from rules.ops.session import Session
from rules.records.store import Store
from tui.app import Changed, ConsoleApp
from tui.screens import (
    AccountScreen,
    AccountsScreen,
    AssignDialog,
    ConfirmDialog,
    OrdersScreen,
    UserScreen,
    WhyPanel,
)
from tui.widgets import LicenseToggle, ResourceTable, TopBar

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOTS = ROOT / "tests" / "snapshots" / "tui"
SIZE = (80, 24)
NOW = "2026-11-24T09:30:00+00:00"

Walk = Callable[[object], Awaitable[None]]


# Driving the console -------------------------------------------------------------------


def consoles(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    """The `console` fixture's body (test_tui_console.py shares it)."""
    monkeypatch.chdir(ROOT)  # rule files are cited as rules/policy/...: the same everywhere
    monkeypatch.setattr(outcome, "now", lambda: NOW)  # audit times in snapshots
    monkeypatch.setattr(ConsoleApp, "NOTIFICATION_TIMEOUT", 600)  # toasts stay for snapshots
    stores: list[Store] = []

    def make(operator: str, *, lang: str = "en", readonly: bool = False,
             rules: Path | None = None) -> ConsoleApp:
        store = Store(demo_db)
        stores.append(store)
        source = RuleSource([rules] if rules else None)
        return ConsoleApp(Session(store, source.current, operator, lang), rules=source,
                          readonly=readonly, poll_interval=None)

    yield make
    for store in stores:
        store.close()


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    """`console("anna.huber")` -> a ConsoleApp on a fresh demo database."""
    yield from consoles(demo_db, monkeypatch)


class SettledPilot(Pilot):
    """A Pilot whose `pause()` (and so every `press`) also waits for the console's workers
    to answer: the places and previews ask the core off the screen's thread."""

    async def pause(self, delay: float | None = None) -> None:
        await super().pause(delay)
        if delay is None and getattr(self.app, "working", False):
            await until(self, lambda: not self.app.working, plain=True)
            await super().pause()


def drive(app: ConsoleApp, walk: Walk, size: tuple[int, int] = SIZE) -> None:
    async def main() -> None:
        async with app.run_test(size=size, notifications=True):
            pilot = SettledPilot(app)
            await pilot.pause()
            await walk(pilot)

    asyncio.run(main())


def screen(app: ConsoleApp) -> str:
    """The screen as text, the way a person at the terminal reads it."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return "\n".join(line.rstrip() for line in console.export_text().splitlines()) + "\n"


def snap(snapshot, app: ConsoleApp, name: str) -> None:
    snapshot.snapshot_dir = SNAPSHOTS
    snapshot.assert_match(screen(app), name)


async def find(pilot, text: str) -> None:
    """`/`, type, enter: the list narrows to matching rows and has the focus again."""
    await pilot.press("slash", *text, "enter")
    await pilot.pause()


async def open_row(pilot, text: str) -> None:
    await find(pilot, text)
    await pilot.press("enter")
    await pilot.pause()


async def until(pilot, condition, timeout: float = 10.0, plain: bool = False) -> None:
    """Wait for a condition, not for a fixed time: the machines are shared. (`plain`:
    short pauses only, for `SettledPilot.pause` itself.)"""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the console did not get there in time"
        await (Pilot.pause(pilot, 0.02) if plain else pilot.pause(0.02))


def palette_prompts(app: ConsoleApp) -> list[str]:
    """The palette's options once its search has answered ("No matches found" included)."""
    options = app.screen.query("CommandList").first().options
    return [str(o.prompt) for o in options]


def crumbs(app: ConsoleApp) -> tuple[str, ...]:
    return app.screen.query_one(TopBar).crumbs


def toggle(app: ConsoleApp) -> dict:
    return app.screen.query_one(LicenseToggle).product


def rows(table: ResourceTable) -> list:
    return [table.source.row(i) for i in range(table.total)]


def users_table(app: ConsoleApp) -> ResourceTable:
    return app.screen.query_one("#users", ResourceTable)


def stored(app: ConsoleApp, user: str) -> bool:
    """The stored license, read from the store (whoever may see it)."""
    return app.session.store.read().get("users", user)["licenses"]["miteam"]


def why_text(app: ConsoleApp) -> str:
    """Everything the Why panel on top holds (the screen shows the part that fits)."""
    assert isinstance(app.screen, WhyPanel)
    return "\n".join(line for _, lines in app.screen.sections for line in lines)


def refusals(app: ConsoleApp) -> list[str]:
    return [text for severity, text in app.notices if severity == "error"]


# The partner's way (S11): Accounts -> account -> Account Information -> Users -> user ---


def test_s11_partner_starts_at_their_customer_accounts(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        assert isinstance(app.screen, AccountsScreen)
        assert crumbs(app) == ("Accounts",)
        table = app.screen.query_one(ResourceTable)
        assert {r.key for r in rows(table)} == {
            "a-bergmann", "a-seeblick", "a-kranich", "a-lindenhof", "a-falkenstein",
            "a-wiesental"}
        snap(snapshot, app, "partner_home.txt")

    drive(app, walk)


def test_s1_orders_page_filters_by_state_and_searches(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        assert crumbs(app) == ("Billing", "Orders")
        table = app.screen.query_one(ResourceTable)
        assert [r.key for r in rows(table)] == [f"ord-100{i}" for i in range(1, 9)]
        snap(snapshot, app, "partner_orders.txt")
        seen = {}
        for state in ("unassigned", "expiring", "expired", None):
            await pilot.press("f")
            await pilot.pause()
            seen[state] = [r.key for r in rows(table)]
        assert seen == {"unassigned": ["ord-1006", "ord-1007"], "expiring": ["ord-1007"],
                        "expired": ["ord-1008"], None: [f"ord-100{i}" for i in range(1, 9)]}
        await find(pilot, "kranich")
        assert [r.key for r in rows(table)] == ["ord-1003"]
        assert "(1) /kranich" in str(table.border_title)

    drive(app, walk)


def test_s2_assign_dialog_picks_the_account_by_company_name(console, snapshot):
    app = console("anna.huber")
    changes: list[Changed] = []
    app.observers.append(changes.append)

    async def walk(pilot):
        await pilot.press("o")
        await pilot.pause()
        await find(pilot, "ord-1006")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, AssignDialog)
        await pilot.press(*"Kranich", "enter")  # type-to-search, pick
        await pilot.pause()
        assert app.screen.chosen.key == "a-kranich"
        assert app.screen.focused.id == "confirm"
        snap(snapshot, app, "partner_assign_confirm.txt")
        await pilot.press("enter")  # confirm
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)
        account = app.session.account("a-kranich")
        assert account["licenses"]["miteam"]["total"] == 15 + 25
        assert "Order ord-1006 assigned to Kranich Logistik GmbH" in app.notices[-1][1]

    drive(app, walk)
    assert [(c.action, c.refused) for c in changes] == [
        (AssignOrder("ord-1006", "a-kranich"), None)]
    assert changes[0].rule == "s2_partner_assigns"


def test_s2_refused_assignments_say_why(console, snapshot):
    """Assign on an expired or assigned order opens no picker the rules would refuse
    anyway: the status line says why at once, `w` shows the rule (issue 13, defect 6)."""
    app = console("anna.huber")
    before = app.session.orders()

    async def walk(pilot):
        await pilot.press("o")
        await pilot.pause()
        await find(pilot, "ord-1008")  # expired
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, OrdersScreen)  # no picker: nothing could be chosen
        assert "This order has expired and cannot be assigned" in refusals(app)[-1]
        snap(snapshot, app, "partner_assign_expired.txt")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhyPanel)
        why = why_text(app)
        assert "s2_expired" in why and "order.state" in why
        await pilot.press("escape", "escape")  # why, the filter
        await pilot.pause()
        await find(pilot, "ord-1001")  # assigned already
        await pilot.press("a")
        await pilot.pause()
        assert "already assigned" in refusals(app)[-1]
        assert isinstance(app.screen, OrdersScreen)

    drive(app, walk)
    assert app.session.orders() == before


def test_s3_account_information_shows_integrations_orders_and_counts(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "kranich")
        assert isinstance(app.screen, AccountScreen)
        assert crumbs(app) == ("Accounts", "Kranich Logistik GmbH")
        orders = app.screen.query_one("#account-orders", ResourceTable)
        assert [(r.key, r.cells[1]) for r in rows(orders)] == [("ord-1003", "15")]
        title = str(orders.border_title)
        assert "total 15" in title and "assigned 7" in title and "available 8" in title
        snap(snapshot, app, "partner_account.txt")

    drive(app, walk)


def test_s4_s6_micollab_license_is_on_read_only_and_a_switch_is_refused(console, snapshot):
    app = console("anna.huber")
    changes: list[Changed] = []
    app.observers.append(changes.append)

    async def walk(pilot):
        await open_row(pilot, "bergmann")
        await open_row(pilot, "u-1001")
        assert isinstance(app.screen, UserScreen)
        assert crumbs(app) == ("Accounts", "Bergmann Maschinenbau AG", "Paul Richter")
        p = toggle(app)
        assert (p["display"], p["on"], p["mode"], p["rule"]) == (
            "toggle", True, "readonly", "s6_micollab_license")
        snap(snapshot, app, "partner_s6_user.txt")
        await pilot.press("space")
        await pilot.pause()
        assert "The MiCollab server manages MiTeam Meetings licenses" in refusals(app)[-1]
        assert stored(app, "u-1001") is True
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, WhyPanel)
        app.clear_notifications()
        await pilot.pause()
        snap(snapshot, app, "partner_s6_why.txt")
        why = why_text(app)
        assert "s6_micollab_license" in why and "s4_micollab_manages" in why
        # Why not: the smallest change that would let anna switch it (issue 15).
        assert "switch the MiCollab integration off (you can do this)" in why

    drive(app, walk)
    assert [(c.action, c.rule) for c in changes] == [
        (SetLicense("u-1001", "miteam", False), "s4_micollab_manages")]
    assert changes[0].refused and changes[0].outcome is None


def test_s4_s7_micollab_user_without_license_shows_no_licenses(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "bergmann")
        await find(pilot, "u-1010")
        (row,) = rows(users_table(app))
        assert [str(c) for c in row.cells[2:]] == ["No licenses", "OFF"]
        await pilot.press("space")  # switch it on: the MiCollab server decides (S4)
        await pilot.pause()
        assert "MiCollab server manages" in refusals(app)[-1]
        await pilot.press("enter")
        await pilot.pause()
        p = toggle(app)
        assert (p["display"], p["message"], p["rule"]) == (
            "no_licenses", "No licenses", "s7_micollab_no_license")
        assert "No licenses" in screen(app)

    drive(app, walk)
    assert stored(app, "u-1010") is False


def test_s5_s13_integration_off_shows_no_licenses_beside_the_stored_state(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "seeblick")
        users = rows(users_table(app))
        assert {str(r.cells[2]) for r in users} == {"No licenses"}
        assert [str(r.cells[3]) for r in users].count("ON") == 6
        snap(snapshot, app, "partner_s13_account.txt")
        await open_row(pilot, "u-1017")
        p = toggle(app)
        assert (p["display"], p["rule"]) == ("no_licenses", "s13_integration_off")
        text = screen(app)
        assert "No licenses" in text and "stored license: ON" in text
        await pilot.press("space")  # MiCollab still manages the account (S4)
        await pilot.pause()
        assert "MiCollab server manages" in refusals(app)[-1]

    drive(app, walk)
    assert stored(app, "u-1017") is True


def test_s5_miteam_off_while_micollab_on_keeps_every_license(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "bergmann")
        await pilot.press("tab", "down", "space")  # integrations, MiTeam Meetings
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        text = screen(app)
        assert "No user's license changes." in text
        await pilot.press("right", "enter")
        await pilot.pause()
        users = rows(users_table(app))
        assert {str(r.cells[2]) for r in users} == {"No licenses"}
        assert [str(r.cells[3]) for r in users].count("ON") == 9

    drive(app, walk)


def test_s8_miteam_off_after_micollab_off_shows_who_loses_a_license_first(console, snapshot):
    app = console("anna.huber")
    holders = [f"u-10{n}" for n in range(29, 36)]

    async def walk(pilot):
        await open_row(pilot, "kranich")
        await pilot.press("tab", "down", "space")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused.id == "cancel"
        snap(snapshot, app, "partner_s8_confirm.txt")
        text = screen(app)
        assert "7 MiTeam Meetings licenses will be switched off" in text
        assert all(uid in text for uid in holders)
        await pilot.press("enter")  # Cancel has the focus: nothing happens
        await pilot.pause()
        assert all(stored(app, uid) for uid in holders)
        await pilot.press("space", "right", "enter")
        await pilot.pause()
        assert not any(stored(app, uid) for uid in holders)
        assert "7 licenses switched off by rule s8_miteam_off_when_standalone" in \
            app.notices[-1][1]
        assert {str(r.cells[2]) for r in rows(users_table(app))} == {"No licenses"}

    drive(app, walk)


def test_s8_micollab_off_alone_keeps_licenses_and_makes_them_switchable(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "bergmann")
        await pilot.press("tab", "space")  # integrations, MiCollab
        await pilot.pause()
        assert "No user's license changes." in screen(app)
        await pilot.press("right", "enter")
        await pilot.pause()
        await open_row(pilot, "u-1001")
        p = toggle(app)
        assert (p["on"], p["mode"]) == (True, "editable")
        await pilot.press("space")
        await pilot.pause()
        assert stored(app, "u-1001") is False

    drive(app, walk)


def test_s9_micollab_off_after_miteam_off_keeps_every_license(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "seeblick")
        await pilot.press("tab", "space")
        await pilot.pause()
        assert "No user's license changes." in screen(app)
        await pilot.press("right", "enter")
        await pilot.pause()
        stored_on = [str(r.cells[3]) for r in rows(users_table(app))].count("ON")
        assert stored_on == 6

    drive(app, walk)


def test_s10_partner_switches_a_standalone_license_on(console, snapshot):
    app = console("anna.huber")
    changes: list[Changed] = []
    app.observers.append(changes.append)

    async def walk(pilot):
        await open_row(pilot, "kranich")
        await open_row(pilot, "u-1036")
        p = toggle(app)
        assert (p["on"], p["mode"]) == (False, "editable")
        await pilot.press("space")
        await pilot.pause()
        p = toggle(app)
        assert (p["on"], p["mode"]) == (True, "editable")
        assert app.notices[-1] == (
            "information", "Done: Clara Becker (u-1036): MiTeam Meetings license ON")
        snap(snapshot, app, "partner_s10_switched.txt")

    drive(app, walk)
    assert stored(app, "u-1036") is True
    assert [(c.action, c.rule) for c in changes] == [
        (SetLicense("u-1036", "miteam", True), "s10_switch_standalone")]


def test_s10_refused_for_an_account_without_orders(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "falkenstein")
        await find(pilot, "u-1061")
        await pilot.press("space")
        await pilot.pause()
        assert "assign an order to it first" in refusals(app)[-1]
        await pilot.press("w")
        await pilot.pause()
        assert "s10_account_without_licenses" in why_text(app)

    drive(app, walk)
    assert stored(app, "u-1061") is False


def test_s12_no_license_left_disables_the_toggle_and_a_holder_frees_one(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "lindenhof")
        await open_row(pilot, "u-1057")
        p = toggle(app)
        assert (p["display"], p["on"], p["mode"], p["message"]) == (
            "toggle", False, "disabled", "Licenses not available")
        snap(snapshot, app, "partner_s12_user.txt")
        await pilot.press("space")
        await pilot.pause()
        assert "Licenses not available" in refusals(app)[-1]
        assert stored(app, "u-1057") is False
        app.open_user("u-1047")  # a holder: can still switch off (S12)
        await pilot.pause()
        assert toggle(app)["mode"] == "editable"
        await pilot.press("space")
        await pilot.pause()
        app.open_user("u-1057")
        await pilot.pause()
        assert toggle(app)["mode"] == "editable"
        await pilot.press("space")
        await pilot.pause()

    drive(app, walk)
    assert (stored(app, "u-1047"), stored(app, "u-1057")) == (False, True)


def test_s11_partner_reaches_nothing_of_another_partner(console):
    app = console("anna.huber")

    async def walk(pilot):
        assert app.open_user("u-1099") is False  # a-oakridge: p-northbridge's
        assert refusals(app)[-1] == "unknown user 'u-1099'"  # as if it did not exist
        assert app.open_account("a-oakridge") is False
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert refusals(app)[-1] == "unknown account 'a-oakridge'"
        await pilot.press("ctrl+p", *"oakridge")
        await until(pilot, lambda: palette_prompts(app))  # hits, or "No matches found"
        assert not any("Oakridge" in h for h in palette_prompts(app))

    drive(app, walk)


# The account admin's way (S11): Dashboard -> Users -> user -> toggle ------------------


def test_s11_account_admin_starts_at_their_dashboard_without_orders(console, snapshot):
    app = console("markus.weber")

    async def walk(pilot):
        assert isinstance(app.screen, AccountScreen) and app.screen.dashboard
        assert crumbs(app) == ("Dashboard",)
        orders = app.screen.query_one("#account-orders", ResourceTable)
        assert orders.total == 0  # orders are the partner's (S11); the counts still show
        assert "total 15" in str(orders.border_title)
        snap(snapshot, app, "admin_dashboard.txt")
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)  # no Orders place for an admin
        assert "miteam.orders" not in {b.id for _, b in app._bindings if b.show}
        assert app.notices[-1][1] == "Refused: Orders are managed by the partner"

    drive(app, walk)


def test_s10_s11_account_admin_switches_a_license_from_the_user_form(console, snapshot):
    app = console("markus.weber")

    async def walk(pilot):
        await open_row(pilot, "u-1036")
        assert isinstance(app.screen, UserScreen)
        assert crumbs(app) == ("Dashboard", "Clara Becker")
        assert toggle(app)["on"] is False
        await pilot.press("space")
        await pilot.pause()
        assert toggle(app)["on"] is True
        snap(snapshot, app, "admin_s10_switched.txt")
        await pilot.press("escape")
        await pilot.pause()
        (row,) = rows(users_table(app))
        assert [str(c) for c in row.cells[2:]] == ["ON · switchable", "ON"]

    drive(app, walk)
    assert stored(app, "u-1036") is True


def test_s11_account_admin_sees_and_changes_only_their_account(console):
    app = console("markus.weber")

    async def walk(pilot):
        assert app.open_user("u-1099") is False
        await pilot.pause()
        assert refusals(app)[-1] == "unknown user 'u-1099'"  # as if it did not exist
        assert app.open_orders() is False
        assert isinstance(app.screen, AccountScreen)
        assert app.switch_license("u-1099", value=True) is None
        assert refusals(app)[-1] == "unknown user 'u-1099'"

    drive(app, walk)
    assert stored(app, "u-1099") is False


def test_s8_s13_account_admin_switches_miteam_off_and_sees_no_licenses(console, snapshot):
    app = console("markus.weber")

    async def walk(pilot):
        await pilot.press("tab", "down", "space")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.focused.id == "cancel"
        assert "7 MiTeam Meetings licenses will be switched off" in screen(app)
        await pilot.press("right", "enter")
        await pilot.pause()
        assert {str(r.cells[2]) for r in rows(users_table(app))} == {"No licenses"}
        assert {str(r.cells[3]) for r in rows(users_table(app))} == {"OFF"}
        snap(snapshot, app, "admin_s8_after.txt")
        await pilot.press("shift+tab", "shift+tab", "space")  # users -> integrations
        await pilot.pause()
        await pilot.press("right", "enter")  # and back on: nothing is granted back
        await pilot.pause()
        await open_row(pilot, "u-1029")
        assert toggle(app)["on"] is False

    drive(app, walk)


def test_s12_account_admin_fills_the_licenses_then_meets_licenses_not_available(console):
    app = console("markus.weber")

    async def walk(pilot):
        table = users_table(app)
        table.focus()
        await pilot.press("end")
        for _ in range(8):  # 8 licenses left in a-kranich: switch them on from the bottom
            await pilot.press("space", "up")
        await pilot.pause()
        assert app.session.account("a-kranich")["licenses"]["miteam"]["available"] == 0
        await find(pilot, "u-1036")
        (row,) = rows(table)
        assert str(row.cells[2]) == "OFF · disabled · Licenses not available"
        await pilot.press("space")
        await pilot.pause()
        assert "Licenses not available" in refusals(app)[-1]
        await pilot.press("w")
        await pilot.pause()
        assert "s12_no_license_left" in why_text(app)

    drive(app, walk)
    assert stored(app, "u-1036") is False


def test_s4_to_s9_account_admin_walks_the_micollab_cases_on_their_own_account(console):
    """markus.weber's account is standalone; switching its integrations walks S4-S9."""
    app = console("markus.weber")
    holders = {f"u-10{n}" for n in range(29, 36)}

    def shown() -> dict[str, tuple[str, str]]:
        return {r.key: (str(r.cells[2]), str(r.cells[3])) for r in rows(users_table(app))}

    async def switch(pilot, *keys: str) -> None:
        await pilot.press(*keys, "space")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "No user's license changes." in screen(app)
        await pilot.press("right", "enter")
        await pilot.pause()

    async def walk(pilot):
        await switch(pilot, "shift+tab", "shift+tab")  # to the integrations: MiCollab on
        now = shown()
        assert {now[u] for u in holders} == {("ON · read-only", "ON")}  # S6
        assert now["u-1036"] == ("No licenses", "OFF")  # S7
        await pilot.press("tab", "tab")
        await find(pilot, "u-1029")
        await pilot.press("space")  # S4: the MiCollab server decides
        await pilot.pause()
        assert "MiCollab server manages" in refusals(app)[-1]
        await pilot.press("escape")
        await switch(pilot, "shift+tab", "shift+tab", "down")  # S5: MiTeam off, MiCollab on
        now = shown()
        assert {v[0] for v in now.values()} == {"No licenses"}  # S13
        assert {u for u, v in now.items() if v[1] == "ON"} == holders  # S5: kept, stored
        await switch(pilot, "up")  # S9: MiCollab off after MiTeam off
        assert {u for u, v in shown().items() if v[1] == "ON"} == holders

    drive(app, walk)
    assert all(stored(app, u) for u in holders)
