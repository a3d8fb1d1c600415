"""The impact of a rule change on real records (`miteam rules diff OLD NEW --db DB`).

For every account the operator may read (under the rules in force), and every user
of it: what Products and Licenses shows, and what switching the license to the other state
decides, asked of both rule sets for each kind of operator who manages the account (support,
its partner, its account admin); and for the account, switching each integration. Whatever
differs is listed per user or account. Accounts outside the operator's scope are not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine.ruleset import RuleSet, describe_view
from ..schema import INTEGRATIONS, PRODUCTS
from .actions import SetIntegration, SetLicense
from .context import Contexts
from .session import Session


@dataclass
class Impact:
    accounts: dict[str, list[str]] = field(default_factory=dict)  # id → what changes
    users: dict[str, list[str]] = field(default_factory=dict)
    user_account: dict[str, str] = field(default_factory=dict)
    checked_accounts: int = 0
    checked_users: int = 0

    def as_dict(self) -> dict:
        return {
            "accounts_checked": self.checked_accounts, "users_checked": self.checked_users,
            "accounts_changed": len(self.accounts), "users_changed": len(self.users),
            "accounts": [{"id": a, "changes": c} for a, c in self.accounts.items()],
            "users": [{"id": u, "account": self.user_account[u], "changes": c}
                      for u, c in self.users.items()],
        }


def _operators(account: dict) -> list[dict]:
    """The operators who manage an account, one of each role."""
    return [
        {"id": "(support)", "name": "support", "role": "support", "partner": None,
         "account": None},
        {"id": "(partner)", "name": "partner", "role": "partner",
         "partner": account["partner"], "account": None},
        {"id": "(account admin)", "name": "account admin", "role": "account_admin",
         "partner": account["partner"], "account": account["id"]},
    ]


def _decision(rules: RuleSet, op: str, c: dict) -> str:
    d = rules.decide(op, c)
    effects = rules.consequences(op, c) if d.allowed else []
    text = "allowed" if d.allowed else f"refused because {d.because}"
    if effects:
        text += " then " + "; ".join(f"{e.action} {e.product} "
                                     f"{'to' if e.action == 'grant' else 'from'} {e.target}"
                                     for e in effects)
    return text


def impact(store: Any, in_force: RuleSet, old: RuleSet, new: RuleSet,
           operator: str) -> Impact:
    """`in_force`: the configured rules, which decide the operator's scope (never OLD or
    NEW: they are any files the caller names, and must not widen what they may read)."""
    out = Impact()
    readable = [a["id"] for a in Session(store, in_force, operator).accounts()]
    ctxs = Contexts(store.read(), expiring_days=in_force.expiring_days)
    for account_id in readable:
        doc = ctxs.view.get("accounts", account_id)
        out.checked_accounts += 1
        account_changes: dict[str, list[str]] = {}
        for op in _operators(doc):
            base = ctxs.for_account(op, doc)
            for integration in INTEGRATIONS:
                value = not base["account"]["integrations"][integration]
                c = {**base, "integration": integration, "value": value}
                policy = SetIntegration.policy
                a, b = _decision(old, policy, c), _decision(new, policy, c)
                if a != b:
                    account_changes.setdefault(
                        f"integration {integration} {'on' if value else 'off'}{{as}}: "
                        f"{a} → {b}", []).append(op["name"])
        if account_changes:
            out.accounts[account_id] = [text.replace("{as}", f" as {', '.join(roles)}")
                                        for text, roles in account_changes.items()]
        for user in ctxs.view.by("users", "account", account_id):
            out.checked_users += 1
            # change → the roles it changes for, so one line says "as support, partner".
            changes: dict[str, list[str]] = {}
            for op in _operators(doc):
                c = ctxs.for_user(op, user)
                for product in PRODUCTS:
                    pc = {**c, "product": product,
                          "value": not c["user"]["licenses"][product]}
                    va, vb = (describe_view(old.view(product, pc)),
                              describe_view(new.view(product, pc)))
                    if va != vb:
                        changes.setdefault(f"{product} shows: {va} → {vb}", [])
                    policy = SetLicense.policy
                    a, b = _decision(old, policy, pc), _decision(new, policy, pc)
                    if a != b:
                        changes.setdefault(
                            f"{product} switch {'on' if pc['value'] else 'off'}"
                            "{as}: " + f"{a} → {b}", []).append(op["name"])
            if changes:
                out.users[user["id"]] = [
                    text.replace("{as}", f" as {', '.join(roles)}" if roles else "")
                    for text, roles in changes.items()]
                out.user_account[user["id"]] = account_id
    return out
