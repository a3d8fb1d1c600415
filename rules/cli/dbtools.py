"""`miteam db generate | verify | backup | restore` and `miteam bench`: scale and durability.

These work on the database file as a whole (like `db init`). Replacing a database is
decided by the rules (`db.replace`) under the operator registered in it, recorded first in
its own trail, and then as the first entry of its successor (a restore: the newest entry
of the restored trail), with both identities.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from .. import schema
from ..errors import BadInput
from ..ops.session import audit_record
from ..records import database, generate, verify
from ..records.postgres.connect import is_url
from . import dbserver
from .db import guard_replace, record_successor
from .env import Env
from .progress import steps


def _count(value: str) -> int:
    try:
        n = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if n < 0:
        raise argparse.ArgumentTypeError("a count cannot be negative")
    return n


def _positive(value: str) -> int:
    n = _count(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    dbsub = sub.choices["db"].get_default("db_subcommands")

    gen = dbsub.add_parser("generate", help="a large realistic database, for trials and "
                                            "benchmarks (replaces nothing without --force)")
    gen.add_argument("--accounts", type=_count, required=True, metavar="N")
    gen.add_argument("--users", type=_count, required=True, metavar="M")
    gen.add_argument("--seed", type=int, default=1, metavar="S",
                     help="the same seed gives the same database (default 1)")
    gen.add_argument("--force", action="store_true", help="replace an existing database")
    gen.set_defaults(handler=cmd_generate)

    ver = dbsub.add_parser("verify", help="check the database: schema, references, license "
                                          "counts (exit 0 clean, 1 problems, 2 unreadable)")
    ver.set_defaults(handler=cmd_verify)

    back = dbsub.add_parser("backup", help="a consistent copy of the database, taken under "
                                           "the lock (one compacted JSON file)")
    back.add_argument("dest", metavar="FILE", help="where to write the backup")
    back.add_argument("--force", action="store_true", help="replace an existing file")
    back.set_defaults(handler=cmd_backup)

    rest = dbsub.add_parser("restore", help="replace the database with a backup, after "
                                            "checking the backup")
    rest.add_argument("src", metavar="FILE", help="a backup written by `db backup`")
    rest.add_argument("--force", action="store_true", help="replace an existing database")
    rest.set_defaults(handler=cmd_restore)

    rep = dbsub.add_parser("repair", help="salvage a damaged journal: keep its valid lines, "
                                          "set the rest aside in a side file")
    rep.set_defaults(handler=cmd_repair)

    b = sub.add_parser("bench", help="measure the store against stock TinyDB on a generated "
                                     "database, and against the targets")
    b.add_argument("--accounts", type=_positive, default=1000, metavar="N",
                   help="accounts (default 1000)")
    b.add_argument("--users", type=_positive, default=100_000, metavar="M",
                   help="users (default 100000)")
    b.add_argument("--seed", type=int, default=1, metavar="S")
    b.add_argument("--repeat", type=_positive, default=200, metavar="N",
                   help="runs of each product operation (default 200)")
    b.add_argument("--stock-repeat", type=_positive, default=3, metavar="N",
                   help="runs of each stock TinyDB operation (default 3: each reads the "
                        "whole file)")
    b.add_argument("--no-stock", action="store_true",
                   help="measure the product alone (1,000,000 users: stock takes minutes)")
    b.add_argument("--process-runs", type=_count, default=5, metavar="N",
                   help="runs of each whole-process command (default 5; 0: none)")
    b.add_argument("--dir", type=Path, metavar="DIR",
                   help="where to put the databases (default: a temporary directory, "
                        "removed afterwards)")
    b.set_defaults(handler=cmd_bench)
    dbserver.register(sub)  # `db migrate`, `db copy`: the PostgreSQL backend's


def _db_path(env: Env) -> database.Target:
    # Never the first-run copy of the demo: these commands name the file they act on.
    return env.db_path or database.default_db_path()


def cmd_generate(env: Env) -> int:
    a = env.args
    path = _db_path(env)
    if a.users and not a.accounts:
        raise BadInput("users need at least one account (--accounts)")
    exists = database.exists(path)
    if exists and not a.force:
        raise BadInput(f"{database.describe(path)}: a database exists already (use --force "
                       "to replace it)")
    replaced = guard_replace(env, path, "generated") if exists else None
    t = time.perf_counter()
    with steps(env, f"generating {database.name_of(path)}") as say:
        say(f"{a.accounts} accounts, {a.users} users")
        gen = generate.generate(a.accounts, a.users, a.seed)
        say("writing")
        store = generate.write(path, gen, overwrite=a.force)
        env._store = store
        record_successor(env, path, schema.DB_GENERATE, store, replaced)
        database.register_support(store, env.operator)
    seconds = time.perf_counter() - t
    counts = {t_: store.read().count(t_) for t_ in gen.records}
    kinds: dict[str, int] = {}
    for kind in gen.kinds.values():
        kinds[kind] = kinds.get(kind, 0) + 1
    big = gen.big_account
    big_users = len(store.read().by("users", "account", big)) if big else 0
    env.emit({"ok": True, "path": database.describe(path), "records": counts, "seed": a.seed,
              "accounts_by_kind": kinds, "largest_account": big,
              "largest_account_users": big_users, "operator": env.operator,
              "seconds": round(seconds, 2)},
             [f"generated {database.describe(path)} in {seconds:.1f} s (seed {a.seed})",
              "  " + ", ".join(f"{n} {t_}" for t_, n in counts.items()),
              "  accounts: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())),
              *([f"  largest account: {big} ({big_users} users)"] if big else []),
              f"  {env.operator} is a support operator"])
    return 0


def cmd_verify(env: Env) -> int:
    with steps(env, "verifying") as say:
        say(database.describe(_db_path(env)))
        report = verify.verify(_db_path(env))
    env.emit(report.as_dict(), report.lines())
    return report.exit_code


def cmd_repair(env: Env) -> int:
    from ..records.store.repair import repair

    path = _db_path(env)
    done = repair(path)
    side = str(done.side_file) if done.side_file else None
    env.emit({"ok": True, "path": str(path), "kept_lines": done.kept,
              "cut_bytes": done.cut_bytes, "side_file": side, "problem": done.problem},
             [f"{path}: the journal is sound ({done.kept} lines), nothing to repair"]
             if side is None else
             [f"{path}: kept the journal's first {done.kept} lines; cut {done.cut_bytes} "
              f"bytes from {done.problem}",
              f"  the cut bytes are kept in {side}"])
    return 0


def cmd_backup(env: Env) -> int:
    dest = Path(env.args.dest).expanduser()
    with steps(env, "backing up") as say:
        say(f"{database.describe(_db_path(env))} to {dest}")
        report = verify.backup(_db_path(env), dest, overwrite=env.args.force)
    env.emit({"ok": True, "backup": str(dest), "version": report.version,
              "records": report.counts, "problems": [f.as_dict() for f in report.problems]},
             [f"backed up {database.describe(_db_path(env))} (version {report.version}) to {dest}",
              "  " + ", ".join(f"{n} {t}" for t, n in report.counts.items()),
              *(["  the copy has the database's problems: see `miteam db verify`"]
                if report.problems else [])])
    return 0


def cmd_restore(env: Env) -> int:
    src = Path(env.args.src).expanduser()
    path = _db_path(env)
    exists = database.exists(path)
    if exists and not env.args.force:
        raise BadInput(f"{database.describe(path)}: a database exists here (use --force to "
                       "replace it with the backup)")
    checked = verify.verify_file(src)  # a bad backup is refused before anything is asked
    if not checked.ok:
        return _refused_backup(env, verify.BackupRefused(checked))
    replaced = guard_replace(env, path, "backup") if exists else None
    before, rule = replaced if replaced is not None else (None, None)
    entry = audit_record(env.operator, env.real, env.rules if replaced else None,
                        schema.DB_RESTORE, f"backup:{src.name}", before, None, rule)
    try:
        with steps(env, "restoring") as say:
            say(f"checking {src}, then writing {database.describe(path)}")
            report = verify.restore(src, path, overwrite=env.args.force, audit=entry)
    except verify.BackupRefused as refused:
        return _refused_backup(env, refused)
    name = database.describe(path)
    env.emit({"ok": True, "restored": str(src), "path": name, "version": report.version,
              "records": report.counts},
             [f"restored {name} from {src} (backup of version {report.version})",
              "  " + ", ".join(f"{n} {t}" for t, n in report.counts.items())])
    return 0


def _refused_backup(env: Env, refused: verify.BackupRefused) -> int:
    r = refused.report
    if env.json:
        env.emit({"ok": False, "exit": 1, "error": str(refused),
                  "problems": [f.as_dict() for f in r.problems]})
    print(f"miteam: {refused}", file=env.err)
    for f in r.problems:
        print(f"  {f.line()}", file=env.err)
    return 1


def cmd_bench(env: Env) -> int:
    a = env.args
    from .. import bench

    rules = env.rules
    if is_url(env.db_path):  # the PostgreSQL backend beside the embedded store
        from ..bench import postgres as bench_postgres

        with steps(env, "bench") as say:
            pg = bench_postgres.run(str(env.db_path), a.accounts, a.users, a.seed,
                                    rules=rules, repeat=a.repeat, workdir=a.dir,
                                    progress=say)
        env.emit(pg.as_dict(), pg.lines())
        return 0
    try:
        with steps(env, "bench") as say:
            result = bench.run(a.accounts, a.users, a.seed, rules=rules, workdir=a.dir,
                               repeat=a.repeat, stock_repeat=a.stock_repeat,
                               stock=not a.no_stock, progress=say,
                               process_runs=a.process_runs)
    except ValueError as e:
        raise BadInput(str(e)) from None
    env.emit(result.as_dict(), result.lines())
    return 0

