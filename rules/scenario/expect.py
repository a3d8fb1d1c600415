"""Checking one expectation: does it hold, and if not, what was expected and what was got.

Both sides are written in scenario words, so a "got" can be pasted into the scenario.
What the step did (done, refused, consequences) comes from its result. Stored states,
license counts, integrations and orders are read from the records as stored, whoever
acts. What a user's Products and Licenses shows, and what an operator sees or cannot
see, is read through the operator's session: what that operator's screen would show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import CoreError, NotFound, Refused
from ..i18n import t
from ..ops.context import Contexts
from ..ops.session import Session, accounts_named
from .model import Expectation
from .writer import format_change, format_display, format_expectation, name, quote

if TYPE_CHECKING:
    from .runner import Player, Result

Check = tuple[bool, str, str]  # holds, expected, got


def check(e: Expectation, result: Result, session: Session, player: Player) -> Check:
    expected = format_expectation(e.kind, e.args).removeprefix("expect ")
    fn = _CHECKS[e.kind]
    return fn(e.args, expected, result, session, player)


def _switch(on: bool) -> str:
    return "on" if on else "off"


def _ids(ids: list[str]) -> str:
    return " ".join(sorted(ids)) if ids else "none"


def _error(exc: CoreError) -> str:
    return "error " + quote(str(exc))


# About the step -------------------------------------------------------------------


def _done(a, expected, r, session, player) -> Check:
    return r.kind in ("done", "unchanged", "dry_run"), "done", r.describe()


def _unchanged(a, expected, r, session, player) -> Check:
    got = r.describe()
    if r.kind in ("done", "dry_run") and r.outcome is not None:
        got = f"done ({format_change(r.outcome)})"
    return r.kind == "unchanged", "unchanged", got


def _refused(a, expected, r, session, player) -> Check:
    ok = (r.kind == "refused" and a.get("by") in (None, r.rule)
          and a.get("because") in (None, r.key)
          and (a.get("text") is None or a["text"] in r.reason))
    return ok, expected, r.describe()


def _error_check(a, expected, r, session, player) -> Check:
    ok = r.kind == "error" and (a.get("text") is None or a["text"] in r.reason)
    return ok, expected, r.describe()


def _effects_text(r: Result) -> str:
    if r.kind in ("refused", "error"):
        return r.describe()
    parts = [f"{'revoked' if action == 'revoke' else 'granted'} {len(users)} by {rule}"
             for action, rule, users in r.effects()]
    return ", ".join(parts) or "no consequences"


def _effect(a, expected, r, session, player) -> Check:
    if r.kind in ("refused", "error"):
        return False, expected, r.describe()
    count = sum(len(users) for action, rule, users in r.effects()
                if action == a["action"] and a.get("by") in (None, rule))
    return count == a["count"], expected, _effects_text(r)


def _no_effect(a, expected, r, session, player) -> Check:
    ok = not any(users for _, _, users in r.effects())
    return ok, expected, _effects_text(r)


# What an operator's screen shows ---------------------------------------------------------


def _shows(a, expected, r, session, player) -> Check:
    wrong = []
    for uid in a["users"]:
        try:
            user = session.user(uid)
        except Refused as exc:
            wrong.append(f"cannot see user {uid} ({exc})")
            continue
        except CoreError as exc:
            wrong.append(_error(exc))
            continue
        (p,) = [p for p in user["products"] if p["product"] == "miteam"]
        holds = (p["display"] == "toggle" and p["on"] == a["on"] and p["mode"] == a["mode"]
                 and a.get("message") in (None, p["message"])) if a["display"] == "toggle" \
            else p["message"] == a["message"]
        holds = holds and a.get("by") in (None, p["rule"])
        if not holds:
            got = f"{format_display(p)} by {p['rule']}"
            wrong.append(got if len(a["users"]) == 1 else f"{uid}: {got}")
    shown = format_display(a) + (f" by {a['by']}" if a.get("by") else "")
    return not wrong, shown, "; ".join(wrong)


def _sees(a, expected, r, session, player) -> Check:
    try:
        if a["what"] == "accounts":
            ids = [x["id"] for x in session.accounts()]
        elif a["what"] == "orders":
            ids = [x["id"] for x in session.orders()]
        else:
            ids = [x["id"] for x in session.partners()]
    except CoreError as exc:
        return False, expected, _error(exc) if not isinstance(exc, Refused) else \
            f"refused {quote(str(exc))}"
    return sorted(ids) == sorted(a["ids"]), f"sees {a['what']} {_ids(a['ids'])}", \
        f"sees {a['what']} {_ids(ids)}"


def _hidden(a, expected, r, session, player) -> Check:
    """`cannot see KIND ID`: the record exists, and to this operator it is exactly as if
    it did not (the core answers "unknown", the lists leave it out)."""
    kind, key = a["kind"], a["id"]
    lang = player.scenario.language
    if player.store.read().get(f"{kind}s", key) is None:
        return False, expected, "error " + quote(
            t("unknown_record", lang, kind=t(f"kind_{kind}", lang), id=key))
    try:
        if kind == "user":
            session.user(key)
        elif kind == "account":
            session.account(key)
        elif key not in {o["id"] for o in session.orders()}:
            return True, expected, f"cannot see {kind} {key}"
    except NotFound:
        return True, expected, f"cannot see {kind} {key}"
    except CoreError as exc:
        return False, expected, _error(exc)
    return False, expected, f"sees {kind} {key}"


# The records as stored ----------------------------------------------------------------


def _contexts(player: Player) -> Contexts:
    return Contexts(player.store.read(), player.scenario.on,
                    expiring_days=player.rules.expiring_days)


def _account(ctxs: Contexts, key: str, lang: str) -> dict:
    """An account as stored, by id or company name: the scenario's author checks the
    records themselves, whoever the step acted as."""
    doc = ctxs.view.get("accounts", key)
    named = accounts_named(ctxs.view.all("accounts"), key)
    if doc is None and len(named) == 1:
        doc = named[0]
    if doc is None:
        raise NotFound(t("unknown_record", lang, kind=t("kind_account", lang), id=key),
                       "account", key)
    return doc


def _stored(a, expected, r, session, player) -> Check:
    ctxs = _contexts(player)
    lang = player.scenario.language
    wrong = []
    for uid in a["users"]:
        doc = ctxs.view.get("users", uid)
        if doc is None:
            wrong.append("error " + quote(t("unknown_record", lang, kind=t("kind_user", lang),
                                             id=uid)))
            continue
        u = ctxs.user(doc)
        on, by = u["licenses"]["miteam"], u["set_by"]["miteam"]
        if on != a["on"] or a.get("set_by") not in (None, by):
            got = f"stored {_switch(on)}" + (f" set by {by}" if by else "")
            wrong.append(got if len(a["users"]) == 1 else f"{uid}: {got}")
    want = f"stored {_switch(a['on'])}" + (f" set by {a['set_by']}" if a.get("set_by") else "")
    return not wrong, want, "; ".join(wrong)


def _account_check(a, expected, r, session, player, compare) -> Check:
    ctxs = _contexts(player)
    try:
        account = _account(ctxs, a["account"], player.scenario.language)
    except CoreError as exc:
        return False, expected, _error(exc)
    return compare(ctxs, account)


def _licenses(a, expected, r, session, player) -> Check:
    def compare(ctxs: Contexts, account: dict) -> Check:
        counts = ctxs.account(account)["licenses"]["miteam"]
        ok = all(counts[k] == v for k, v in a["counts"].items())
        want = " ".join(f"{k} {v}" for k, v in a["counts"].items())
        got = " ".join(f"{k} {counts[k]}" for k in ("total", "assigned", "available"))
        return ok, f"licenses {want}", f"licenses {got}"
    return _account_check(a, expected, r, session, player, compare)


def _integrations(a, expected, r, session, player) -> Check:
    def compare(ctxs: Contexts, account: dict) -> Check:
        have = account["integrations"]
        ok = all(bool(have.get(k)) == v for k, v in a["integrations"].items())
        want = " ".join(f"{k} {_switch(v)}" for k, v in a["integrations"].items())
        got = " ".join(f"{k} {_switch(bool(have.get(k)))}" for k in ("micollab", "miteam"))
        return ok, want, got
    return _account_check(a, expected, r, session, player, compare)


def _account_orders(a, expected, r, session, player) -> Check:
    def compare(ctxs: Contexts, account: dict) -> Check:
        ids = [o["id"] for o in ctxs.view.by("orders", "account", account["id"])]
        return sorted(ids) == sorted(a["orders"]), f"orders {_ids(a['orders'])}", \
            f"orders {_ids(ids)}"
    return _account_check(a, expected, r, session, player, compare)


def _order(a, expected, r, session, player) -> Check:
    ctxs = _contexts(player)
    lang = player.scenario.language
    doc = ctxs.view.get("orders", a["order"])
    if doc is None:
        return False, expected, "error " + quote(
            t("unknown_record", lang, kind=t("kind_order", lang), id=a["order"]))
    o = ctxs.order(doc)
    want_account: Any = a.get("account")
    if want_account is not None:
        try:
            want_account = _account(ctxs, want_account, lang)["id"]
        except CoreError:
            pass  # compared as written: the got side names the real account
    ok = a.get("state") in (None, o["state"]) and want_account in (None, o["account"])
    got = f"state {o['state']}" + (f" account {name(o['account'])}" if o["account"] else "")
    want = " ".join([*([f"state {a['state']}"] if a.get("state") else []),
                     *([f"account {name(a['account'])}"] if a.get("account") else [])])
    return ok, want, got


_CHECKS = {
    "done": _done, "unchanged": _unchanged, "refused": _refused, "error": _error_check,
    "effect": _effect, "no_effect": _no_effect, "shows": _shows, "sees": _sees,
    "hidden": _hidden, "stored": _stored, "licenses": _licenses,
    "integrations": _integrations, "account_orders": _account_orders, "order": _order,
}
