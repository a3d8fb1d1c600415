"""The console's second pass (issue 13): lists that fit, filters by state, a status line
instead of toasts, no silent keys, and a console that follows the rules' answers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.ops.actions import SetLicense
from rules.ops.session import Session
from rules.records.store import Store
from tui.screens import AssignDialog, ConfirmDialog, HelpScreen, OrdersScreen, WhyPanel
from tui.widgets import ResourceTable

from .test_console import big_database
from .test_scases_in_console import (
    consoles,
    drive,
    find,
    open_row,
    refusals,
    rows,
    screen,
    snap,
    stored,
    until,
    users_table,
)


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    yield from consoles(demo_db, monkeypatch)


# 4: ids, counts and the S-case strings are never cut; names give way ---------------------


@pytest.mark.parametrize(("lang", "s12"), [("en", "Licenses not available"),
                                           ("de", "Lizenzen nicht verfügbar")])
def test_s12_string_is_whole_in_the_user_list_at_80x24(console, snapshot, lang, s12):
    app = console("anna.huber", lang=lang)

    async def walk(pilot):
        await open_row(pilot, "lindenhof")
        text = screen(app)
        held = [line for line in text.splitlines() if "u-10" in line and "·" in line]
        assert sum(s12 in line for line in held) == 4, text
        assert all("…" not in line.split("u-10")[1] for line in held), text
        snap(snapshot, app, f"s12_list_{lang}.txt")

    drive(app, walk)


def test_ids_and_counts_are_whole_on_a_big_database_at_80x24(
        console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = big_database(tmp_path / "big.json", 3651)
    monkeypatch.setattr("tests.console.test_scases_in_console.Store", lambda _path: Store(db))
    app = console("big.partner")

    async def walk(pilot):
        text = screen(app)
        assert "1217/3651" in text and "a-big" in text, text
        app.open_orders()
        await pilot.pause()
        assert "ord-big" in screen(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        line = next(s for s in screen(app).splitlines() if "u-00000" in s)
        assert "User 00000" in line and "ON · switchable" in line

    drive(app, walk)


# 3: the filter by state is exact; free text stays for names ----------------------------


def test_filter_by_state_is_exact_and_free_text_finds_names(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "lindenhof")
        table = users_table(app)
        await find(pilot, "state:off")
        assert [r.key for r in rows(table)] == ["u-1057", "u-1058", "u-1059", "u-1060"]
        assert str(table.border_title) == "Users (4 of 14) /state:off"
        await pilot.press("escape")
        await find(pilot, "state:disabled richter")
        assert [r.key for r in rows(table)] == ["u-1058"]
        await pilot.press("escape")
        await find(pilot, "off")  # free text: names, ids and e-mail, never the state
        assert table.total == 0
        await pilot.press("escape")
        app.open_account("a-seeblick")
        await pilot.pause()
        table = users_table(app)
        await find(pilot, "state:none")
        assert table.total == 12
        await pilot.press("escape")
        await find(pilot, "state:differs")  # stored ON, shown "No licenses" (S13)
        assert [r.key for r in rows(table)] == [f"u-10{n}" for n in range(17, 23)]
        await pilot.press("escape")
        await find(pilot, "state:readonly")
        assert table.total == 0

    drive(app, walk)


def test_filter_by_state_reads_german_words_and_micollab(console):
    app = console("anna.huber", lang="de")

    async def walk(pilot):
        await open_row(pilot, "bergmann")
        table = users_table(app)
        await find(pilot, "zustand:schreibgeschützt")
        read_only = {r.key for r in rows(table)}
        await pilot.press("escape")
        await find(pilot, "state:micollab")
        assert {r.key for r in rows(table)} == read_only and read_only

    drive(app, walk)


def test_core_filter_by_state_on_users_page(demo_db: Path):
    store = Store(demo_db)
    try:
        s = Session(store, RuleSet.load(), "anna.huber")
        total, page = s.users_page("a-lindenhof", 0, 2, "state:off")
        assert total == 4 and [u["id"] for u in page] == ["u-1057", "u-1058"]
        assert s.users_page("a-lindenhof", 0, 100, "state:nonsense")[0] == 0
        assert s.users_page("a-lindenhof", 0, 100, "state:on")[0] == 10
        assert s.users_page("a-seeblick", 0, 100, "state:stored≠shown")[0] == 6
    finally:
        store.close()


# 6: every key shown works or says why not ----------------------------------------------


def test_account_admin_pressing_o_is_told_why(console):
    app = console("markus.weber")

    async def walk(pilot):
        await pilot.press("o")
        await pilot.pause()
        assert refusals(app) == [] and app.notices[-1] == (
            "warning", "Refused: Orders are managed by the partner")
        assert "Refused: Orders are managed by the partner" in screen(app)
        assert " o " not in screen(app).splitlines()[-1]  # not offered in the footer

    drive(app, walk)


def test_readonly_space_says_the_console_is_read_only(console):
    app = console("anna.huber", readonly=True)

    async def walk(pilot):
        await open_row(pilot, "kranich")
        text = screen(app)
        assert "read-only console" in text and "switchable" not in text.split("Orders")[0]
        await pilot.press("space")
        await pilot.pause()
        assert app.notices[-1] == ("warning", "this console is read-only")
        assert "this console is read-only" in screen(app)

    drive(app, walk)


def test_orders_section_of_an_account_opens_the_order_and_space_says_where(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "kranich")
        app.screen.query_one("#account-orders").focus()
        await pilot.press("space")
        await pilot.pause()
        assert "an order is assigned in Billing › Orders" in app.notices[-1][1]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OrdersScreen))
        await until(pilot, lambda: app.screen.query_one(ResourceTable).current is not None)
        assert app.screen.query_one(ResourceTable).current.key == "ord-1003"

    drive(app, walk)


def test_w_in_the_s8_confirm_shows_the_rules_and_returns_to_the_dialog(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "kranich")
        app.screen.query_one("#integrations").focus()
        await pilot.press("down", "space")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhyPanel))
        assert "integration.set" in "\n".join(
            line for _, lines in app.screen.sections for line in lines)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))

    drive(app, walk)


# 7: the Assign picker offers what the rules allow, the others with the reason -----------


def test_assign_picker_shows_other_partners_accounts_disabled_with_the_reason(console):
    app = console("lena.support")
    changes = []
    app.observers.append(changes.append)

    async def walk(pilot):
        app.open_assign("ord-1006")  # p-alpen's unassigned order
        await until(pilot, lambda: isinstance(app.screen, AssignDialog)
                    and bool(app.screen.query(ResourceTable)))
        table = app.screen.query_one(ResourceTable)
        offered = rows(table)
        allowed = [r.key for r in offered if r.data[1].allowed]
        refused = [r for r in offered if not r.data[1].allowed]
        assert allowed and all(r.data[0]["partner"] == "p-alpen" for r in offered
                               if r.key in allowed)
        assert refused and all("partner" in str(r.cells[2]) for r in refused)
        assert offered[: len(allowed)] == [r for r in offered if r.key in allowed]
        table.cursor = len(allowed)  # the first refused account
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.chosen is None
        status = str(app.screen.query_one("#assign-status").render())
        assert refused[0].data[1].reason in status
        assert app.screen.focused is not app.screen.query_one("#confirm")

    drive(app, walk)
    assert changes == []  # nothing was attempted


# The UI decides nothing: change a rule, the console follows ---------------------------


def test_console_follows_a_changed_place_rule_without_python(console, rules_dir: Path,
                                                             tmp_path: Path):
    """Give account admins the Orders place in a copy of the rules: help lists `o`, and
    `o` opens the place (what they may read of it is still order.read's answer)."""
    mine = tmp_path / "rules"
    shutil.copytree(rules_dir, mine, ignore=shutil.ignore_patterns("*.test", "__*"))
    orders = mine / "scope.rules"
    text = orders.read_text(encoding="utf-8")
    changed = text.replace('allow admins_open_the_audit when place == "audit"',
                           'allow admins_open_the_audit when place == "audit" or '
                           'place == "orders"')
    assert changed != text
    orders.write_text(changed, encoding="utf-8")
    app = console("markus.weber", rules=mine)

    async def walk(pilot):
        assert app.has_orders
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Billing › Orders" in str(app.screen.body())
        await pilot.press("escape")
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, OrdersScreen))
        assert refusals(app) == []

    drive(app, walk)
    shipped = console("markus.weber")
    assert not shipped.has_orders


# 1: the S8 confirm carries what it previewed; the core refuses a stale apply -----------


def test_s8_confirm_is_refused_when_another_console_changed_what_it_previewed(
        console, demo_db: Path):
    """Console 1 previews switching MiTeam off at Kranich (7 licenses revoked); console 2
    switches u-1036 on; console 1 confirms: refused as stale, nothing revoked, u-1036
    keeps the license console 2 gave."""
    app = console("anna.huber")
    holders = [f"u-10{n}" for n in range(29, 36)]

    async def walk(pilot):
        await open_row(pilot, "kranich")
        await pilot.press("tab", "down", "space")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        other = Store(demo_db)
        try:
            Session(other, RuleSet.load(), "markus.weber").apply(
                SetLicense("u-1036", "miteam", True))
        finally:
            other.close()
        await pilot.press("right", "enter")  # confirm what the dialog showed
        await until(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        assert "changed after its preview" in refusals(app)[-1]
        assert "Nothing was changed; preview it again" in " ".join(screen(app).split())

    drive(app, walk)
    assert all(stored(app, uid) for uid in [*holders, "u-1036"])


# 2: the preview of a sweeping change lists every user, with the total -------------------


def test_s8_preview_lists_every_user_of_a_big_account_with_the_total(
        console, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = big_database(tmp_path / "big.json", 3651)
    monkeypatch.setattr("tests.console.test_scases_in_console.Store", lambda _path: Store(db))
    app = console("big.partner")

    async def walk(pilot):
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query("#integrations"))
        app.screen.query_one("#integrations").focus()
        await pilot.press("down", "space")  # MiTeam integration OFF: 1217 licenses go
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert app.screen.focused.id == "cancel"
        text = screen(app)
        assert "1217 MiTeam Meetings licenses will be switched off" in " ".join(text.split())
        assert "1217 users" in text and "u-00000" in text
        table = app.screen.query_one("#confirm-users", ResourceTable)
        assert table.total == 1217
        for _ in range(31):
            await pilot.press("down")
        await pilot.pause()
        assert table.cursor == 31 and f"u-{31 * 3:05d}" in screen(app)
        assert app.screen.focused.id == "cancel"  # scrolling never moved the focus

    drive(app, walk)


# 11: NO_COLOR is monochrome ------------------------------------------------------------


def test_no_color_leaves_no_colour_not_even_grey(console, monkeypatch: pytest.MonkeyPatch):
    from rich.segment import Segment
    from rich.style import Style
    from textual.color import Color

    monkeypatch.setenv("NO_COLOR", "1")
    app = console("anna.huber")
    painted = [Segment("x", Style(color="#ff8800", bgcolor="#003366", bold=True))]
    for f in app._filters:
        painted = f.apply(painted, Color(0, 0, 0))
    (segment,) = painted
    assert segment.style.bold  # emphasis stays
    assert segment.style.color.is_default and segment.style.bgcolor.is_default


# 8, 9: the Why panel in the operator's words, using the width ---------------------------


def test_why_builder_words_message_keys_in_german_without_a_screen(demo_db: Path):
    from tui.why import WhyBuilder

    store = Store(demo_db)
    try:
        session = Session(store, RuleSet.load(), "anna.huber", "de")
        why = WhyBuilder(session, "de", lambda _outcome: []).license("u-1057")
        text = "\n".join(line for _, lines in why.sections for line in lines)
        assert "abgelehnt weil “Lizenzen nicht verfügbar” (licenses_not_available)" in text
        assert "message “Lizenzen nicht verfügbar”" in text
        assert "weil licenses_not_available" not in text
        assign = WhyBuilder(session, "de", lambda _outcome: []).assign("ord-1008",
                                                                      "a-kranich")
        text = "\n".join(line for _, lines in assign.sections for line in lines)
        assert "“Diese Bestellung ist abgelaufen" in text
    finally:
        store.close()


def test_why_panel_uses_the_width_and_keeps_indentation_on_wrap(console):
    app = console("anna.huber")

    async def walk(pilot):
        app.open_user("u-1057")
        await until(pilot, lambda: app.screen.query("LicenseToggle"))
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, WhyPanel))
        panel = app.screen.query_one("#why")
        assert panel.size.width > 100  # not 78 at 120 columns
        lines = screen(app).splitlines()
        cond = [line for line in lines if "not account.integrations.miteam" in line]
        assert cond and cond[0].index("not account") > 6  # indented under its rule

    drive(app, walk, size=(120, 40))
