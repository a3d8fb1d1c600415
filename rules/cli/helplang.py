"""The command line in the operator's language: `--help`, usage lines and argparse's
errors ("invalid choice", "the following arguments are required", ...).

argparse words its messages through gettext (`argparse._`, `argparse.ngettext`); while a
German parser parses, those two answer from `help_de.py`. The help texts of commands and
options are written in English where each group registers its parser and are looked up
in the same catalog once the parser is built, so a new option needs no code here, only
its German form (a test holds every one to it).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager

from ..i18n import default_language
from ..schema import LANGUAGES


def language(explicit: str | None, configured: Callable[[], str | None]) -> str:
    """The language of messages: `--lang`, else MITEAM_LANG, else the config file's
    `lang`, else LANG's (`Env.lang` and the parser agree because both ask this)."""
    env_lang = os.environ.get("MITEAM_LANG")
    return (explicit if explicit in LANGUAGES else None) \
        or (env_lang if env_lang in LANGUAGES else None) \
        or configured() or default_language()


def argv_language(argv: Sequence[str]) -> str:
    """The language a command line asks for, before it is parsed (argparse's own
    messages about that very line are worded in it)."""
    explicit = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and i + 1 < len(argv):
            explicit = argv[i + 1]
        elif word.startswith("--lang="):
            explicit = word.partition("=")[2]
    return language(explicit, _configured)


def _configured() -> str | None:
    from ..errors import BadInput
    from . import config

    try:
        return config.load(default_language()).lang
    except (BadInput, OSError):
        return None  # the command itself reports a bad config file, in its own words


def catalog(lang: str, extra: Iterable[Mapping[str, Mapping[str, str]]] = ()) \
        -> dict[str, str] | None:
    """English help text → `lang`'s (None: English, nothing to look up). `extra` are the
    contributed commands' catalogs (their `HELP_WORDS` attribute: {lang: {english: text}})."""
    if lang == "en":
        return None
    from . import help_de

    words = {**help_de.ARGPARSE, **help_de.HELP}
    for more in extra:
        words.update(more.get(lang, {}))
    return words


def translate(parser: argparse.ArgumentParser, words: Mapping[str, str]) -> None:
    """Every help text of `parser` and its commands in the catalog's language (a text
    without a translation stays as written)."""
    def say(text: str | None) -> str | None:
        return words.get(text, text) if text else text

    seen: set[int] = set()

    def walk(p: argparse.ArgumentParser) -> None:
        if id(p) in seen:  # aliases share a parser
            return
        seen.add(id(p))
        p.description, p.epilog = say(p.description), say(p.epilog)
        for group in p._action_groups:
            group.title, group.description = say(group.title), say(group.description)
        for action in p._actions:
            if action.help is not argparse.SUPPRESS:
                action.help = say(action.help)
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    choice.help = say(choice.help)
                for sub in action.choices.values():
                    walk(sub)

    walk(parser)


@contextmanager
def argparse_speaks(lang: str) -> Iterator[None]:
    """argparse's own messages (usage, its errors) in `lang` while the block runs."""
    if lang == "en":
        yield
        return
    from . import help_de

    def gettext(message: str) -> str:
        return help_de.ARGPARSE.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        forms = help_de.ARGPARSE_PLURAL.get((singular, plural), (singular, plural))
        return forms[0] if n == 1 else forms[1]

    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = gettext, ngettext
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
