"""Marking users and switching them together in the console (issue 12), at 80x24: `m`
marks the user under the cursor, `M` every user the filter shows, space opens the core's
bulk preview with Cancel focused, and confirming applies the set as one bulk operation
decided user by user by the rules (S12 applies to the set)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.ops.actions import SetLicense
from rules.ops.session import Session
from rules.records.store import Store
from tui.app import Changed, ConsoleApp
from tui.marks import Marks
from tui.screens import AccountScreen, WhyPanel
from tui.screens.bulk import BulkDialog

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
    why_text,
)

# Kranich Logistik (a-kranich, markus.weber's account): 15 licenses, 7 assigned. With
# five more switched on first, 3 are left, and these six users are OFF.
SWITCHED_FIRST = ["u-1036", "u-1037", "u-1038", "u-1039", "u-1040"]
OFF = ["u-1041", "u-1042", "u-1043", "u-1044", "u-1045", "u-1046"]
KRANICH_OFF = ["u-1036", "u-1037", "u-1038", "u-1039", "u-1040", *OFF]


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    yield from consoles(demo_db, monkeypatch)


def three_left(app: ConsoleApp) -> None:
    for user in SWITCHED_FIRST:
        app.session.apply(SetLicense(user, "miteam", True))
    assert app.session.account("a-kranich")["licenses"]["miteam"]["available"] == 3


async def mark_rows(pilot, count: int) -> None:
    """`m` on this row and the next `count - 1`."""
    for n in range(count):
        if n:
            await pilot.press("down")
        await pilot.press("m")
    await pilot.pause()


async def mark_all(pilot, app: ConsoleApp) -> None:
    """`M`, until it says what it marked (the core answers in a worker)."""
    said = len(app.notices)
    await pilot.press("M")
    await until(pilot, lambda: len(app.notices) > said)


async def open_preview(pilot, app: ConsoleApp) -> BulkDialog:
    await pilot.press("space")
    await until(pilot, lambda: isinstance(app.screen, BulkDialog))
    return app.screen


def marks(app: ConsoleApp) -> Marks:
    assert isinstance(app.place, AccountScreen)
    marked = users_table(app).marks
    assert isinstance(marked, Marks)
    return marked


def test_s12_bulk_five_marked_three_left_three_switch_two_refused(console, snapshot):
    app = console("markus.weber")
    three_left(app)
    changes: list[Changed] = []
    app.observers.append(changes.append)
    before = len(app.session.audit(limit=None))

    async def walk(pilot):
        await find(pilot, "state:off")
        assert [r.key for r in rows(users_table(app))] == OFF
        await mark_rows(pilot, 5)
        assert marks(app).ids == OFF[:5]
        dialog = await open_preview(pilot, app)
        assert app.focused is not None and app.focused.id == "cancel"
        assert dialog.lines == [
            "preview of 5 users' licenses:",
            "  3 users: would switch  (rule s10_switch_standalone)",
            "  2 users: refused: Licenses not available  (rule s12_no_license_left)"]
        snap(snapshot, app, "bulk_preview_s12.txt")
        await pilot.press("down", "down", "down", "w")  # why is u-1044 refused?
        await until(pilot, lambda: isinstance(app.screen, WhyPanel))
        assert "s12_no_license_left" in why_text(app)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, BulkDialog))
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("right", "enter")  # to "Switch ON", confirm
        await until(pilot, lambda: not isinstance(app.screen, BulkDialog)
                    and len(changes) == 5)
        assert [stored(app, u) for u in OFF] == [True, True, True, False, False, False]
        assert len(app.session.audit(limit=None)) == before + 3
        assert app.notices[-1] == (
            "warning", "Done: 3 switched ON; 2 refused: Licenses not available")
        # One Changed per user, as a recorder writes them: 3 applied, 2 refused by S12.
        assert [c.action.user for c in changes] == OFF[:5]
        assert [c.outcome is not None for c in changes] == [True] * 3 + [False] * 2
        assert {c.rule for c in changes[3:]} == {"s12_no_license_left"}
        # The marks are spent; the list shows the users still OFF.
        assert len(marks(app)) == 0
        assert "marked" not in str(users_table(app).border_title)
        assert "Done: 3 switched ON" in screen(app)

    drive(app, walk)


def test_bulk_preview_cancel_has_the_focus_and_changes_nothing(console):
    app = console("markus.weber")
    before = len(app.session.audit(limit=None))

    async def walk(pilot):
        await find(pilot, "state:off")
        await mark_rows(pilot, 2)
        await open_preview(pilot, app)
        assert app.focused is not None and app.focused.id == "cancel"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        assert [stored(app, u) for u in KRANICH_OFF[:2]] == [False, False]
        assert len(app.session.audit(limit=None)) == before
        assert marks(app).ids == KRANICH_OFF[:2]  # kept for another look

    drive(app, walk)


def test_M_marks_only_the_users_the_state_off_filter_shows_and_again_unmarks(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "kranich")
        assert isinstance(app.screen, AccountScreen)
        await find(pilot, "state:off")
        await mark_all(pilot, app)
        assert marks(app).ids == KRANICH_OFF
        assert "· 11 marked" in str(users_table(app).border_title)
        await pilot.press("escape")  # the filter goes; the marks stay, on the rows marked
        await pilot.pause()
        table = users_table(app)
        assert table.total == 18
        assert [r.key for r in rows(table) if r.key in table.marks] == KRANICH_OFF
        await find(pilot, "state:off")
        await mark_all(pilot, app)
        assert len(marks(app)) == 0
        await find(pilot, "nobody-is-called-this")
        await mark_all(pilot, app)
        assert app.notices[-1] == ("warning", "The filter shows no user to mark")

    drive(app, walk)


def test_marks_show_as_a_sign_without_colour_and_count_in_the_title(
        console, snapshot, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = console("markus.weber")

    async def walk(pilot):
        await mark_rows(pilot, 3)
        await pilot.press("m")  # again on the third: unmarked
        await pilot.press("down", "down", "m")
        await pilot.pause()
        text = screen(app)
        assert "Users (18) · 3 marked" in text
        marked = [line for line in text.splitlines() if "✓" in line]
        assert len(marked) == 3 and "Maximilian Schwarz" in marked[-1]
        snap(snapshot, app, "bulk_marked_list.txt")

    drive(app, walk)


def test_bulk_preview_offers_off_for_users_all_on_and_o_flips_it(console):
    app = console("markus.weber")

    async def walk(pilot):
        await mark_rows(pilot, 2)  # u-1029, u-1030: both ON
        dialog = await open_preview(pilot, app)
        assert "licenses of 2 marked users OFF?" in dialog.title_text
        assert dialog.query("#confirm")
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, BulkDialog)
                    and app.screen is not dialog)
        flipped = app.screen
        assert "ON?" in flipped.title_text
        assert flipped.lines[1:] == ["  2 users: unchanged  (rule s10_switch_standalone)"]
        assert not flipped.query("#confirm")  # nothing to confirm
        assert "nothing to confirm" in screen(app)

    drive(app, walk)


def test_readonly_console_marks_but_its_preview_says_nothing_can_be_changed(console):
    app = console("markus.weber", readonly=True)

    async def walk(pilot):
        await find(pilot, "state:off")
        await mark_rows(pilot, 2)
        dialog = await open_preview(pilot, app)
        assert dialog.lines[1:] == ["  2 users: would switch  (rule s10_switch_standalone)"]
        assert not dialog.query("#confirm")
        assert "This console is read-only: nothing can be changed." in screen(app)
        await pilot.press("enter")  # Close
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        assert [stored(app, u) for u in KRANICH_OFF[:2]] == [False, False]

    drive(app, walk)


def test_a_stale_bulk_preview_is_refused_and_changes_nothing(console, demo_db: Path):
    """The preview said 2 would switch; before confirming, another console takes one of
    the two: the set would now go otherwise, so the core refuses it whole."""
    app = console("markus.weber")

    async def walk(pilot):
        await find(pilot, "state:off")
        await mark_rows(pilot, 2)
        await open_preview(pilot, app)
        other = Store(demo_db)
        try:
            Session(other, RuleSet.load(), "anna.huber").apply(
                SetLicense(KRANICH_OFF[0], "miteam", True))
        finally:
            other.close()
        await pilot.press("right", "enter")
        await until(pilot, lambda: isinstance(app.screen, AccountScreen))
        (notice,) = refusals(app)
        assert "changed after the preview" in notice
        assert stored(app, KRANICH_OFF[1]) is False
        assert marks(app).ids == KRANICH_OFF[:2]

    drive(app, walk)


def test_german_bulk_preview(console, snapshot):
    app = console("markus.weber", lang="de")
    three_left(app)

    async def walk(pilot):
        # No filter here: the first OFF user is the 13th row.
        await pilot.press(*["down"] * 12)
        await mark_rows(pilot, 5)
        assert marks(app).ids == OFF[:5]
        assert "· 5 markiert" in str(users_table(app).border_title)
        await open_preview(pilot, app)
        text = screen(app)
        assert "2 Benutzer: abgelehnt: Lizenzen nicht verfügbar" in text
        assert "Abbrechen" in text
        snap(snapshot, app, "bulk_preview_de.txt")

    drive(app, walk)


def test_long_previews_scroll_and_show_the_total(console):
    app = console("anna.huber")

    async def walk(pilot):
        await open_row(pilot, "kranich")
        await mark_all(pilot, app)  # all 18
        dialog = await open_preview(pilot, app)
        assert "18 users (↑ ↓ scroll)" in screen(app)
        table = dialog.table
        for _ in range(17):
            await pilot.press("down")
        await pilot.pause()
        assert table.current is not None and table.current.key == "u-1046"
        assert "u-1046" in screen(app)
        assert app.focused is not None and app.focused.id == "cancel"

    drive(app, walk)


def test_help_lists_the_marking_keys_in_both_languages(console):
    for lang, group, mark in (("en", "Many users at once", "mark or unmark the selected user"),
                              ("de", "Viele Benutzer zugleich", "den gewählten Benutzer")):
        app = console("markus.weber", lang=lang)

        async def walk(pilot, app=app, group=group, mark=mark):
            await pilot.press("question_mark")
            await pilot.pause()
            text = str(app.screen.body())
            section = text[text.index(group):]
            assert f"  m             {mark}" in section
            assert "  M " in section and "  space " in section

        drive(app, walk)


def test_marks_keep_the_order_marked_and_M_twice_unmarks_only_those_shown():
    marks = Marks()
    assert marks.toggle("u-3") and marks.toggle("u-1")
    assert marks.toggle_all(["u-1", "u-2"]) is True
    assert marks.ids == ["u-3", "u-1", "u-2"]  # the bulk switch decides them in this order
    assert marks.toggle_all(["u-1", "u-2"]) is False
    assert marks.ids == ["u-3"]
    assert marks.toggle("u-3") is False and not marks


def test_a_recorded_bulk_switch_is_one_step_per_user_and_replays(demo_db, tmp_path, miteam,
                                                                   monkeypatch):
    """`miteam tui --record`: the bulk switch is written as the steps it was, one per user
    in the order marked (each decided alone, S12 included), and the scenario holds."""
    from .test_replay import record

    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    path = tmp_path / "bulk.scenario"
    app, _ = record(demo_db, "markus.weber", path)

    async def walk(pilot):
        await find(pilot, "state:off")
        await mark_all(pilot, app)
        await open_preview(pilot, app)
        await pilot.press("right", "enter")
        await until(pilot, lambda: not isinstance(app.screen, BulkDialog)
                    and not users_table(app).marks)

    drive(app, walk)
    steps = path.read_text(encoding="utf-8").splitlines()
    start = steps.index("as markus.weber")
    assert steps[start + 1:] == [
        *(f"license set {u} miteam on" for u in KRANICH_OFF[:8]),
        *(line for u in KRANICH_OFF[8:] for line in (
            f"license set {u} miteam on", "  expect refused by s12_no_license_left")),
    ]
    result = miteam("scenario", "run", str(path), json_out=False)
    assert result.code == 0, result.out + result.err
