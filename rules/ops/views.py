"""View models: what a screen or a command shows, from records and the rules' answers.

Pure functions over `Contexts`; the CLI prints them, the TUI renders them, both the same.
"""

from __future__ import annotations

from ..engine.ruleset import RuleSet
from ..schema import PRODUCT_NAMES, PRODUCTS
from .context import Contexts


def product_view(rules: RuleSet, ctx: dict, product: str, lang: str) -> dict:
    v = rules.view(product, ctx)
    return {
        "product": product,
        "name": PRODUCT_NAMES[product],
        "display": v.display,
        "on": v.on if v.display == "toggle" else False,
        "mode": v.mode if v.display == "toggle" else None,
        "message": rules.message(v.message, lang) if v.message else None,
        "message_key": v.message,
        "rule": v.rule.name,
        "rule_at": f"{v.rule.span.file}:{v.rule.span.line}",
    }


def user_view(rules: RuleSet, ctxs: Contexts, operator: dict, user: dict, lang: str) -> dict:
    ctx = ctxs.for_user(operator, user)
    u = ctx["user"]
    return {
        "id": u["id"],
        "account": u["account"],
        "name": u["name"],
        "email": u["email"],
        "licenses": dict(u["licenses"]),
        "set_by": dict(u["set_by"]),
        "products": [product_view(rules, {**ctx, "product": p}, p, lang) for p in PRODUCTS],
    }


def order_view(ctxs: Contexts, order: dict) -> dict:
    o = ctxs.order(order)
    return {
        "id": o["id"], "partner": o["partner"], "product": o["product"],
        "quantity": o["quantity"], "state": o["state"], "account": o["account"],
        "expires": o["expires"], "expiring": o["expiring"],
    }


def account_view(ctxs: Contexts, account: dict, orders: list[dict] | None) -> dict:
    """`orders`: the orders this operator may see (None: all of the account's)."""
    acc = ctxs.account(account)
    if orders is None:
        orders = ctxs.view.by("orders", "account", account["id"])
    return {
        "id": acc["id"],
        "name": acc["name"],
        "partner": acc["partner"],
        "integrations": dict(acc["integrations"]),
        "licenses": {
            p: {**counts, "over_allocated": counts["available"] < 0}
            for p, counts in acc["licenses"].items()
        },
        "orders": [order_view(ctxs, o) for o in orders],
        "users": ctxs.view.count("users", "account", acc["id"]),
    }


def audit_who(entry: dict) -> str:
    """Who acted, as an audit line shows it: the operator, then the OS login behind it when
    that is another (the administrator acting as the operator): `anna.huber [root]`."""
    who = entry.get("operator") or ""
    real = entry.get("real")
    return f"{who} [{real}]" if real and real != who else who
