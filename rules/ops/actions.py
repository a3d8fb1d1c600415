"""Named actions: every change an operator (or the MiCollab server) can make, one type each.

An action is a frozen dataclass of what was asked (`SetLicense("u-1030", "miteam", True)`)
and knows everything the rest of the product needs about it, so nothing else matches on
operation names:
- `policy`: the operation name the rule files decide (`license.set`, ...);
- `context()`: the rule context its decision reads. `Session.apply` and `Session.why` both
  call it, so "why" explains exactly what was decided;
- `perform()`: the write path inside one transaction (decide, check staleness, write,
  apply what follows, audit);
- `target()`: the audit target, also `Outcome.target`: one form, `KIND:ID` for the record
  changed (`user:u-1030` for its license, `order:ord-1006`, `partner:p-1`), and
  `account:ID:INTEGRATION` for an account's integration (the one record with two
  switches);
- `words` (and for `add` steps `options`): how a scenario step spells it.

The field names are the scenario's argument names (`on`, not `value`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from .. import schema
from ..errors import BadInput
from ..text import check_email, check_id, check_name, check_quantity, printable
from . import outcome as clock
from .outcome import TABLES, Outcome, write_license

if TYPE_CHECKING:  # the session drives actions; actions only call back into it
    from ..engine.ruleset import Decision
    from .context import Contexts
    from .session import Session

# Read policies (what an operator may see) and the audit name of a consequence rule's change.
READ_PARTNER = schema.PARTNER_READ
READ_ACCOUNT = schema.ACCOUNT_READ
READ_ORDER = schema.ORDER_READ
READ_AUDIT = schema.AUDIT_READ
CONSEQUENCE = "license.consequence"


@dataclass(frozen=True)
class Option:
    """An option of an `... add` step (and of `KIND add` on the command line)."""

    name: str  # as written in a scenario
    kind: str  # word | text | switch | int | date | role | actor | product
    key: str  # the action's field it sets
    required: bool = False


def _opt(name: str, kind: str, required: bool = False) -> Option:
    return Option(name, kind, name, required)


@dataclass(frozen=True)
class Action(ABC):
    """What every action has; see the module's docstring. Each concrete action says how
    it builds its context, names its target and performs itself (abstract here)."""

    policy: ClassVar[str]
    words: ClassVar[tuple[str, ...]]
    # Whether a scenario step may say `dry-run` (the command line's --dry-run).
    dry_runnable: ClassVar[bool] = False

    def args(self) -> dict[str, Any]:
        """The fields by name (the scenario's arguments)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def validate(self, s: Session) -> None:  # noqa: B027 - a hook: most actions check nothing
        """Bad input that needs no records (an unknown product): refused before locking."""

    @abstractmethod
    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        """What the rules read for this action."""

    @abstractmethod
    def target(self, ctx: dict) -> str:
        """The audit target (`user:ID`, `account:ID:INTEGRATION`, `order:ID`, ...)."""

    @abstractmethod
    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        """Decide under the rules and write, inside the transaction `tx`."""


# Switching licenses -----------------------------------------------------------------
@dataclass(frozen=True)
class SetLicense(Action):
    """An operator switches a user's license in Products and Licenses (S10-S12)."""

    user: str
    product: str
    on: bool
    policy: ClassVar[str] = schema.LICENSE_SET
    words: ClassVar[tuple[str, ...]] = ("license", "set")
    dry_runnable: ClassVar[bool] = True
    actor: ClassVar[str] = "operator"

    def validate(self, s: Session) -> None:
        s.check_product(self.product)

    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        user = s.visible(ctxs, op, "user", self.user)
        return {**ctxs.for_user(op, user), "product": self.product, "value": self.on}

    def target(self, ctx: dict) -> str:
        return f"user:{ctx['user']['id']}"

    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        ctx = self.context(s, ctxs, op)
        decision = s.require(self.policy, ctx)
        user = tx.get("users", ctx["user"]["id"])
        before = bool(user.get("licenses", {}).get(self.product))
        target = self.target(ctx)
        # After the rules: who changed it is told only to someone who may act here.
        if expect is not None and before != bool(expect):
            raise s.stale(tx, target, user["account"], "stale_license", before,
                          user=user["id"], product=schema.PRODUCT_NAMES[self.product])
        outcome = Outcome(self.policy, target, before != self.on, before, self.on,
                          decision.rule)
        if outcome.changed:
            write_license(tx, user, self.product, self.on, self.actor)
            outcome.audit.append(s.audit_entry(
                tx, self.policy, target, before, self.on, decision.rule, user["account"],
                ctx["account"]["partner"], self.actor))
            ctxs.invalidate()
            s.follow(tx, ctxs, self.policy, self.context(s, ctxs, op), outcome, self.actor)
        return outcome


@dataclass(frozen=True)
class MicollabSet(SetLicense):
    """The MiCollab server grants or withdraws a license (S4)."""

    policy: ClassVar[str] = schema.MICOLLAB_SET
    words: ClassVar[tuple[str, ...]] = ("micollab", "set")
    actor: ClassVar[str] = "micollab"


@dataclass(frozen=True)
class SetIntegration(Action):
    """Switch an account's MiCollab or MiTeam integration (S5, S8, S9)."""

    account: str  # id or company name
    integration: str
    on: bool
    policy: ClassVar[str] = schema.INTEGRATION_SET
    words: ClassVar[tuple[str, ...]] = ("integration", "set")
    dry_runnable: ClassVar[bool] = True

    def validate(self, s: Session) -> None:
        if self.integration not in schema.INTEGRATIONS:
            raise BadInput(s.tr("unknown_record", kind="integration",
                                id=printable(self.integration)))

    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        account = s.resolve_account(ctxs, op, self.account)
        return ctxs.for_account(op, account, integration=self.integration, value=self.on)

    def target(self, ctx: dict) -> str:
        return f"account:{ctx['account']['id']}:{self.integration}"

    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        ctx = self.context(s, ctxs, op)
        decision = s.require(self.policy, ctx)
        account = tx.get("accounts", ctx["account"]["id"])
        before = bool(account["integrations"].get(self.integration))
        target = self.target(ctx)
        if expect is not None and before != bool(expect):
            raise s.stale(tx, target, account["id"], "stale_integration", before,
                          account=account["id"],
                          integration=s.tr(f"integration_{self.integration}"))
        outcome = Outcome(self.policy, target, before != self.on, before, self.on,
                          decision.rule)
        if outcome.changed:
            tx.put("accounts", {**account, "integrations": {**account["integrations"],
                                                            self.integration: self.on}})
            outcome.audit.append(s.audit_entry(
                tx, self.policy, target, before, self.on, decision.rule, account["id"],
                account["partner"]))
            ctxs.invalidate()
            s.follow(tx, ctxs, self.policy, self.context(s, ctxs, op), outcome, "operator")
        return outcome


@dataclass(frozen=True)
class AssignOrder(Action):
    """S2: all licenses of the order go to the account (picked by id or company name)."""

    order: str
    account: str  # id or company name
    policy: ClassVar[str] = schema.ORDER_ASSIGN
    words: ClassVar[tuple[str, ...]] = ("order", "assign")
    dry_runnable: ClassVar[bool] = True

    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        order = s.visible(ctxs, op, "order", self.order)
        account = s.resolve_account(ctxs, op, self.account)
        return {"operator": op, "order": ctxs.order(order), "account": ctxs.account(account),
                "partner": ctxs.partner_of(order["partner"])}

    def target(self, ctx: dict) -> str:
        return f"order:{ctx['order']['id']}"

    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        ctx = self.context(s, ctxs, op)
        decision = s.require(self.policy, ctx)
        order = tx.get("orders", ctx["order"]["id"])
        account_id = ctx["account"]["id"]
        before = order.get("account")
        target = self.target(ctx)
        outcome = Outcome(self.policy, target, True, before, account_id, decision.rule)
        tx.put("orders", {**order, "account": account_id, "state": "assigned",
                          "assigned_at": clock.now()})
        outcome.audit.append(s.audit_entry(tx, self.policy, target, before, account_id,
                                           decision.rule, account_id, order["partner"]))
        ctxs.invalidate()
        s.follow(tx, ctxs, self.policy, self.context(s, ctxs, op), outcome, "operator")
        return outcome


# Removing users -----------------------------------------------------------------------
@dataclass(frozen=True)
class RemoveUser(Action):
    """A user leaves (issue 12): gone from every list, their license returns to the
    account's available count (the count is of users holding one), the audit keeps their
    history (the entry holds the record as it was)."""

    user: str
    policy: ClassVar[str] = schema.USER_REMOVE
    words: ClassVar[tuple[str, ...]] = ("user", "remove")
    dry_runnable: ClassVar[bool] = True

    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        return ctxs.for_user(op, s.visible(ctxs, op, "user", self.user))

    def target(self, ctx: dict) -> str:
        return f"user:{ctx['user']['id']}"

    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        ctx = self.context(s, ctxs, op)
        decision = s.require(self.policy, ctx)
        user = tx.get("users", ctx["user"]["id"])
        target = self.target(ctx)
        tx.delete("users", user["id"])
        outcome = Outcome(self.policy, target, True, user, None, decision.rule)
        outcome.audit.append(s.audit_entry(tx, self.policy, target, user, None, decision.rule,
                                           user["account"], ctx["account"]["partner"]))
        ctxs.invalidate()
        return outcome


@dataclass(frozen=True)
class MoveUser(Action):
    """A user moves to another account of the same partner (issue 12). A license moves
    with them only if the target account's rules allow it there (the `license.set`
    policy, decided as if switched on in the target); otherwise the move is refused with
    that reason, or, with `drop_license`, the license is switched off on the way."""

    user: str
    to: str  # the target account: id or company name
    drop_license: bool = False
    policy: ClassVar[str] = schema.USER_MOVE
    words: ClassVar[tuple[str, ...]] = ("user", "move")
    dry_runnable: ClassVar[bool] = True

    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        user = s.visible(ctxs, op, "user", self.user)
        target = s.resolve_account(ctxs, op, self.to)
        return {**ctxs.for_user(op, user), "target": ctxs.account(target)}

    def target(self, ctx: dict) -> str:
        return f"user:{ctx['user']['id']}"

    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        ctx = self.context(s, ctxs, op)
        decision = s.require(self.policy, ctx)
        user = tx.get("users", ctx["user"]["id"])
        to = ctx["target"]["id"]
        target = self.target(ctx)
        moved = {**user, "account": to}
        held = [p for p in schema.PRODUCTS if user.get("licenses", {}).get(p)]
        dropped = []
        for product in held:
            # As if switched on there by someone who does not hold it yet (S10-S12).
            newcomer = {**moved, "licenses": {**moved.get("licenses", {}), product: False}}
            there = s.rules.decide(SetLicense.policy, {
                **ctxs.for_user(op, newcomer), "product": product, "value": True})
            if there.allowed:
                continue
            if not self.drop_license:
                raise s.refusal(there)
            dropped.append(product)
        for product in dropped:
            moved = {**moved, "licenses": {**moved["licenses"], product: False},
                     "set_by": {**moved.get("set_by", {}), product: "operator"}}
        outcome = Outcome(self.policy, target, to != user["account"], user["account"], to,
                          decision.rule)
        if outcome.changed:
            tx.put("users", moved)
            outcome.audit.append(s.audit_entry(tx, self.policy, target, user["account"], to,
                                               decision.rule, to, ctx["partner"]["id"]))
            for _ in dropped:  # one entry per license switched off on the way
                outcome.audit.append(s.audit_entry(
                    tx, SetLicense.policy, target, True, False, decision.rule, to,
                    ctx["partner"]["id"], cause=outcome.audit[0]))
            ctxs.invalidate()
        return outcome


# Adding records ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Add(Action):
    """A new record, written as asked once the rules allow it; audited with the record."""

    kind: ClassVar[str]
    options: ClassVar[tuple[Option, ...]]

    def target(self, ctx: dict) -> str:
        return f"{self.kind}:{self.id}"  # type: ignore[attr-defined]

    def validate(self, s: Session) -> None:
        # Every text a person types is checked before anything is decided
        # (rules/text.py): the id as a whole, names and e-mails in the records below.
        check_id(self.id, s.lang)  # type: ignore[attr-defined]

    @abstractmethod
    def record(self, s: Session, ctxs: Contexts,
               op: dict) -> tuple[dict, str | None, str | None]:
        """(the new record, its account, its partner), read from the view: the records
        it names are looked up among those the operator may read."""

    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        return self._context(s, ctxs, op, self.record(s, ctxs, op)[0])

    @abstractmethod
    def _context(self, s: Session, ctxs: Contexts, op: dict, doc: dict) -> dict:
        """The rules' context for the new record `doc`."""

    def decide(self, s: Session, tx: Any, ctxs: Contexts,
               op: dict) -> tuple[dict, str | None, str | None, Decision]:
        """Everything `perform` does before it writes: the record checked, the rules'
        decision (Refused when they refuse), the id not taken. (record, account, partner,
        decision)."""
        doc, account, partner = self.record(s, ctxs, op)
        decision = s.require(self.policy, self._context(s, ctxs, op, doc))
        s.taken(tx, self.kind, self.id)  # type: ignore[attr-defined]
        return doc, account, partner, decision

    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        doc, account, partner, decision = self.decide(s, tx, ctxs, op)
        tx.put(TABLES[self.kind], doc)
        target = self.target({})
        outcome = Outcome(self.policy, target, True, None, doc, decision.rule)
        outcome.audit.append(s.audit_entry(tx, self.policy, target, None, doc,
                                           decision.rule, account, partner))
        return outcome


@dataclass(frozen=True)
class AddPartner(_Add):
    id: str
    name: str
    policy: ClassVar[str] = schema.PARTNER_ADD
    words: ClassVar[tuple[str, ...]] = ("partner", "add")
    kind: ClassVar[str] = "partner"
    options: ClassVar[tuple[Option, ...]] = (_opt("name", "text", required=True),)

    def record(self, s: Session, ctxs: Contexts,
               op: dict) -> tuple[dict, str | None, str | None]:
        return {"id": self.id, "name": check_name(self.name, s.lang)}, None, self.id

    def _context(self, s: Session, ctxs: Contexts, op: dict, doc: dict) -> dict:
        return {"operator": op, "partner": doc}


@dataclass(frozen=True)
class AddAccount(_Add):
    id: str
    partner: str
    name: str
    micollab: bool | None = None  # None: as a new account starts (off)
    miteam: bool | None = None  # None: on
    policy: ClassVar[str] = schema.ACCOUNT_ADD
    words: ClassVar[tuple[str, ...]] = ("account", "add")
    kind: ClassVar[str] = "account"
    options: ClassVar[tuple[Option, ...]] = (
        _opt("partner", "word", required=True), _opt("name", "text", required=True),
        _opt("micollab", "switch"), _opt("miteam", "switch"))

    def record(self, s: Session, ctxs: Contexts,
               op: dict) -> tuple[dict, str | None, str | None]:
        p = s.visible(ctxs, op, "partner", self.partner)
        doc = {"id": self.id, "name": check_name(self.name, s.lang), "partner": p["id"],
               "integrations": {"micollab": bool(self.micollab),
                                "miteam": self.miteam is None or bool(self.miteam)}}
        return doc, self.id, p["id"]

    def _context(self, s: Session, ctxs: Contexts, op: dict, doc: dict) -> dict:
        empty = {pr: {"total": 0, "assigned": 0, "available": 0} for pr in schema.PRODUCTS}
        return {"operator": op, "account": {**doc, "licenses": empty, "orders": 0,
                                            "users": doc["id"]},
                "partner": s.get(ctxs.view, "partner", doc["partner"])}


@dataclass(frozen=True)
class AddUser(_Add):
    id: str
    account: str  # id or company name
    name: str
    email: str | None = None
    policy: ClassVar[str] = schema.USER_ADD
    words: ClassVar[tuple[str, ...]] = ("user", "add")
    kind: ClassVar[str] = "user"
    options: ClassVar[tuple[Option, ...]] = (
        _opt("account", "text", required=True), _opt("name", "text", required=True),
        _opt("email", "text"))

    def record(self, s: Session, ctxs: Contexts,
               op: dict) -> tuple[dict, str | None, str | None]:
        acc = s.resolve_account(ctxs, op, self.account)
        doc = {"id": self.id, "account": acc["id"], "name": check_name(self.name, s.lang),
               "email": check_email(self.email, s.lang),
               "licenses": {p: False for p in schema.PRODUCTS},
               "set_by": {p: None for p in schema.PRODUCTS}}
        return doc, acc["id"], acc["partner"]

    def _context(self, s: Session, ctxs: Contexts, op: dict, doc: dict) -> dict:
        acc = s.get(ctxs.view, "account", doc["account"])
        return {**ctxs.for_account(op, acc), "user": ctxs.user(doc)}


@dataclass(frozen=True)
class AddOrder(_Add):
    id: str
    partner: str
    quantity: int
    product: str = schema.PRODUCTS[0]
    expires: str | None = None
    policy: ClassVar[str] = schema.ORDER_ADD
    words: ClassVar[tuple[str, ...]] = ("order", "add")
    kind: ClassVar[str] = "order"
    options: ClassVar[tuple[Option, ...]] = (
        _opt("partner", "word", required=True), _opt("quantity", "int", required=True),
        _opt("product", "product"), _opt("expires", "date"))

    def validate(self, s: Session) -> None:
        s.check_product(self.product)
        super().validate(s)
        check_quantity(self.quantity, s.lang)
        if self.expires is not None:
            try:
                date.fromisoformat(self.expires)
            except ValueError:
                raise BadInput(s.tr("bad_date", value=printable(self.expires))) from None

    def record(self, s: Session, ctxs: Contexts,
               op: dict) -> tuple[dict, str | None, str | None]:
        p = s.visible(ctxs, op, "partner", self.partner)
        expires = date.fromisoformat(self.expires).isoformat() if self.expires else None
        doc = {"id": self.id, "partner": p["id"], "product": self.product,
               "quantity": self.quantity, "state": "unassigned", "account": None,
               "expires": expires, "created": clock.now()}
        return doc, None, p["id"]

    def _context(self, s: Session, ctxs: Contexts, op: dict, doc: dict) -> dict:
        return {"operator": op, "order": ctxs.order(doc),
                "partner": s.get(ctxs.view, "partner", doc["partner"])}


@dataclass(frozen=True)
class AddOperator(_Add):
    id: str
    role: str
    partner: str | None = None
    account: str | None = None
    name: str | None = None
    policy: ClassVar[str] = schema.OPERATOR_ADD
    words: ClassVar[tuple[str, ...]] = ("operator", "add")
    kind: ClassVar[str] = "operator"
    options: ClassVar[tuple[Option, ...]] = (
        _opt("role", "role", required=True), _opt("partner", "word"), _opt("account", "word"),
        _opt("name", "text"))

    def validate(self, s: Session) -> None:
        if self.role not in schema.ROLES:
            raise BadInput(s.tr("unknown_record", kind="role", id=printable(self.role)))
        super().validate(s)
        if self.name is not None:
            check_name(self.name, s.lang)

    def record(self, s: Session, ctxs: Contexts,
               op: dict) -> tuple[dict, str | None, str | None]:
        if self.role == "partner" and not self.partner:
            raise BadInput(s.tr("role_needs", role=self.role, field="partner"))
        if self.role == "account_admin" and not self.account:
            raise BadInput(s.tr("role_needs", role=self.role, field="account"))
        acc = s.visible(ctxs, op, "account", self.account) if self.account else None
        partner = self.partner
        if partner:
            s.visible(ctxs, op, "partner", partner)
        if acc is not None and not partner:
            partner = acc["partner"]
        name = check_name(self.name, s.lang) if self.name is not None else self.id
        doc = {"id": self.id, "name": name, "role": self.role,
               "partner": partner or None, "account": acc["id"] if acc else None}
        return doc, doc["account"], doc["partner"]

    def _context(self, s: Session, ctxs: Contexts, op: dict, doc: dict) -> dict:
        return {"operator": op, "subject": ctxs.operator(doc)}


# Every action a scenario step or a recording can name, in the order the language lists them.
ACTIONS: tuple[type[Action], ...] = (SetLicense, MicollabSet, SetIntegration, AssignOrder,
                                     AddPartner, AddAccount, AddUser, AddOrder, AddOperator,
                                     RemoveUser, MoveUser)
ADDERS: dict[str, type[_Add]] = {a.kind: a for a in ACTIONS  # type: ignore[attr-defined]
                                 if issubclass(a, _Add)}
