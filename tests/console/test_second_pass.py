"""The console's second pass (issue 13): lists that fit, filters by state, a status line
instead of toasts, no silent keys, and a console that follows the rules' answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.ops.session import Session
from rules.records.store import Store

from .test_console import big_database
from .test_scases_in_console import (
    consoles,
    drive,
    find,
    open_row,
    rows,
    screen,
    snap,
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
