"""The record schema: what rule files may read, and the vocabulary the product knows.

This is the contract between the records and the rule language. The checker validates
rule files against it; the context builder (`context.py`) produces exactly these shapes.
Nothing here says what the licensing policy is: only what exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PRODUCTS = ("miteam",)
PRODUCT_NAMES = {"miteam": "MiTeam Meetings"}
INTEGRATIONS = ("micollab", "miteam")
ROLES = ("support", "partner", "account_admin")
ORDER_STATES = ("unassigned", "assigned", "expired")
LANGUAGES = ("en", "de")
DISPLAYS = ("toggle", "no_licenses")
MODES = ("editable", "readonly", "disabled")
ACTORS = ("operator", "micollab")
# The places an operator may be offered (policy place.open decides which).
PLACES = ("orders", "audit")

# The operations' names, as the rule files write them (`policy license.set`) and the
# audit records them: written once, here, in the vocabulary every layer shares; each
# has its action in rules/ops/actions.py (or admin.py).
LICENSE_SET = "license.set"
MICOLLAB_SET = "micollab.set"
INTEGRATION_SET = "integration.set"
ORDER_ASSIGN = "order.assign"
ORDER_ADD = "order.add"
ORDER_READ = "order.read"
PARTNER_ADD = "partner.add"
PARTNER_READ = "partner.read"
ACCOUNT_ADD = "account.add"
ACCOUNT_READ = "account.read"
USER_ADD = "user.add"
USER_REMOVE = "user.remove"
USER_MOVE = "user.move"
OPERATOR_ADD = "operator.add"
KEYS_ADD = "keys.add"
KEYS_REMOVE = "keys.remove"
AUDIT_READ = "audit.read"
DB_REPLACE = "db.replace"
DB_INIT = "db.init"
DB_GENERATE = "db.generate"
DB_RESTORE = "db.restore"


@dataclass(frozen=True)
class Type:
    kind: str  # bool | int | str | enum | record | users
    values: tuple[str, ...] = ()
    optional: bool = False
    fields: dict[str, Type] = field(default_factory=dict, compare=False, hash=False)
    doc: str = ""

    def describe(self) -> str:
        if self.kind == "enum":
            base = "one of " + ", ".join(f'"{v}"' for v in self.values)
        elif self.kind == "record":
            base = "a record"
        elif self.kind == "users":
            base = "the users of an account"
        else:
            base = {"bool": "a flag (true/false)", "int": "a number", "str": "a text"}[self.kind]
        return base + (" or none" if self.optional else "")


BOOL = Type("bool")
INT = Type("int")
STR = Type("str")
OPT_STR = Type("str", optional=True)


def enum(*values: str, optional: bool = False) -> Type:
    return Type("enum", tuple(values), optional)


def record(**fields: Type) -> Type:
    return Type("record", fields=fields)


_counts = record(
    total=Type("int", doc="licenses of the product in the account's orders, expired ones excluded"),
    assigned=Type("int", doc="users of the account whose stored license is on"),
    available=Type("int", doc="total - assigned (negative: over-allocated)"),
)

RECORDS: dict[str, Type] = {
    "operator": record(
        id=STR, name=STR, role=enum(*ROLES), partner=OPT_STR, account=OPT_STR,
    ),
    "partner": record(id=STR, name=STR),
    "account": record(
        id=STR, name=STR, partner=STR,
        integrations=record(**{i: BOOL for i in INTEGRATIONS}),
        licenses=record(**{p: _counts for p in PRODUCTS}),
        orders=INT,
        users=Type("users"),
    ),
    "user": record(
        id=STR, name=STR, email=OPT_STR, account=STR,
        licenses=record(**{p: BOOL for p in PRODUCTS}),
        set_by=record(**{p: enum(*ACTORS, optional=True) for p in PRODUCTS}),
    ),
    "order": record(
        id=STR, partner=STR, product=enum(*PRODUCTS), quantity=INT,
        state=enum(*ORDER_STATES), account=OPT_STR, expires=OPT_STR,
        expiring=Type("bool", doc="expires within the rules' `setting expiring_days`"),
    ),
}

_R = RECORDS
_CALLER = record(
    login=Type("str", doc="the OS login running miteam (the service account over SSH)"),
    administrator=Type("bool", doc="root, or the owner of the database file: acts as anyone"),
    ssh=Type("bool", doc="an SSH login (miteam shell): its key is pinned to the operator"),
)
_SUBJECT_USER = {"operator": _R["operator"], "user": _R["user"], "account": _R["account"],
                 "partner": _R["partner"]}

# The names a rule can read, per place a rule applies. `view` is the Products and
# Licenses section of one user; the rest are operations (policy NAME / after NAME).
CONTEXTS: dict[str, dict[str, Type]] = {
    "view": {**_SUBJECT_USER, "product": enum(*PRODUCTS)},
    LICENSE_SET: {**_SUBJECT_USER, "product": enum(*PRODUCTS), "value": BOOL},
    MICOLLAB_SET: {**_SUBJECT_USER, "product": enum(*PRODUCTS), "value": BOOL},
    INTEGRATION_SET: {
        "operator": _R["operator"], "account": _R["account"], "partner": _R["partner"],
        "integration": enum(*INTEGRATIONS), "value": BOOL,
    },
    ORDER_ASSIGN: {"operator": _R["operator"], "order": _R["order"],
                     "account": _R["account"], "partner": _R["partner"]},
    ORDER_ADD: {"operator": _R["operator"], "order": _R["order"], "partner": _R["partner"]},
    ORDER_READ: {"operator": _R["operator"], "order": _R["order"], "partner": _R["partner"]},
    PARTNER_ADD: {"operator": _R["operator"], "partner": _R["partner"]},
    PARTNER_READ: {"operator": _R["operator"], "partner": _R["partner"]},
    ACCOUNT_ADD: {"operator": _R["operator"], "account": _R["account"],
                    "partner": _R["partner"]},
    ACCOUNT_READ: {"operator": _R["operator"], "account": _R["account"],
                     "partner": _R["partner"]},
    USER_ADD: {**_SUBJECT_USER},
    USER_REMOVE: {**_SUBJECT_USER},
    # A user moving from `account` to `target` (another account).
    USER_MOVE: {**_SUBJECT_USER, "target": _R["account"]},
    # Who may change who acts, and replace the records (administrative commands). `caller`
    # is the OS login behind the operator: `administrator` when it owns the database.
    OPERATOR_ADD: {"operator": _R["operator"], "subject": _R["operator"]},
    # Which places of the console (and of the CLI's lists) an operator is offered.
    "place.open": {"operator": _R["operator"], "place": enum(*PLACES)},
    DB_REPLACE: {"operator": _R["operator"], "caller": _CALLER,
                   "replacement": enum("demo", "empty", "generated", "backup")},
    KEYS_ADD: {"operator": _R["operator"], "caller": _CALLER, "subject": _R["operator"]},
    KEYS_REMOVE: {"operator": _R["operator"], "caller": _CALLER, "subject": _R["operator"]},
    # One audit entry: who may read it (entry.account and entry.partner may be none).
    AUDIT_READ: {"operator": _R["operator"],
                   "entry": record(account=OPT_STR, partner=OPT_STR, operation=STR)},
}

# What an `assert` block reads (`rules verify` proves it for every state): the names of a
# user's view, plus what the screen shows for the product (`shown`) and what the rules
# decide on the switch the screen offers, to the other state than the one stored
# (`switch`). `shown.message` and `switch.because` are message keys.
ASSERT_CONTEXT: dict[str, Type] = {
    **CONTEXTS["view"],
    "shown": record(display=enum(*DISPLAYS), on=BOOL, mode=enum(*MODES, optional=True),
                    message=OPT_STR, rule=STR),
    "switch": record(value=BOOL, allowed=BOOL, because=OPT_STR, rule=STR),
}



@dataclass(frozen=True)
class SettingType:
    """A named policy value the product reads from the rule files (`setting NAME = 30`):
    its type, the values it may take (both ends included) and what it means. The value
    itself is the rule set's: Python knows what a setting is for, never what it is."""

    type: Type
    low: int
    high: int
    unit: str
    doc: str


# The settings every rule set declares, each exactly once.
SETTINGS: dict[str, SettingType] = {
    "expiring_days": SettingType(
        INT, 0, 3650, "days",
        "an order counts as expiring (Orders filter, license report) from this many days "
        "before its expiry date; 0: only on its last day"),
}

# Operations whose policy must exist in a rule set (every operation the product offers).
OPERATIONS = tuple(k for k in CONTEXTS if k != "view")
# Operations after which consequences may follow.
EVENTS = (INTEGRATION_SET, LICENSE_SET, MICOLLAB_SET, ORDER_ASSIGN)
