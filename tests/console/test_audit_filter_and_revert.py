"""The Audit place's filter bar (the CLI's filters, read by the core) and `u`: revert an
entry after the core's preview (issue 12, parts 5 and 6), at 80x24."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.ops.actions import AssignOrder, SetIntegration, SetLicense
from tui.screens import AuditScreen, ConfirmDialog, WhyPanel
from tui.widgets import ResourceTable
from tui.widgets.auditfilter import AuditFilterBar

from .test_scases_in_console import consoles, drive, refusals, rows, snap, stored, until


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    yield from consoles(demo_db, monkeypatch)


def audit_rows(app) -> list:
    return rows(app.screen.query_one("#audit", ResourceTable))


def targets(app) -> list[str]:
    return [r.data["target"] for r in audit_rows(app)]


async def open_audit(pilot, app) -> None:
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, AuditScreen))
    await pilot.pause()


async def search(pilot, app, words: str) -> None:
    await pilot.press("slash")
    bar = app.screen.query_one(AuditFilterBar)
    await until(pilot, lambda: bar.has_focus)
    bar.value = ""
    await pilot.press(*words, "enter")
    await pilot.pause()


def switch_some(app) -> None:
    """Four audit entries by the partner: u-1029 off and on again, u-1036 on, and Kranich's
    MiCollab integration off."""
    s = app.session
    s.apply(SetLicense("u-1029", "miteam", False))
    s.apply(SetLicense("u-1029", "miteam", True))
    s.apply(SetLicense("u-1036", "miteam", True))
    s.apply(SetIntegration("a-seeblick", "micollab", False))


def test_audit_filter_bar_searches_by_user_operation_and_rule(console, snapshot):
    app = console("anna.huber")
    switch_some(app)

    async def walk(pilot):
        await open_audit(pilot, app)
        assert len(audit_rows(app)) == 4
        await search(pilot, app, "user:u-1029")
        assert targets(app) == ["user:u-1029", "user:u-1029"]
        assert str(app.screen.query_one("#audit", ResourceTable).border_title) == \
            "Audit (2) /user:u-1029"
        assert not app.screen.query_one(AuditFilterBar).display
        snap(snapshot, app, "audit_filtered.txt")
        # `/` again shows the filter in force, to change it.
        await pilot.press("slash")
        assert app.screen.query_one(AuditFilterBar).value == "user:u-1029"
        await pilot.press("escape")
        await search(pilot, app, "operation:integration.set")
        assert targets(app) == ["account:a-seeblick:micollab"]
        rule = audit_rows(app)[0].data["rule"]
        await search(pilot, app, f"rule:{rule} since:2000-01-01 until:2999-12-31")
        assert targets(app) == ["account:a-seeblick:micollab"]
        await search(pilot, app, "until:2000-01-01")
        assert targets(app) == []
        # Free words narrow the rows shown, beside the core's filters.
        await search(pilot, app, "operation:license.set u-1036")
        assert targets(app) == ["user:u-1036"]
        # Escape on the list clears the filter (then goes back).
        await pilot.press("escape")
        assert len(audit_rows(app)) == 4 and isinstance(app.screen, AuditScreen)

    drive(app, walk)


def test_audit_filter_bar_reads_german_words_and_the_account_by_name(console):
    app = console("anna.huber", lang="de")
    switch_some(app)

    async def walk(pilot):
        await open_audit(pilot, app)
        await search(pilot, app, 'konto:"Seeblick Hotels GmbH" vorgang:integration.set')
        assert targets(app) == ["account:a-seeblick:micollab"]
        await search(pilot, app, "benutzer:u-1036 von:anna.huber")
        assert targets(app) == ["user:u-1036"]
        assert str(app.screen.query_one("#audit", ResourceTable).border_title) == \
            "Protokoll (1) /benutzer:u-1036 von:anna.huber"

    drive(app, walk)


def test_audit_filter_bar_refuses_a_bad_date_and_an_unknown_word_clearly(console):
    app = console("anna.huber")
    switch_some(app)

    async def walk(pilot):
        await open_audit(pilot, app)
        await search(pilot, app, "user:u-1029")
        await search(pilot, app, "since:2026-13-01")
        assert refusals(app)[-1] == "'2026-13-01' is not a date; write YYYY-MM-DD"
        # The bar stays open to correct it; the filter in force stays.
        assert app.screen.query_one(AuditFilterBar).has_focus
        assert targets(app) == ["user:u-1029", "user:u-1029"]
        await pilot.press("escape")
        await search(pilot, app, "who:anna")
        assert refusals(app)[-1] == (
            "unknown filter 'who:'; use account:, user:, operator:, operation:, rule:, "
            "since:, until: (dates YYYY-MM-DD)")
        await pilot.press("escape")
        # Another tenant's account is unknown, as everywhere.
        await search(pilot, app, "account:a-copperfield")
        assert "a-copperfield" in refusals(app)[-1]
        assert targets(app) == ["user:u-1029", "user:u-1029"]

    drive(app, walk)


def test_u_reverts_an_entry_after_a_preview_with_cancel_focused(console, snapshot):
    app = console("anna.huber")
    app.session.apply(SetLicense("u-1036", "miteam", True))
    changes: list = []  # what a scenario recorder hears
    app.observers.append(changes.append)

    async def walk(pilot):
        await open_audit(pilot, app)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert app.screen.focused.id == "cancel"
        snap(snapshot, app, "audit_revert_preview.txt")
        await pilot.press("enter")  # Cancel: nothing happens
        await until(pilot, lambda: isinstance(app.screen, AuditScreen))
        assert stored(app, "u-1036") and len(audit_rows(app)) == 1
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("right", "enter")
        await until(pilot, lambda: len(audit_rows(app)) == 2)
        assert not stored(app, "u-1036")
        newest = app.screen.query_one("#audit", ResourceTable).current.data
        assert (newest["target"], newest["revert_of"], newest["after"]) == (
            "user:u-1036", 1, False)
        assert "revert of #1" in str(app.screen.query_one("#audit-entry").render())
        assert [(c.action, c.rule) for c in changes] == [
            (SetLicense("u-1036", "miteam", False), "s10_switch_standalone")]
        # Once more: nothing left to revert, so nothing to confirm.
        await pilot.press("down", "u")
        await until(pilot, lambda: app.notices[-1][1].startswith("#1: nothing to revert"))
        assert isinstance(app.screen, AuditScreen) and len(audit_rows(app)) == 2

    drive(app, walk)


def test_u_on_a_consequence_previews_the_whole_operation(console):
    app = console("anna.huber")
    # Kranich is standalone: MiTeam off revokes its 7 licenses (S8), entries #2-#8.
    app.session.apply(SetIntegration("a-kranich", "miteam", False))

    async def walk(pilot):
        await open_audit(pilot, app)
        top = audit_rows(app)[0].data
        assert top["operation"] == "license.consequence"
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert dialog.lines[0] == (f"#{top['seq']} followed from #1: the whole operation "
                                   "is reverted")
        assert dialog.users is not None and dialog.users.total() == 8  # MiTeam on + 7
        await pilot.press("right", "enter")
        await until(pilot, lambda: len(audit_rows(app)) == 8 + 8)
        assert all(stored(app, f"u-10{n}") for n in range(29, 36))

    drive(app, walk)


def test_u_refused_by_todays_rules_says_why_and_changes_nothing(console):
    app = console("anna.huber")
    s = app.session
    # Lindenhof holds 10 of 10: one switched off, another on in its place.
    on = [u["id"] for u in s.users("a-lindenhof") if u["licenses"]["miteam"]]
    off = [u["id"] for u in s.users("a-lindenhof") if not u["licenses"]["miteam"]]
    s.apply(SetLicense(on[0], "miteam", False))
    s.apply(SetLicense(off[0], "miteam", True))

    async def walk(pilot):
        await open_audit(pilot, app)
        await pilot.press("down")  # the switch-off, #1: switching back needs a license
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, WhyPanel))
        assert refusals(app)[-1] == "Refused: #1: Licenses not available"
        assert not stored(app, on[0]) and len(s.audit()) == 2
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AuditScreen))

    drive(app, walk)


def test_readonly_console_has_no_revert_key(console):
    app = console("anna.huber", readonly=True)
    app.session.apply(SetLicense("u-1036", "miteam", True))

    async def walk(pilot):
        await open_audit(pilot, app)
        await pilot.press("u")
        await until(pilot, lambda: bool(app.notices))
        assert app.notices[-1] == ("warning", "this console is read-only")
        assert isinstance(app.screen, AuditScreen) and stored(app, "u-1036")

    drive(app, walk)


def test_u_on_an_entry_without_an_inverse_says_so(console):
    app = console("anna.huber")
    app.session.apply(AssignOrder("ord-1006", "a-falkenstein"))

    async def walk(pilot):
        await open_audit(pilot, app)
        await pilot.press("u")
        await until(pilot, lambda: bool(refusals(app)))
        assert refusals(app)[-1] == ("entry #1 (order.assign) has no inverse operation: it "
                                     "cannot be reverted")
        assert isinstance(app.screen, AuditScreen) and len(app.session.audit()) == 1

    drive(app, walk)
