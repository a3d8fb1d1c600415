"""Licensing: integrations, license switches (operator and MiCollab server), explain, audit."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import Refused
from ..ops.actions import Action, MicollabSet, SetIntegration, SetLicense
from ..ops.auditlog import AuditFilter
from ..ops.session import Session
from ..schema import INTEGRATIONS, PRODUCTS
from ..text import printable
from .bulk import bulk_license_set, cmd_revert
from .env import Env, add_format
from .show import audit_lines, outcome_lines


def _onoff(value: str) -> bool:
    if value not in ("on", "off"):
        raise argparse.ArgumentTypeError(f"'{value}' is neither on nor off")
    return value == "on"


def register(sub: argparse._SubParsersAction) -> None:
    integ = sub.add_parser("integration", help="an account's MiCollab / MiTeam integrations")
    isub = integ.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    s = isub.add_parser("set", help="switch an integration on or off")
    s.add_argument("account", help="account id or company name")
    s.add_argument("integration", choices=INTEGRATIONS)
    s.add_argument("value", type=_onoff, metavar="on|off")
    s.add_argument("--dry-run", action="store_true",
                   help="say what would happen (which licenses would be switched off)")
    s.add_argument("--why", action="store_true", help="show the rules' reasoning")
    s.add_argument("--expect", type=_onoff, metavar="on|off",
                   help="the state you saw: refuse if another console changed it since")
    s.add_argument("--expect-preview", metavar="DIGEST",
                   help="the preview a --dry-run printed: refuse if the change would now "
                        "switch other licenses than it showed")
    s.set_defaults(handler=cmd_integration_set)

    for name, helptext in (("license", "switch a user's license in the console"),
                           ("micollab", "act as the MiCollab server: grant or withdraw")):
        grp = sub.add_parser(name, help=helptext)
        gsub = grp.add_subparsers(dest="sub", metavar="COMMAND", required=True)
        s = gsub.add_parser("set", help=helptext)
        if name == "license":
            s.add_argument("user", nargs="*", metavar="USER",
                           help="one or more user ids (or select with --account/--from-file)")
            s.add_argument("--account", metavar="A",
                           help="every user of this account (id or company name)")
            s.add_argument("--where", action="append", default=[], metavar="STATE=VALUE",
                           help="with --account: only users in this state, e.g. shown=off, "
                                "stored=on, mode=editable, set_by=micollab (repeatable)")
            s.add_argument("--from-file", metavar="FILE",
                           help="user ids, one a line (- for standard input)")
            s.add_argument("--all-or-nothing", action="store_true",
                           help="several users: switch none if any would be refused")
            s.add_argument("--expect-preview", metavar="DIGEST",
                           help="several users: the preview a --dry-run printed; refuse if "
                                "the set would now go otherwise")
        else:
            s.add_argument("user")
        s.add_argument("product", choices=PRODUCTS)
        s.add_argument("value", type=_onoff, metavar="on|off")
        s.add_argument("--dry-run", action="store_true", help="say what would happen")
        s.add_argument("--why", action="store_true", help="show the rules' reasoning")
        s.add_argument("--expect", type=_onoff, metavar="on|off",
                       help="the state you saw: refuse if another console changed it since")
        s.set_defaults(handler=cmd_license_set if name == "license" else cmd_micollab_set)

    ex = sub.add_parser("explain", help="what Products and Licenses shows for a user, and why")
    ex.add_argument("user")
    ex.add_argument("product", nargs="?", default="miteam", choices=PRODUCTS)
    ex.set_defaults(handler=cmd_explain)

    rv = sub.add_parser("revert", help="apply the inverse of an audited change, decided by "
                                       "today's rules")
    rv.add_argument("seq", type=int, metavar="SEQ", help="the audit entry (#SEQ in audit)")
    rv.add_argument("--dry-run", action="store_true", help="say what would happen")
    rv.set_defaults(handler=cmd_revert)

    au = sub.add_parser("audit", help="the audit trail: every change, who, when, which rule")
    au.add_argument("--account", metavar="ID")
    au.add_argument("--user", metavar="U", help="entries about this user")
    au.add_argument("--operator", dest="by_operator", metavar="O",
                    help="entries made by this operator")
    au.add_argument("--operation", metavar="OP", help="e.g. license.set, integration.set")
    au.add_argument("--rule", metavar="R", help="entries this rule decided")
    au.add_argument("--since", metavar="DATE", help="from this day (YYYY-MM-DD)")
    au.add_argument("--until", metavar="DATE", help="up to and including this day")
    au.add_argument("--limit", type=int, default=50, metavar="N",
                    help="the newest N entries (default 50; 0 for all)")
    add_format(au)
    au.set_defaults(handler=cmd_audit)


@contextmanager
def explained(env: Env, session: Session, action: Action) -> Iterator[None]:
    """With --why: a refusal carries the rules' full reasoning; a success prints it."""
    try:
        yield
    except Refused as exc:
        if getattr(env.args, "why", False):
            exc.explanation = session.why(action)
        raise
    if getattr(env.args, "why", False) and not env.json:
        print("\n".join(map(printable, session.why(action).lines(env.lang))), file=env.out)


def apply(env: Env, action: Action) -> int:
    """Apply one action as the command line asked (--dry-run, --expect, --expect-preview,
    --why) and print its outcome."""
    a = env.args
    session = env.session()
    with explained(env, session, action):
        outcome = session.apply(action, dry_run=getattr(a, "dry_run", False),
                                expect=getattr(a, "expect", None),
                                expect_preview=getattr(a, "expect_preview", None))
    env.emit({"ok": True, **outcome.as_dict()}, outcome_lines(outcome, env.lang))
    return 0


def cmd_integration_set(env: Env) -> int:
    a = env.args
    return apply(env, SetIntegration(a.account, a.integration, a.value))


def cmd_license_set(env: Env) -> int:
    a = env.args
    if len(a.user) == 1 and not (a.account or a.from_file or a.where or a.all_or_nothing):
        return apply(env, SetLicense(a.user[0], a.product, a.value))
    return bulk_license_set(env)


def cmd_micollab_set(env: Env) -> int:
    a = env.args
    return apply(env, MicollabSet(a.user, a.product, a.value))


def cmd_explain(env: Env) -> int:
    session = env.session()
    explanation = session.explain(env.args.user, env.args.product)
    user = session.user(env.args.user)
    env.emit({"user": user, "explanation": explanation.as_dict()}, explanation.lines(env.lang))
    return 0


AUDIT_COLUMNS = ["seq", "at", "operator", "actor", "operation", "target", "account",
                 "partner", "before", "after", "rule", "outcome", "revert_of"]


def cmd_audit(env: Env) -> int:
    a = env.args
    where = AuditFilter(a.user, a.by_operator, a.operation, a.rule, a.since, a.until)
    entries = env.session().audit(a.account, a.limit or None, where)
    env.emit_rows(entries, AUDIT_COLUMNS,
                  [[e.get(c) if not isinstance(e.get(c), dict) else e[c].get("id")
                    for c in AUDIT_COLUMNS] for e in entries], audit_lines(entries))
    return 0
