"""Shell completion (argcomplete) of ids and company names, for every command that takes
one: `eval "$(register-python-argcomplete miteam)"` in bash (see README). Users, accounts
(id or company name), orders, partners (id or name), the operators of the audit entries
(`audit --operator`) and the entries themselves (`revert SEQ`).

Completion reads the database as it is on disk, the file and its journal (so the entry a
change just made is offered to `revert`), without taking the lock: the store's loader
reads both lock-free, so a console in the middle of a change never makes a shell wait
(a lock wait, in the rare case of a compaction racing the read, gives up at once and the
file alone is read). It never writes, and offers only what the operator may read: the
same rules filter it as `account list`.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

# What an argument takes, by its name: `user`, `--account`, `--partner`, ...
_BY_WORD = ("user", "account", "order", "partner")
# By its destination, where the name alone would say something else (the global
# `--operator` is who acts and is never completed; `audit --operator` filters entries).
_BY_DEST = {"to": "account", "by_operator": "operator", "seq": "entry"}


class _OnDisk:
    """What a Session needs of a store: `read()`, here the file as it is, unlocked."""

    def __init__(self, view: Any) -> None:
        self._view = view

    def read(self) -> Any:
        return self._view


def _offers(kind: str, parsed: argparse.Namespace, prefix: str) -> list[str]:
    from ..records.store import Store, StoreError, read_file
    from .env import Env

    env = Env(parsed)
    env.check_identity()  # --operator is the administrator's: no one completes as another
    path = env.db_path
    if path is None or not path.exists():
        return []
    try:
        store = Store(path)  # base and journal, loaded lock-free (see the module)
    except (StoreError, OSError):
        return _offered(kind, read_file(path), env, prefix)
    try:
        return _offered(kind, store.read(), env, prefix)
    finally:
        store.close()


def _offered(kind: str, view: Any, env: Any, prefix: str) -> list[str]:
    from ..ops.session import Session

    session = Session(_OnDisk(view), env.rules, env.operator, env.lang)
    if kind == "partner":
        partners = session.partners()
        names = [p["id"] for p in partners] + [p.get("name") or p["id"] for p in partners]
    elif kind in ("operator", "entry"):
        entries = session.audit(limit=None)
        names = list(dict.fromkeys(str(e.get("operator") or "") for e in entries)) \
            if kind == "operator" else [str(e["seq"]) for e in reversed(entries)]
    elif kind == "order":
        names = [o["id"] for o in session.orders()]
    else:
        accounts = session.accounts()
        if kind == "account":
            names = [a["id"] for a in accounts] + [a["name"] for a in accounts]
        else:
            names = [u["id"] for a in accounts for u in view.by("users", "account", a["id"])]
    return [n for n in names if n and n.startswith(prefix)]


def completer(kind: str) -> Callable[..., list[str]]:
    def complete(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
        try:
            return _offers(kind, parsed_args, prefix)
        except Exception:  # a completion never breaks the shell: no offers instead
            return []
    return complete


def attach(parser: argparse.ArgumentParser) -> None:
    """Give every argument that takes an id (or a company name) its completer."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                attach(sub)
            continue
        words = {action.dest, *(s.lstrip("-") for s in action.option_strings)}
        kind = _BY_DEST.get(action.dest) or next((k for k in _BY_WORD if k in words), None)
        if kind is not None:
            action.completer = completer(kind)  # type: ignore[attr-defined]


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer a completion request (the shell sets _ARGCOMPLETE) and exit; otherwise do
    nothing, without importing argcomplete (the command starts as fast as before)."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    # This process only answers the shell, then exits: a lock wait gives up at once.
    os.environ["MITEAM_LOCK_TIMEOUT"] = "0.1"

    attach(parser)
    argcomplete.autocomplete(parser)
