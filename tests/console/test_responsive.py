"""Keys never wait for the core (issue 13): a place's list and a sweeping change's preview
are asked in workers; the list shows that it is loading, then its rows; keys work
meanwhile. The core is held at a gate here, so each state is seen for certain (no sleeps,
no timing)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from rules.ops.session import Session
from tui.screens import AccountScreen, ConfirmDialog, HelpScreen
from tui.widgets import ResourceTable

from .test_scases_in_console import (
    consoles,
    drive,
    palette_prompts,
    screen,
    stored,
    until,
    users_table,
)


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    yield from consoles(demo_db, monkeypatch)


class Gate:
    """Holds every call of `Session.<name>` until opened (or 20 s: a hang fails, never
    blocks the suite)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str,
                 when=lambda *a, **k: True) -> None:
        self.opened = threading.Event()
        self.waiting = threading.Event()
        real = getattr(Session, name)

        def held(session, *args, **kwargs):
            if when(*args, **kwargs) and not self.opened.is_set():
                self.waiting.set()
                assert self.opened.wait(20), "the gate was never opened"
            return real(session, *args, **kwargs)

        monkeypatch.setattr(Session, name, held)

    def open(self) -> None:
        self.opened.set()


def loading(app, selector: str) -> bool:
    """The list says it is loading, in words."""
    return bool(app.screen.query_one(selector).loading) and "Loading …" in screen(app)


def test_an_accounts_users_show_loading_then_their_rows_and_keys_work_meanwhile(
        console, monkeypatch: pytest.MonkeyPatch):
    app = console("anna.huber")
    gate = Gate(monkeypatch, "users_page")

    async def walk(pilot):
        app.open_account("a-kranich")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen)
                    and gate.waiting.is_set())
        assert loading(app, "#users") and app.working
        assert "u-1029" not in screen(app)
        # The keys answer while the core is busy: help opens and closes.
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        assert app.working
        gate.open()
        await until(pilot, lambda: users_table(app).total > 0)
        await until(pilot, lambda: not app.screen.query_one("#users").loading)
        await until(pilot, lambda: "u-1029" in screen(app))
        assert "u-1029" in screen(app) and "Users (18)" in screen(app)
        assert "Loading" not in screen(app)

    drive(app, walk)


def test_a_reload_keeps_the_rows_on_screen_until_the_new_ones_come(
        console, monkeypatch: pytest.MonkeyPatch):
    """After the first answer, a reload (another console's commit, a change) shows no
    loading indicator over the list: the rows stay until the new ones come."""
    app = console("anna.huber")

    async def walk(pilot):
        app.open_account("a-kranich")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen)
                    and users_table(app).total == 18 and not app.working)
        gate = Gate(monkeypatch, "users_page")
        app.reload_place()
        await until(pilot, gate.waiting.is_set)
        assert not app.screen.query_one("#users").loading
        assert "u-1029" in screen(app)
        gate.open()
        await until(pilot, lambda: not app.working)

    drive(app, walk)


def test_the_s8_preview_is_worked_out_in_a_worker_then_asked(
        console, monkeypatch: pytest.MonkeyPatch):
    """Space on the MiTeam integration: the dry run runs in a worker (the keys still
    move the cursor), then the confirmation opens with what it will do."""
    app = console("anna.huber")

    async def walk(pilot):
        app.open_account("a-kranich")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen)
                    and users_table(app).total == 18 and not app.working)
        gate = Gate(monkeypatch, "apply", when=lambda *a, **k: k.get("dry_run"))
        integrations = app.screen.query_one("#integrations", ResourceTable)
        integrations.focus()
        await pilot.press("down", "space")
        await until(pilot, gate.waiting.is_set)
        assert not isinstance(app.screen, ConfirmDialog) and app.working
        await pilot.press("up")  # the cursor moves while the core works
        await until(pilot, lambda: integrations.cursor == 0)
        gate.open()
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        # The row the key was pressed on, not the one the cursor moved to since.
        await until(pilot, lambda: "7 MiTeam Meetings licenses will be switched off"
                    in " ".join(screen(app).split()))

    drive(app, walk)


def test_the_palette_searches_users_in_a_worker_and_keys_keep_coming(
        console, monkeypatch: pytest.MonkeyPatch):
    """While the core looks for users (a page of each account), what the operator types
    still lands in the palette; the users come when the core answers."""
    app = console("anna.huber")

    async def walk(pilot):
        await until(pilot, lambda: not app.working)
        gate = Gate(monkeypatch, "users_page", when=lambda *a, **k: "cl" in a)
        await pilot.press("ctrl+p", "c", "l")
        await until(pilot, gate.waiting.is_set)
        await pilot.press("a", "r", "a")  # typed while the search for "cl" waits
        palette = app.screen.query_one("CommandInput")
        await until(pilot, lambda: palette.value == "clara")
        gate.open()
        await until(pilot, lambda: any("Clara Becker (u-1036)" in h
                                       for h in palette_prompts(app)))

    drive(app, walk)


def test_a_failed_load_says_why_and_leaves_no_spinner(
        console, demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    from rules.records.store import StoreError

    app = console("anna.huber")

    def broken(session, *args, **kwargs):
        raise StoreError(f"{demo_db}: the store is closed", demo_db)

    async def walk(pilot):
        await until(pilot, lambda: not app.working)
        monkeypatch.setattr(Session, "users_page", broken)
        app.open_account("a-kranich")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen)
                    and not app.working and app.notices)
        assert app.notices[-1] == ("error", f"{demo_db}: the store is closed")
        assert "Loading" not in screen(app)

    drive(app, walk)


def test_the_session_answers_one_call_at_a_time():
    """A worker's read never runs inside another thread's dry run (the store is a live
    window that a dry run changes and rolls back): calls through `serialized` never
    overlap, and attributes read and set through."""
    import time
    from concurrent.futures import ThreadPoolExecutor

    from tui.serial import serialized

    class Core:
        rules = "old"

        def __init__(self) -> None:
            self.inside = 0
            self.most = 0

        def call(self, n: int) -> int:
            self.inside += 1
            self.most = max(self.most, self.inside)
            time.sleep(0)  # let the other threads try to come in
            self.inside -= 1
            return n

    core = Core()
    session = serialized(core)
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(session.call, range(40))) == list(range(40))
    assert core.most == 1
    session.rules = "new"
    assert core.rules == "new" and session.rules == "new"
    assert serialized(session) is session


def test_space_on_two_users_in_quick_succession_switches_both(console):
    """Each key press is a change of its own: the second preview does not cancel the
    first."""
    app = console("anna.huber")

    async def walk(pilot):
        app.open_account("a-kranich")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen)
                    and users_table(app).total == 18 and not app.working)
        table = users_table(app)
        table.cursor = table.source.index_of("u-1036")
        app.screen.action_switch()
        table.cursor = table.source.index_of("u-1037")
        app.screen.action_switch()
        await until(pilot, lambda: not app.working
                    and sum("ON" in text for _, text in app.notices) >= 2)

    drive(app, walk)
    assert stored(app, "u-1036") and stored(app, "u-1037")
