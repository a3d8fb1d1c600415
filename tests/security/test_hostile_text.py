"""Nothing a tenant types can attack another's terminal (issue 9, part 6).

At input, ids, names, e-mails and quantities are checked (rules/text.py): every hostile
value is refused with exit 2, one message naming the field and the character, and the
database's bytes unchanged. At output, text already stored (old data, a hand-edited file)
is shown with its control characters written out, in the CLI, in scenario transcripts and
in the console, and never as markup; JSON keeps the exact stored value.
"""

from __future__ import annotations

import asyncio
import io
import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from rules.cli import main
from rules.records.store import Store
from rules.text import MAX_QUANTITY, TerminalSafe, json_safe, printable, unsafe_character
from tests.console.test_scases_in_console import SettledPilot, consoles, palette_prompts, until
from tests.security.tamper import shell, unchanged

CLEAR = "\x1b[2J"
TITLE = "\x1b]0;pwned\x07"
CLIPBOARD = "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write "pwned" to the clipboard
RLO = "\u202e"  # right-to-left override: "Eve\u202etxt.exe" reads "Eveexe.txt"
MARKUP = "[bold red]X[/][@click=app.quit]Q[/]"
HOSTILE = f"Eve{CLEAR}{TITLE}{CLIPBOARD} {RLO}gnp.exe {MARKUP}"
# What a person sees instead: every control character written out.
SHOWN = ("Eve\\x1b[2J\\x1b]0;pwned\\x07\\x1b]52;c;cHduZWQ=\\x07 \\u202egnp.exe "
         "[bold red]X[/][@click=app.quit]Q[/]")

# Characters a terminal acts on; none may reach one from stored text.
ACTIVE = ["\x1b", "\x07", "\x9b", "\x9d", RLO]


def assert_harmless(text: str) -> None:
    for ch in ACTIVE:
        assert ch not in text, f"{ch!r} reached the terminal"


# Input -------------------------------------------------------------------------------

HOSTILE_NAMES = [
    pytest.param(f"Eve{CLEAR}", "control character (\\x1b at position 4)", id="csi-clear"),
    pytest.param(f"Eve{TITLE}", "control character (\\x1b at position 4)", id="osc-title"),
    pytest.param(f"Eve{CLIPBOARD}", "control character", id="osc52-clipboard"),
    pytest.param("Eve\x9b2J", "control character (\\x9b at position 4)", id="c1-csi"),
    pytest.param("Eve\nroot  a-kranich", "control character (\\x0a", id="newline"),
    pytest.param("Eve\rMallory", "control character (\\x0d", id="carriage-return"),
    pytest.param(f"Eve{RLO}gnp.exe", "text direction control (\\u202e", id="bidi-override"),
    pytest.param("Eve\u2066x\u2069", "text direction control (\\u2066", id="bidi-isolate"),
    pytest.param("Eve\u200fx", "text direction control (\\u200f", id="rlm"),
    pytest.param("E" * 201, "201 characters long; at most 200", id="too-long"),
    pytest.param("   ", "cannot be empty", id="empty"),
]

ADDS = [
    pytest.param(["user", "add", "u-new", "--account", "a-kranich", "--name", "{}"],
                 id="user"),
    pytest.param(["account", "add", "a-new", "--partner", "p-alpen", "--name", "{}"],
                 id="account"),
    pytest.param(["partner", "add", "p-new", "--name", "{}"], id="partner"),
    pytest.param(["operator", "add", "eve", "--role", "support", "--name", "{}"],
                 id="operator"),
]


@pytest.mark.parametrize("argv", ADDS)
@pytest.mark.parametrize(("name", "problem"), HOSTILE_NAMES)
def test_a_hostile_name_is_refused_at_input(miteam, demo_db, argv, name, problem):
    with unchanged(demo_db):
        r = miteam(*[name if a == "{}" else a for a in argv], json_out=False)
    assert r.code == 2 and r.out == ""
    assert problem in r.err, r.err
    assert_harmless(r.err)  # the refusal quotes the character, written out


@pytest.mark.parametrize(("email", "problem"), [
    (f"eve{CLEAR}@kranich.de", "e-mail address holds a control character"),
    (f"eve@{RLO}ed.hcinark", "e-mail address holds a text direction control"),
    ("eve kranich.de", "is not an e-mail address"),
    ("e" * 250 + "@x.de", "at most 254"),
])
def test_a_hostile_email_is_refused_at_input(miteam, demo_db, email, problem):
    with unchanged(demo_db):
        r = miteam("user", "add", "u-new", "--account", "a-kranich", "--name", "Eve",
                   "--email", email, json_out=False)
    assert r.code == 2 and problem in r.err, r.err
    assert_harmless(r.err)


@pytest.mark.parametrize("key", ["u-new\n", "u-new\nu-1001", "u-\x1b[2J", ".u", "u new",
                                 "u" * 65, "ü-1"])
def test_an_id_must_match_as_a_whole(miteam, demo_db, key):
    # `$` in a regex matches before a trailing newline: re.fullmatch does not.
    with unchanged(demo_db):
        r = miteam("user", "add", key, "--account", "a-kranich", "--name", "Eve",
                   json_out=False)
    assert r.code == 2 and "is not a usable id" in r.err
    assert_harmless(r.err)
    assert "\n" not in r.err.rstrip("\n")  # one line, the newline written out


@pytest.mark.parametrize("quantity", [str(MAX_QUANTITY + 1), "10000000000000000000000"])
def test_an_order_quantity_has_a_sane_upper_bound(miteam, demo_db, quantity):
    with unchanged(demo_db):
        r = miteam("order", "add", "o-new", "--partner", "p-alpen", "--product", "miteam",
                   "--quantity", quantity, json_out=False)
    assert r.code == 2 and f"from 1 to {MAX_QUANTITY}" in r.err


def test_names_are_stored_in_nfc(miteam):
    decomposed = "Zoe\u0301 Mu\u0308ller"  # e + combining acute, u + combining diaeresis
    assert miteam("user", "add", "u-zoe", "--account", "a-kranich", "--name",
                  decomposed).code == 0
    stored = miteam.user("u-zoe")["name"]
    assert stored == unicodedata.normalize("NFC", decomposed) == "Zoé Müller"


def test_a_scenario_given_record_is_checked_like_an_added_one(tmp_path: Path, capsys):
    path = tmp_path / "evil.scenario"
    path.write_text(f'scenario "evil"\nstart demo\ngiven user u-1036 name "Eve{CLEAR}"\n',
                    encoding="utf-8")
    code = main(["scenario", "run", str(path)])
    captured = capsys.readouterr()
    assert code == 2 and "control character (\\x1b at position 4)" in captured.err
    assert_harmless(captured.out + captured.err)


# Output: the one function, for any text ----------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_printable_and_json_are_harmless_for_any_text(text):
    shown = printable(text)
    assert_harmless(shown)
    assert unsafe_character(shown) is None and "\n" not in shown
    assert printable(shown) == shown  # escaping twice changes nothing
    encoded = json_safe(json.dumps({"name": text}, ensure_ascii=False))
    assert_harmless(encoded)
    assert json.loads(encoded)["name"] == text  # JSON keeps the exact value
    sink = io.StringIO()
    TerminalSafe(sink).write(text)
    assert unsafe_character(sink.getvalue().replace("\n", "").replace("\t", "")) is None


# Output: old or hand-edited data ------------------------------------------------------


@pytest.fixture
def hostile_db(demo_db: Path) -> Path:
    """The demo database edited by hand, under the rules' back: names, an e-mail and an
    audit entry hold escape sequences, bidi overrides and console markup."""
    store = Store(demo_db)
    try:
        with store.transaction() as tx:
            user = tx.get("users", "u-1036")  # a-kranich, markus.weber's account
            tx.put("users", {**user, "name": HOSTILE, "email": f"eve{CLEAR}@kranich.de"})
            account = tx.get("accounts", "a-kranich")
            tx.put("accounts", {**account, "name": f"Kranich{TITLE} {MARKUP}"})
            tx.append("audit", {
                "at": "2026-11-24T09:00:00+00:00", "operator": f"mallory{CLEAR}",
                "actor": "operator", "operation": "license.set",
                "target": f"user:u-1036{CLIPBOARD}", "account": "a-kranich",
                "partner": "p-alpen", "before": False, "after": True, "rule": None,
                "rule_at": None, "outcome": "applied"})
    finally:
        store.close()
    return demo_db


def _cli(db: Path, capsys, *argv: str, operator: str = "markus.weber"):
    capsys.readouterr()
    code = main(["--db", str(db), "--operator", operator, "--lang", "en", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("argv", [
    ["user", "show", "u-1036"],
    ["user", "list"],
    ["user", "list", "--account", "a-kranich"],
    ["account", "show", "a-kranich"],
    ["account", "list"],
    ["audit"],
    ["explain", "u-1036"],
    ["license", "set", "u-1036", "miteam", "on", "--why"],
], ids=" ".join)
def test_stored_hostile_text_is_shown_escaped_by_every_command(hostile_db, capsys, argv):
    code, out, err = _cli(hostile_db, capsys, *argv)
    assert code in (0, 1), err
    assert_harmless(out + err)
    shown = out + err
    if argv[0] == "user":
        assert SHOWN in shown  # the markup too, as the characters it is
    if argv[0] == "account":
        assert "Kranich\\x1b]0;pwned\\x07 [bold red]X[/]" in shown
    if argv[0] == "audit":
        assert "mallory\\x1b[2J" in shown and "user:u-1036\\x1b]52;c;" in shown


def test_db_verify_flags_stored_hostile_text(hostile_db, capsys):
    """The administrator learns where such text is: `db verify` names every record, allowed
    (it is shown escaped) but flagged (miteam itself never lets it in)."""
    code, out, err = _cli(hostile_db, capsys, "--json", "db", "verify", operator="tester")
    assert code == 0, out + err
    assert_harmless(out)
    flagged = {(f["table"], f["record"], f["problem"].split(" ")[0])
               for f in json.loads(out)["flagged"] if "control character" in f["problem"]}
    assert {("users", "u-1036", "'name'"), ("users", "u-1036", "'email'"),
            ("accounts", "a-kranich", "'name'")} <= flagged


def test_over_ssh_stored_hostile_text_is_shown_escaped(hostile_db, monkeypatch, capsys):
    """What a login through `miteam shell` gets (the terminal on the other end is theirs,
    or a support engineer's): escaped too."""
    r = shell(capsys, monkeypatch, hostile_db, "markus.weber", "user list")
    assert r.code == 0, r.err
    assert_harmless(r.out + r.err)
    assert SHOWN in r.out


def test_a_newline_in_a_stored_name_cannot_fake_a_line(demo_db, capsys):
    store = Store(demo_db)
    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u-1036"),
                         "name": "Eve\nu-1037  Someone  a-kranich  ON"})
    store.close()
    code, out, _ = _cli(demo_db, capsys, "user", "list", "--account", "a-kranich")
    assert code == 0
    lines = [line for line in out.splitlines() if "Eve" in line]
    assert len(lines) == 1 and lines[0].startswith("u-1036") and "Eve\\x0au-1037" in lines[0]


def test_json_keeps_the_exact_stored_value_and_is_still_harmless(hostile_db, capsys):
    code, out, _ = _cli(hostile_db, capsys, "--json", "user", "show", "u-1036")
    assert code == 0
    assert_harmless(out)  # JSON spells them \\u001b, \\u202e
    assert json.loads(out)["name"] == HOSTILE


def test_error_messages_quote_hostile_text_escaped(demo_db, capsys):
    code, out, err = _cli(demo_db, capsys, "user", "show", f"u-1{CLEAR}")
    assert code == 2 and err == "miteam: unknown user 'u-1\\x1b[2J'\n"
    code, out, err = _cli(demo_db, capsys, "--json", "account", "show", f"Evil{RLO}Corp")
    assert code == 2 and json.loads(out)["error"] == "unknown account 'Evil\\u202eCorp'"
    assert_harmless(out + err)


def test_a_scenario_transcript_shows_hostile_text_escaped(tmp_path: Path, capsys):
    # A scenario quoting an escape sequence (a raw ESC byte inside its text).
    path = tmp_path / "quote.scenario"
    path.write_text(f'scenario "quotes"\nstart demo\nas anna.huber\n'
                    f'order assign ord-1006 "Evil{CLEAR}{TITLE}"\n'
                    f'  expect error "unknown account"\n', encoding="utf-8")
    code = main(["scenario", "run", str(path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert_harmless(out)
    assert "unknown account 'Evil\\x1b[2J\\x1b]0;pwned\\x07'" in out


# The console -------------------------------------------------------------------------


@pytest.fixture
def console(hostile_db, monkeypatch):
    yield from consoles(hostile_db, monkeypatch)


def screen_text(app) -> str:
    """The screen as the terminal would show it, at its size."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens))
    return console.export_text()


def test_console_shows_stored_hostile_text_escaped_and_never_as_markup(console):
    app = console("markus.weber")  # starts at the a-kranich dashboard

    async def walk(pilot):
        seen: list[str] = []

        def look() -> str:
            text = screen_text(app)
            assert_harmless(text)
            seen.append(text)
            return text

        await pilot.press("tab", "tab")  # the users list, u-1036 in it
        await pilot.pause()
        assert "Eve\\x1b[2J" in look()
        assert "Kranich\\x1b]0;pwned\\x07 [bold red]X[/]" in seen[-1]  # the account's title
        app.open_user("u-1036")
        # The user form drawn whole (its rows come from a worker): name and e-mail.
        await until(pilot, lambda: "\\x1b]52;c;cHduZWQ=\\x07" in look()
                    and "eve\\x1b[2J@kranich.de" in seen[-1])
        assert "[bold red]X[/][@click=app.quit]Q[/]" in seen[-1]  # markup shown as text
        assert "eve\\x1b[2J@kranich.de" in seen[-1]
        app.why_license("u-1036")  # the Why panel's summary names the user
        await until(pilot, lambda: "Why" in look() and "Eve\\x1b[2J" in seen[-1])
        await pilot.press("escape")
        app.switch_license("u-1036", value=True)  # the notification names the user
        await until(pilot, lambda: any("Eve\\x1b[2J" in text for _, text in app.notices))
        for _, text in app.notices:
            assert_harmless(text)
        look()
        app.open_audit("a-kranich")
        await until(pilot, lambda: "mallory\\x1b" in look())  # its column cuts the rest

    asyncio.run(_drive(app, walk))


def test_console_palette_shows_hostile_names_as_text(console):
    app = console("markus.weber")

    async def walk(pilot):
        await pilot.press("ctrl+p", *"Eve")
        await until(pilot, lambda: any("Eve" in p for p in palette_prompts(app)))
        prompt = next(p for p in palette_prompts(app) if "Eve" in p)
        assert "Eve\\x1b[2J" in prompt and "[bold red]X[/]" in prompt
        assert_harmless(screen_text(app))

    asyncio.run(_drive(app, walk))


async def _drive(app, walk) -> None:
    async with app.run_test(size=(80, 24), notifications=True):
        pilot = SettledPilot(app)  # waits for the console's workers too
        await pilot.pause()
        await walk(pilot)
