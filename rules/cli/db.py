"""`miteam db ...`: create the database (more `db` subcommands: dbtools.py)."""

from __future__ import annotations

import argparse

from ..errors import BadInput
from ..records import database
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


def cmd_init(env: Env) -> int:
    path = env.db_path or database.default_db_path()
    name = database.describe(path)
    if not env.args.force and database.exists(path):
        raise BadInput(f"{name}: a database exists already (use --force to replace it)")
    store = database.create(path, env.operator, demo=not env.args.empty, force=env.args.force)
    env._store = store
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
