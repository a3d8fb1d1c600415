"""`miteam keys add|list|remove`: the SSH keys that let a person in as one operator.

Run as the service account (it owns `~/.ssh/authorized_keys` and the database). Adding
and removing are decided by the rules (`keys.add`, `keys.remove`) and audited; the file
is written inside the same transaction as the audit entry, so one never happens without
the other.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import BadInput
from ..i18n import t
from ..ops.admin import AddKey, RemoveKey
from ..records import database
from . import authkeys
from .env import Env


def register(sub: argparse._SubParsersAction) -> None:
    keys = sub.add_parser("keys", help="SSH keys pinned to operators (the service "
                                       "account's authorized_keys)")
    ksub = keys.add_subparsers(dest="keys_command", metavar="COMMAND", required=True)
    add = ksub.add_parser("add", help="let the holder of a public key log in as OPERATOR")
    add.add_argument("login", metavar="OPERATOR")
    add.add_argument("pubkey", metavar="PUBKEY_FILE", help="the person's public key (*.pub)")
    add.set_defaults(handler=cmd_add)
    ksub.add_parser("list", help="the keys miteam manages, by operator").set_defaults(
        handler=cmd_list)
    rm = ksub.add_parser("remove", help="remove an operator's key, by its fingerprint")
    rm.add_argument("login", metavar="OPERATOR")
    rm.add_argument("fingerprint", metavar="FINGERPRINT", help="SHA256:... (keys list)")
    rm.set_defaults(handler=cmd_remove)


def _write(env: Env, path: Path, lines: list[str]) -> None:
    try:
        authkeys.write_lines(path, lines)
    except OSError as exc:
        raise BadInput(t("keys_cannot_write", env.lang, path=path,
                         error=exc.strerror or exc)) from None


def cmd_add(env: Env) -> int:
    src = Path(env.args.pubkey).expanduser()
    try:
        key = authkeys.parse_key(src.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(t("keys_bad_key", env.lang, path=src,
                         problem=getattr(exc, "strerror", None) or exc)) from None
    except authkeys.KeyProblem as exc:
        raise BadInput(t("keys_bad_key", env.lang, path=src, problem=exc)) from None
    try:
        command = authkeys.miteam_command()
    except FileNotFoundError as exc:
        raise BadInput(t("keys_no_command", env.lang, path=exc)) from None
    path = authkeys.authorized_keys_path()
    lines = authkeys.read_lines(path)
    holder = authkeys.installed_for(lines, key)
    if holder is not None:
        raise BadInput(t("keys_installed", env.lang, login=holder,
                         fingerprint=key.fingerprint))
    # The database goes into the forced command when it was named here (--db, MITEAM_DB):
    # the shell ignores MITEAM_*, and reads the config file itself.
    line = authkeys.forced_line(command, env.args.login, key,
                                env.db_path if env.args.db or database.env_db_path() else None)
    entry = authkeys.Entry(env.args.login, key)
    outcome = env.session().apply(AddKey(
        env.caller(), after=entry.as_dict(), effect=lambda: _write(env, path, [*lines, line]),
        operator=env.args.login, fingerprint=key.fingerprint))
    env.emit({"ok": True, "authorized_keys": str(path), **entry.as_dict(),
              "audit": outcome.audit},
             [t("keys_added", env.lang, login=env.args.login, type=key.type,
                fingerprint=key.fingerprint),
              f"  {path}: {line[:line.index(',restrict,pty ')]},restrict,pty"])
    return 0


def cmd_list(env: Env) -> int:
    path = authkeys.authorized_keys_path()
    found = [e.as_dict() for e in authkeys.entries(path)]
    env.emit({"authorized_keys": str(path), "keys": found},
             env.table([[k["operator"], k["type"], k["fingerprint"], k["comment"]]
                        for k in found], t("keys_header", env.lang).split("|"))
             if found else t("keys_empty", env.lang, path=path))
    return 0


def cmd_remove(env: Env) -> int:
    login = env.args.login
    wanted = env.args.fingerprint
    wanted = wanted if wanted.startswith("SHA256:") else f"SHA256:{wanted}"
    path = authkeys.authorized_keys_path()
    lines = authkeys.read_lines(path)
    gone = [ln for ln in lines if (e := authkeys.managed(ln)) is not None
            and e.login == login and e.key.fingerprint == wanted]
    if not gone:
        raise BadInput(t("keys_none", env.lang, login=login, fingerprint=wanted))
    entry = authkeys.managed(gone[0])
    assert entry is not None
    kept = [ln for ln in lines if ln not in gone]
    outcome = env.session().apply(RemoveKey(
        env.caller(), before=entry.as_dict(), effect=lambda: _write(env, path, kept),
        operator=login, fingerprint=wanted))
    env.emit({"ok": True, "authorized_keys": str(path), "removed": entry.as_dict(),
              "audit": outcome.audit},
             t("keys_removed", env.lang, type=entry.key.type, fingerprint=wanted,
               login=login, path=path))
    return 0
