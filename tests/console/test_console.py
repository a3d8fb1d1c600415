"""The console beyond the S-cases: read-only, German, rule reload, other consoles' commits,
big accounts a page at a time, help, audit, the command palette, filter, mouse, keymaps,
and the `miteam tui` command's refusals before a screen opens."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.ops import session as operations
from rules.ops.actions import SetLicense
from rules.ops.session import Session
from rules.records.store import Store
from tui.screens import (
    AccountScreen,
    AccountsScreen,
    AuditScreen,
    HelpScreen,
    OrdersScreen,
    PartnersScreen,
    UserScreen,
    WhyPanel,
)
from tui.widgets import ResourceTable, TopBar

from .test_scases_in_console import (
    consoles,
    crumbs,
    drive,
    find,
    open_row,
    palette_prompts,
    refusals,
    rows,
    screen,
    snap,
    stored,
    toggle,
    until,
    users_table,
)


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    yield from consoles(demo_db, monkeypatch)


# Read-only -----------------------------------------------------------------------------


def test_readonly_console_registers_no_key_that_changes_anything(console, snapshot):
    app = console("anna.huber", readonly=True)
    changes = []
    app.observers.append(changes.append)

    async def walk(pilot):
        assert app.screen.query_one(TopBar).markers == ("READ-ONLY",)
        await open_row(pilot, "kranich")
        await open_row(pilot, "u-1036")
        assert isinstance(app.screen, UserScreen)
        actions = {b.action for _, b in app.screen._bindings} | \
            {b.action for _, b in app._bindings}
        assert "switch" not in actions and "assign" not in actions
        snap(snapshot, app, "readonly_user.txt")
        footer = screen(app).splitlines()[-1]
        assert "Switch" not in footer and "space" not in footer
        await pilot.press("space")
        await pilot.pause()
        app.open_orders()
        await pilot.pause()
        await pilot.press("a", "enter")  # no Assign key; enter opens the account instead
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert app.switch_license("u-1036", value=True) is None  # even called directly
        assert app.notices[-1] == ("warning", "this console is read-only")

    drive(app, walk)
    assert stored(app, "u-1036") is False
    assert [c.refused for c in changes] == ["this console is read-only"]


# German --------------------------------------------------------------------------------


def test_german_console_follows_lang(console, snapshot):
    app = console("anna.huber", lang="de")

    async def walk(pilot):
        # Each step waits for what it shows, not for one pause (the rows come from a
        # worker, the footer is drawn after them).
        await until(pilot, lambda: crumbs(app) == ("Konten",))
        await open_row(pilot, "lindenhof")
        await until(pilot, lambda: crumbs(app) == ("Konten", "Lindenhof Kliniken gGmbH"))
        await open_row(pilot, "u-1057")
        await until(pilot, lambda: isinstance(app.screen, UserScreen)
                    and "gespeicherte Lizenz: AUS" in screen(app))
        p = toggle(app)
        assert p["message"] == "Lizenzen nicht verfügbar"
        text = screen(app)
        assert "[ AUS  ]  deaktiviert" in text and "gespeicherte Lizenz: AUS" in text
        snap(snapshot, app, "german_user_s12.txt")
        said = len(refusals(app))
        await pilot.press("space")
        await until(pilot, lambda: len(refusals(app)) > said)
        assert "Lizenzen nicht verfügbar" in refusals(app)[-1]
        app.open_account("a-seeblick")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen)
                    and app.screen.account_key == "a-seeblick" and not app.working
                    and users_table(app).total > 0)
        assert {str(r.cells[2]) for r in rows(users_table(app))} == {"Keine Lizenzen"}
        await until(pilot, lambda: "Schalten" in screen(app).splitlines()[-1])
        footer = screen(app).splitlines()[-1]
        for word in ("Öffnen", "Zurück", "Filter", "Schalten", "Warum", "Ende", "Hilfe",
                     "Suchen"):
            assert word in footer

    drive(app, walk)


# Rules that change on disk, other consoles' commits ------------------------------------


def test_rule_changes_take_effect_and_a_broken_file_keeps_the_last_good_rules(
        console, rules_dir: Path, tmp_path: Path):
    mine = tmp_path / "rules"
    shutil.copytree(rules_dir, mine, ignore=shutil.ignore_patterns("*.test", "__*"))
    app = console("anna.huber", rules=mine)
    messages = mine / "messages.rules"
    original = messages.read_text(encoding="utf-8")

    async def walk(pilot):
        app.open_user("u-1057")
        await pilot.pause()
        assert toggle(app)["message"] == "Licenses not available"
        messages.write_text(original.replace('en "Licenses not available"',
                                             'en "No seat left in this account"'))
        app.poll()
        await pilot.pause()
        assert toggle(app)["message"] == "No seat left in this account"
        assert app.notices[-1][1] == "Rule files changed: the new rules are in force"
        licenses = mine / "licenses.rules"
        good = licenses.read_text(encoding="utf-8")
        licenses.write_text(good + "\nview miteam {\n", encoding="utf-8")
        app.poll()
        await pilot.pause()
        assert app.screen.query_one(TopBar).markers == ("RULES ERROR",)
        assert "licenses.rules" in app.notices[-1][1]
        assert toggle(app)["message"] == "No seat left in this account"  # still in force
        await pilot.press("space")  # and still deciding
        await pilot.pause()
        assert "No seat left in this account" in refusals(app)[-1]
        licenses.write_text(good, encoding="utf-8")
        app.poll()
        await pilot.pause()
        assert app.screen.query_one(TopBar).markers == ()

    drive(app, walk)


def test_another_consoles_commit_shows_up_without_a_key(console, demo_db: Path):
    app = console("anna.huber")

    async def walk(pilot):
        app.open_account("a-kranich")
        await pilot.pause()
        await find(pilot, "u-1036")
        assert str(rows(users_table(app))[0].cells[3]) == "OFF"
        other = Store(demo_db)
        try:
            Session(other, RuleSet.load(), "markus.weber").apply(
                SetLicense("u-1036", "miteam", True))
        finally:
            other.close()
        app.poll()
        await pilot.pause()
        assert str(rows(users_table(app))[0].cells[3]) == "ON"

    drive(app, walk)


def test_a_stale_switch_is_refused_not_overwritten(console, demo_db: Path):
    """Two consoles show u-1036 OFF; the other one switches it ON first. Space here meant
    "switch on from OFF": it is refused as stale, and the other console's ON stands."""
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "kranich")
        await open_row(pilot, "u-1036")
        assert isinstance(app.screen, UserScreen) and toggle(app)["on"] is False
        other = Store(demo_db)
        try:
            Session(other, RuleSet.load(), "markus.weber").apply(
                SetLicense("u-1036", "miteam", True))
        finally:
            other.close()
        await pilot.press("space")  # before the console has polled: it still shows OFF
        await pilot.pause()
        assert stored(app, "u-1036") is True
        (notice,) = refusals(app)
        assert "changed after you looked at it" in notice and "markus.weber" in notice

    drive(app, walk)


# Big accounts --------------------------------------------------------------------------


def big_database(path: Path, users: int) -> Path:
    records = {
        "partners": [{"id": "p-big", "name": "Big Partner"}],
        "accounts": [{"id": "a-big", "name": "Big Account", "partner": "p-big",
                      "integrations": {"micollab": False, "miteam": True}}],
        "orders": [{"id": "ord-big", "partner": "p-big", "product": "miteam",
                    "quantity": users, "state": "assigned", "account": "a-big",
                    "expires": None, "created": "2026-01-01T00:00:00+00:00"}],
        "users": [{"id": f"u-{n:05d}", "account": "a-big", "name": f"User {n:05d}",
                   "email": None, "licenses": {"miteam": n % 3 == 0},
                   "set_by": {"miteam": "operator" if n % 3 == 0 else None}}
                  for n in range(users)],
        "operators": [{"id": "big.partner", "name": "Big", "role": "partner",
                       "partner": "p-big", "account": None}],
        "audit": [],
    }
    Store.create(path, records).close()
    return path


def test_a_10000_user_account_asks_the_rules_only_for_the_rows_on_screen(
        console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = big_database(tmp_path / "big.json", 10_000)
    monkeypatch.setattr("tests.console.test_scases_in_console.Store", lambda _path: Store(db))
    evaluated = []
    real = operations.user_view
    monkeypatch.setattr(operations, "user_view",
                        lambda *a, **k: evaluated.append(1) or real(*a, **k))
    app = console("big.partner")

    async def walk(pilot):
        await pilot.press("enter")
        await pilot.pause()
        table = users_table(app)
        assert table.total == 10_000
        assert table.source.fetches == 1 and len(evaluated) <= table.source.page_size
        await pilot.press("end")
        await pilot.pause()
        assert table.current.key == "u-09999"
        assert table.source.fetches == 2 and len(evaluated) <= 2 * table.source.page_size
        assert str(table.current.cells[3]) == "ON"
        await pilot.press("space")  # switch the last user; the list stays a page
        await pilot.pause()
        assert str(table.current.cells[3]) == "OFF"
        assert len(evaluated) <= 4 * table.source.page_size
        await find(pilot, "User 00424")
        assert [r.key for r in rows(table)] == ["u-00424"]

    drive(app, walk)


# Help, audit, palette, filter, mouse, keymap -------------------------------------------


def test_help_lists_every_key(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.body())
        for key in ("⏎ enter", "esc", "/", "space", "w", "?", "q", "^p ctrl+p", "o", "t",
                    "a", "f", "tab"):
            assert f"  {key} " in text, key
        snap(snapshot, app, "help.txt")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)

    drive(app, walk)


def test_audit_place_lists_every_change_with_its_rule(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        app.open_user("u-1036")
        await pilot.pause()
        await pilot.press("space")  # S10: on
        await pilot.pause()
        app.open_account("a-kranich")
        await pilot.pause()
        await pilot.press("tab", "down", "space", "right", "enter")  # S8: MiTeam off
        await pilot.pause()
        app.clear_notifications()
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen) and app.screen.account == "a-kranich"
        entries = [r.data for r in rows(app.screen.query_one(ResourceTable))]
        assert [(e["operation"], e["rule"]) for e in entries][:2] == [
            ("license.consequence", "s8_miteam_off_when_standalone"),
            ("license.consequence", "s8_miteam_off_when_standalone")]
        assert ("license.set", "s10_switch_standalone") in \
            [(e["operation"], e["rule"]) for e in entries]
        assert len(entries) == 1 + 1 + 8  # the switch, the integration, 8 licenses off
        snap(snapshot, app, "audit.txt")
        app.open_audit(None, jump=True)
        await pilot.pause()
        assert crumbs(app) == ("Audit",)

    drive(app, walk)


def test_palette_jumps_to_a_user_an_order_and_an_account(console):
    app = console("anna.huber")

    async def jump(pilot, text):
        await pilot.press("ctrl+p", *text)
        await until(pilot, lambda: any(text.lower() in h.lower() for h in palette_prompts(app)))
        await pilot.press("enter")
        await pilot.pause()

    async def walk(pilot):
        await jump(pilot, "clara becker")
        assert isinstance(app.screen, UserScreen)
        assert crumbs(app) == ("Accounts", "Kranich Logistik GmbH", "Clara Becker")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)  # escape walks the real way back
        await jump(pilot, "ord-1007")
        assert isinstance(app.screen, OrdersScreen)
        assert app.screen.query_one(ResourceTable).current.key == "ord-1007"
        await jump(pilot, "Lindenhof Kliniken")
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.account_id == "a-lindenhof"

    drive(app, walk)


def test_filter_narrows_the_list_and_escape_clears_then_goes_back(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "kranich")
        await find(pilot, "schmidt")
        table = users_table(app)
        assert table.total == 2
        assert all("Schmidt" in r.cells[0] for r in rows(table))
        assert str(table.border_title) == "Users (2 of 18) /schmidt"
        await pilot.press("escape")
        await pilot.pause()
        assert table.total == 18 and isinstance(app.screen, AccountScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AccountsScreen)
        assert app.screen.query_one(ResourceTable).source.query == "kranich"

    drive(app, walk)


def test_mouse_works_click_selects_double_click_opens(console):
    app = console("anna.huber")

    async def walk(pilot):
        table = app.screen.query_one(ResourceTable)
        await pilot.click(table, offset=(4, 4))  # the title line, the header, rows 0, 1, 2
        await pilot.pause()
        assert table.current.key == "a-kranich"
        await pilot.click(table, offset=(4, 4), times=2)
        await pilot.pause()
        assert isinstance(app.screen, AccountScreen)
        assert app.screen.account_id == "a-kranich"

    drive(app, walk)


def test_keys_have_ids_so_a_keymap_can_move_them(console):
    app = console("anna.huber")

    async def walk(pilot):
        ids = {b.id for _, b in app._bindings if b.id}
        assert {"miteam.quit", "miteam.help", "miteam.palette", "miteam.orders"} <= ids
        app.set_keymap({"miteam.why": "y"})
        app.open_user("u-1001")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, WhyPanel)

    drive(app, walk)


def test_support_starts_at_partners(console):
    app = console("tester")

    async def walk(pilot):
        assert isinstance(app.screen, PartnersScreen)
        assert crumbs(app) == ("Partners",)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert crumbs(app) == ("Partners", "Northbridge Networks Ltd")
        await open_row(pilot, "harbour")
        await open_row(pilot, "u-1079")
        assert crumbs(app) == ("Partners", "Northbridge Networks Ltd", "Harbour Freight Ltd",
                               "Lily Thompson")

    drive(app, walk)


def test_every_place_fits_80x24(console):
    app = console("anna.huber", lang="de")

    async def walk(pilot):
        # (place, what its screen shows once drawn): each waits for its own, not for the
        # footer the place before had as well.
        places = [(lambda: None, AccountsScreen, "Konten"),
                  (lambda: app.open_account("a-kranich"), AccountScreen, "Kranich"),
                  (lambda: app.open_user("u-1036"), UserScreen, "u-1036"),
                  (lambda: app.open_orders(), OrdersScreen, "ord-1003"),
                  (lambda: app.open_audit(None, jump=True), AuditScreen, "Protokoll")]
        for go, kind, shown in places:
            go()
            await until(pilot, lambda kind=kind, shown=shown: isinstance(app.screen, kind)
                        and not app.working and shown in screen(app)
                        and "Hilfe" in screen(app).splitlines()[-1])
            lines = screen(app).splitlines()
            assert len(lines) == 24
            assert lines[0].strip() and "anna.huber" in lines[0]
            assert "Hilfe" in lines[-1] and "^p Suchen" in lines[-1], lines[-1]

    drive(app, walk)


# The command ---------------------------------------------------------------------------


def test_console_command_refuses_before_any_screen_opens(miteam, tmp_path: Path):
    r = miteam("tui", operator="nobody", json_out=False)
    assert r.code == 1 and "not registered" in r.err
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "x.rules").write_text("view miteam {\n", encoding="utf-8")
    miteam.configure(rules=broken)
    r = miteam("tui", json_out=False)
    assert r.code == 2 and "x.rules:" in r.err
