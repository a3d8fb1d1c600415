"""The license report (`miteam report licenses`, the console's report place): what needs
attention, per account the operator may read.

- license counts per account, over-allocation flagged (S3);
- users whose stored license differs from what the screen shows (stored on, "No
  licenses": S5/S13), found by the same view rules the screen uses;
- users whose license the MiCollab server set (S4);
- orders expiring soon (the order's `expiring` state) and the accounts that will be
  over-allocated once they expire.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..engine.ruleset import RuleSet
from .context import Contexts
from .views import user_view

# The start screen's summary reads the users (for "stored ≠ shown") only up to this many:
# beyond, that takes seconds and much memory (every account's users); the report place,
# asked for, still lists them.
SUMMARY_USER_LIMIT = 50_000


@dataclass
class AccountLine:
    account: str
    name: str
    partner: str
    total: int
    assigned: int
    available: int
    over_allocated: bool
    # Licenses the account keeps once its expiring orders expire, and whether it will then
    # hold more than it has.
    after_expiry: int
    over_after_expiry: bool


@dataclass
class UserLine:
    user: str
    name: str
    account: str
    stored: bool
    shown: str  # on | off | none ("No licenses")
    set_by: str | None
    message: str | None  # what the screen says, in the operator's language


@dataclass
class ExpiringOrder:
    order: str
    account: str | None  # None: not assigned yet
    quantity: int
    expires: str


@dataclass
class LicenseReport:
    accounts: list[AccountLine] = field(default_factory=list)
    differs: list[UserLine] = field(default_factory=list)  # stored ≠ shown
    micollab: list[UserLine] = field(default_factory=list)  # set by the MiCollab server
    expiring: list[ExpiringOrder] = field(default_factory=list)
    # False for the start screen's summary: counts and orders only, no user read (at a
    # million users the user lists read every partition; the report place has them).
    users_checked: bool = True

    @property
    def over_allocated(self) -> list[AccountLine]:
        return [a for a in self.accounts if a.over_allocated]

    @property
    def over_after_expiry(self) -> list[AccountLine]:
        return [a for a in self.accounts if a.over_after_expiry and not a.over_allocated]

    def attention(self) -> dict[str, int]:
        """How many of each problem: the start screen's one-line summary."""
        counts = {"over_allocated": len(self.over_allocated),
                  "over_after_expiry": len(self.over_after_expiry),
                  "stored_differs": len(self.differs), "expiring": len(self.expiring)}
        if not self.users_checked:
            del counts["stored_differs"]  # not looked at: no count, rather than 0
        return counts

    def as_dict(self) -> dict:
        return {"accounts": [asdict(a) for a in self.accounts],
                "stored_differs": [asdict(u) for u in self.differs],
                "micollab_set": [asdict(u) for u in self.micollab],
                "expiring": [asdict(o) for o in self.expiring],
                "attention": self.attention()}


def build(rules: RuleSet, ctxs: Contexts, op: dict, accounts: list[dict],
          orders_of: dict[str, list[dict]], unassigned: list[dict], product: str,
          lang: str, *, users: bool = True) -> LicenseReport:
    """`accounts`: the readable accounts; `orders_of`: their orders this operator may read;
    `unassigned`: the readable orders of no account (an expiring one is listed too);
    `users`: False leaves the user lists out (only the store's counts are read)."""
    report = LicenseReport(users_checked=users)
    for o in map(ctxs.order, unassigned):
        if o["expiring"] and o["state"] == "unassigned" and o["product"] == product:
            report.expiring.append(ExpiringOrder(o["id"], None, o["quantity"], o["expires"]))
    for doc in accounts:
        acc = ctxs.account(doc)
        counts = acc["licenses"][product]
        expiring = [ctxs.order(o) for o in orders_of.get(doc["id"], [])]
        expiring = [o for o in expiring if o["expiring"] and o["state"] != "expired"
                    and o["product"] == product]
        keeps = counts["total"] - sum(o["quantity"] for o in expiring)
        report.accounts.append(AccountLine(
            doc["id"], doc["name"], doc["partner"], counts["total"], counts["assigned"],
            counts["available"], counts["available"] < 0, keeps, counts["assigned"] > keeps))
        report.expiring += [ExpiringOrder(o["id"], doc["id"], o["quantity"], o["expires"])
                            for o in expiring]
        if not users:
            continue
        for u in ctxs.view.by("users", "account", doc["id"]):
            stored = bool(u.get("licenses", {}).get(product))
            set_by = (u.get("set_by") or {}).get(product)
            if not stored and set_by != "micollab":
                continue  # neither list can hold it: no view needed (10,000 users)
            v = user_view(rules, ctxs, op, u, lang)
            p = next(x for x in v["products"] if x["product"] == product)
            shown = "none" if p["display"] != "toggle" else ("on" if p["on"] else "off")
            line = UserLine(u["id"], u["name"], doc["id"], stored, shown, set_by,
                            p["message"])
            if shown != ("on" if stored else "off"):
                report.differs.append(line)
            if set_by == "micollab" and stored:
                report.micollab.append(line)
    return report
