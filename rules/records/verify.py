"""Integrity of a database (`miteam db verify`), and backups (`miteam db backup/restore`).

The store guarantees a file that parses, unique ids and an intact journal; this checks
what the records mean: every record has the fields the product reads, with the right
types; every reference points at a record that exists (and at the right partner); no
account has more licenses switched on than it holds. An account over its licenses only
because an order of it expired is *flagged* (the console shows it as over-allocated, and
the seed allows it), not a problem. The store's running license counts are checked
against a recount as well.

A check reports findings; it never changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import schema
from ..text import ID_PATTERN, printable, unsafe_character
from . import database
from .orders import order_state, today
from .store import TABLES, StoreError, View, read_file, records


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or flagged) with one record."""

    table: str
    record: str  # its id (audit: its seq)
    problem: str
    flagged: bool = False  # True: allowed but worth knowing (over-allocated)

    def line(self) -> str:
        return f"{self.table} {self.record}: {self.problem}"

    def as_dict(self) -> dict:
        return {"table": self.table, "record": self.record, "problem": self.problem}


@dataclass
class Report:
    path: str
    version: int
    counts: dict[str, int]
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.flagged]

    @property
    def flagged(self) -> list[Finding]:
        return [f for f in self.findings if f.flagged]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def as_dict(self) -> dict:
        return {"ok": self.ok, "path": self.path, "version": self.version,
                "records": self.counts, "problems": [f.as_dict() for f in self.problems],
                "flagged": [f.as_dict() for f in self.flagged]}

    def lines(self, flagged_shown: int = 20) -> list[str]:
        out = [f"checked {self.path} (version {self.version}): "
               + ", ".join(f"{n} {t}" for t, n in self.counts.items())]
        if self.problems:
            out.append(f"{len(self.problems)} problem(s):")
            out.extend("  " + f.line() for f in self.problems)
        flagged = self.flagged
        if flagged:
            out.append(f"{len(flagged)} flagged (allowed, worth knowing):")
            out.extend("  " + f.line() for f in flagged[:flagged_shown])
            if len(flagged) > flagged_shown:
                out.append(f"  ... and {len(flagged) - flagged_shown} more (--json lists all)")
        out.append("ok: no problems found" if self.ok
                   else f"not ok: {len(self.problems)} problem(s)")
        return out


class _Checker:
    def __init__(self, view: View, on: date) -> None:
        self.view = view
        self.on = on
        self.findings: list[Finding] = []
        self.ids = {t: {d.get("id") for d in view.all(t)} for t in TABLES if t != "audit"}

    def add(self, table: str, record: Any, problem: str, flagged: bool = False) -> None:
        self.findings.append(Finding(table, str(record), problem, flagged))

    # Field checks ---------------------------------------------------------
    def text(self, table: str, key: Any, doc: dict, name: str, *, optional: bool = False,
             nonempty: bool = True) -> str | None:
        value = doc.get(name)
        if value is None:
            if not optional:
                self.add(table, key, f"'{name}' is missing")
            return None
        if not isinstance(value, str):
            self.add(table, key, f"'{name}' should be a text, not {_kind(value)}")
            return None
        if nonempty and not value.strip():
            self.add(table, key, f"'{name}' is empty")
        bad = unsafe_character(value)
        if bad is not None:
            # Shown escaped everywhere (rules/text.py), so allowed; but no one typed it
            # through miteam, which refuses such text: worth knowing.
            self.add(table, key, f"'{name}' holds a control character ({printable(bad[1])} "
                                 f"at position {bad[0] + 1}; shown escaped)", flagged=True)
        return value

    def flag(self, table: str, key: Any, value: Any, where: str) -> None:
        if not isinstance(value, bool):
            self.add(table, key, f"'{where}' should be true or false, not {_kind(value)}")

    def ref(self, table: str, key: Any, value: str | None, target: str, name: str) -> bool:
        if value is not None and value not in self.ids[target]:
            self.add(table, key, f"{name} '{value}' does not exist")
            return False
        return value is not None

    def record_id(self, table: str, doc: dict) -> str:
        key = doc.get("id")
        if isinstance(key, str) and not ID_PATTERN.fullmatch(key):
            self.add(table, key, "the id is not usable (letters, digits, '-', '_', '.')")
        return key if isinstance(key, str) else "?"

    # Tables -------------------------------------------------------------------
    def partners(self) -> None:
        for p in self.view.all("partners"):
            key = self.record_id("partners", p)
            self.text("partners", key, p, "name")

    def accounts(self) -> None:
        for a in self.view.all("accounts"):
            key = self.record_id("accounts", a)
            self.text("accounts", key, a, "name")
            partner = self.text("accounts", key, a, "partner")
            self.ref("accounts", key, partner, "partners", "partner")
            integrations = a.get("integrations")
            if not isinstance(integrations, dict):
                self.add("accounts", key, "'integrations' is missing or not a record")
                continue
            for name in schema.INTEGRATIONS:
                if name not in integrations:
                    self.add("accounts", key, f"'integrations.{name}' is missing")
                else:
                    self.flag("accounts", key, integrations[name], f"integrations.{name}")
            for name in integrations:
                if name not in schema.INTEGRATIONS:
                    self.add("accounts", key, f"unknown integration '{name}'")

    def orders(self) -> None:
        accounts = {a["id"]: a for a in self.view.all("accounts") if isinstance(a.get("id"), str)}
        for o in self.view.all("orders"):
            key = self.record_id("orders", o)
            partner = self.text("orders", key, o, "partner")
            self.ref("orders", key, partner, "partners", "partner")
            if o.get("product") not in schema.PRODUCTS:
                self.add("orders", key, f"unknown product {o.get('product')!r}")
            q = o.get("quantity")
            if type(q) is not int or q < 1:
                self.add("orders", key, f"the quantity should be a whole number of at least 1, "
                                        f"not {q!r}")
            account = self.text("orders", key, o, "account", optional=True)
            if self.ref("orders", key, account, "accounts", "account"):
                owner = accounts[account].get("partner")
                if partner is not None and owner != partner:
                    self.add("orders", key, f"assigned to account '{account}' of partner "
                                            f"'{owner}', but the order is partner '{partner}''s")
            expires = o.get("expires")
            if expires is not None:
                if not isinstance(expires, str) or not _is_date(expires):
                    self.add("orders", key, f"'expires' should be a date (YYYY-MM-DD), "
                                            f"not {expires!r}")
            stored = o.get("state")
            if stored is not None:
                if stored not in ("assigned", "unassigned"):
                    self.add("orders", key, f"stored state {stored!r} is not assigned or "
                                            f"unassigned")
                elif (stored == "assigned") != (account is not None):
                    self.add("orders", key, f"stored state '{stored}' but "
                             + (f"assigned to '{account}'" if account else "no account"))

    def users(self) -> None:
        for u in self.view.all("users"):
            key = self.record_id("users", u)
            self.text("users", key, u, "name")
            self.text("users", key, u, "email", optional=True)
            account = self.text("users", key, u, "account")
            self.ref("users", key, account, "accounts", "account")
            licenses, set_by = u.get("licenses"), u.get("set_by", {})
            if not isinstance(licenses, dict):
                self.add("users", key, "'licenses' is missing or not a record")
                licenses = {}
            for product, on in licenses.items():
                if product not in schema.PRODUCTS:
                    self.add("users", key, f"a license of unknown product '{product}'")
                else:
                    self.flag("users", key, on, f"licenses.{product}")
            if not isinstance(set_by, dict):
                self.add("users", key, "'set_by' is not a record")
                continue
            for product, actor in set_by.items():
                if product not in schema.PRODUCTS:
                    self.add("users", key, f"'set_by' names unknown product '{product}'")
                elif actor is not None and actor not in schema.ACTORS:
                    self.add("users", key, f"'set_by.{product}' is {actor!r}, not one of "
                                           + ", ".join(schema.ACTORS))

    def operators(self) -> None:
        accounts = {a["id"]: a for a in self.view.all("accounts") if isinstance(a.get("id"), str)}
        for op in self.view.all("operators"):
            key = self.record_id("operators", op)
            role = op.get("role")
            if role not in schema.ROLES:
                self.add("operators", key, f"role {role!r} is not one of "
                                           + ", ".join(schema.ROLES))
            partner = self.text("operators", key, op, "partner", optional=True)
            account = self.text("operators", key, op, "account", optional=True)
            self.ref("operators", key, partner, "partners", "partner")
            has_account = self.ref("operators", key, account, "accounts", "account")
            if role == "partner" and partner is None:
                self.add("operators", key, "a partner operator without a partner")
            if role == "account_admin":
                if account is None:
                    self.add("operators", key, "an account admin without an account")
                elif has_account and partner is not None \
                        and accounts[account].get("partner") != partner:
                    self.add("operators", key, f"account '{account}' is not partner "
                                               f"'{partner}''s")

    def audit(self) -> None:
        last = 0
        for e in self.view.all("audit"):
            seq = e.get("seq")
            if type(seq) is int and seq <= last:
                self.add("audit", seq, f"out of order after #{last}")
            last = seq if type(seq) is int else last
            if not isinstance(e.get("operation"), str):
                self.add("audit", seq, "'operation' is missing")
            at = e.get("at")
            if not isinstance(at, str) or not _is_time(at):
                self.add("audit", seq, f"'at' should be a time, not {at!r}")
            for name, target in (("account", "accounts"), ("partner", "partners")):
                value = e.get(name)
                if value is not None and value not in self.ids[target]:
                    self.add("audit", seq, f"{name} '{value}' does not exist")

    # Counts -------------------------------------------------------------------
    def counts(self) -> None:
        for a in self.view.all("accounts"):
            key = a.get("id")
            if not isinstance(key, str):
                continue
            orders = self.view.by("orders", "account", key)
            users = self.view.by("users", "account", key)
            kept = self.view.count_flags("users", "account", key, "licenses")
            for product in schema.PRODUCTS:
                held = expired = 0
                for o in orders:
                    expires = o.get("expires")
                    if o.get("product") != product or type(o.get("quantity")) is not int or (
                            expires is not None and not (isinstance(expires, str)
                                                         and _is_date(expires))):
                        continue  # reported above; counted as nothing
                    if order_state(o, self.on) == "expired":
                        expired += o["quantity"]
                    else:
                        held += o["quantity"]
                on = sum(1 for u in users if isinstance(u.get("licenses"), dict)
                         and u["licenses"].get(product) is True)
                if kept.get(product, 0) != on:
                    self.add("accounts", key, f"the store counts {kept.get(product, 0)} "
                                              f"{product} licenses switched on, the users "
                                              f"say {on}")
                if on <= held:
                    continue
                if on <= held + expired:
                    self.add("accounts", key, f"over-allocated: {on} {product} licenses "
                                              f"switched on, {held} held ({on - held} in "
                                              f"orders that expired)", flagged=True)
                else:
                    self.add("accounts", key, f"{on} {product} licenses switched on but only "
                                              f"{held} held")

    def layout(self) -> None:
        # The partitioned store's own bookkeeping: counts and index against the records.
        from .store.consistency import layout_problems

        for table, record, problem in layout_problems(self.view):
            self.add(table, record, problem)

    def run(self) -> list[Finding]:
        for check in (self.partners, self.accounts, self.orders, self.users, self.operators,
                      self.audit, self.counts, self.layout):
            check()
        return self.findings


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "a flag", int: "a number", float: "a number", str: "a text",
            list: "a list", dict: "a record"}.get(type(value), type(value).__name__)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_view(view: View, on: date | None = None) -> list[Finding]:
    """Every finding about the records in `view` (problems, then flagged, by table)."""
    return _Checker(view, on or today()).run()


def _report(path: Path | str, view: View, on: date | None) -> Report:
    counts = {t: view.count(t) for t in TABLES}
    return Report(database.describe(path), view.version, counts, check_view(view, on))


def verify(path: database.Target, on: date | None = None) -> Report:
    """Open the database at `path` (StoreError if it cannot be read) and check it."""
    store = database.open_store(path)
    try:
        return _report(path, store.read(), on)
    finally:
        store.close()


def verify_file(path: Path, on: date | None = None) -> Report:
    """Check a database file as it is (a backup): nothing is created beside it."""
    return _report(path, read_file(path), on)


# Backups -----------------------------------------------------------------------------


def backup(db: database.Target, dest: Path, *, overwrite: bool = False) -> Report:
    """Copy the database at `db` to `dest` consistently, then check the copy."""
    if dest.exists() and not overwrite:
        raise StoreError(f"{dest}: a file exists already (use --force to replace it)", dest)
    if dest.is_dir():
        raise StoreError(f"{dest}: is a directory; name the backup file", dest)
    store = database.open_store(db)
    try:
        store.backup(dest)
    finally:
        store.close()
    return verify_file(dest)


class BackupRefused(Exception):
    """The backup has problems: it is not restored. Carries the report."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{report.path}: the backup has {len(report.problems)} problem(s); "
                         "nothing was restored")
        self.report = report


def restore(src: Path, db: database.Target, *, overwrite: bool = False,
            audit: dict | None = None) -> Report:
    """Replace the database at `db` with the backup `src`, after checking the backup.

    Refuses (StoreError) to replace an existing database unless `overwrite`, and
    (BackupRefused) a backup with problems. `audit`: an entry recording the restore,
    appended to the restored trail."""
    report = verify_file(src)
    if not report.ok:
        raise BackupRefused(report)
    if database.exists(db) and not overwrite:
        name = database.describe(db)
        raise StoreError(f"{name}: a database exists here (use --force to replace it with "
                         f"the backup)")
    view = read_file(src)
    data, used = records(view), database.next_ids(view)
    if audit is not None:
        # In the same write as the data: a restore is never on disk without its entry.
        data["audit"].append({**audit, "seq": used.get("audit", 1)})
    database.create_store(db, data, overwrite=True, next_id=used).close()
    return report

