"""Scenario playback in the console: `miteam tui --replay FILE` steps through a scenario
on the screens a person would use (next, back, to the end), and `miteam tui --record FILE`
writes a console session as a scenario that replays to the same records (round trip).

Screens at 80x24 are text snapshots in tests/snapshots/replay/ (the clock is pinned);
accept a change with --snapshot-update only after reading the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.engine.reload import RuleSource
from rules.engine.ruleset import RuleSet
from rules.ops import outcome
from rules.ops.session import Session
from rules.paths import SCENARIOS_DIR
from rules.records.store import Store, records
from rules.scenario import Player, parse, parse_file, run
from rules.scenario.recording import Recording, is_demo
from tui.app import ConsoleApp
from tui.record import Recorder, RecordingConsole
from tui.replay import ReplayApp, ReplayBar, place_of
from tui.screens import (
    AccountScreen,
    AssignDialog,
    ConfirmDialog,
    OrdersScreen,
    UserScreen,
    WhyPanel,
)
from tui.widgets import ResourceTable

from .test_scases_in_console import NOW, ROOT, crumbs, drive, find, open_row, screen

SNAPSHOTS = ROOT / "tests" / "snapshots" / "replay"
S8 = SCENARIOS_DIR / "s08_miteam_off_after_micollab_off.scenario"


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.load()


@pytest.fixture(autouse=True)
def _steady(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)  # rule files cited as rules/policy/...
    monkeypatch.setattr(outcome, "now", lambda: NOW)  # audit times on screen
    monkeypatch.setattr(ConsoleApp, "NOTIFICATION_TIMEOUT", 600)


def snap(snapshot, app: ConsoleApp, name: str) -> None:
    snapshot.snapshot_dir = SNAPSHOTS
    snapshot.assert_match(screen(app), name)


def bar(app: ConsoleApp) -> str:
    return str(app.screen.query_one(ReplayBar).body)


def stored(player: Player, user: str) -> bool:
    return player.store.read().get("users", user)["licenses"]["miteam"]


def state(recs: dict) -> dict:
    """The records a rule reads, without the clock (when an order was added or assigned)."""
    return {table: {d["id"]: {k: v for k, v in d.items() if k not in ("created", "assigned_at")}
                    for d in recs[table]}
            for table in ("partners", "accounts", "users", "orders")}


# Replay ----------------------------------------------------------------------------------


def test_replay_walks_s8_step_by_step_on_the_screens_a_person_uses(rules, snapshot):
    player = Player(parse_file(S8), rules)
    app = ReplayApp(player)
    expected = run(parse_file(S8), rules)

    async def walk(pilot):
        assert app.screen.query_one(ReplayBar).border_title.startswith("Replay 0/5 · S8")
        assert "next: step 1 as anna.huber: integration set a-kranich miteam off" in bar(app)
        await pilot.press("n")
        await pilot.pause()
        # An integration: the account information, as the step's operator, its row chosen.
        assert isinstance(app.screen, AccountScreen)
        assert crumbs(app) == ("Accounts", "Kranich Logistik GmbH")
        assert app.operator["id"] == "anna.huber"
        integrations = app.screen.query_one("#integrations", ResourceTable)
        assert app.screen.focused is integrations and integrations.current.key == "miteam"
        snap(snapshot, app, "s08_step1_account.txt")
        await pilot.press("n", "n")
        await pilot.pause()
        # Another operator: their own way in; a license: the user's form.
        assert app.operator["id"] == "james.cole"
        assert isinstance(app.screen, UserScreen) and app.screen.user_id == "u-1079"
        assert crumbs(app) == ("Accounts", "Harbour Freight Ltd", "Lily Thompson")
        snap(snapshot, app, "s08_step3_user.txt")
        assert stored(player, "u-1079") is False
        await pilot.press("p")  # back: the records as before step 3
        await pilot.pause()
        assert player.index == 2 and stored(player, "u-1079") is True
        assert isinstance(app.screen, AccountScreen) and "Replay 2/5" in \
            app.screen.query_one(ReplayBar).border_title
        await pilot.press("l")  # the transcript so far
        await pilot.pause()
        assert isinstance(app.screen, WhyPanel)
        assert app.screen.sections[0][1][0] == expected.reports[0].lines[0]
        await pilot.press("escape", "G")  # a panel on top keeps the keys: close it first
        await pilot.pause()
        assert player.finished
        assert "result: 5 steps, 15 expectations, all hold" in bar(app)
        snap(snapshot, app, "s08_end.txt")
        await pilot.press("n")
        await pilot.pause()
        assert app.notices[-1] == ("warning", "The scenario has no more steps (p: back a step)")

    drive(app, walk)
    # The console played the same steps as `miteam scenario run`: the same transcript.
    assert [r.lines for r in player.reports] == [r.lines for r in expected.reports]
    assert not [n for n in app.notices if n[0] == "error"]
    player.close()


def test_a_replay_console_changes_nothing_of_its_own(rules):
    player = Player(parse_file(S8), rules)
    app = ReplayApp(player)

    async def walk(pilot):
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert isinstance(app.screen, UserScreen)
        await pilot.press("space")  # no switch key in a replay
        await pilot.pause()
        assert stored(player, "u-1079") is False and player.index == 3
        actions = {b.action for _, b in app.screen._bindings} | \
            {b.action for _, b in app._bindings}
        assert "switch" not in actions and "replay_next" in actions
        footer = screen(app).splitlines()[-1]
        assert "n Next" in footer and "p Prev" in footer and "G End" in footer
        await pilot.press("question_mark")
        await pilot.pause()
        text = app.screen.body().plain
        assert "on a temporary database (never yours)" in text
        assert "G             replay: run every remaining step" in text

    drive(app, walk)
    player.close()


def test_a_failing_expectation_is_shown_in_the_bar(rules, tmp_path, snapshot):
    path = tmp_path / "wrong.scenario"
    path.write_text(
        'scenario "S12: a wrong expectation"\nstart demo\n\nas anna.huber\n'
        "license set u-1047 miteam off\n"
        "  expect account a-lindenhof licenses available 5\n"
        "license set u-1057 miteam on\n", encoding="utf-8")
    player = Player(parse_file(path), rules)
    app = ReplayApp(player)

    async def walk(pilot):
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, UserScreen) and app.screen.user_id == "u-1047"
        text = bar(app)
        assert "1 of 2 expectations FAIL" in text
        assert ("FAIL  expect account a-lindenhof licenses available 5 (line 6): expected "
                "licenses available 5, got licenses total 10 assigned 9 available 1") in text
        snap(snapshot, app, "failing_expectation.txt")
        await pilot.press("G")
        await pilot.pause()
        assert "1 failed: step 1 (line 6)" in bar(app)

    drive(app, walk)
    player.close()


def test_each_step_goes_where_a_person_would_make_it():
    # `as` starts a new step: the expectations after it are a step of checks alone.
    sc = parse('scenario "places"\nstart demo\n'
               "license set u-1 miteam on\nmicollab set u-1 miteam off\n"
               "integration set a-1 miteam off\norder assign o-1 a-1\n"
               'order add o-2 partner p-1 quantity 3\nuser add u-2 account a-1 name "U"\n'
               'account add a-2 partner p-1 name "A"\npartner add p-2 name "P"\n'
               "as x\nexpect user u-1 stored on\nas y\nexpect account a-1 miteam on\n"
               "as x\nexpect order o-1 state assigned\nas y\nexpect sees accounts none\n",
               "p.scenario")
    assert [place_of(s) for s in sc.steps] == [
        ("user", "u-1"), ("user", "u-1"), ("account", "a-1"), ("orders", "o-1"),
        ("orders", "o-2"), ("account", "a-1"), ("accounts", "p-1"), ("home", None),
        ("user", "u-1"), ("account", "a-1"), ("orders", "o-1"), ("home", None)]
    assert place_of(None) == ("home", None)


def test_replay_shows_an_account_admin_their_dashboard_and_no_orders(rules):
    player = Player(parse_file(SCENARIOS_DIR / "s11_account_admin_scope.scenario"), rules)
    app = ReplayApp(player)

    async def walk(pilot):
        await pilot.press("n")  # checks what markus.weber sees: at his dashboard
        await pilot.pause()
        assert app.operator["role"] == "account_admin"
        assert isinstance(app.screen, AccountScreen) and app.screen.dashboard
        assert crumbs(app) == ("Dashboard",)
        # `o` stays bound only to say why not: neither the footer nor help offers it.
        assert "o" not in {b.key for _, b in app._bindings if b.show}
        assert not app.has_orders
        await pilot.press("G")  # the last steps are anna.huber's: a partner has orders
        await pilot.pause()
        assert player.finished and all(r.passed for r in player.reports)
        assert app.operator["id"] == "anna.huber" and app.has_orders

    drive(app, walk)
    player.close()


def test_a_change_of_operator_never_shows_a_place_as_the_wrong_one(rules):
    """S3 goes anna.huber (a user of her customer) → james.cole (his own customer): her
    places close before his session opens, so no place reloads as him and is refused."""
    player = Player(parse_file(SCENARIOS_DIR / "s03_account_orders.scenario"), rules)
    app = ReplayApp(player)

    async def walk(pilot):
        await pilot.press("n", "n", "n")
        await pilot.pause()
        assert app.operator["id"] == "james.cole" and isinstance(app.screen, AccountScreen)

    drive(app, walk)
    assert player.index == 3 and all(r.passed for r in player.reports)
    assert app.notices == []
    player.close()


def test_an_unregistered_operator_is_shown_as_support_and_the_step_refused(rules, tmp_path):
    path = tmp_path / "ghost.scenario"
    path.write_text('scenario "ghost"\nstart demo\nas ghost\nlicense set u-1047 miteam off\n'
                    "  expect refused\n", encoding="utf-8")
    player = Player(parse_file(path), rules)
    app = ReplayApp(player)

    async def walk(pilot):
        await pilot.press("n")
        await pilot.pause()
        assert app.operator["id"] == "support"
        assert ("warning", "ghost is not registered here: shown as support") in app.notices
        assert "refused: " in bar(app) and "1 expectation holds" in bar(app)

    drive(app, walk)
    assert player.reports[0].passed
    player.close()


# Recording --------------------------------------------------------------------------------


def record(db: Path, operator: str, path: Path) -> tuple[RecordingConsole, Recording]:
    store = Store(db)
    source = RuleSource(None)
    session = Session(store, source.current, operator, "en")
    recording = Recording(records(store.read()), operator)
    app = RecordingConsole(session, rules=source, poll_interval=None)
    Recorder(app, recording, path)
    return app, recording


async def anna_works(pilot, app: ConsoleApp) -> None:
    """Licenses, an integration (confirmed), an assignment, a refusal: by keyboard."""
    await open_row(pilot, "lindenhof")
    await find(pilot, "u-1047")
    await pilot.press("space")  # Lindenhof is full: one off ...
    await pilot.press("escape")  # the filter
    await find(pilot, "u-1057")
    await pilot.press("space")  # ... lets another on
    await pilot.pause()
    app.open_account("a-kranich")
    await pilot.pause()
    await pilot.press("tab", "down", "space")  # MiTeam integration off: asks first
    await pilot.pause()
    assert isinstance(app.screen, ConfirmDialog)
    await pilot.press("right", "enter")
    await pilot.pause()
    app.open_orders()
    await pilot.pause()
    assert isinstance(app.screen, OrdersScreen)
    await find(pilot, "ord-1006")
    await pilot.press("a", *"Kranich", "enter")
    await pilot.pause()
    assert isinstance(app.screen, AssignDialog)
    await pilot.press("enter")
    await pilot.pause()
    app.open_user("u-1001")  # MiCollab manages Bergmann's licenses: refused
    await pilot.pause()
    await pilot.press("space")
    await pilot.pause()


def test_a_recorded_console_session_replays_to_the_same_records(demo_db, tmp_path, rules,
                                                                miteam):
    path = tmp_path / "session.scenario"
    app, recording = record(demo_db, "anna.huber", path)

    async def walk(pilot):
        assert app.screen.query_one("#topbar").markers == ("REC",)
        await anna_works(pilot, app)

    drive(app, walk)
    text = path.read_text(encoding="utf-8")
    assert "\nstart demo\n" in text and "given" not in text
    assert text.splitlines()[-7:] == [
        "as anna.huber",
        "license set u-1047 miteam off",
        "license set u-1057 miteam on",
        "integration set a-kranich miteam off",
        "order assign ord-1006 a-kranich",
        "license set u-1001 miteam off",
        "  expect refused by s4_micollab_manages",
    ]
    store = Store(demo_db)
    recorded = state(records(store.read()))
    store.close()
    assert recorded["users"]["u-1057"]["licenses"]["miteam"] is True

    # Headless: `miteam scenario run FILE` holds every expectation.
    result = miteam("scenario", "run", str(path), json_out=False)
    assert result.code == 0, result.out + result.err
    assert "result: 5 steps, 5 expectations, all hold" in result.out

    # In the console: to the end, and the same records as the session that was recorded.
    player = Player(parse_file(path), rules)
    replay = ReplayApp(player)

    async def to_end(pilot):
        await pilot.press("G")
        await pilot.pause()

    drive(replay, to_end)
    assert player.finished and all(r.passed for r in player.reports)
    assert state(records(player.store.read())) == recorded
    player.close()


def test_a_recording_from_another_database_gives_the_records_its_steps_read(
        demo_db, tmp_path, rules, miteam):
    assert miteam("license", "set", "u-1047", "miteam", "off").code == 0  # no longer the demo
    path = tmp_path / "elsewhere.scenario"
    app, recording = record(demo_db, "anna.huber", path)
    assert not recording.demo

    async def walk(pilot):
        app.open_user("u-1057")
        await pilot.pause()
        await pilot.press("space")  # the seat u-1047 freed
        await pilot.pause()

    drive(app, walk)
    text = path.read_text(encoding="utf-8")
    assert "\nstart empty\n" in text
    assert "given user u-1047 account a-lindenhof name \"Leon Richter\" email " \
           "leon.richter@lindenhof.de miteam off set-by operator" in text
    assert "given operator anna.huber role partner partner p-alpen" in text
    store = Store(demo_db)
    recorded = state(records(store.read()))
    store.close()
    with Player(parse_file(path), rules) as player:
        player.run_to_end()
        assert all(r.passed for r in player.reports)
        replayed = state(records(player.store.read()))
    assert replayed["users"]  # the account's users, and nothing outside what it read
    assert set(replayed["accounts"]) == {"a-lindenhof"}
    for table, docs in replayed.items():
        assert {k: recorded[table][k] for k in docs} == docs


def test_is_demo_ignores_registered_operators_and_the_audit(demo_db, miteam):
    store = Store(demo_db)
    assert is_demo(records(store.read()))  # `tester` registered on creation
    store.close()
    miteam("license", "set", "u-1047", "miteam", "off")
    miteam("license", "set", "u-1047", "miteam", "on")  # back as it was: audit only
    store = Store(demo_db)
    assert is_demo(records(store.read()))
    store.close()
    miteam("license", "set", "u-1047", "miteam", "off")
    store = Store(demo_db)
    assert not is_demo(records(store.read()))
    store.close()


# The command's refusals, before any screen opens ---------------------------------------------


def test_replay_and_record_refuse_bad_input_with_one_message(miteam, tmp_path):
    r = miteam("tui", "--replay", "no-such-scenario", json_out=False)
    assert r.code == 2 and "no-such-scenario" in r.err
    broken = tmp_path / "broken.scenario"
    broken.write_text('scenario "x"\nstart demo\nlicense set u-1047 miteam maybe\n',
                      encoding="utf-8")
    r = miteam("tui", "--replay", str(broken), json_out=False)
    assert r.code == 2 and "broken.scenario:3:" in r.err and "Traceback" not in r.err
    r = miteam("tui", "--replay", "s08_miteam_off_after_micollab_off", "--record",
               str(tmp_path / "x.scenario"), json_out=False)
    assert r.code == 2 and "cannot go together" in r.err
    r = miteam("tui", "--record", str(broken), json_out=False)
    assert r.code == 2 and "exists already" in r.err
    r = miteam("tui", "--readonly", "--record", str(tmp_path / "new.scenario"),
               json_out=False)
    assert r.code == 2 and "leave out --readonly" in r.err
    r = miteam("tui", "--record", str(tmp_path / "no" / "dir.scenario"), json_out=False)
    assert r.code == 2 and "cannot write" in r.err
    assert not (tmp_path / "new.scenario").exists()


def test_a_replay_whose_start_does_not_hold_says_where(miteam, tmp_path):
    (tmp_path / "first.scenario").write_text(
        'scenario "first"\nstart demo\nexpect user u-1047 stored off\n', encoding="utf-8")
    second = tmp_path / "second.scenario"
    second.write_text('scenario "second"\nstart after first\n', encoding="utf-8")
    r = miteam("tui", "--replay", str(second), json_out=False)
    assert r.code == 1 and "second.scenario:2:1" in r.err
