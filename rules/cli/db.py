"""`miteam db ...`: create the database (more `db` subcommands: dbtools.py)."""

from __future__ import annotations

import argparse

from .. import schema
from ..engine.ruleset import RuleRef
from ..errors import BadInput
from ..i18n import t
from ..ops.admin import ReplaceDatabase
from ..ops.session import Session, audit_record
from ..records import database
from ..records.store import Store, StoreError
from .env import Env


def register(sub: argparse._SubParsersAction) -> None:
    db = sub.add_parser("db", help="create and look after the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="COMMAND", required=True)
    # Other modules add their own `db` subcommands here (dbtools: generate, verify, ...).
    db.set_defaults(db_subcommands=dbsub)
    init = dbsub.add_parser("init", help="create the database (the demo data by default)")
    kind = init.add_mutually_exclusive_group()
    kind.add_argument("--empty", action="store_true",
                      help="no records; the current operator becomes support")
    kind.add_argument("--demo", action="store_true", help="the demo data (the default)")
    init.add_argument("--force", action="store_true", help="replace an existing database")
    init.set_defaults(handler=cmd_init)
    where = dbsub.add_parser("path", help="print where the database is")
    where.set_defaults(handler=cmd_path)


def guard_replace(env: Env, path: database.Target, replacement: str) -> tuple[dict, RuleRef | None]:
    """Before the database at `path` is replaced: the rules decide (`db.replace`, as the
    operator registered in it), and the decision goes into its own trail first. Returns
    what it held and the deciding rule, for the successor's first audit entry. A database
    that cannot be read has nobody to ask: only its administrator may replace it."""
    env.strict_db(path)
    try:
        store = database.open_store(path)
    except StoreError as exc:
        if not env.administrator:
            raise BadInput(t("db_unreadable_admin", env.lang, path=path, error=exc)) from None
        return {"unreadable": str(exc)}, None
    try:
        view = store.read()
        before = {"version": store.version,
                  "records": {n: view.count(n) for n in ("accounts", "users", "operators",
                                                         "audit")}}
        session = Session(store, env.rules, env.operator, env.lang, real=env.real)
        outcome = session.apply(ReplaceDatabase(
            env.caller(), before=before, after=replacement, name=database.name_of(path),
            replacement=replacement))
    finally:
        store.close()
    return before, outcome.rule


def successor_entry(env: Env, path: database.Target, operation: str, store: Store,
                    replaced: tuple[dict, RuleRef | None] | None) -> dict:
    """The first audit entry of a new database: what it replaced and who did it."""
    view = store.read()
    after = {"version": store.version,
             "records": {n: view.count(n) for n in ("accounts", "users", "operators")}}
    before, rule = replaced if replaced is not None else (None, None)
    return audit_record(env.operator, env.real, env.rules if replaced else None, operation,
                       f"database:{database.name_of(path)}", before, after, rule)


def record_successor(env: Env, path: database.Target, operation: str, store: Store,
                     replaced: tuple[dict, RuleRef | None] | None) -> None:
    entry = successor_entry(env, path, operation, store, replaced)
    with store.transaction() as tx:
        tx.append("audit", entry)


def cmd_init(env: Env) -> int:
    path = env.db_path or database.default_db_path()
    name = database.describe(path)
    exists = database.exists(path)
    if exists and not env.args.force:
        raise BadInput(f"{name}: a database exists already (use --force to replace it)")
    replaced = guard_replace(env, path, "empty" if env.args.empty else "demo") \
        if exists else None
    store = database.create(path, env.operator, demo=not env.args.empty, force=env.args.force)
    env._store = store
    record_successor(env, path, schema.DB_INIT, store, replaced)
    view = store.read()
    counts = {t: view.count(t) for t in ("partners", "accounts", "orders", "users", "operators")}
    # The login may be a demo operator already (a partner, say): report its real role.
    role = (view.get("operators", env.operator) or {}).get("role", "support")
    env.emit({"ok": True, "path": name, "records": counts, "operator": env.operator,
              "role": role},
             [f"created {name}",
              "  " + ", ".join(f"{n} {t}" for t, n in counts.items()),
              f"  you act as {env.operator} ({role})"])
    return 0


def cmd_path(env: Env) -> int:
    path = env.db_path or database.default_db_path()
    name = database.describe(path)
    env.emit({"path": name, "exists": database.exists(path)}, name)
    return 0
