"""Operations: one operator's session against a store, under a rule set.

Every change runs the same way (DESIGN.md section 3): inside one store transaction (the
lock is held, other consoles' commits are visible), build the rule context, ask the rules,
refuse with the rule's reason or write, apply what follows, audit. A refusal writes nothing.
Reads are filtered by the same rules (`account.read`, `order.read`, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from .. import schema
from ..engine.ruleset import Decision, RuleRef, RuleSet
from ..errors import BadInput, NotFound, Refused
from ..i18n import t
from . import filters
from .context import Contexts
from .views import account_view, order_view, user_view

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# How far back a stale-edit refusal looks in the account's audit trail for who changed it.
_STALE_SCAN = 10_000
_TABLE = {"partner": "partners", "account": "accounts", "order": "orders", "user": "users",
          "operator": "operators"}


@dataclass
class Effect:
    """What a consequence rule did: which users' licenses it changed."""

    rule: RuleRef
    action: str
    product: str
    users: list[str]

    def as_dict(self) -> dict:
        return {**self.rule.as_dict(), "action": self.action, "product": self.product,
                "users": self.users, "count": len(self.users)}


@dataclass
class Outcome:
    operation: str
    target: str
    changed: bool
    before: Any = None
    after: Any = None
    rule: RuleRef | None = None
    effects: list[Effect] = field(default_factory=list)
    audit: list[int] = field(default_factory=list)
    dry_run: bool = False

    def as_dict(self) -> dict:
        return {
            "operation": self.operation, "target": self.target, "changed": self.changed,
            "before": self.before, "after": self.after,
            "rule": self.rule.name if self.rule else None,
            "consequences": [e.as_dict() for e in self.effects],
            "audit": self.audit, "dry_run": self.dry_run,
        }


@dataclass(frozen=True)
class Verdict:
    """The rules' answer to one question: allowed, the deciding rule, and the reason in
    the operator's language when refused."""

    allowed: bool
    rule: str
    reason: str | None = None


@dataclass(frozen=True)
class Capabilities:
    """What an operator is offered, as the rules decide it (`Session.capabilities`)."""

    role: str
    places: dict[str, Verdict]

    def offers(self, place: str) -> bool:
        verdict = self.places.get(place)
        return verdict is not None and verdict.allowed


class _DryRun(Exception):
    """Raised inside a transaction to discard it after computing the outcome."""

    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Session:
    """What one operator can see and do. The CLI and the TUI both drive this."""

    def __init__(self, store: Any, rules: RuleSet, operator: str, lang: str = "en",
                 on: date | None = None) -> None:
        self.store = store
        self.rules = rules
        self.login = operator
        self.lang = lang
        self.on = on

    # Plumbing -------------------------------------------------------------
    def _t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def _get(self, view: Any, kind: str, key: str) -> dict:
        doc = view.get(_TABLE[kind], key)
        if doc is None:
            raise NotFound(self._t("unknown_record", kind=self._t(f"kind_{kind}"), id=key),
                           kind, key)
        return doc

    def _operator(self, ctxs: Contexts) -> dict:
        doc = ctxs.view.get("operators", self.login)
        if doc is None:
            raise Refused(self._t("unknown_operator", login=self.login), key="unknown_operator")
        return ctxs.operator(doc)

    def _require(self, op: str, ctx: dict) -> Decision:
        decision = self.rules.decide(op, ctx)
        if not decision.allowed:
            raise Refused(self.rules.message(decision.because or "", self.lang), decision,
                          key=decision.because)
        return decision

    def _allowed(self, op: str, ctx: dict) -> bool:
        return self.rules.decide(op, ctx).allowed

    def _audit(self, tx: Any, ctxs: Contexts, operation: str, target: str, before: Any,
               after: Any, rule: RuleRef | None, account: str | None, partner: str | None,
               actor: str = "operator", outcome: str = "applied") -> int:
        return tx.append("audit", {
            "at": _now(), "operator": self.login, "actor": actor, "operation": operation,
            "target": target, "account": account, "partner": partner, "before": before,
            "after": after, "rule": rule.name if rule else None,
            "rule_at": f"{rule.span.file}:{rule.span.line}" if rule else None,
            "outcome": outcome,
        })

    @contextmanager
    def _reading(self) -> Iterator[tuple[Contexts, dict]]:
        ctxs = Contexts(self.store.read(), self.on)
        yield ctxs, self._operator(ctxs)

    @contextmanager
    def _writing(self) -> Iterator[tuple[Any, Contexts, dict]]:
        # A refusal or a dry run raises out of the transaction, which then writes nothing.
        with self.store.transaction() as tx:
            ctxs = Contexts(tx, self.on)
            yield tx, ctxs, self._operator(ctxs)

    def _finish(self, outcome: Outcome, dry_run: bool) -> Outcome:
        if dry_run:
            outcome.dry_run = True
            raise _DryRun(outcome)
        return outcome

    def _run(self, fn, *args: Any, dry_run: bool = False) -> Outcome:
        try:
            return fn(*args, dry_run=dry_run)
        except _DryRun as done:
            return done.outcome

    # Reads ----------------------------------------------------------------
    def whoami(self) -> dict:
        with self._reading() as (_, op):
            return op

    def partners(self) -> list[dict]:
        with self._reading() as (ctxs, op):
            return [p for p in ctxs.view.all("partners")
                    if self._allowed("partner.read", {"operator": op, "partner": p})]

    def accounts(self, partner: str | None = None) -> list[dict]:
        with self._reading() as (ctxs, op):
            docs = ctxs.view.by("accounts", "partner", partner) if partner \
                else ctxs.view.all("accounts")
            return [account_view(ctxs, a, self._orders_of(ctxs, op, a)) for a in docs
                    if self._allowed("account.read", ctxs.for_account(op, a))]

    def _orders_of(self, ctxs: Contexts, op: dict, account: dict) -> list[dict]:
        return [o for o in ctxs.view.by("orders", "account", account["id"])
                if self._allowed("order.read", self._order_ctx(ctxs, op, o))]

    def _order_ctx(self, ctxs: Contexts, op: dict, order: dict) -> dict:
        return {"operator": op, "order": ctxs.order(order),
                "partner": ctxs.partner_of(order["partner"])}

    def _readable_account(self, ctxs: Contexts, op: dict, account_id: str) -> dict:
        account = self._get(ctxs.view, "account", account_id)
        self._require("account.read", ctxs.for_account(op, account))
        return account

    def account(self, account_id: str) -> dict:
        with self._reading() as (ctxs, op):
            account = self._readable_account(ctxs, op, self.resolve_account(ctxs, account_id))
            return account_view(ctxs, account, self._orders_of(ctxs, op, account))

    def users(self, account_id: str | None = None) -> list[dict]:
        with self._reading() as (ctxs, op):
            if account_id is not None:
                account = self._readable_account(ctxs, op,
                                                 self.resolve_account(ctxs, account_id))
                docs = ctxs.view.by("users", "account", account["id"])
            else:
                readable = {a["id"] for a in ctxs.view.all("accounts")
                            if self._allowed("account.read", ctxs.for_account(op, a))}
                docs = [u for u in ctxs.view.all("users") if u["account"] in readable]
            return [user_view(self.rules, ctxs, op, u, self.lang) for u in docs]

    def users_page(self, account_id: str, offset: int = 0, limit: int = 100,
                   query: str = "") -> tuple[int, list[dict]]:
        """One page of an account's users (for lists of 10,000): the rules are asked only
        for the users on the page. `query` filters by id, name or e-mail, case-insensitive,
        and by exact license states (`state:off`, `filters.py`): a state is the rules'
        answer, so a filter by state asks them for every user of the account.
        Returns (how many users match, the page)."""
        wanted = filters.parse(query)
        with self._reading() as (ctxs, op):
            account = self._readable_account(ctxs, op, self.resolve_account(ctxs, account_id))
            docs = [u for u in ctxs.view.by("users", "account", account["id"])
                    if wanted.matches_text(u)]
            start, end = max(0, offset), max(0, offset) + max(0, limit)
            if wanted.needs_view:
                views = [user_view(self.rules, ctxs, op, u, self.lang) for u in docs]
                views = [v for v in views if wanted.matches_view(v)]
                return len(views), views[start:end]
            return len(docs), [user_view(self.rules, ctxs, op, u, self.lang)
                               for u in docs[start:end]]

    def user(self, user_id: str) -> dict:
        with self._reading() as (ctxs, op):
            user = self._get(ctxs.view, "user", user_id)
            self._readable_account(ctxs, op, user["account"])
            return user_view(self.rules, ctxs, op, user, self.lang)

    def orders(self, state: str | None = None) -> list[dict]:
        with self._reading() as (ctxs, op):
            out = []
            for o in ctxs.view.all("orders"):
                if not self._allowed("order.read", self._order_ctx(ctxs, op, o)):
                    continue
                v = order_view(ctxs, o)
                if state is None or v["state"] == state or (state == "expiring"
                                                              and v["expiring"]):
                    out.append(v)
            return out

    def audit(self, account_id: str | None = None, limit: int | None = 50) -> list[dict]:
        with self._reading() as (ctxs, op):
            if account_id is not None:
                account_id = self._readable_account(
                    ctxs, op, self.resolve_account(ctxs, account_id))["id"]
            entries = (ctxs.view.by("audit", "account", account_id) if account_id
                       else ctxs.view.all("audit"))
            visible = [e for e in entries if self._allowed(
                "audit.read", {"operator": op, "entry": {
                    "account": e.get("account"), "partner": e.get("partner"),
                    "operation": e.get("operation", "")}})]
            return visible[-limit:] if limit else visible

    def explain(self, user_id: str, product: str = "miteam"):
        """The view decision for a user and product, with every rule's trace."""
        self._product(product)
        with self._reading() as (ctxs, op):
            user = self._get(ctxs.view, "user", user_id)
            self._readable_account(ctxs, op, user["account"])
            return self.rules.explain_view(product, {**ctxs.for_user(op, user),
                                                     "product": product})

    def resolve_account(self, ctxs: Contexts, key: str) -> str:
        """An account by id, or by company name (S2: the partner picks by name)."""
        if ctxs.view.get("accounts", key) is not None:
            return key
        wanted = key.strip().casefold()
        hits = [a["id"] for a in ctxs.view.all("accounts") if a["name"].casefold() == wanted]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise BadInput(self._t("ambiguous_account", name=key, ids=", ".join(hits)))
        raise NotFound(self._t("unknown_record", kind=self._t("kind_account"), id=key),
                       "account", key)

    def _product(self, product: str) -> None:
        if product not in schema.PRODUCTS:
            raise BadInput(self._t("unknown_record", kind="product", id=product))

    # Changes --------------------------------------------------------------
    def set_license(self, user_id: str, product: str, on: bool, *,
                    dry_run: bool = False, expected: bool | None = None) -> Outcome:
        """An operator switches a user's license in Products and Licenses (S10-S12).

        `expected`: the stored state the operator saw; if another console changed it
        since, the switch is refused (a stale edit) rather than applied blindly."""
        return self._run(self._set_license, user_id, product, on, "license.set", "operator",
                         expected, dry_run=dry_run)

    def micollab_set(self, user_id: str, product: str, on: bool, *,
                     dry_run: bool = False, expected: bool | None = None) -> Outcome:
        """The MiCollab server grants or withdraws a license (S4)."""
        return self._run(self._set_license, user_id, product, on, "micollab.set", "micollab",
                         expected, dry_run=dry_run)

    def _stale(self, tx: Any, target: str, in_account: str, key: str, now: bool,
               **values: object) -> Refused:
        """A stale edit: name who changed `target` last, from the newest audit entries."""
        by = ""
        for entry in reversed(tx.tail("audit", _STALE_SCAN, field="account",
                                      value=in_account)):
            if entry.get("target") == target:
                by = self._t("stale_by", who=entry.get("operator") or "?",
                             at=entry.get("at") or "?")
                break
        return Refused(self._t(key, now=self._t("on" if now else "off"), by=by, **values),
                       key="stale_edit")

    def _set_license(self, user_id: str, product: str, on: bool, op_name: str, actor: str,
                     expected: bool | None, *, dry_run: bool) -> Outcome:
        self._product(product)
        with self._writing() as (tx, ctxs, op):
            user = self._get(tx, "user", user_id)
            ctx = {**ctxs.for_user(op, user), "product": product, "value": on}
            decision = self._require(op_name, ctx)
            before = bool(user.get("licenses", {}).get(product))
            # After the rules: who changed it is told only to someone who may act here.
            if expected is not None and before != bool(expected):
                raise self._stale(tx, f"user:{user_id}", user["account"], "stale_license",
                                  before, user=user_id, product=schema.PRODUCT_NAMES[product])
            outcome = Outcome(op_name, user_id, before != on, before, on, decision.rule)
            if outcome.changed:
                _write_license(tx, user, product, on, actor)
                outcome.audit.append(self._audit(
                    tx, ctxs, op_name, f"user:{user_id}", before, on, decision.rule,
                    user["account"], ctx["account"]["partner"], actor))
                ctxs.invalidate()
                self._follow(tx, ctxs, op, op_name, {
                    **ctxs.for_user(op, tx.get("users", user_id)), "product": product,
                    "value": on}, outcome, actor)
            return self._finish(outcome, dry_run)

    def set_integration(self, account_id: str, integration: str, on: bool, *,
                        dry_run: bool = False, expected: bool | None = None) -> Outcome:
        """Switch an account's MiCollab or MiTeam integration (S5, S8, S9).

        `expected`: the state the operator saw (see `set_license`)."""
        return self._run(self._set_integration, account_id, integration, on, expected,
                         dry_run=dry_run)

    def _set_integration(self, account_id: str, integration: str, on: bool,
                         expected: bool | None, *, dry_run: bool) -> Outcome:
        if integration not in schema.INTEGRATIONS:
            raise BadInput(self._t("unknown_record", kind="integration", id=integration))
        with self._writing() as (tx, ctxs, op):
            account = self._get(tx, "account", self.resolve_account(ctxs, account_id))
            ctx = ctxs.for_account(op, account, integration=integration, value=on)
            decision = self._require("integration.set", ctx)
            before = bool(account["integrations"].get(integration))
            if expected is not None and before != bool(expected):
                raise self._stale(tx, f"account:{account['id']}:{integration}", account["id"],
                                  "stale_integration", before, account=account["id"],
                                  integration=self._t(f"integration_{integration}"))
            outcome = Outcome("integration.set", f"account:{account['id']}:{integration}",
                              before != on, before, on, decision.rule)
            if outcome.changed:
                updated = {**account, "integrations": {**account["integrations"],
                                                       integration: on}}
                tx.put("accounts", updated)
                outcome.audit.append(self._audit(
                    tx, ctxs, "integration.set", f"account:{account['id']}:{integration}",
                    before, on, decision.rule, account["id"], account["partner"]))
                ctxs.invalidate()
                self._follow(tx, ctxs, op, "integration.set", ctxs.for_account(
                    op, updated, integration=integration, value=on), outcome, "operator")
            return self._finish(outcome, dry_run)

    def _follow(self, tx: Any, ctxs: Contexts, op: dict, op_name: str, ctx: dict,
                outcome: Outcome, actor: str) -> None:
        """Apply the consequences the rules name for a completed operation."""
        for c in self.rules.consequences(op_name, ctx):
            on = c.action == "grant"
            if c.target == "user":
                targets = [tx.get("users", ctx["user"]["id"])]
            else:
                targets = tx.by("users", "account", ctx["account"]["id"])
            changed = []
            for user in list(targets):
                before = bool(user.get("licenses", {}).get(c.product))
                if before == on:
                    continue
                _write_license(tx, user, c.product, on, actor)
                outcome.audit.append(self._audit(
                    tx, ctxs, "license.consequence", f"user:{user['id']}", before, on, c.rule,
                    user["account"], ctx["account"]["partner"], actor))
                changed.append(user["id"])
            outcome.effects.append(Effect(c.rule, c.action, c.product, changed))
        ctxs.invalidate()

    def assign_order(self, order_id: str, account_key: str, *,
                     dry_run: bool = False) -> Outcome:
        """S2: all licenses of the order go to the account (picked by id or company name)."""
        return self._run(self._assign_order, order_id, account_key, dry_run=dry_run)

    def _assign_order(self, order_id: str, account_key: str, *, dry_run: bool) -> Outcome:
        with self._writing() as (tx, ctxs, op):
            order = self._get(tx, "order", order_id)
            account = self._get(tx, "account", self.resolve_account(ctxs, account_key))
            ctx = {"operator": op, "order": ctxs.order(order),
                   "account": ctxs.account(account),
                   "partner": ctxs.partner_of(order["partner"])}
            decision = self._require("order.assign", ctx)
            before = order.get("account")
            outcome = Outcome("order.assign", f"order:{order_id}", True, before,
                              account["id"], decision.rule)
            tx.put("orders", {**order, "account": account["id"], "state": "assigned",
                              "assigned_at": _now()})
            outcome.audit.append(self._audit(
                tx, ctxs, "order.assign", f"order:{order_id}", before, account["id"],
                decision.rule, account["id"], order["partner"]))
            ctxs.invalidate()
            self._follow(tx, ctxs, op, "order.assign", {
                "operator": op, "order": ctxs.order(tx.get("orders", order_id)),
                "account": ctxs.account(account), "partner": ctxs.partner_of(order["partner"])},
                outcome, "operator")
            return self._finish(outcome, dry_run)

    # Adding records -------------------------------------------------------
    def _new_id(self, tx: Any, kind: str, key: str) -> None:
        if not _ID.match(key):
            raise BadInput(self._t("bad_id", value=key))
        if tx.get(_TABLE[kind], key) is not None:
            raise BadInput(self._t("exists", kind=self._t(f"kind_{kind}"), id=key))

    def _name(self, name: str) -> str:
        if not name or not name.strip():
            raise BadInput(self._t("empty_name"))
        return name.strip()

    def _add(self, kind: str, doc: dict, op_name: str, ctx: dict, tx: Any, ctxs: Contexts,
             account: str | None, partner: str | None) -> Outcome:
        decision = self._require(op_name, ctx)
        tx.put(_TABLE[kind], doc)
        outcome = Outcome(op_name, f"{kind}:{doc['id']}", True, None, doc, decision.rule)
        outcome.audit.append(self._audit(tx, ctxs, op_name, f"{kind}:{doc['id']}", None,
                                         doc, decision.rule, account, partner))
        return outcome

    def add_partner(self, key: str, name: str) -> Outcome:
        with self._writing() as (tx, ctxs, op):
            self._new_id(tx, "partner", key)
            doc = {"id": key, "name": self._name(name)}
            return self._add("partner", doc, "partner.add", {"operator": op, "partner": doc},
                             tx, ctxs, None, key)

    def add_account(self, key: str, partner: str, name: str, *, micollab: bool = False,
                    miteam: bool = True) -> Outcome:
        with self._writing() as (tx, ctxs, op):
            self._new_id(tx, "account", key)
            p = self._get(tx, "partner", partner)
            doc = {"id": key, "name": self._name(name), "partner": p["id"],
                   "integrations": {"micollab": micollab, "miteam": miteam}}
            ctx = {"operator": op, "account": {**doc, "licenses": {
                pr: {"total": 0, "assigned": 0, "available": 0} for pr in schema.PRODUCTS},
                "orders": 0, "users": key}, "partner": p}
            return self._add("account", doc, "account.add", ctx, tx, ctxs, key, p["id"])

    def add_user(self, key: str, account: str, name: str, email: str | None = None) -> Outcome:
        with self._writing() as (tx, ctxs, op):
            self._new_id(tx, "user", key)
            acc = self._get(tx, "account", self.resolve_account(ctxs, account))
            doc = {"id": key, "account": acc["id"], "name": self._name(name),
                   "email": email or None, "licenses": {p: False for p in schema.PRODUCTS},
                   "set_by": {p: None for p in schema.PRODUCTS}}
            ctx = {**ctxs.for_account(op, acc), "user": ctxs.user(doc)}
            return self._add("user", doc, "user.add", ctx, tx, ctxs, acc["id"],
                             acc["partner"])

    def add_order(self, key: str, partner: str, product: str, quantity: int,
                  expires: str | None = None) -> Outcome:
        self._product(product)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise BadInput(self._t("bad_quantity", value=quantity))
        if expires is not None:
            try:
                expires = date.fromisoformat(expires).isoformat()
            except ValueError:
                raise BadInput(self._t("bad_date", value=expires)) from None
        with self._writing() as (tx, ctxs, op):
            self._new_id(tx, "order", key)
            p = self._get(tx, "partner", partner)
            doc = {"id": key, "partner": p["id"], "product": product, "quantity": quantity,
                   "state": "unassigned", "account": None, "expires": expires,
                   "created": _now()}
            ctx = {"operator": op, "order": ctxs.order(doc), "partner": p}
            return self._add("order", doc, "order.add", ctx, tx, ctxs, None, p["id"])

    def add_operator(self, login: str, role: str, partner: str | None = None,
                     account: str | None = None, name: str | None = None) -> Outcome:
        if role not in schema.ROLES:
            raise BadInput(self._t("unknown_record", kind="role", id=role))
        with self._writing() as (tx, ctxs, op):
            self._new_id(tx, "operator", login)
            if role == "partner" and not partner:
                raise BadInput(self._t("role_needs", role=role, field="partner"))
            if role == "account_admin" and not account:
                raise BadInput(self._t("role_needs", role=role, field="account"))
            acc = self._get(tx, "account", account) if account else None
            if partner:
                self._get(tx, "partner", partner)
            if acc is not None and not partner:
                partner = acc["partner"]
            doc = {"id": login, "name": name or login, "role": role,
                   "partner": partner or None, "account": acc["id"] if acc else None}
            return self._add("operator", doc, "operator.add",
                             {"operator": op, "subject": ctxs.operator(doc)}, tx, ctxs,
                             doc["account"], doc["partner"])

    # What the operator is offered -------------------------------------------
    def capabilities(self) -> Capabilities:
        """Which places this operator is offered (policy place.open), with the reason for
        each one refused: the console shows its keys, palette and menus from this."""
        with self._reading() as (ctxs, op):
            places = {}
            for place in schema.PLACES:
                d = self.rules.decide("place.open", {"operator": op, "place": place})
                places[place] = Verdict(d.allowed, d.rule.name, None if d.allowed else
                                        self.rules.message(d.because or "", self.lang))
            return Capabilities(op["role"], places)

    def decide(self, op_name: str, **args: str | bool) -> Verdict:
        """The rules' answer to an operation, without its trace (a list asks it per row:
        "switchable?"); `why` gives the whole trace."""
        with self._reading() as (ctxs, op):
            d = self.rules.decide(op_name, self._decision_context(ctxs, op, op_name, args))
            return Verdict(d.allowed, d.rule.name, None if d.allowed else
                           self.rules.message(d.because or "", self.lang))

    def assign_targets(self, order_id: str) -> list[tuple[dict, Verdict]]:
        """Every account this operator may read, with the rules' answer to assigning the
        order there (S2): the Assign picker offers the allowed ones and says why not for
        the others."""
        with self._reading() as (ctxs, op):
            order = self._get(ctxs.view, "order", order_id)
            if not self._allowed("order.read", self._order_ctx(ctxs, op, order)):
                raise NotFound(self._t("unknown_record", kind=self._t("kind_order"),
                                       id=order_id), "order", order_id)
            out = []
            for a in ctxs.view.all("accounts"):
                if not self._allowed("account.read", ctxs.for_account(op, a)):
                    continue
                d = self.rules.decide("order.assign", {
                    "operator": op, "order": ctxs.order(order), "account": ctxs.account(a),
                    "partner": ctxs.partner_of(order["partner"])})
                out.append(({"id": a["id"], "name": a["name"], "partner": a["partner"]},
                            Verdict(d.allowed, d.rule.name, None if d.allowed else
                                    self.rules.message(d.because or "", self.lang))))
            return out

    # Explanations of changes ----------------------------------------------
    def why(self, op_name: str, **args: str | bool) -> Any:
        """The full trace of a policy decision, for `--why` and the TUI's why panel."""
        with self._reading() as (ctxs, op):
            ctx = self._decision_context(ctxs, op, op_name, args)
            return self.rules.explain_decision(op_name, ctx)

    def _decision_context(self, ctxs: Contexts, op: dict, op_name: str, args: dict) -> dict:
        view = ctxs.view
        if op_name in ("license.set", "micollab.set"):
            user = self._get(view, "user", str(args["user"]))
            return {**ctxs.for_user(op, user), "product": args.get("product", "miteam"),
                    "value": bool(args["value"])}
        if op_name == "integration.set":
            account = self._get(view, "account", self.resolve_account(ctxs, str(args["account"])))
            return ctxs.for_account(op, account, integration=args["integration"],
                                    value=bool(args["value"]))
        if op_name == "order.assign":
            order = self._get(view, "order", str(args["order"]))
            account = self._get(view, "account", self.resolve_account(ctxs, str(args["account"])))
            return {"operator": op, "order": ctxs.order(order), "account": ctxs.account(account),
                    "partner": ctxs.partner_of(order["partner"])}
        raise BadInput(f"no explanation for '{op_name}'")


def _write_license(tx: Any, user: dict, product: str, on: bool, actor: str) -> None:
    tx.put("users", {
        **user,
        "licenses": {**user.get("licenses", {}), product: on},
        "set_by": {**user.get("set_by", {}), product: actor},
    })

