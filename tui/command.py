"""`miteam` alone, or `miteam tui`: the console's command, contributed to the core's `miteam`
through the `miteam.commands` entry point (pyproject.toml), so the core never names the
console. Textual is imported only when the command runs.

`--replay FILE` plays a scenario in the console on a temporary database; `--record FILE`
writes what the operator does in the console as a scenario (tui/replay.py, tui/record.py).
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path
from types import ModuleType

from rules.cli.env import Env
from rules.errors import BadInput
from rules.paths import SCENARIOS_DIR
from rules.scenario import Player, StartFailed, parse_file
from rules.scenario.parser import SUFFIX

from .words import t

# The help texts below in German (rules/cli/helplang.py looks them up for `--lang de`).
HELP_WORDS: dict[str, dict[str, str]] = {"de": {
    "open the console (the default with no command)":
        "die Konsole öffnen (die Vorgabe ohne Befehl)",
    "a console that changes nothing": "eine Konsole, die nichts ändert",
    "replay a scenario step by step in the console, on a temporary database (n next, "
    "p back, G to the end); a file or a shipped scenario's name":
        "ein Szenario Schritt für Schritt in der Konsole abspielen, auf einer temporären "
        "Datenbank (n weiter, p zurück, G bis zum Ende); eine Datei oder der Name eines "
        "mitgelieferten Szenarios",
    "write what you do in the console as a scenario FILE (a new file)":
        "was Sie in der Konsole tun, als Szenario in FILE schreiben (eine neue Datei)",
    "the console's colours: a Textual theme (e.g. nord, textual-light); an unknown name "
    "lists them":
        "die Farben der Konsole: ein Textual-Thema (z. B. nord, textual-light); ein "
        "unbekannter Name listet sie auf",
}}


def register(sub: argparse._SubParsersAction) -> None:
    tui = sub.add_parser("tui", help="open the console (the default with no command)")
    tui.add_argument("--readonly", action="store_true", help="a console that changes nothing")
    tui.add_argument("--replay", metavar="FILE",
                     help="replay a scenario step by step in the console, on a temporary "
                          "database (n next, p back, G to the end); a file or a shipped "
                          "scenario's name")
    tui.add_argument("--record", metavar="FILE",
                     help="write what you do in the console as a scenario FILE (a new file)")
    tui.add_argument("--theme", metavar="NAME",
                     help="the console's colours: a Textual theme (e.g. nord, "
                          "textual-light); an unknown name lists them")
    tui.set_defaults(handler=open_console)


def _module(env: Env, name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("tui"):
            print("miteam: the console is not installed in this build; every command works: "
                  "see `miteam --help`", file=env.err)
            return None
        raise


def open_console(env: Env) -> int:
    replay = getattr(env.args, "replay", None)
    record = getattr(env.args, "record", None)
    logs = _module(env, "tui.logsetup")  # the log file and Textual's log handler
    if logs is None:
        return 2
    logs.install()
    # An unknown theme: exit 2 before any database is opened, listing the themes.
    importlib.import_module("tui.prefs").choose_theme(getattr(env.args, "theme", None),
                                                      env.lang)
    if replay and record:
        raise BadInput(t("tui_replay_with_record", env.lang))
    if replay:
        return _replay(env, replay)
    if record:
        return _record(env, record)
    app_module = _module(env, "tui.app")
    return 2 if app_module is None else int(app_module.run(env) or 0)


def scenario_path(name: str, lang: str) -> Path:
    """A scenario file, else a shipped scenario by name (as `miteam scenario run` takes)."""
    path = Path(name).expanduser()
    if path.is_file():
        return path
    for candidate in (SCENARIOS_DIR / name, SCENARIOS_DIR / f"{name}{SUFFIX}"):
        if candidate.is_file():
            return candidate
    raise BadInput(t("scenario_not_found", lang, name=name))


def _replay(env: Env, name: str) -> int:
    scenario = parse_file(scenario_path(name, env.lang))  # malformed: file:line:col, exit 2
    module = _module(env, "tui.replay")
    if module is None:
        return 2
    try:
        player = Player(scenario, env.rules)  # `--db` is never touched
    except StartFailed as exc:
        print(f"miteam: {scenario.start.span}: {exc}", file=env.err)
        return 1
    with player:
        return int(module.run(player) or 0)


def _record(env: Env, name: str) -> int:
    if getattr(env.args, "readonly", False):
        raise BadInput(t("tui_record_readonly", env.lang))
    path = Path(name).expanduser()
    if path.exists():
        raise BadInput(t("tui_record_exists", env.lang, path=name))
    module = _module(env, "tui.record")
    return 2 if module is None else int(module.run(env, path) or 0)
