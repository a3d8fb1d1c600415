"""Issue 13 (German shows English): `miteam --lang de` speaks German in argparse's usage
lines and errors, in `--help` of every command and option, and in the dry-run line; an
English run stays English; plurals are real plural forms in both languages."""

from __future__ import annotations

import argparse
import re

import pytest

from rules.cli import build_parser, main
from rules.cli.helplang import catalog


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_in_german_under_lang_de(capsys):
    code, out, _ = run(capsys, "--lang", "de", "--help")
    assert code == 0
    assert out.startswith("Aufruf: miteam")
    assert "Optionen:" in out and "diese Hilfe zeigen und beenden" in out
    assert "die Datenbank anlegen und pflegen" in out  # a command's help
    assert "die Konsole öffnen" in out  # the console's, contributed by tui/
    assert "Sprache der Meldungen" in out  # an option's help
    assert "usage:" not in out and "show this help" not in out


def test_a_command_s_help_in_german(capsys):
    code, out, _ = run(capsys, "--lang", "de", "license", "set", "--help")
    assert code == 0 and out.startswith("Aufruf: miteam license set")
    assert "sagen, was geschehen würde" in out


@pytest.mark.parametrize(("argv", "german"), [
    (["frob"], "ungültige Auswahl: 'frob' (möglich sind 'db'"),
    (["user", "add"], "diese Argumente fehlen: id, --account, --name"),
    (["user", "list", "--bogus"], "unbekannte Argumente: --bogus"),
    (["--db"], "Argument --db: ein Wert fehlt"),
])
def test_usage_errors_in_german(capsys, argv, german):
    code, out, err = run(capsys, "--lang", "de", *argv)
    assert code == 2 and out == ""
    assert err.startswith("Aufruf: miteam")
    assert ": Fehler: " in err and german in err
    assert "Traceback" not in err


def test_an_english_run_stays_english_after_a_german_one(capsys):
    run(capsys, "--lang", "de", "frob")
    code, _, err = run(capsys, "frob")
    assert code == 2 and err.startswith("usage: miteam")
    assert "miteam: error: argument COMMAND: invalid choice: 'frob'" in err
    code, out, _ = run(capsys, "--help")
    assert "options:" in out and "create and look after the database" in out
    assert "Aufruf" not in out and "Optionen" not in out


def test_the_configured_language_chooses_german_help(capsys, miteam, monkeypatch):
    monkeypatch.setenv("MITEAM_LANG", "de")
    assert run(capsys, "--help")[1].startswith("Aufruf:")
    monkeypatch.delenv("MITEAM_LANG")
    miteam.configure(lang="de").chmod(0o600)
    code, _, err = run(capsys, "user", "add")
    assert code == 2 and "diese Argumente fehlen" in err
    assert run(capsys, "--lang", "en", "--help")[1].startswith("usage:")


def _help_texts(parser: argparse.ArgumentParser) -> set[str]:
    texts: set[str] = set()

    def walk(p: argparse.ArgumentParser) -> None:
        texts.update(t for t in (p.description, p.epilog) if t)
        texts.update(g.title for g in p._action_groups if g.title)
        for action in p._actions:
            if action.help and action.help != argparse.SUPPRESS:
                texts.add(action.help)
            if isinstance(action, argparse._SubParsersAction):
                texts.update(c.help for c in action._choices_actions if c.help)
                for sub in action.choices.values():
                    walk(sub)

    walk(parser)
    return texts


def test_every_help_text_has_a_german_form():
    """A new option's help needs its German form in rules/cli/help_de.py (or, for a
    contributed command, in its module's HELP_WORDS)."""
    from importlib.metadata import entry_points

    contributed = [ep.load() for ep in entry_points(group="miteam.commands")]
    words = catalog("de", (getattr(m, "HELP_WORDS", {}) for m in contributed))
    assert words is not None
    missing = sorted(_help_texts(build_parser("*")) - set(words))
    assert missing == [], "help texts without German in rules/cli/help_de.py"
    german = _help_texts(build_parser("*", "de"))
    assert "options" not in german and "Optionen" in german


def test_dry_run_line_in_german(miteam):
    r = miteam("integration", "set", "a-kranich", "miteam", "off", "--dry-run", lang="de",
               json_out=False)
    assert r.code == 0
    head, consequence = r.out.splitlines()[:2]
    assert head.startswith("Probelauf: integration.set account:a-kranich:miteam: EIN → AUS")
    assert head.endswith("(Regel manage_integrations)")
    assert consequence == "  7 Lizenzen durch Regel s8_miteam_off_when_standalone ausgeschaltet"
    r = miteam("integration", "set", "a-kranich", "miteam", "off", "--dry-run", json_out=False)
    assert r.out.startswith("dry run: ") and "(rule manage_integrations)" in r.out
    assert "  7 licenses switched off by rule" in r.out


def test_plurals_read_right_in_both_languages():
    from rules.i18n import t

    assert t("consequence", "en", count=1, rule="r") == "1 license switched off by rule r"
    assert t("consequence", "en", count=7, rule="r") == "7 licenses switched off by rule r"
    assert t("consequence", "de", count=1, rule="r") == "1 Lizenz durch Regel r ausgeschaltet"
    assert t("consequence", "de", count=0, rule="r") == "0 Lizenzen durch Regel r ausgeschaltet"
    assert t("count_steps_of", "de", count=5) == "5 Schritten"


def test_no_message_hedges_its_plural_with_parentheses():
    """"license(s)" / "Lizenz(en)" read badly: every counted word has real plural forms."""
    from rules.i18n import CATALOG
    from tui.catalog import WORDS

    hedge = re.compile(r"\w\((s|e|en|n)\)")
    found = []
    for key, entry in {**CATALOG, **WORDS}.items():
        for lang, text in entry.items():
            forms = text.values() if isinstance(text, dict) else [text]
            found += [f"{key} ({lang})" for form in forms if hedge.search(form)]
    assert found == []


def test_user_and_account_views_in_german(miteam):
    user = miteam("user", "show", "u-1029", lang="de", json_out=False, operator="anna.huber")
    assert "  Konto: a-kranich" in user.out and "  Produkte und Lizenzen:" in user.out
    assert "; Regel s10_standalone (" in user.out and "; rule" not in user.out
    account = miteam("account", "show", "a-kranich", lang="de", json_out=False,
                     operator="anna.huber")
    assert "(Partner p-alpen)" in account.out and "  Benutzer: 18" in account.out
    assert "läuft ab am 2027-12-31" in account.out and "expires" not in account.out


def test_an_ssh_login_gets_german_usage_errors(miteam, monkeypatch, capsys):
    from tests.security.tamper import shell

    r = shell(capsys, monkeypatch, miteam.db, "markus.weber", "--lang de user add")
    assert r.code == 2 and "Fehler: diese Argumente fehlen: id, --account, --name" in r.err
    r = shell(capsys, monkeypatch, miteam.db, "markus.weber", "tui --theme neon")
    assert r.code == 2 and "there is no theme 'neon'" in r.err  # allowed, and checked
