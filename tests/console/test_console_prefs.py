"""Issue 13 (what Textual users expect): a user keymap file moves keys by their binding
ids and a bad one is named (file and line) while the console starts with its own keys;
`miteam tui --theme NAME` picks a Textual theme; the console's logging goes to Textual's
log handler and to the log file (the store's "compaction postponed" warning included)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from rules.cli import logsetup
from rules.records.store import files as F
from tui import prefs
from tui.screens import HelpScreen, UserScreen, WhyPanel

from .test_scases_in_console import consoles, drive, screen, until


@pytest.fixture
def console(demo_db: Path, monkeypatch: pytest.MonkeyPatch):
    yield from consoles(demo_db, monkeypatch)
    prefs.choose_theme(None, "en")


def keymap(text: str) -> Path:
    path = prefs.keymap_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("text", ['[keys]\n"miteam.why" = "y"\n',
                                  '[keys]\nmiteam.why = "y"  # a dotted key, unquoted\n',
                                  '[keys]\nwhy = "y"\n'])
def test_a_remapped_key_works_and_the_old_one_does_not(console, text):
    keymap(text)
    app = console("anna.huber")

    async def walk(pilot):
        app.open_user("u-1001")
        await until(pilot, lambda: isinstance(app.screen, UserScreen))
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, WhyPanel)  # `w` is no longer why
        await until(pilot, lambda: "y Why" in screen(app))  # the footer follows
        assert "w Why" not in screen(app)
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, WhyPanel))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, UserScreen))
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        text = app.screen.body().plain
        assert "\n  y             why" in text and "\n  w " not in text  # help follows
        assert "keys: ~/.config/miteam/keymap.toml" in text  # and says where the file is

    drive(app, walk)


@pytest.mark.parametrize(("text", "where", "problem"), [
    ('[keys]\n"miteam.why" = "y"\n"miteam.swtich" = "x"\n', "keymap.toml:3",
     "no key has the id 'miteam.swtich'"),
    ('[keys]\n"miteam.why" = \n', "keymap.toml:", "not TOML: Invalid value (at line 2"),
    ('[keys]\n\n"miteam.why" = "ctrl-y"\n', "keymap.toml:3", "'ctrl-y' is not a key name"),
    ('[keys]\n"miteam.why" = "q"\n', "keymap.toml:2", "'q' is already the key of miteam.quit"),
    ('[keys]\n"miteam.why" = "j"\n', "keymap.toml:2", "'j' moves in lists"),
    ('[colours]\nwhy = "y"\n', "keymap.toml:1", "'colours' is not part of a keymap"),
    ('why = "y"\n', "keymap.toml:1", "'why' is not part of a keymap: write the keys under"),
    ('[keys]\n"miteam.why" = 3\n', "keymap.toml:2", "the keys of miteam.why must be text"),
])
def test_a_bad_keymap_is_named_and_the_console_keeps_its_own_keys(console, text, where,
                                                                   problem):
    keymap(text)
    app = console("anna.huber")

    async def walk(pilot):
        # in the status line (wrapped over its lines)
        await until(pilot, lambda: problem in " ".join(screen(app).split()))
        said = app.notices[-1][1]
        assert where in said and problem in said
        assert said.endswith("the console starts with its own keys")
        app.open_user("u-1001")
        await until(pilot, lambda: isinstance(app.screen, UserScreen))
        await pilot.press("w")  # the defaults, none of the file
        await until(pilot, lambda: isinstance(app.screen, WhyPanel))

    drive(app, walk)


def test_a_keymap_others_may_write_is_refused(console):
    path = keymap('[keys]\n"miteam.switch" = "enter"\n"miteam.open" = "space"\n')
    path.chmod(0o666)
    app = console("anna.huber")

    async def walk(pilot):
        await until(pilot, lambda: bool(app.notices))
        said = app.notices[-1][1]
        assert "keymap.toml" in said and said.endswith("the console starts with its own keys")
        app.open_user("u-1001")
        await until(pilot, lambda: isinstance(app.screen, UserScreen))
        await until(pilot, lambda: "space Switch" in screen(app))  # not the file's swap

    drive(app, walk)


def test_a_bad_keymap_in_german(console):
    keymap('[keys]\n"miteam.warum" = "y"\n')
    app = console("anna.huber", lang="de")

    async def walk(pilot):
        await until(pilot, lambda: bool(app.notices))
        assert app.notices[-1][1].startswith("~/.config/miteam/keymap.toml:2: keine Taste hat")
        assert "die Konsole startet mit ihren eigenen Tasten" in app.notices[-1][1]

    drive(app, walk)


def test_theme_picks_a_textual_theme(console):
    prefs.choose_theme("nord", "en")
    app = console("anna.huber")

    async def walk(pilot):
        await pilot.pause()
        assert app.theme == "nord"

    drive(app, walk)


def test_an_unknown_theme_is_bad_input_listing_the_themes(miteam):
    r = miteam("tui", "--theme", "neon", operator="anna.huber", json_out=False)
    assert r.code == 2 and "Traceback" not in r.err
    assert r.err.startswith("miteam: there is no theme 'neon'; the themes: ")
    assert "nord" in r.err and "textual-light" in r.err
    r = miteam("tui", "--theme", "neon", operator="anna.huber", json_out=False, lang="de")
    assert r.code == 2 and r.err.startswith("miteam: es gibt kein Thema 'neon'; die Themen:")


def test_the_console_logs_to_textual_and_to_the_log_file(console, monkeypatch, tmp_path):
    from textual import constants

    from tui import logsetup as console_logs

    textual_log = tmp_path / "textual.log"
    monkeypatch.setattr(constants, "LOG_FILE", str(textual_log))  # what `textual console` sees
    console_logs.install()
    monkeypatch.setattr(F, "COMPACT_COMMITS", 0)

    def hook(step: str) -> None:
        if step == "compact-replace":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(F, "FAULT_HOOK", hook)
    app = console("anna.huber")

    async def walk(pilot):
        app.open_user("u-1036")
        await until(pilot, lambda: isinstance(app.screen, UserScreen))
        app.switch_license("u-1036", value=True)
        await until(pilot, lambda: textual_log.exists()
                    and "compaction postponed" in textual_log.read_text(encoding="utf-8"))

    drive(app, walk)
    log = logsetup.log_path()
    assert "compaction postponed" in log.read_text(encoding="utf-8")
    assert oct(log.stat().st_mode & 0o777) == oct(0o600)


def test_readme_names_every_binding_id():
    """A user writes the keymap from README's list: it names every id there is."""
    from tui import keys

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Your keys and colours", 1)[1].split("\n### ", 1)[0]
    assert [k for k in keys.KEYS if f"`{k}`" not in section] == []
