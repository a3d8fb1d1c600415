"""The `miteam` command: one entry point, commands grouped by what they act on.

Exit codes: 0 done; 1 refused by the rules; 2 bad input (usage, unknown id, malformed rule
file or database; an id outside the operator's scope is an unknown id). A user's mistake
never prints a traceback: it prints one message naming what and where.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    from .env import Env

# Each module adds its commands; a new group is one more entry here. Other packages (the
# console) contribute theirs through the `miteam.commands` entry point. A command's
# module is imported only when that command runs (a fresh process pays for what it uses:
# the rule author's tools, the scenario player and the bench are not loaded to show a
# user), so each group names the top-level commands it registers; a test holds the
# names to what the modules really register.
COMMAND_GROUPS: dict[str, tuple[str, ...]] = {
    "db": ("db",),
    "dbtools": ("db", "bench"),
    "records": ("operator", "partner", "account", "user", "order"),
    "licensing": ("integration", "license", "micollab", "explain", "audit", "revert"),
    "report": ("report",),
    "rulescmd": ("rules",),
    "scenario": ("scenario",),
    "keys": ("keys",),
    "shell": ("shell",),
}
ENTRY_POINTS = "miteam.commands"
# Global options that take a value (the command is the first word that is not one).
_VALUED = ("--db", "--operator", "--lang", "--rules")
# `miteam` with no command runs this command when it is installed (the console).
DEFAULT_COMMAND = "tui"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own, minus the traceback-free exit 2
        self.print_usage(sys.stderr)
        # argparse's `_`: its words in the operator's language (helplang.argparse_speaks)
        print(argparse._("%(prog)s: error: %(message)s\n") % {"prog": self.prog,
                                                             "message": message},
              end="", file=sys.stderr)
        raise SystemExit(2)


def group(name: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{name}")


def _command_word(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (None: none, or only options)."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word == "--":
            return None
        elif word in _VALUED:
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def build_parser(command: str | None = "*", lang: str = "en") -> argparse.ArgumentParser:
    """The parser; with ``command``, only what that command needs is imported ("*":
    everything, for help and the tests). Its help texts are in ``lang``."""
    from ..schema import LANGUAGES
    from .helplang import catalog, translate

    parser = _Parser(
        prog="miteam",
        description="Licensing console for MiTeam Meetings. With no command, opens the console.",
        epilog="Exit codes: 0 done, 1 refused by the rules, 2 bad input.",
    )
    parser.add_argument("--version", action="version", version=f"miteam {__version__}")
    parser.add_argument("--db", metavar="PATH|URL",
                        help="database file, or postgresql://USER@HOST/DB for a PostgreSQL "
                             "server (env MITEAM_DB; default: a file in your data directory)")
    parser.add_argument("--operator", metavar="LOGIN",
                        help="act as this operator: the administrator only, who owns the database "
                             "(env MITEAM_OPERATOR; default: your login)")
    parser.add_argument("--lang", choices=LANGUAGES,
                        help="language of messages (env MITEAM_LANG; default from LANG)")
    parser.add_argument("--rules", metavar="DIR",
                        help="other rule files, for commands that change nothing (env "
                             "MITEAM_RULES; default: the configured rules, else the shipped)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    wanted = [g for g, names in COMMAND_GROUPS.items() if command == "*" or command in names]
    if wanted and "dbtools" in wanted and "db" not in wanted:
        wanted.insert(0, "db")  # `bench` and `db generate` hang off the `db` group
    registered = [group(name) for name in wanted]
    if not wanted or command == "*":
        registered += _contributed()
    for module in registered:
        module.register(sub)
    words = catalog(lang, (getattr(m, "HELP_WORDS", {}) for m in registered))
    if words is not None:
        translate(parser, words)
    return parser


def _choices(parser: argparse.ArgumentParser) -> dict[str, Any]:
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        return dict(getattr(action, "choices", {}) or {})
    return {}


def _contributed() -> list:
    from importlib.metadata import entry_points

    return [ep.load() for ep in entry_points(group=ENTRY_POINTS)]


def _default_handler(parser: argparse.ArgumentParser):
    chosen = _choices(parser).get(DEFAULT_COMMAND)
    return None if chosen is None else chosen.get_default("handler")


def main(argv: Sequence[str] | None = None) -> int:
    if argv is None and "_ARGCOMPLETE" in os.environ:
        from .complete import autocomplete

        autocomplete(build_parser("*"))  # a shell's completion request: answered, exits
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv == ["--version"]:
        # Touches no data, no rules and no other module: a fixed, small cost.
        print(f"miteam {__version__}")
        return 0
    from .helplang import argparse_speaks, argv_language

    command = _command_word(argv)
    wants_help = command is None and any(a in ("-h", "--help") for a in argv)
    lang = argv_language(argv)
    with argparse_speaks(lang):
        parser = build_parser("*" if wants_help else command, lang)
        if command is not None and command not in _choices(parser):
            parser = build_parser("*", lang)  # a mistyped command: argparse lists them all
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0)
    from .env import Env
    from .logsetup import install

    install()  # warnings of the store and the rest go to the log file, not lost
    env = Env(args)
    handler = getattr(args, "handler", None) or _default_handler(parser)
    if handler is None:
        with argparse_speaks(lang):
            parser.print_help(env.err)
        return 2
    code = dispatch(env, handler)
    import logging

    from .env import command_path

    logging.getLogger("miteam").info("miteam %s: exit %d", " ".join(command_path(args)), code)
    return code


def dispatch(env: Env, handler) -> int:
    """Run one command's handler: every failure is one message and an exit code."""
    from ..errors import CoreError, Refused
    from ..lang.errors import RuleError
    from ..records.store import StoreError
    from ..text import TerminalSafe, printable

    args = env.args
    # Everything a command prints goes through TerminalSafe: stored text (names, e-mails,
    # ids from another tenant or a hand-edited file) never reaches a terminal as a command.
    # (The console writes to the terminal itself and escapes what it shows.)
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = TerminalSafe(out), TerminalSafe(err)
    env.out = sys.stdout if env.out is out else TerminalSafe(env.out)
    env.err = sys.stderr if env.err is err else TerminalSafe(env.err)
    try:
        env.check_identity()
        return int(handler(env) or 0)
    except Refused as exc:
        _fail(env, str(exc), exc.exit_code, key=exc.key,
              rule=exc.decision.rule.name if exc.decision else None,
              why=exc.explanation.as_dict() if exc.explanation is not None else None)
        if getattr(args, "why", False) and exc.explanation is not None:
            print("\n".join(map(printable, exc.explanation.lines(env.lang))), file=env.err)
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
    except (TypeError, KeyError, AttributeError, ValueError):
        # Code that trusts the records' shape met one that is not (a quantity that is a
        # string, a user of a missing account): name the damaged records, exit 2. If
        # the records are sound, it is a bug of ours, and its traceback is wanted.
        damage = _damaged_records(env)
        if damage is None:
            return _internal_error(env)
        _fail(env, damage, 2)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `miteam ... | head`: the reader left; say nothing more, like other Unix tools.
        _silence_stdout()
        return 0
    except Exception:
        return _internal_error(env)
    finally:
        sys.stdout, sys.stderr = out, err
        if env._store is not None:
            _say_if_converted(env)
            env._store.close()


def _say_if_converted(env: Env) -> None:
    """A single-file database converts itself at its first write: the user is told, once,
    where the file as it was is kept (they may have scripts or backups that name it)."""
    from ..i18n import t
    from ..records.database import describe
    from ..records.store.api import Store, converted
    from ..text import printable

    if isinstance(env._store, Store):
        kept = converted(env._store)
        if kept is not None:
            print(printable(t("db_converted", env.lang, path=describe(env._store.path),
                              kept=kept)), file=env.err)


def _internal_error(env: Any) -> int:
    """A bug of ours (the records are sound): its traceback goes to the log file, the
    user gets one line saying where it is; exit 1, as an uncaught exception would."""
    import logging

    from ..i18n import t
    from .env import command_path
    from .logsetup import log_path

    exc = sys.exc_info()[1]
    logging.getLogger("miteam").exception("miteam %s failed", " ".join(command_path(env.args)))
    _fail(env, t("internal_error", env.lang, error=f"{type(exc).__name__}: {exc}",
                 path=log_path()), 1)
    return 1


def _damaged_records(env: Any) -> str | None:
    if env._store is None:
        return None
    from ..records.verify import check_view

    try:
        found = [f for f in check_view(env._store.read()) if not f.flagged]
    except Exception:  # the check itself tripped over the damage: say so, generally
        return f"{env._store.path}: the database has damaged records (see `miteam db verify`)"
    if not found:
        return None
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    text = "; ".join(f.line() for f in found[:3])
    # Records are anyone's input: no control characters reach the terminal.
    from ..text import printable

    text = printable(text)
    return f"{env._store.path}: damaged records: {text}{more} (see `miteam db verify`)"


def _fail(env: Any, message: str, code: int, **extra: object) -> None:
    import json

    from ..text import json_safe, printable_lines

    if env.json:
        print(json_safe(json.dumps({"ok": False, "exit": code, "error": message, **extra},
                                   ensure_ascii=False)), file=env.out)
    print(f"miteam: {printable_lines(message)}", file=env.err)


def _silence_stdout() -> None:
    # Python would report the broken pipe again when it flushes stdout at exit.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def run() -> None:
    sys.exit(main())
