"""The license report as a place (`r`) and the start screen's line of what needs attention
(issue 12, part 4), at 80x24, as a partner, another partner, an account admin and in
German. The report is the core's (`Session.report`), scoped to what the operator may read;
the line comes from its counts, computed in a worker after the first paint."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules.ops.actions import AssignOrder, SetLicense
from rules.paths import SHIPPED_RULES_DIR
from tui.app import ConsoleApp
from tui.attention import line
from tui.screens import AccountScreen, HelpScreen, ReportScreen, UserScreen
from tui.widgets import AttentionLine, ResourceTable

from .test_scases_in_console import (
    consoles,
    crumbs,
    drive,
    palette_prompts,
    rows,
    screen,
    snap,
    until,
)


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    gen = consoles(demo_db, monkeypatch)
    make = next(gen)
    # These tests are about the attention line: on, as in the real console.
    monkeypatch.setattr(ConsoleApp, "attention_summary", True)
    yield make
    next(gen, None)


def table(app: ConsoleApp, name: str) -> ResourceTable:
    return app.screen.query_one(f"#{name}", ResourceTable)


def attention(app: ConsoleApp) -> str:
    """The attention line of the place on top, as shown ("" when hidden)."""
    line = app.screen.query_one(AttentionLine)
    return str(line.render()) if line.display else ""


def test_attention_line_fits_80_columns_the_most_urgent_first():
    said = ["1 account over-allocated", "1 order expires within 30 days",
            "10 users stored ≠ shown"]
    assert line(said, "en") == (
        "1 account over-allocated · 1 order expires within 30 days · 10 users stored ≠ shown"
        "  (r: report)")
    assert line(said, "en", 78) == ("1 account over-allocated · 1 order expires within 30 "
                                    "days · …  (r: report)")
    assert line([], "en", 78) == ""


async def open_report(pilot, app: ConsoleApp) -> None:
    await pilot.press("r")
    await until(pilot, lambda: isinstance(app.screen, ReportScreen)
                and app.screen.report is not None)
    await pilot.pause()


def test_report_place_shows_the_partners_accounts_differs_micollab_and_expiring(
        console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        await open_report(pilot, app)
        assert [r.key for r in rows(table(app, "report-accounts"))] == [
            "a-bergmann", "a-seeblick", "a-kranich", "a-lindenhof", "a-falkenstein",
            "a-wiesental"]
        differs = rows(table(app, "report-differs"))
        assert [r.key for r in differs][:2] == ["u-1017", "u-1018"] and len(differs) == 10
        # Stored ON, shown "No licenses" (S5/S13): both visible.
        assert [str(c) for c in differs[0].cells[3:]] == ["ON", "No licenses"]
        assert len(rows(table(app, "report-micollab"))) == 19
        expiring = rows(table(app, "report-expiring"))
        assert [r.key for r in expiring] == ["ord-1007"]
        assert str(expiring[0].cells[4]) == "not assigned to an account"
        # Nothing of the other partner's accounts (p-northbridge's Copperfield).
        assert "a-copperfield" not in screen(app)
        snap(snapshot, app, "report_partner.txt")

    drive(app, walk)


def test_report_place_puts_over_allocated_accounts_first_and_enter_opens_one(console):
    app = console("james.cole")  # p-northbridge: Copperfield holds 6 of 4 licenses

    async def walk(pilot):
        await open_report(pilot, app)
        accounts = rows(table(app, "report-accounts"))
        assert accounts[0].key == "a-copperfield"
        assert [str(c) for c in accounts[0].cells[2:]] == ["4", "6", "-2", "over-allocated"]
        assert "1 account over-allocated" in str(table(app, "report-accounts").border_title)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        assert app.screen.account_id == "a-copperfield"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))

    drive(app, walk)


def test_report_names_the_account_an_expiring_order_leaves_over_allocated(console):
    app = console("anna.huber")
    # Lindenhof (10 of 10) gets the expiring order ord-1007 and one more user: 11 of 20
    # now, 11 of 10 once the order expires.
    app.session.apply(AssignOrder("ord-1007", "a-lindenhof"))
    user = next(u for u in app.session.users("a-lindenhof")
                if not u["licenses"]["miteam"])
    app.session.apply(SetLicense(user["id"], "miteam", True))

    async def walk(pilot):
        await until(pilot, lambda: attention(app) != "")
        assert app.attention[:2] == ["1 account over-allocated once orders expire",
                                     "1 order expires within 30 days"]
        # At 80 columns: the most urgent, then "…" (the report has the rest).
        assert attention(app) == "1 account over-allocated once orders expire · …  (r: report)"
        await open_report(pilot, app)
        accounts = rows(table(app, "report-accounts"))
        assert accounts[0].key == "a-lindenhof"
        assert str(accounts[0].cells[5]) == "over-allocated after expiry (10 left)"
        expiring = rows(table(app, "report-expiring"))
        assert [(r.key, str(r.cells[3]), str(r.cells[4])) for r in expiring] == [
            ("ord-1007", "a-lindenhof", "over-allocated: 11 assigned, 10 left")]
        # enter on the order: the account it leaves over-allocated.
        table(app, "report-expiring").focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        assert app.screen.account_id == "a-lindenhof"

    drive(app, walk)


def test_report_enter_on_a_stored_differs_user_opens_the_user(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_report(pilot, app)
        await pilot.press("tab")
        assert app.focused is table(app, "report-differs")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UserScreen))
        assert app.screen.user_id == "u-1017"

    drive(app, walk)


def test_palette_offers_the_report(console):
    app = console("markus.weber")

    async def walk(pilot):
        await pilot.press("ctrl+p", *"report")
        await until(pilot, lambda: any("Report: licenses" in h for h in palette_prompts(app)))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert crumbs(app) == ("License report",)

    drive(app, walk)


def test_account_admin_report_shows_only_their_own_account(console):
    app = console("markus.weber")

    async def walk(pilot):
        # Nothing needs attention in a-kranich: no line at all.
        await until(pilot, lambda: app.attention is not None)
        assert app.attention == [] and attention(app) == ""
        await open_report(pilot, app)
        assert [r.key for r in rows(table(app, "report-accounts"))] == ["a-kranich"]
        for name in ("report-differs", "report-micollab", "report-expiring"):
            assert table(app, name).total == 0
        assert "Bergmann" not in screen(app) and "ord-1007" not in screen(app)

    drive(app, walk)


def test_start_screen_attention_line_says_what_needs_attention(console, snapshot):
    app = console("anna.huber")

    async def walk(pilot):
        await until(pilot, lambda: attention(app) != "")
        assert attention(app) == ("1 order expires within 30 days · 10 users stored ≠ shown"
                                  "  (r: report)")
        snap(snapshot, app, "partner_home_attention.txt")
        # Only on the start screen: not on the report, nor on an account.
        await open_report(pilot, app)
        assert attention(app) == ""

    drive(app, walk)


def test_attention_line_follows_changes_once_back_at_the_start_screen(console):
    app = console("anna.huber")
    asked: list[int] = []
    report = app.session.report
    app.session.report = lambda *a, **k: asked.append(1) or report(*a, **k)

    async def walk(pilot):
        await until(pilot, lambda: attention(app) != "")
        assert app.attention[-1] == "10 users stored ≠ shown" and len(asked) == 1
        app.open_account("a-seeblick", push=True)
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        # MiTeam on at Seeblick: its 6 users show ON again (S6), 4 still differ.
        app.switch_integration("a-seeblick", "miteam", True, confirm=False)
        await pilot.pause()
        assert len(asked) == 1  # not asked while the start screen is away
        await pilot.press("escape")
        await until(pilot, lambda: "4 users stored ≠ shown" in attention(app))
        assert len(asked) == 2

    drive(app, walk)


def test_start_screen_attention_line_in_german(console):
    app = console("james.cole", lang="de")

    async def walk(pilot):
        await until(pilot, lambda: attention(app) != "")
        assert attention(app) == "1 Konto überbelegt  (r: Bericht)"

    drive(app, walk)


def test_report_place_is_offered_only_when_the_rules_offer_it(console, tmp_path: Path):
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED_RULES_DIR, rules)
    scope = rules / "scope.rules"
    scope.write_text(scope.read_text().replace(
        "policy place.open {\n", "policy place.open {\n"
        "  deny no_report_here when place == \"report\" because orders_partner_only\n"))
    app = console("anna.huber", rules=rules)

    async def walk(pilot):
        assert not app.has_report
        await pilot.press("r")
        await until(pilot, lambda: bool(app.notices))
        assert not isinstance(app.screen, ReportScreen)
        assert app.notices[-1] == ("warning", "Refused: Orders are managed by the partner")
        # No line either: the attention line is the report's.
        assert app.attention is None
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "the license report" not in screen(app)

    drive(app, walk)
