"""`miteam db migrate | copy`: the schema of a PostgreSQL database, and moving a whole
database between backends (a file and a PostgreSQL server, either way)."""

from __future__ import annotations

import argparse

from ..errors import BadInput
from ..records import copy, database
from ..records.postgres.connect import is_url
from ..text import counted
from .env import Env


def register(sub: argparse._SubParsersAction) -> None:
    dbsub = sub.choices["db"].get_default("db_subcommands")
    mig = dbsub.add_parser("migrate", help="bring a database up to this miteam's layout: "
                                           "a single file becomes one file per account; a "
                                           "PostgreSQL database gets this schema")
    mig.set_defaults(handler=cmd_migrate)
    cp = dbsub.add_parser("copy", help="copy a whole database, audit included, between a "
                                       "file and a PostgreSQL server, and check the copy")
    cp.add_argument("source", metavar="SOURCE", help="a database file or postgresql:// URL")
    cp.add_argument("target", metavar="TARGET", help="a database file or postgresql:// URL")
    cp.add_argument("--force", action="store_true", help="replace a database at TARGET")
    cp.set_defaults(handler=cmd_copy)


def cmd_migrate(env: Env) -> int:
    target = env.db_path or database.default_db_path()
    name = database.describe(target)
    if not is_url(target):
        return _migrate_file(env, target, name)
    from ..records.postgres import PgStore

    with PgStore(str(target), check=False) as store:
        start, end = store.migrate()
    env.emit({"ok": True, "path": name, "from": start, "to": end},
             f"{name}: schema version {end}" + (f" (was {start})" if start != end
                                                else ", up to date"))
    return 0


def cmd_copy(env: Env) -> int:
    source = database.target(env.args.source)
    target = database.target(env.args.target)
    if source is None or target is None:
        raise BadInput("name a SOURCE and a TARGET database")
    report = copy.copy(source, target, overwrite=env.args.force)
    problems = report.problems
    env.emit({"ok": True, "source": report.source, "target": report.target,
              "records": report.counts, "problems": [f.as_dict() for f in problems]},
             [f"copied {report.source} to {report.target}, and checked the copy",
              "  " + ", ".join(f"{n} {t}" for t, n in report.counts.items()),
              *([f"  the copy has the source's {counted(len(problems), 'problem')}: see "
                 "`miteam db verify`"] if problems else [])])
    return 0


def _migrate_file(env: Env, target: database.Target, name: str) -> int:
    from .progress import steps

    with steps(env, "migrating") as say:
        say(f"{name}: one file per account")
        store = database.open_store(target)
        try:
            kept = store.migrate()
        finally:
            store.close()
    if kept is None:
        env.emit({"ok": True, "path": name, "from": 2, "to": 2, "kept": None},
                 f"{name}: one file per account already; nothing to migrate")
    else:
        env.emit({"ok": True, "path": name, "from": 1, "to": 2, "kept": str(kept)},
                 [f"{name}: converted to one file per account",
                  f"  the single file as it was is kept as {kept}"])
    return 0
