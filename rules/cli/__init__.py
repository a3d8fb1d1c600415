"""The `miteam` command: one entry point, commands grouped by what they act on.

Exit codes: 0 done; 1 refused by the rules or outside the operator's scope; 2 bad input
(usage, unknown id, malformed rule file or database). A user's mistake never prints a
traceback: it prints one message naming what and where.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import CoreError, Refused
from ..lang.errors import RuleError
from ..records.store import StoreError
from ..schema import LANGUAGES
from . import db, dbtools, licensing, records, report, rulescmd, scenario
from .complete import autocomplete
from .env import Env

# Each module adds its commands; a new group is one more entry here. Other packages (the
# console) contribute theirs through the `miteam.commands` entry point.
COMMAND_GROUPS = (db, dbtools, records, licensing, report, rulescmd, scenario)
ENTRY_POINTS = "miteam.commands"
# `miteam` with no command runs this command when it is installed (the console).
DEFAULT_COMMAND = "tui"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own, minus the traceback-free exit 2
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="miteam",
        description="Licensing console for MiTeam Meetings. With no command, opens the console.",
        epilog="Exit codes: 0 done, 1 refused by the rules, 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"miteam {__version__}")
    parser.add_argument("--db", metavar="PATH",
                        help="database file (env MITEAM_DB; default: your data directory)")
    parser.add_argument("--operator", metavar="LOGIN",
                        help="act as this operator (env MITEAM_OPERATOR; default: your login)")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="language of messages (env MITEAM_LANG; default from LANG)")
    parser.add_argument("--rules", metavar="DIR",
                        help="rule files to use (env MITEAM_RULES; default: the shipped rules)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for group in COMMAND_GROUPS:
        group.register(sub)
    for contributed in _contributed():
        contributed.register(sub)
    return parser


def _contributed() -> list:
    from importlib.metadata import entry_points

    return [ep.load() for ep in entry_points(group=ENTRY_POINTS)]


def _default_handler(parser: argparse.ArgumentParser):
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        chosen = getattr(action, "choices", {}).get(DEFAULT_COMMAND)
        if chosen is not None:
            return chosen.get_default("handler")
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    if argv is None:
        autocomplete(parser)  # a shell's completion request: answered, then exit
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    env = Env(args)
    handler = getattr(args, "handler", None) or _default_handler(parser)
    if handler is None:
        parser.print_help(env.err)
        return 2
    try:
        return int(handler(env) or 0)
    except Refused as exc:
        _fail(env, str(exc), exc.exit_code, key=exc.key,
              rule=exc.decision.rule.name if exc.decision else None,
              why=exc.explanation.as_dict() if exc.explanation is not None else None)
        if getattr(args, "why", False) and exc.explanation is not None:
            print("\n".join(exc.explanation.lines(env.lang)), file=env.err)
        return exc.exit_code
    except CoreError as exc:
        _fail(env, str(exc), exc.exit_code)
        return exc.exit_code
    except RuleError as exc:
        _fail(env, exc.render(), 2)
        return 2
    except StoreError as exc:
        _fail(env, str(exc), 2)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `miteam ... | head`: the reader left; say nothing more, like other Unix tools.
        _silence_stdout()
        return 0
    finally:
        if env._store is not None:
            env._store.close()


def _fail(env: Env, message: str, code: int, **extra: object) -> None:
    if env.json:
        print(json.dumps({"ok": False, "exit": code, "error": message, **extra},
                         ensure_ascii=False), file=env.out)
    print(f"miteam: {message}", file=env.err)


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def run() -> None:
    sys.exit(main())
