"""`miteam` alone, or `miteam tui`: the console. Textual is imported only here, on demand,
so the headless core never loads it."""

from __future__ import annotations

import argparse
import importlib

from .env import Env


def register(sub: argparse._SubParsersAction) -> None:
    tui = sub.add_parser("tui", help="open the console (the default with no command)")
    tui.add_argument("--readonly", action="store_true", help="a console that changes nothing")
    tui.set_defaults(handler=open_console)


def open_console(env: Env) -> int:
    try:
        app_module = importlib.import_module("tui.app")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("tui"):
            print("miteam: the console is not installed in this build; every command works: "
                  "see `miteam --help`", file=env.err)
            return 2
        raise
    return int(app_module.run(env) or 0)
