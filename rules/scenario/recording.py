"""A console session written down as a scenario (`miteam tui --record FILE`).

The steps are what the operator did, in order: each applied change as its step, each
refusal by a rule as its step with `expect refused by RULE` (replaying proves it is still
refused). The start is written honestly:

- the database was the demo data (apart from operators registered on a first run and the
  audit trail, which no rule reads): `start demo`, plus the acting operator as a `given`
  record when the demo does not have it;
- anything else: `start empty` and, as `given` records, everything the recorded steps can
  read: each account they touch with its partner, all its users (a consequence rule
  reaches every user of an account) and its orders (the license counts), the orders they
  name, and the acting operator with its partner or account. Nothing outside those, so a
  recording of one account in a 10,000-user database stays the size of that account.

The file is rewritten, atomically, after every change: nothing is lost if the terminal
dies. Written in the console's language (`language de`); the date only when it is not the
scenarios' default, so a recording made on another day expires orders on that day.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from ..i18n import t
from ..lang.errors import Span
from ..ops.actions import Action, AssignOrder, SetIntegration, SetLicense
from ..records.database import demo_records
from ..records.store import StoreError
from ..schema import ACTORS, PRODUCTS
from .model import DEFAULT_DATE, Given
from .writer import Recorded, write_scenario

# Tables a scenario start is made of (the audit is history, not state any rule reads).
STATE_TABLES = ("partners", "accounts", "users", "orders")
_NOWHERE = Span("", 0, 0, 0, 0)


def is_demo(start: Mapping[str, list[dict]]) -> bool:
    """The demo data, apart from operators added to it (a first run registers the login as
    support) and the audit trail."""
    try:
        demo = demo_records()
    except StoreError:
        return False

    def by_id(docs: list[dict]) -> dict[str, dict]:
        return {d["id"]: d for d in docs}

    for table in STATE_TABLES:
        if by_id(start.get(table, [])) != by_id(demo.get(table, [])):
            return False
    have = by_id(start.get("operators", []))
    return all(have.get(op["id"]) == op for op in demo.get("operators", []))


class Recording:
    """Steps recorded in one console session, against the records it started from."""

    def __init__(self, start: Mapping[str, list[dict]], operator: str, *, lang: str = "en",
                 on: date | None = None) -> None:
        self.operator = operator
        self.lang = lang
        self.on = on or DEFAULT_DATE
        self.steps: list[Recorded] = []
        self.demo = is_demo(start)
        self._start = {table: {d["id"]: d for d in start.get(table, [])}
                       for table in (*STATE_TABLES, "operators")}

    # What happened ----------------------------------------------------------------
    def add(self, action: Action, refused_by: str | None = None,
            operator: str | None = None) -> None:
        """One change the operator made (or tried: `refused_by` the rule that refused it)."""
        self.steps.append(Recorded(operator or self.operator, action, refused_by))

    # The scenario -----------------------------------------------------------------
    def text(self) -> str:
        lang = self.lang
        head = [f"# {t('record_comment', lang, operator=self.operator)}"]
        if self.demo:
            start, given = "demo", self._operators(demo=True)
        else:
            head.append(f"# {t('record_comment_given', lang)}")
            start, given = "empty", self._needed()
        body = write_scenario(
            self.steps, title=t("record_title", lang, operator=self.operator,
                                date=self.on.isoformat()),
            start=start, on=self.on if self.on != DEFAULT_DATE else None,
            language=lang if lang != "en" else None, given=given)
        return "\n".join(head) + "\n" + body

    def save(self, path: Path) -> None:
        """Write the scenario so far; a crash mid-write leaves the previous version."""
        path = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.text())
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # The start records ------------------------------------------------------------
    def _operators(self, demo: bool) -> list[Given]:
        """The acting operators: given unless the demo has them as they are."""
        out = []
        demo_ops = {o["id"]: o for o in demo_records().get("operators", [])} if demo else {}
        for login in self._logins():
            doc = self._start["operators"].get(login)
            if doc is None or demo_ops.get(login) == doc:
                continue  # not registered: its steps are refused as they were
            out.append(_given("operator", doc))
        return out

    def _logins(self) -> list[str]:
        return list(dict.fromkeys([self.operator, *(s.operator for s in self.steps)]))

    def _account_id(self, key: Any) -> str | None:
        accounts = self._start["accounts"]
        if key in accounts:
            return str(key)
        # The console names accounts by id; a scenario may name one by company name.
        return next((a["id"] for a in accounts.values() if a.get("name") == key), None)

    def _needed(self) -> list[Given]:
        start = self._start
        accounts: set[str] = set()
        partners: set[str] = set()
        orders: set[str] = set()
        for step in self.steps:
            a = step.action
            if isinstance(a, SetLicense):  # and MicollabSet
                user = start["users"].get(a.user)
                if user is not None:
                    accounts.add(user["account"])
            elif isinstance(a, SetIntegration):
                accounts.add(self._account_id(a.account) or "")
            elif isinstance(a, AssignOrder):
                accounts.add(self._account_id(a.account) or "")
                order = start["orders"].get(a.order)
                if order is not None:
                    orders.add(order["id"])
                    partners.add(order["partner"])
                    if order.get("account"):
                        accounts.add(order["account"])
        ops = [start["operators"][login] for login in self._logins()
               if login in start["operators"]]
        for op in ops:
            if op.get("account"):
                accounts.add(op["account"])
            if op.get("partner"):
                partners.add(op["partner"])
        accounts &= set(start["accounts"])
        partners |= {start["accounts"][a]["partner"] for a in accounts}
        orders |= {o["id"] for o in start["orders"].values() if o.get("account") in accounts}
        # An order names its partner (and account): those must be there too.
        partners |= {start["orders"][o]["partner"] for o in orders}
        partners &= set(start["partners"])
        out = [_given("partner", start["partners"][p]) for p in sorted(partners)]
        out += [_given("account", start["accounts"][a]) for a in sorted(accounts)]
        out += [_given("user", u) for u in start["users"].values() if u["account"] in accounts]
        out += [_given("order", start["orders"][o]) for o in sorted(orders)]
        out += [_given("operator", op) for op in ops
                if _refs_present(op, partners, accounts)]
        return out


def _refs_present(op: dict, partners: set[str], accounts: set[str]) -> bool:
    return (not op.get("partner") or op["partner"] in partners) and \
        (not op.get("account") or op["account"] in accounts)


def _given(kind: str, doc: dict) -> Given:
    """A stored record as a `given` line's fields (the keys `GIVEN_FIELDS` names)."""
    if kind == "partner":
        fields: dict[str, Any] = {"name": doc.get("name") or doc["id"]}
    elif kind == "account":
        fields = {"partner": doc["partner"], "name": doc.get("name") or doc["id"],
                  **{k: bool(v) for k, v in doc.get("integrations", {}).items()
                     if k in ("micollab", "miteam")}}
    elif kind == "user":
        fields = {"account": doc["account"], "name": doc.get("name") or doc["id"],
                  "email": doc.get("email"),
                  "miteam": bool(doc.get("licenses", {}).get(PRODUCTS[0]))}
        set_by = (doc.get("set_by") or {}).get(PRODUCTS[0])
        if set_by in ACTORS:
            fields["set_by"] = set_by
    elif kind == "order":
        fields = {"partner": doc["partner"], "quantity": doc["quantity"],
                  "account": doc.get("account"), "expires": doc.get("expires")}
        if doc.get("product", PRODUCTS[0]) != PRODUCTS[0]:
            fields["product"] = doc["product"]
    else:
        fields = {"role": doc["role"], "partner": doc.get("partner"),
                  "account": doc.get("account"), "name": doc.get("name")}
    return Given(kind, doc["id"], {k: v for k, v in fields.items() if v is not None},
                 _NOWHERE)
