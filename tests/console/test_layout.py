"""Every place at 80x24 and 120x40 (issue 13, 9): the footer offers `t`, `tab`, `h` and
`ctrl+r` where they work and fit, and no place shows two scrollbars at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.records.store import Store
from tui.screens import AccountScreen, AuditScreen, Place

from .test_scases_in_console import consoles, drive, screen, until

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    # Kranich with five orders: more than its Orders section shows.
    store = Store(demo_db)
    with store.transaction() as tx:
        for n in range(4):
            tx.put("orders", {"id": f"ord-90{n}", "partner": "p-alpen", "product": "miteam",
                              "quantity": 1, "state": "assigned", "account": "a-kranich",
                              "expires": None, "created": "2026-01-01T00:00:00+00:00"})
    store.close()
    yield from consoles(demo_db, monkeypatch)


def footer(app) -> str:
    return screen(app).splitlines()[-1]


def scrollbars(app) -> list[str]:
    """The widgets on the top screen showing a vertical scrollbar."""
    nodes = [app.screen, *app.screen.walk_children()]
    return [str(w) for w in nodes
            if w.display and w.show_vertical_scrollbar and w.styles.scrollbar_size_vertical
            and w.size.height > 0]


async def visit(pilot, app, go) -> None:
    go()
    await until(pilot, lambda: isinstance(app.screen, Place) and not app.working)
    await pilot.pause()


PLACES = [
    ("home", lambda app: None),
    ("account", lambda app: app.open_account("a-kranich")),
    ("user", lambda app: app.open_user("u-1036")),
    ("orders", lambda app: app.open_orders()),
    ("audit", lambda app: app.open_audit(None, jump=True)),
]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_no_place_shows_two_scrollbars_at_once(console, size):
    app = console("anna.huber")

    async def walk(pilot):
        for name, go in PLACES:
            await visit(pilot, app, lambda go=go: go(app))
            assert len(scrollbars(app)) <= 1, (name, scrollbars(app))
        app.why_license("u-1057")
        await pilot.pause()
        assert len(scrollbars(app)) <= 1, ("why", scrollbars(app))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert len(scrollbars(app)) <= 1, ("help", scrollbars(app))

    drive(app, walk, size=size)


def test_the_orders_section_says_how_many_when_it_scrolls_without_a_bar(console):
    app = console("anna.huber")

    async def walk(pilot):
        await visit(pilot, app, lambda: app.open_account("a-kranich"))
        text = screen(app)
        assert "Orders (5)" in text
        orders = app.screen.query_one("#account-orders")
        orders.focus()
        await pilot.press("end")
        await until(pilot, lambda: "ord-903" in screen(app))

    drive(app, walk)


def test_footer_offers_audit_next_home_refresh_where_they_work(console):
    app = console("anna.huber")

    async def walk(pilot):
        # Home (Accounts): no `h` (this is home), no `tab` (one list).
        await visit(pilot, app, lambda: None)
        assert "t Audit" in footer(app) and "r Report" in footer(app)
        assert "ctrl+r Refresh" in footer(app)
        assert "h Home" not in footer(app) and "tab Section" not in footer(app)
        # An account: three sections, away from home.
        await visit(pilot, app, lambda: app.open_account("a-kranich"))
        assert all(k in footer(app) for k in ("t Audit", "tab Section", "h Home",
                                              "r Report"))
        assert app.screen.focused.id == "users"
        await pilot.press("tab")  # the next section: round to the top
        await until(pilot, lambda: app.screen.focused.id == "integrations")
        # The audit: `t` would open what is open.
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, AuditScreen) and not app.working)
        await pilot.pause()
        assert "t Audit" not in footer(app) and "h Home" in footer(app)
        await pilot.press("h")
        await until(pilot, lambda: not isinstance(app.screen, (AuditScreen, AccountScreen)))

    drive(app, walk, size=(120, 40))


def test_at_80_columns_the_footer_keeps_the_places_own_keys_first(console):
    app = console("anna.huber", lang="de")

    async def walk(pilot):
        await visit(pilot, app, lambda: app.open_account("a-kranich"))
        line = footer(app)
        assert all(k in line for k in ("Öffnen", "Zurück", "Filter", "Schalten", "Warum",
                                       "Ende", "Hilfe", "^p Suchen"))
        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: "h Start" in footer(app))
        assert "tab Bereich" in footer(app) and "t Protokoll" in footer(app)

    drive(app, walk)
