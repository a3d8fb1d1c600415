"""Shell completion (argcomplete) of ids and company names, for every command that takes
one: `eval "$(register-python-argcomplete miteam)"` in bash (see README).

Completion reads the database file as it is on disk, without its lock or journal (a
completion never waits for a console that is writing, and never writes), and offers
only what the operator may read: the same rules filter it as `account list`. A change
not yet compacted into the file may be missing from the offers.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

_KINDS = {"user": "users", "account": "accounts", "order": "orders"}


class _OnDisk:
    """What a Session needs of a store: `read()`, here the file as it is, unlocked."""

    def __init__(self, view: Any) -> None:
        self._view = view

    def read(self) -> Any:
        return self._view


def _offers(kind: str, parsed: argparse.Namespace, prefix: str) -> list[str]:
    from ..ops.session import Session
    from ..records.store import read_file
    from .env import Env

    env = Env(parsed)
    path = env.db_path
    if path is None or not path.exists():
        return []
    session = Session(_OnDisk(read_file(path)), env.rules, env.operator, env.lang)
    accounts = session.accounts()
    if kind == "account":
        names = [a["id"] for a in accounts] + [a["name"] for a in accounts]
    elif kind == "order":
        names = [o["id"] for o in session.orders()]
    else:
        view = read_file(path)
        names = [u["id"] for a in accounts for u in view.by("users", "account", a["id"])]
    return [n for n in names if n.startswith(prefix)]


def completer(kind: str) -> Callable[..., list[str]]:
    def complete(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
        try:
            return _offers(kind, parsed_args, prefix)
        except Exception:  # a completion never breaks the shell: no offers instead
            return []
    return complete


def attach(parser: argparse.ArgumentParser) -> None:
    """Give every argument that takes a user, account or order id its completer."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                attach(sub)
            continue
        words = {action.dest, *(s.lstrip("-") for s in action.option_strings)}
        kind = next((k for k in ("user", "account", "order") if k in words), None)
        if kind is None and words & {"to"}:
            kind = "account"
        if kind is not None:
            action.completer = completer(kind)  # type: ignore[attr-defined]


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer a completion request (the shell sets _ARGCOMPLETE) and exit; otherwise do
    nothing, without importing argcomplete (the command starts as fast as before)."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    attach(parser)
    argcomplete.autocomplete(parser)
