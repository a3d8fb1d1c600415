"""The console on PostgreSQL: another host's commit shows up at once (LISTEN/NOTIFY, no
key, no poll), and a dropped connection is a visible notice, then a reconnection."""

from __future__ import annotations

import pytest

from rules.engine.reload import RuleSource
from rules.engine.ruleset import RuleSet
from rules.ops.actions import SetLicense
from rules.ops.session import Session
from rules.records.postgres import PgStore
from tui.app import ConsoleApp

from .test_scases_in_console import ROOT, drive, find, rows, until, users_table


@pytest.fixture
def pg_console(pg_server, monkeypatch: pytest.MonkeyPatch):
    from tests.backends import DEMO

    monkeypatch.chdir(ROOT)
    url = pg_server.fresh(DEMO)
    store = PgStore(url)
    source = RuleSource(None)
    # A poll an hour apart: whatever shows up sooner came by notification.
    app = ConsoleApp(Session(store, source.current, "anna.huber"), rules=source,
                     poll_interval=3600)
    yield app, url
    store.close()
    pg_server.drop(url)


def test_another_hosts_commit_shows_up_at_once(pg_console):
    app, url = pg_console

    async def walk(pilot):
        app.open_account("a-kranich")
        await pilot.pause()
        await find(pilot, "u-1036")
        assert str(rows(users_table(app))[0].cells[3]) == "OFF"
        with PgStore(url) as other:  # another licensing host's console
            Session(other, RuleSet.load(), "markus.weber").apply(
                SetLicense("u-1036", "miteam", True))
        await until(pilot, lambda: str(rows(users_table(app))[0].cells[3]) == "ON")

    drive(app, walk)


def test_a_dropped_connection_is_a_notice_and_the_console_reconnects(pg_console, pg_server):
    app, url = pg_console
    name = url.split("/")[3].split("?")[0]

    async def walk(pilot):
        app.open_account("a-kranich")
        await pilot.pause()
        await until(pilot, lambda: app.session.store._listener.online)
        pg_server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                      f"datname = '{name}' AND application_name = 'miteam-listen'")
        await until(pilot, lambda: any("cannot be reached" in text
                                       for _, text in app.notices))
        await until(pilot, lambda: any(text.startswith("Connected to PostgreSQL")
                                       for _, text in app.notices))
        await find(pilot, "u-1036")  # and it works as before
        assert str(rows(users_table(app))[0].cells[3]) == "OFF"

    drive(app, walk)
