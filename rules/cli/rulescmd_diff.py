"""`miteam rules diff OLD NEW`: what a rule change changes, state by state, before it goes live.

Every abstract state (the same enumeration as `rules verify`, over both rule sets) whose
view, policy decision or consequence differs, grouped by the rules that decided, old → new;
with `--db`, the real users and accounts (those the operator may read) whose screen or
switch would change, counted and listed. Exit 0: no difference; 1: they differ; 2: a rule
set does not load or the database cannot be read.
"""

from __future__ import annotations

import argparse
import json

from ..engine.diff import DiffReport, diff, state_line
from ..engine.ruleset import RuleSet
from ..ops.impact import Impact, impact
from ..text import counted, printable
from .env import Env


def register(rsub: argparse._SubParsersAction) -> None:
    d = rsub.add_parser(
        "diff", help="the semantic difference of two rule sets (and who it would change)",
        description="Every abstract state whose view, decision or consequence differs "
                    "between two rule sets, grouped by the rules involved; with --db, the "
                    "users and accounts whose screen or switch would change. Exit 0: the "
                    "same; 1: they differ; 2: bad input.")
    d.add_argument("old", metavar="OLD", help="the rules in force (a directory or file)")
    d.add_argument("new", metavar="NEW", help="the changed rules")
    d.add_argument("--db", dest="db", metavar="DB", default=argparse.SUPPRESS,
                   help="also list the real users and accounts of this database it changes")
    d.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="one JSON document")
    d.set_defaults(handler=cmd_diff)


def cmd_diff(env: Env) -> int:
    old = RuleSet.load([env.args.old])  # a RuleError is reported by the CLI, exit 2
    new = RuleSet.load([env.args.new])
    report = diff(old, new)
    effect: Impact | None = None
    if getattr(env.args, "db", None):
        effect = impact(env.store, env.rules, old, new, env.operator)
    if env.json:
        doc = report.as_dict()
        doc["old"], doc["new"] = env.args.old, env.args.new
        doc["impact"] = effect.as_dict() if effect is not None else None
        print(json.dumps(doc, ensure_ascii=False, indent=2, default=str), file=env.out)
    else:
        _print(env, report, effect)
    different = not report.same or bool(effect and (effect.users or effect.accounts))
    return 1 if different else 0


def _print(env: Env, report: DiffReport, effect: Impact | None) -> None:
    out = env.out
    print(f"{env.args.old} → {env.args.new}: {report.changed} of "
          f"{counted(report.states, 'abstract state')} answer differently", file=out)
    for name, (a, b) in report.settings.items():
        print(f"setting {name}: {a} → {b}", file=out)
    for c in report.changes:
        rules = c.old_rule if c.old_rule == c.new_rule else f"{c.old_rule} → {c.new_rule}"
        print(f"\n{c.question}: {rules} ({counted(len(c.states), 'state')})", file=out)
        print(f"  {c.old}  →  {c.new}", file=out)
        for state in c.states:
            print(f"    {state_line(state)}", file=out)
    if effect is None:
        return
    print(f"\nin the database: {len(effect.users)} of {counted(effect.checked_users, 'user')} and "
          f"{len(effect.accounts)} of {counted(effect.checked_accounts, 'account')} would change",
          file=out)
    for account, changes in effect.accounts.items():
        for line in changes:
            print(printable(f"  account {account}: {line}"), file=out)
    for user, changes in effect.users.items():
        for line in changes:
            print(printable(f"  user {user} ({effect.user_account[user]}): {line}"), file=out)

