"""Build what rules read (schema.RECORDS shapes) from stored records.

Derived facts live here, computed from records, never stored: an order's effective state
(expired once its date has passed; expiring within the rules' window) and an account's
license counts. They are cached per
`Contexts` (one read or one transaction), so evaluating 10,000 users of one account
builds that account once; how many users hold a license comes from a count the store
keeps current (`View.count_flags`), so a switch never walks the account's users.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..records.orders import order_expiring, order_state, today
from ..schema import PRODUCTS


class Contexts:
    """Rule contexts over one consistent view of the store (a View or a Tx)."""

    def __init__(self, view: Any, on: date | None = None, *, expiring_days: int) -> None:
        """`expiring_days`: the rule set's window for an order's `expiring` (policy, so
        the caller reads it from the rules: `RuleSet.expiring_days`)."""
        self.view = view
        self.on = on or today()
        self.expiring_days = expiring_days
        self._accounts: dict[str, dict] = {}

    def invalidate(self) -> None:
        self._accounts.clear()

    def order(self, doc: dict) -> dict:
        return {
            **doc,
            "state": order_state(doc, self.on),
            "expiring": order_expiring(doc, self.on, self.expiring_days),
            "account": doc.get("account"),
            "expires": doc.get("expires"),
        }

    def account(self, doc: dict) -> dict:
        cached = self._accounts.get(doc["id"])
        if cached is not None:
            return cached
        orders = [self.order(o) for o in self.view.by("orders", "account", doc["id"])]
        held = self._held(doc["id"])
        licenses = {}
        for product in PRODUCTS:
            total = sum(o["quantity"] for o in orders
                        if o["product"] == product and o["state"] != "expired")
            assigned = held.get(product, 0)
            licenses[product] = {"total": total, "assigned": assigned,
                                 "available": total - assigned}
        ctx = {**doc, "licenses": licenses, "orders": len(orders), "users": doc["id"]}
        self._accounts[doc["id"]] = ctx
        return ctx

    def _held(self, account_id: str) -> dict[str, int]:
        """How many users of the account hold each product's license."""
        count_flags = getattr(self.view, "count_flags", None)
        if count_flags is not None:
            # The store keeps this count current: O(1), not a pass over 10,000 users.
            return count_flags("users", "account", account_id, "licenses")
        held: dict[str, int] = {}
        for u in self.view.by("users", "account", account_id):
            for product, on in u.get("licenses", {}).items():
                if on:
                    held[product] = held.get(product, 0) + 1
        return held

    def user(self, doc: dict) -> dict:
        return {
            **doc,
            "email": doc.get("email"),
            "licenses": {p: bool(doc.get("licenses", {}).get(p)) for p in PRODUCTS},
            "set_by": {p: doc.get("set_by", {}).get(p) for p in PRODUCTS},
        }

    def operator(self, doc: dict) -> dict:
        return {"name": doc.get("name") or doc["id"], "partner": doc.get("partner"),
                "account": doc.get("account"), **doc}

    def partner_of(self, partner_id: str) -> dict:
        return self.view.get("partners", partner_id) or {"id": partner_id, "name": partner_id}

    def for_user(self, operator: dict, user: dict, **params: object) -> dict:
        account = self.account(self.view.get("accounts", user["account"]))
        return {
            "operator": operator, "user": self.user(user), "account": account,
            "partner": self.partner_of(account["partner"]), **params,
        }

    def for_account(self, operator: dict, account: dict, **params: object) -> dict:
        acc = self.account(account)
        return {"operator": operator, "account": acc, "partner": self.partner_of(acc["partner"]),
                **params}
