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
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import schema
from ..engine.ruleset import Decision, RuleRef, RuleSet
from ..errors import BadInput, NotFound, Refused
from ..i18n import t
from . import filters
from . import outcome as clock
from .actions import (
    CONSEQUENCE,
    READ_ACCOUNT,
    READ_AUDIT,
    READ_ORDER,
    READ_PARTNER,
    Action,
    AssignOrder,
)
from .context import Contexts
from .outcome import TABLES, Effect, Outcome, write_license
from .views import account_view, order_view, user_view

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# How far back a stale-edit refusal looks in the account's audit trail for who changed it.
_STALE_SCAN = 10_000
# How many users a stale preview's refusal names.
_NAMED = 5

__all__ = ["Effect", "Outcome", "Session"]


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


def audit_record(operator: str, real: str, rules: RuleSet | None, operation: str,
                 target: str, before: Any = None, after: Any = None,
                 rule: RuleRef | None = None, account: str | None = None,
                 partner: str | None = None, actor: str = "operator",
                 outcome: str = "applied") -> dict:
    """One audit entry, the only place that shapes one: who acted (`operator`, the
    identity acted as; `real`, the OS login behind it), what, and under which rule set
    (`rules`: its fingerprint, so an entry proves which policy decided)."""
    return {
        "at": clock.now(), "operator": operator, "real": real, "actor": actor,
        "operation": operation, "target": target, "account": account, "partner": partner,
        "before": before, "after": after, "rule": rule.name if rule else None,
        "rule_at": f"{rule.span.file}:{rule.span.line}" if rule else None,
        "rules": rules.fingerprint if rules is not None else None, "outcome": outcome,
    }


class Session:
    """What one operator can see and do. The CLI and the TUI both drive this."""

    def __init__(self, store: Any, rules: RuleSet, operator: str, lang: str = "en",
                 on: date | None = None, real: str | None = None) -> None:
        self.store = store
        self.rules = rules
        self.login = operator
        # The OS login behind the operator (the administrator acting as `operator`, or the
        # service account of an SSH login): every audit entry names both.
        self.real = real or operator
        self.lang = lang
        self.on = on

    # Plumbing -------------------------------------------------------------
    def _t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    tr = _t  # for actions: a message in the operator's language

    def get(self, view: Any, kind: str, key: str) -> dict:
        """A record by id, or NotFound naming it."""
        doc = view.get(TABLES[kind], key)
        if doc is None:
            raise NotFound(self._t("unknown_record", kind=self._t(f"kind_{kind}"), id=key),
                           kind, key)
        return doc

    def _operator(self, ctxs: Contexts) -> dict:
        doc = ctxs.view.get("operators", self.login)
        if doc is None:
            raise Refused(self._t("unknown_operator", login=self.login), key="unknown_operator")
        return ctxs.operator(doc)

    def require(self, op: str, ctx: dict) -> Decision:
        """The rules' decision on `op`, or Refused with their reason."""
        decision = self.rules.decide(op, ctx)
        if not decision.allowed:
            raise Refused(self.rules.message(decision.because or "", self.lang), decision,
                          key=decision.because)
        return decision

    def _allowed(self, op: str, ctx: dict) -> bool:
        return self.rules.decide(op, ctx).allowed

    def audit_entry(self, tx: Any, operation: str, target: str, before: Any, after: Any,
                    rule: RuleRef | None, account: str | None, partner: str | None,
                    actor: str = "operator", outcome: str = "applied") -> int:
        return tx.append("audit", audit_record(
            self.login, self.real, self.rules, operation, target, before, after, rule,
            account, partner, actor, outcome))

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

    # Reads ----------------------------------------------------------------
    def whoami(self) -> dict:
        with self._reading() as (_, op):
            return op

    def partners(self) -> list[dict]:
        with self._reading() as (ctxs, op):
            return [p for p in ctxs.view.all("partners")
                    if self._allowed(READ_PARTNER, {"operator": op, "partner": p})]

    def accounts(self, partner: str | None = None) -> list[dict]:
        with self._reading() as (ctxs, op):
            docs = ctxs.view.by("accounts", "partner", partner) if partner \
                else ctxs.view.all("accounts")
            return [account_view(ctxs, a, self._orders_of(ctxs, op, a)) for a in docs
                    if self._allowed(READ_ACCOUNT, ctxs.for_account(op, a))]

    def _orders_of(self, ctxs: Contexts, op: dict, account: dict) -> list[dict]:
        return [o for o in ctxs.view.by("orders", "account", account["id"])
                if self._allowed(READ_ORDER, self._order_ctx(ctxs, op, o))]

    def _order_ctx(self, ctxs: Contexts, op: dict, order: dict) -> dict:
        return {"operator": op, "order": ctxs.order(order),
                "partner": ctxs.partner_of(order["partner"])}

    def _readable_account(self, ctxs: Contexts, op: dict, account_id: str) -> dict:
        account = self.get(ctxs.view, "account", account_id)
        self.require(READ_ACCOUNT, ctxs.for_account(op, account))
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
                            if self._allowed(READ_ACCOUNT, ctxs.for_account(op, a))}
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
            user = self.get(ctxs.view, "user", user_id)
            self._readable_account(ctxs, op, user["account"])
            return user_view(self.rules, ctxs, op, user, self.lang)

    def orders(self, state: str | None = None) -> list[dict]:
        with self._reading() as (ctxs, op):
            out = []
            for o in ctxs.view.all("orders"):
                if not self._allowed(READ_ORDER, self._order_ctx(ctxs, op, o)):
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
                READ_AUDIT, {"operator": op, "entry": {
                    "account": e.get("account"), "partner": e.get("partner"),
                    "operation": e.get("operation", "")}})]
            return visible[-limit:] if limit else visible

    def explain(self, user_id: str, product: str = "miteam"):
        """The view decision for a user and product, with every rule's trace."""
        self.check_product(product)
        with self._reading() as (ctxs, op):
            user = self.get(ctxs.view, "user", user_id)
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

    def check_product(self, product: str) -> None:
        if product not in schema.PRODUCTS:
            raise BadInput(self._t("unknown_record", kind="product", id=product))

    # Changes --------------------------------------------------------------
    def apply(self, action: Action, *, dry_run: bool = False, expect: bool | None = None,
              expect_preview: str | None = None) -> Outcome:
        """Apply one action in one transaction: the rules decide, then it writes, applies
        what follows and audits. A refusal or a dry run writes nothing.

        `expect`: the stored state the operator saw (a license's or an integration's); if
        another console changed it since, the change is refused as a stale edit rather
        than applied blindly. `expect_preview`: the `Outcome.preview` of the dry run the
        operator confirmed; if the change would now do anything else (another user
        switched on meanwhile would be revoked too), it is refused as stale."""
        action.validate(self)
        try:
            with self._writing() as (tx, ctxs, op):
                outcome = action.perform(self, tx, ctxs, op, expect)
                if expect_preview is not None and outcome.preview != expect_preview:
                    raise self._stale_preview(outcome)
                if dry_run:
                    outcome.dry_run = True
                    raise _DryRun(outcome)
                return outcome
        except _DryRun as done:
            return done.outcome

    # What the operator is offered -------------------------------------------
    def capabilities(self) -> Capabilities:
        """Which places this operator is offered (policy place.open), with the reason for
        each one refused: the console shows its keys, palette and menus from this."""
        with self._reading() as (ctxs, op):
            return Capabilities(op["role"], {
                place: self._verdict(self.rules.decide(
                    "place.open", {"operator": op, "place": place}))
                for place in schema.PLACES})

    def decide(self, action: Action) -> Verdict:
        """The rules' answer to an action, without its trace (a list asks it per row:
        "switchable?"); `why` gives the whole trace."""
        action.validate(self)
        with self._reading() as (ctxs, op):
            return self._verdict(self.rules.decide(action.policy,
                                                   action.context(self, ctxs, op)))

    def assign_targets(self, order_id: str) -> list[tuple[dict, Verdict]]:
        """Every account this operator may read, with the rules' answer to assigning the
        order there (S2): the Assign picker offers the allowed ones and says why not for
        the others."""
        with self._reading() as (ctxs, op):
            order = ctxs.view.get("orders", order_id)
            if order is None or not self._allowed(READ_ORDER,
                                                  self._order_ctx(ctxs, op, order)):
                raise NotFound(self._t("unknown_record", kind=self._t("kind_order"),
                                       id=order_id), "order", order_id)
            out = []
            for a in ctxs.view.all("accounts"):
                if not self._allowed(READ_ACCOUNT, ctxs.for_account(op, a)):
                    continue
                ctx = AssignOrder(order_id, a["id"]).context(self, ctxs, op)
                out.append(({"id": a["id"], "name": a["name"], "partner": a["partner"]},
                            self._verdict(self.rules.decide(AssignOrder.policy, ctx))))
            return out

    def _verdict(self, d: Decision) -> Verdict:
        return Verdict(d.allowed, d.rule.name,
                       None if d.allowed else self.rules.message(d.because or "", self.lang))

    def why(self, action: Action) -> Any:
        """The full trace of the decision `apply(action)` would meet, built from the same
        context, for `--why` and the console's Why panel."""
        action.validate(self)
        with self._reading() as (ctxs, op):
            return self.rules.explain_decision(action.policy, action.context(self, ctxs, op))

    def stale(self, tx: Any, target: str, in_account: str, key: str, now: bool,
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

    def _stale_preview(self, outcome: Outcome) -> Refused:
        users = [u for e in outcome.effects for u in e.users]
        shown = ", ".join(users[:_NAMED]) + (" …" if len(users) > _NAMED else "")
        return Refused(self._t("stale_preview", target=outcome.target, count=len(users),
                               users=shown or "-"), key="stale_preview")

    def follow(self, tx: Any, ctxs: Contexts, op_name: str, ctx: dict, outcome: Outcome,
               actor: str) -> None:
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
                write_license(tx, user, c.product, on, actor)
                outcome.audit.append(self.audit_entry(
                    tx, CONSEQUENCE, f"user:{user['id']}", before, on, c.rule,
                    user["account"], ctx["account"]["partner"], actor))
                changed.append(user["id"])
            outcome.effects.append(Effect(c.rule, c.action, c.product, changed))
        ctxs.invalidate()

    # Helpers the actions use ------------------------------------------------
    def new_id(self, tx: Any, kind: str, key: str) -> None:
        if not _ID.match(key):
            raise BadInput(self._t("bad_id", value=key))
        if tx.get(TABLES[kind], key) is not None:
            raise BadInput(self._t("exists", kind=self._t(f"kind_{kind}"), id=key))

    def clean_name(self, name: str) -> str:
        if not name or not name.strip():
            raise BadInput(self._t("empty_name"))
        return name.strip()


