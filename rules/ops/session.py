"""Operations: one operator's session against a store, under a rule set.

Every change runs the same way (DESIGN.md section 3): inside one store transaction (the
lock is held, other consoles' commits are visible), build the rule context, ask the rules,
refuse with the rule's reason or write, apply what follows, audit. A refusal writes nothing.
Reads are filtered by the same rules (`account.read`, `order.read`, ...).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from .. import schema
from ..engine.ruleset import Decision, RuleRef, RuleSet
from ..engine.whynot import why_not
from ..errors import BadInput, NotFound, Refused
from ..i18n import t
from ..text import printable
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
    SetLicense,
)
from .auditlog import AuditFilter
from .bulk import BulkResult, apply_many, matches
from .context import Contexts
from .outcome import TABLES, Effect, Outcome, write_license
from .report import SUMMARY_USER_LIMIT, LicenseReport
from .report import build as build_report
from .revert import RevertResult, revert
from .userimport import ImportResult, ImportRow, import_users
from .views import account_view, order_view, user_view

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
        # While a revert runs: the audit entry it reverts (written into every entry).
        self.reverting: int | None = None
        # While a dry run computes its outcome: nothing it writes is kept, so its audit
        # entries are not even made (a 10,000-user preview spends no time on them).
        self.previewing = False

    # Plumbing -------------------------------------------------------------
    def _t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    tr = _t  # for actions: a message in the operator's language

    def not_found(self, kind: str, key: str) -> NotFound:
        return NotFound(self._t("unknown_record", kind=self._t(f"kind_{kind}"),
                                id=printable(key)), kind, key)

    def get(self, view: Any, kind: str, key: str) -> dict:
        """A record by id, or NotFound naming it (whoever may read it: for records the
        operator reached already; to look one up by what they typed, `visible`)."""
        doc = view.get(TABLES[kind], key)
        if doc is None:
            raise self.not_found(kind, key)
        return doc

    def visible(self, ctxs: Contexts, op: dict, kind: str, key: str) -> dict:
        """A record by id, if this operator may read it.

        One outside the operator's scope is reported exactly as one that does not exist
        (same message, same exit code, no rule, no trace): no answer tells a tenant what
        another tenant holds, or that an id is in use there (adding a record under a taken
        id is the one exception ids being one namespace allows, see `taken`). Which
        records are readable is the rules' decision (`may_read`); Python only maps "not
        readable" to "not found"."""
        doc = ctxs.view.get(TABLES[kind], key)
        if doc is None or not self.may_read(ctxs, op, kind, doc):
            raise self.not_found(kind, key)
        return doc

    def may_read(self, ctxs: Contexts, op: dict, kind: str, doc: dict) -> bool:
        if kind == "account":
            return self._allowed(READ_ACCOUNT, ctxs.for_account(op, doc))
        if kind == "user":  # a user is seen with their account
            account = ctxs.view.get("accounts", doc["account"])
            return account is not None and self.may_read(ctxs, op, "account", account)
        if kind == "order":
            return self._allowed(READ_ORDER, self._order_ctx(ctxs, op, doc))
        if kind == "partner":
            return self._allowed(READ_PARTNER, {"operator": op, "partner": doc})
        return False  # operators are nobody's to look up by id

    def _operator(self, ctxs: Contexts) -> dict:
        doc = ctxs.view.get("operators", self.login)
        if doc is None:
            raise Refused(self._t("unknown_operator", login=self.login), key="unknown_operator")
        return ctxs.operator(doc)

    def require(self, op: str, ctx: dict) -> Decision:
        """The rules' decision on `op`, or Refused with their reason."""
        decision = self.rules.decide(op, ctx)
        if not decision.allowed:
            raise self.refusal(decision)
        return decision

    def refusal(self, decision: Decision) -> Refused:
        """A refusing decision as the error that says why, in the operator's language."""
        return Refused(self.rules.message(decision.because or "", self.lang), decision,
                       key=decision.because)

    def _allowed(self, op: str, ctx: dict) -> bool:
        return self.rules.decide(op, ctx).allowed

    def audit_entry(self, tx: Any, operation: str, target: str, before: Any, after: Any,
                    rule: RuleRef | None, account: str | None, partner: str | None,
                    actor: str = "operator", outcome: str = "applied",
                    cause: int | None = None) -> int:
        """Append one audit entry. `cause`: for a consequence, the entry of the operation it
        followed (a revert of either reverts the whole operation)."""
        if self.previewing:
            return 0
        entry = audit_record(
            self.login, self.real, self.rules, operation, target, before, after, rule,
            account, partner, actor, outcome)
        if cause is not None:
            entry["cause"] = cause
        if self.reverting is not None:
            entry["revert_of"] = self.reverting
        return tx.append("audit", entry)

    @contextmanager
    def preview(self, on: bool = True) -> Iterator[None]:
        """Within: audit entries are not made (the transaction will be discarded)."""
        was, self.previewing = self.previewing, on or self.previewing
        try:
            yield
        finally:
            self.previewing = was

    @contextmanager
    def _reading(self) -> Iterator[tuple[Contexts, dict]]:
        ctxs = Contexts(self.store.read(), self.on, expiring_days=self.rules.expiring_days)
        yield ctxs, self._operator(ctxs)

    reading_view = _reading  # for the ops modules: one consistent read and the operator

    @contextmanager
    def writing(self) -> Iterator[tuple[Any, Contexts, dict]]:
        # A refusal or a dry run raises out of the transaction, which then writes nothing.
        with self.store.transaction() as tx:
            ctxs = Contexts(tx, self.on, expiring_days=self.rules.expiring_days)
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

    def account(self, account_id: str) -> dict:
        with self._reading() as (ctxs, op):
            account = self.resolve_account(ctxs, op, account_id)
            return account_view(ctxs, account, self._orders_of(ctxs, op, account))

    def users(self, account_id: str | None = None) -> list[dict]:
        with self._reading() as (ctxs, op):
            if account_id is not None:
                account = self.resolve_account(ctxs, op, account_id)
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
        with self._reading() as (ctxs, op):
            docs, views = self._listed(ctxs, op, account_id, query)
            start, end = max(0, offset), max(0, offset) + max(0, limit)
            if views is not None:
                return len(views), views[start:end]
            return len(docs), [user_view(self.rules, ctxs, op, u, self.lang)
                               for u in docs[start:end]]

    def user_ids(self, account_id: str, query: str = "") -> list[str]:
        """The ids of every user `users_page` lists for `query`, in its order (the
        console's `M`: mark every user the filter shows). Views are built only when the
        filter names states."""
        with self._reading() as (ctxs, op):
            docs, views = self._listed(ctxs, op, account_id, query)
            return [u["id"] for u in (docs if views is None else views)]

    def _listed(self, ctxs: Contexts, op: dict, account_id: str, query: str
                ) -> tuple[list[dict], list[dict] | None]:
        """An account's users matching `query`'s text, and when it names states, the
        views of those matching its states too (None: no state asked)."""
        wanted = filters.parse(query)
        account = self.resolve_account(ctxs, op, account_id)
        docs = [u for u in ctxs.view.by("users", "account", account["id"])
                if wanted.matches_text(u)]
        if not wanted.needs_view:
            return docs, None
        views = [user_view(self.rules, ctxs, op, u, self.lang) for u in docs]
        return docs, [v for v in views if wanted.matches_view(v)]

    def user(self, user_id: str) -> dict:
        with self._reading() as (ctxs, op):
            user = self.visible(ctxs, op, "user", user_id)
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

    def audit(self, account_id: str | None = None, limit: int | None = 50,
              where: AuditFilter | None = None) -> list[dict]:
        """The newest `limit` audit entries this operator may read (None: all), of one
        account or all, matching `where` (user, operator, operation, rule, dates)."""
        with self._reading() as (ctxs, op):
            if account_id is not None:
                account_id = self.resolve_account(ctxs, op, account_id)["id"]
            entries = (ctxs.view.by("audit", "account", account_id) if account_id
                       else ctxs.view.all("audit"))
            if where is not None:
                where.check(self)
                entries = [e for e in entries if where.matches(e)]
            visible = [e for e in entries if self._allowed(
                READ_AUDIT, {"operator": op, "entry": {
                    "account": e.get("account"), "partner": e.get("partner"),
                    "operation": e.get("operation", "")}})]
            return visible[-limit:] if limit else visible

    def report(self, partner: str | None = None, account_id: str | None = None,
               product: str = "miteam", *, users: bool | None = True) -> LicenseReport:
        """The license report over the accounts this operator may read (of one partner, or
        one account): see `rules/ops/report.py`. `users=False`: without the user lists,
        reading no user; None: with them only if the accounts hold at most
        SUMMARY_USER_LIMIT users (the start screen's summary: cheap at any size)."""
        self.check_product(product)
        with self._reading() as (ctxs, op):
            if account_id is not None:
                docs = [self.resolve_account(ctxs, op, account_id)]
            else:
                docs = ctxs.view.by("accounts", "partner", partner) if partner \
                    else ctxs.view.all("accounts")
                docs = [a for a in docs if self._allowed(READ_ACCOUNT, ctxs.for_account(op, a))]
            if users is None:  # counted from the store's tallies: no user is read
                users = sum(ctxs.view.count("users", "account", a["id"]) for a in docs) \
                    <= SUMMARY_USER_LIMIT
            orders = {a["id"]: self._orders_of(ctxs, op, a) for a in docs}
            unassigned = [] if account_id is not None else [
                o for o in ctxs.view.by("orders", "account", None)
                if (partner is None or o["partner"] == partner)
                and self._allowed(READ_ORDER, self._order_ctx(ctxs, op, o))]
            return build_report(self.rules, ctxs, op, docs, orders, unassigned, product,
                                self.lang, users=users)

    def explain(self, user_id: str, product: str = "miteam"):
        """The view decision for a user and product, with every rule's trace."""
        self.check_product(product)
        with self._reading() as (ctxs, op):
            user = self.visible(ctxs, op, "user", user_id)
            ctx = {**ctxs.for_user(op, user), "product": product}
            explanation = self.rules.explain_view(product, ctx)
            # A toggle that cannot be switched: what would make it switchable.
            explanation.why_not = why_not(self.rules, ctx, product,
                                          not ctx["user"]["licenses"][product], self.lang,
                                          want_view=True)
            return explanation

    def resolve_account(self, ctxs: Contexts, op: dict, key: str) -> dict:
        """An account this operator may read, by id or by company name (S2: the partner
        picks by name). Names resolve only among readable accounts, so neither a match
        nor an ambiguity names another tenant's account."""
        doc = ctxs.view.get("accounts", key)
        if doc is not None and self.may_read(ctxs, op, "account", doc):
            return doc
        hits = [a for a in accounts_named(ctxs.view.all("accounts"), key)
                if self.may_read(ctxs, op, "account", a)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise BadInput(self._t("ambiguous_account", name=printable(key),
                                   ids=", ".join(a["id"] for a in hits)))
        raise self.not_found("account", key)

    def check_product(self, product: str) -> None:
        if product not in schema.PRODUCTS:
            raise BadInput(self._t("unknown_record", kind="product", id=printable(product)))

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
            with self.writing() as (tx, ctxs, op), self.preview(dry_run):
                outcome = action.perform(self, tx, ctxs, op, expect)
                if expect_preview is not None and outcome.preview != expect_preview:
                    raise self._stale_preview(outcome)
                if dry_run:
                    outcome.dry_run = True
                    outcome.audit = []  # none was made: the transaction is discarded
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

    def apply_many(self, actions: list[Action], *, dry_run: bool = False,
                   all_or_nothing: bool = False, expect_preview: str | None = None
                   ) -> BulkResult:
        """Many actions in one transaction, each decided as if made alone, in order (bulk
        switching, issue 12). Returns one line per action and the preview's groups; see
        `rules/ops/bulk.py`. `expect_preview`: the `BulkResult.preview` of the dry run
        the operator confirmed (refused as stale if the set would now go otherwise)."""
        return apply_many(self, actions, dry_run=dry_run, all_or_nothing=all_or_nothing,
                          expect_preview=expect_preview)

    def import_users(self, account_id: str, rows: list[ImportRow], *, dry_run: bool = False,
                     skip_errors: bool = False) -> ImportResult:
        """Users from a spreadsheet into an account (`rules/ops/userimport.py`): `rows` from
        `userimport.read_csv`; each row gets its status, line and reason."""
        return import_users(self, account_id, rows, dry_run=dry_run, skip_errors=skip_errors)

    def revert(self, seq: int, *, dry_run: bool = False,
               expect_preview: str | None = None) -> RevertResult:
        """Apply the inverse of audit entry `seq` (of the whole operation it belongs to), as
        new operations decided by today's rules, all or nothing (`rules/ops/revert.py`).
        `expect_preview`: the digest of the dry run confirmed (stale: refused)."""
        return revert(self, seq, dry_run=dry_run, expect_preview=expect_preview)

    def select_users(self, account_id: str, where: dict[str, str] | None = None,
                     product: str = "miteam") -> list[str]:
        """The ids of an account's users in the states `where` names (`{"shown": "off"}`;
        keys and values in `bulk.WHERE_KEYS`), in the account's order."""
        self.check_product(product)
        with self._reading() as (ctxs, op):
            account = self.resolve_account(ctxs, op, account_id)
            docs = ctxs.view.by("users", "account", account["id"])
            if not where:
                return [u["id"] for u in docs]
            return [u["id"] for u in docs
                    if matches(user_view(self.rules, ctxs, op, u, self.lang), where, product)]

    def why(self, action: Action) -> Any:
        """The full trace of the decision `apply(action)` would meet, built from the same
        context, for `--why` and the console's Why panel."""
        action.validate(self)
        with self._reading() as (ctxs, op):
            ctx = action.context(self, ctxs, op)
            explanation = self.rules.explain_decision(action.policy, ctx)
            if type(action) is SetLicense and explanation.answer == "refused":
                # What would allow it: the smallest change of this account's records.
                explanation.why_not = why_not(self.rules, ctx, ctx["product"], ctx["value"],
                                              self.lang)
            return explanation

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
                    user["account"], ctx["account"]["partner"], actor,
                    cause=outcome.audit[0] if outcome.audit else None))
                changed.append(user["id"])
            outcome.effects.append(Effect(c.rule, c.action, c.product, changed))
        ctxs.invalidate()

    # Helpers the actions use ------------------------------------------------
    def taken(self, tx: Any, kind: str, key: str) -> None:
        """BadInput if `key` is in use. Ids are one namespace, so a taken id must be said;
        actions ask only once the rules let the operator add here, and say no more than
        that the id is taken."""
        if tx.get(TABLES[kind], key) is not None:
            raise BadInput(self._t("exists", kind=self._t(f"kind_{kind}"), id=key))


def accounts_named(accounts: Iterable[dict], name: str) -> list[dict]:
    """The accounts whose company name is `name` (case and surrounding space ignored)."""
    wanted = name.strip().casefold()
    return [a for a in accounts if a["name"].casefold() == wanted]
