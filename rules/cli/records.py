"""Records: partners, accounts, users, orders, operators: add, list, show; assign orders."""

from __future__ import annotations

import argparse

from ..i18n import t
from ..ops.actions import (
    Action,
    AddAccount,
    AddOperator,
    AddOrder,
    AddPartner,
    AddUser,
    AssignOrder,
    MoveUser,
)
from ..schema import ORDER_STATES, PRODUCTS, ROLES
from .bulk import cmd_user_remove
from .env import Env, add_format
from .licensing import apply
from .show import account_lines, user_lines
from .userio import cmd_user_import


def register(sub: argparse._SubParsersAction) -> None:
    op = sub.add_parser("operator", help="operators: who may act, and where")
    opsub = op.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    add = opsub.add_parser("add", help="register an operator")
    add.add_argument("login")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--partner", metavar="ID", help="the partner (role partner)")
    add.add_argument("--account", metavar="ID", help="the account (role account_admin)")
    add.add_argument("--name", help="display name (default: the login)")
    add.set_defaults(handler=cmd_operator_add)
    opsub.add_parser("whoami", help="the operator you act as").set_defaults(handler=cmd_whoami)

    partner = sub.add_parser("partner", help="partners")
    psub = partner.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    add = psub.add_parser("add", help="add a partner")
    add.add_argument("id")
    add.add_argument("--name", required=True)
    add.set_defaults(handler=cmd_partner_add)
    psub.add_parser("list", help="partners you may see").set_defaults(handler=cmd_partner_list)

    account = sub.add_parser("account", help="customer accounts")
    asub = account.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    add = asub.add_parser("add", help="add a customer account")
    add.add_argument("id")
    add.add_argument("--partner", required=True, metavar="ID")
    add.add_argument("--name", required=True, help="company name")
    add.add_argument("--micollab", choices=("on", "off"), default="off",
                     help="MiCollab integration (default off)")
    add.add_argument("--miteam", choices=("on", "off"), default="on",
                     help="MiTeam Meetings integration (default on)")
    add.set_defaults(handler=cmd_account_add)
    lst = asub.add_parser("list", help="accounts you may see, with license counts")
    lst.add_argument("--partner", metavar="ID")
    add_format(lst)
    lst.set_defaults(handler=cmd_account_list)
    show = asub.add_parser("show", help="account information: integrations, orders, licenses")
    show.add_argument("account", help="account id or company name")
    show.set_defaults(handler=cmd_account_show)

    user = sub.add_parser("user", help="users of customer accounts")
    usub = user.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    add = usub.add_parser("add", help="add a user to an account")
    add.add_argument("id")
    add.add_argument("--account", required=True, metavar="ID")
    add.add_argument("--name", required=True)
    add.add_argument("--email")
    add.set_defaults(handler=cmd_user_add)
    lst = usub.add_parser("list", help="users with their MiTeam Meetings license")
    lst.add_argument("--account", metavar="ID")
    add_format(lst)
    lst.set_defaults(handler=cmd_user_list)
    imp = usub.add_parser("import", help="users from a CSV file (id,name,email,miteam) into "
                                         "an account, with a status per row")
    imp.add_argument("file", metavar="FILE.csv", help="the file (- for standard input)")
    imp.add_argument("--account", required=True, metavar="A", help="id or company name")
    imp.add_argument("--dry-run", action="store_true", help="the status of every row; "
                                                             "nothing written")
    imp.add_argument("--skip-errors", action="store_true",
                     help="write the rows that are not in error")
    imp.set_defaults(handler=cmd_user_import)
    rm = usub.add_parser("remove", help="remove users: their licenses return to the account")
    rm.add_argument("user", nargs="+", metavar="USER")
    rm.add_argument("--dry-run", action="store_true", help="say what would happen")
    rm.set_defaults(handler=cmd_user_remove)
    mv = usub.add_parser("move", help="move a user to another account of the same partner")
    mv.add_argument("user", metavar="USER")
    mv.add_argument("--to", required=True, metavar="ACCOUNT", help="id or company name")
    mv.add_argument("--dry-run", action="store_true", help="say what would happen")
    mv.add_argument("--drop-license", action="store_true",
                    help="if the target account's rules refuse the license there, move the "
                         "user without it (else the move is refused)")
    mv.set_defaults(handler=cmd_user_move)
    exp = usub.add_parser("export", help="users as CSV (id,name,email,miteam,...), for "
                                         "spreadsheets and `user import`")
    exp.add_argument("--account", metavar="ID")
    exp.set_defaults(handler=cmd_user_export)
    show = usub.add_parser("show", help="a user's Products and Licenses")
    show.add_argument("user")
    show.set_defaults(handler=cmd_user_show)

    order = sub.add_parser("order", help="orders of licenses (Billing → Orders)")
    osub = order.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    add = osub.add_parser("add", help="record an order a partner bought")
    add.add_argument("id")
    add.add_argument("--partner", required=True, metavar="ID")
    add.add_argument("--product", required=True, choices=PRODUCTS)
    add.add_argument("--quantity", required=True, type=_quantity, metavar="N")
    add.add_argument("--expires", metavar="YYYY-MM-DD")
    add.set_defaults(handler=cmd_order_add)
    assign = osub.add_parser("assign", help="assign all licenses of an order to an account")
    assign.add_argument("order")
    assign.add_argument("account", help="account id or company name")
    assign.add_argument("--dry-run", action="store_true", help="say what would happen")
    assign.add_argument("--why", action="store_true", help="show the rules' reasoning")
    assign.set_defaults(handler=cmd_order_assign)
    lst = osub.add_parser("list", help="orders you may see")
    lst.add_argument("--state", choices=(*ORDER_STATES, "expiring"))
    add_format(lst)
    lst.set_defaults(handler=cmd_order_list)


def _quantity(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError("the quantity must be at least 1")
    return n


def _added(env: Env, action: Action) -> int:
    outcome = env.session().apply(action)
    env.emit({"ok": True, **outcome.as_dict()}, f"added {outcome.target}")
    return 0


def cmd_operator_add(env: Env) -> int:
    a = env.args
    return _added(env, AddOperator(a.login, a.role, a.partner, a.account, a.name))


def cmd_whoami(env: Env) -> int:
    op = env.session().whoami()
    where = op.get("partner") or op.get("account") or "everything"
    # Both identities, as the audit records them: the operator, and the login behind it.
    real = env.real
    env.emit({**op, "real": real},
             f"{op['id']} ({op['role']}, {where})" + (f" [{real}]" if real != op["id"] else ""))
    return 0


def cmd_partner_add(env: Env) -> int:
    return _added(env, AddPartner(env.args.id, env.args.name))


def cmd_partner_list(env: Env) -> int:
    partners = env.session().partners()
    env.emit(partners, env.table([[p["id"], p["name"]] for p in partners], ["ID", "NAME"]))
    return 0


def cmd_account_add(env: Env) -> int:
    a = env.args
    return _added(env, AddAccount(a.id, a.partner, a.name, micollab=a.micollab == "on",
                                  miteam=a.miteam == "on"))


def cmd_account_list(env: Env) -> int:
    accounts = env.session().accounts(env.args.partner)
    lang = env.lang
    rows = []
    for a in accounts:
        lic = a["licenses"]["miteam"]
        flag = f" {t('over_allocated', lang)}" if lic["over_allocated"] else ""
        rows.append([a["id"], a["name"], a["partner"],
                     t("on" if a["integrations"]["micollab"] else "off", lang),
                     t("on" if a["integrations"]["miteam"] else "off", lang),
                     f"{lic['assigned']}/{lic['total']}{flag}", a["users"]])
    env.emit_rows(accounts, ["id", "name", "partner", "micollab", "miteam", "total", "assigned",
                             "available", "over_allocated", "users"],
                  [[a["id"], a["name"], a["partner"], a["integrations"]["micollab"],
                    a["integrations"]["miteam"], *(a["licenses"]["miteam"][k] for k in (
                        "total", "assigned", "available")),
                    "yes" if a["licenses"]["miteam"]["over_allocated"] else "no", a["users"]]
                   for a in accounts],
                  env.table(rows, ["ID", "NAME", "PARTNER", "MICOLLAB", "MITEAM", "LICENSES",
                                   "USERS"]))
    return 0


def cmd_account_show(env: Env) -> int:
    account = env.session().account(env.args.account)
    env.emit(account, account_lines(account, env.lang))
    return 0


def cmd_user_add(env: Env) -> int:
    a = env.args
    return _added(env, AddUser(a.id, a.account, a.name, a.email))


def cmd_user_list(env: Env) -> int:
    users = env.session().users(env.args.account)
    lang = env.lang
    rows = []
    for u in users:
        p = u["products"][0]
        shown = p["message"] or (f"{t('on' if p['on'] else 'off', lang)} ({p['mode']})")
        rows.append([u["id"], u["name"], u["account"],
                     t("on" if u["licenses"]["miteam"] else "off", lang), shown])
    env.emit_rows(users, USER_COLUMNS, [user_row(u) for u in users],
                  env.table(rows, ["ID", "NAME", "ACCOUNT", "STORED", "SHOWN"]))
    return 0


# `user export` and `user list --format csv`: what `user import` reads (id, name, email,
# miteam), then what it ignores: the account, what the screen shows (on/off/none) and who
# set the license, so an export re-imports as "unchanged".
USER_COLUMNS = ["id", "name", "email", "miteam", "account", "shown", "set_by"]


def user_row(u: dict) -> list:
    p = u["products"][0]
    shown = "none" if p["display"] != "toggle" else ("on" if p["on"] else "off")
    return [u["id"], u["name"], u["email"] or "", u["licenses"]["miteam"], u["account"],
            shown, u["set_by"].get("miteam") or ""]


def cmd_user_move(env: Env) -> int:
    a = env.args
    return apply(env, MoveUser(a.user, a.to, a.drop_license))


def cmd_user_export(env: Env) -> int:
    env.args.format = "csv"
    return cmd_user_list(env)


def cmd_user_show(env: Env) -> int:
    user = env.session().user(env.args.user)
    env.emit(user, user_lines(user, env.lang))
    return 0


def cmd_order_add(env: Env) -> int:
    a = env.args
    return _added(env, AddOrder(a.id, a.partner, a.quantity, a.product, a.expires))


def cmd_order_assign(env: Env) -> int:
    return apply(env, AssignOrder(env.args.order, env.args.account))


def cmd_order_list(env: Env) -> int:
    orders = env.session().orders(env.args.state)
    lang = env.lang
    rows = [[o["id"], o["partner"], o["product"], o["quantity"],
             t(f"state_{o['state']}", lang) + (f", {t('expiring', lang)}" if o["expiring"]
                                                else ""),
             o["account"] or "-", o["expires"] or "-"] for o in orders]
    env.emit_rows(orders, ["id", "partner", "product", "quantity", "state", "expiring",
                           "account", "expires"],
                  [[o["id"], o["partner"], o["product"], o["quantity"], o["state"],
                    "yes" if o["expiring"] else "no", o["account"], o["expires"]]
                   for o in orders],
                  env.table(rows, ["ID", "PARTNER", "PRODUCT", "QTY", "STATE", "ACCOUNT",
                                   "EXPIRES"]))
    return 0
