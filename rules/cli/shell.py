"""`miteam shell OPERATOR`: the forced command of an SSH login (the gitolite model).

The service account's `~/.ssh/authorized_keys` pins each key to one operator:

    command="/path/to/miteam shell anna.huber",restrict,pty ssh-ed25519 AAAA... anna

sshd runs that command whatever the person asked for, and passes what they asked for in
`SSH_ORIGINAL_COMMAND`. The person acts as the pinned operator and nobody else, under the
service's rules and database. What they send is checked against an allow-list of commands
and options: anything naming a file on the host, another identity, other rules or
database, the `db` and `keys` commands, is refused (exit 2) with one line saying why.
Options the administrator wrote before `shell` (`miteam --db ... shell anna.huber`) are
the service's configuration. `MITEAM_*`, `USER`, `LOGNAME` and the XDG directories are
dropped: sshd may pass the client's environment (AcceptEnv), and the identity is the key's.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
from pathlib import Path

from ..errors import BadInput
from ..i18n import t
from ..records import database
from .env import Env

# What an SSH login may run: each command with the options it may give. Reads, the
# changes the rules decide, and the console. Nothing here takes a file name.
ALLOWED: dict[tuple[str, ...], frozenset[str]] = {
    ("operator", "whoami"): frozenset(),
    ("operator", "add"): frozenset({"--role", "--partner", "--account", "--name"}),
    ("partner", "list"): frozenset(),
    ("partner", "add"): frozenset({"--name"}),
    ("account", "list"): frozenset({"--partner", "--format"}),
    ("account", "show"): frozenset(),
    ("account", "add"): frozenset({"--partner", "--name", "--micollab", "--miteam"}),
    ("user", "list"): frozenset({"--account", "--format"}),
    ("user", "export"): frozenset({"--account"}),
    ("user", "remove"): frozenset({"--dry-run"}),
    ("user", "move"): frozenset({"--to", "--dry-run", "--drop-license"}),
    ("user", "show"): frozenset(),
    ("user", "add"): frozenset({"--account", "--name", "--email"}),
    ("order", "list"): frozenset({"--state", "--format"}),
    ("order", "add"): frozenset({"--partner", "--product", "--quantity", "--expires"}),
    ("order", "assign"): frozenset({"--dry-run", "--why"}),
    ("integration", "set"): frozenset({"--dry-run", "--why", "--expect", "--expect-preview"}),
    # Bulk switching, but not --from-file (nothing here takes a file name).
    ("license", "set"): frozenset({"--dry-run", "--why", "--expect", "--account", "--where",
                                   "--all-or-nothing", "--expect-preview"}),
    ("explain",): frozenset(),
    ("audit",): frozenset({"--account", "--limit", "--user", "--operator", "--operation",
                           "--rule", "--since", "--until", "--format"}),
    ("report", "licenses"): frozenset({"--partner", "--account", "--format"}),
    ("revert",): frozenset({"--dry-run"}),
    ("tui",): frozenset({"--readonly", "--theme"}),  # a theme: a name from a fixed list
}
# Global options a login may give before its command (the rest are the service's).
GLOBAL_FLAGS = frozenset({"--json"})
GLOBAL_VALUES = frozenset({"--lang"})
HELP = frozenset({"-h", "--help"})
_LOGIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# The environment is the client's to set (AcceptEnv, PermitUserEnvironment): not trusted.
_DROPPED = ("USER", "LOGNAME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")


def register(sub: argparse._SubParsersAction) -> None:
    sh = sub.add_parser(
        "shell", help="the forced command of an SSH login: act as OPERATOR, pinned "
                      "(in authorized_keys; see README, Deploying)")
    sh.add_argument("login", metavar="OPERATOR")
    sh.set_defaults(handler=cmd_shell)


def _clean_environment() -> None:
    for name in list(os.environ):
        if name.startswith("MITEAM_") or name in _DROPPED:
            del os.environ[name]


def _refuse_option(token: str, lang: str) -> BadInput:
    return BadInput(t("shell_refused_option", lang, option=token.split("=", 1)[0]))


def checked_argv(tokens: list[str], lang: str) -> list[str]:
    """The person's words as an argv for `miteam`, if the allow-list has all of them;
    else BadInput naming the first option or command it refuses."""
    if tokens and tokens[0] == "miteam":
        tokens = tokens[1:]
    out: list[str] = []
    i = 0
    while i < len(tokens) and tokens[i].startswith("-"):
        token = tokens[i]
        name = token.split("=", 1)[0]
        if token in GLOBAL_FLAGS or token in HELP:
            out.append(token)
        elif name in GLOBAL_VALUES:
            out.append(token)
            if "=" not in token and i + 1 < len(tokens):
                i += 1
                out.append(tokens[i])
        else:
            raise _refuse_option(token, lang)
        i += 1
    rest = tokens[i:]
    if not rest:
        return out
    command = next((c for c in ALLOWED if tuple(rest[:len(c)]) == c), None)
    if command is None:
        words = " ".join(rest[:2] if len(rest) > 1 and not rest[1].startswith("-")
                         else rest[:1])
        raise BadInput(t("shell_refused_command", lang, command=words))
    allowed = ALLOWED[command] | HELP
    positional_only = False
    for token in rest[len(command):]:
        if positional_only or not token.startswith("-") or token == "-":
            continue
        if token == "--":
            positional_only = True
        elif token.split("=", 1)[0] not in allowed:
            raise _refuse_option(token, lang)
    return [*out, *rest]


def _help(login: str, lang: str) -> str:
    lines = [t("shell_help", lang, login=login)]
    for command, options in ALLOWED.items():
        opts = " ".join(f"[{o}]" for o in sorted(options))
        lines.append(f"  {' '.join(command)} {opts}".rstrip())
    lines.append("  help")
    return "\n".join(lines)


def cmd_shell(env: Env) -> int:
    from . import build_parser, dispatch  # the command itself: imported when it runs

    line = os.environ.get("SSH_ORIGINAL_COMMAND", "")
    _clean_environment()
    login = env.args.login
    lang = env.lang
    if env.args.operator:
        raise BadInput(t("shell_refused_option", lang, option="--operator"))
    if not env.administrator:
        # The pin is the service account's word (its authorized_keys); anyone else naming
        # an operator here would choose their own identity.
        raise BadInput(t("shell_not_admin", lang, path=env.db_path
                         or database.default_db_path()))
    if not _LOGIN.fullmatch(login):
        raise BadInput(t("bad_id", lang, value=login))
    try:
        tokens = shlex.split(line)
    except ValueError as exc:
        raise BadInput(t("shell_bad_command", lang, problem=exc)) from None
    if tokens in (["help"], ["miteam", "help"]):
        print(_help(login, lang), file=env.out)
        return 0
    argv = checked_argv(tokens, lang)
    if not [a for a in argv if not a.startswith("-")] and not set(argv) & HELP:
        # No command: the console on a terminal (`pty` in authorized_keys), else help.
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            print(_help(login, lang), file=env.out)
            return 0
        argv = [*argv, "tui"]
    # The administrator's options before `shell` are the service's configuration.
    service = ["--db", env.args.db] if env.args.db else []
    if env.args.lang and not any(a.split("=", 1)[0] == "--lang" for a in argv):
        service += ["--lang", env.args.lang]
    from .helplang import argparse_speaks, argv_language

    argv = [*service, *argv]
    lang = argv_language(argv)  # the login's own --lang, else the service's
    try:
        with argparse_speaks(lang):
            args = build_parser(lang=lang).parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    rules = env.args.rules
    inner = Env(args, out=env.out, err=env.err, pinned=login,
                service_rules=[Path(p).expanduser() for p in rules.split(os.pathsep)]
                if rules else None)
    return dispatch(inner, args.handler)
