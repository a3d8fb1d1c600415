"""Importing users from a spreadsheet (`miteam user import FILE.csv --account A`, issue 12).

The file: a header naming at least `id`, `name` (and optionally `email`, `miteam`; other
columns, such as those `user export` adds, are ignored), then one user a row. A UTF-8 BOM
and `;` separators (spreadsheets in German locales) are accepted. `miteam` is on, off or
empty (empty: leave the license as it is).

Each row gets a status, with its line number: `new` (added, and switched on when it asks),
`changed` (an existing user whose license the row switches), `unchanged`, or `error`
(why, e.g. "Licenses not available" once the account's licenses run out, in file order).
Nothing is written while any row is in error unless `skip_errors`; the rows that are
written go in one transaction, each change audited by the operation that made it
(`user.add`, `license.set`), decided by the rules like any other.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, CoreError, Refused
from .actions import Action, AddUser, SetLicense

if TYPE_CHECKING:
    from .context import Contexts
    from .session import Session

REQUIRED = ("id", "name")
KNOWN = ("id", "name", "email", "miteam")
_SWITCH = {"on": True, "off": False, "": None}


@dataclass
class ImportRow:
    line: int
    id: str
    name: str
    email: str | None
    miteam: bool | None
    status: str = "unchanged"  # new | changed | unchanged | error
    reason: str | None = None
    rule: str | None = None

    def as_dict(self) -> dict:
        # Written out, not `dataclasses.asdict`: its deep copy of 100,000 rows was a
        # quarter of a 100,000-row preview.
        return {"line": self.line, "id": self.id, "name": self.name, "email": self.email,
                "miteam": self.miteam, "status": self.status, "reason": self.reason,
                "rule": self.rule}


@dataclass
class ImportResult:
    account: str
    rows: list[ImportRow]
    dry_run: bool = False
    applied: bool = False
    audit: list[int] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.rows)

    @property
    def errors(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == "error"]

    def as_dict(self) -> dict:
        return {"account": self.account, "applied": self.applied, "dry_run": self.dry_run,
                "counts": {s: self.count(s) for s in ("new", "changed", "unchanged", "error")},
                "rows": [r.as_dict() for r in self.rows]}


def read_bytes(s: Session, raw: bytes, where: str) -> list[ImportRow]:
    """The rows of a file's bytes: UTF-8 (BadInput naming `where` otherwise), then
    `read_csv`."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(s.tr("bad_users_file", path=where,
                            error=f"not UTF-8 (byte {exc.start})")) from None
    return read_csv(s, text, where)


def read_csv(s: Session, text: str, where: str) -> list[ImportRow]:
    """The rows of a CSV text; a file that is not a table of users is BadInput naming
    `where` and the line."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise BadInput(s.tr("import_empty", path=where)) from None
    except csv.Error as exc:
        raise BadInput(s.tr("import_bad_csv", path=where, line=1, error=exc)) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BadInput(s.tr("import_header", path=where, missing=", ".join(missing),
                            columns=",".join(KNOWN)))
    col = {name: header.index(name) for name in KNOWN if name in header}
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue

            def cell(name: str, cells: list[str] = cells) -> str:
                i = col.get(name)
                return cells[i].strip() if i is not None and i < len(cells) else ""

            switch = cell("miteam").lower()
            row = ImportRow(line, cell("id"), cell("name"), cell("email") or None,
                            _SWITCH.get(switch))
            if switch not in _SWITCH:
                row.status, row.reason = "error", s.tr("import_bad_switch", value=switch)
            elif not row.id:
                row.status, row.reason = "error", s.tr("import_no_id")
            rows.append(row)
    except csv.Error as exc:
        raise BadInput(s.tr("import_bad_csv", path=where, line=reader.line_num,
                            error=exc)) from None
    seen: dict[str, int] = {}
    for row in rows:
        if row.status != "error" and row.id in seen:
            row.status, row.reason = "error", s.tr("import_twice", line=seen[row.id])
        seen.setdefault(row.id, row.line)
    return rows


def _decide(s: Session, row: ImportRow, account: dict, tx: Any, ctxs: Contexts,
            op: dict) -> list[int]:
    """Apply one row inside the transaction; set its status. Returns its audit entries.
    A row in error raises nothing: what it did is undone by the caller's discarding the
    transaction (preview) or by not being part of the one that writes."""
    existing = tx.get("users", row.id)
    actions: list[Action] = []
    if existing is None:
        row.status = "new"
        actions.append(AddUser(row.id, account["id"], row.name, row.email))
        if row.miteam:
            actions.append(SetLicense(row.id, "miteam", True))
    else:
        if existing["account"] != account["id"]:
            row.status, row.reason = "error", s.tr("import_elsewhere")
            return []
        differs = [f for f, v in (("name", row.name), ("email", row.email))
                   if (existing.get(f) or None) != (v or None)]
        if differs:
            row.status, row.reason = "error", s.tr("import_differs", fields=", ".join(differs))
            return []
        stored = bool(existing.get("licenses", {}).get("miteam"))
        if row.miteam is not None and row.miteam != stored:
            row.status = "changed"
            actions.append(SetLicense(row.id, "miteam", row.miteam))
    audit: list[int] = []
    for action in actions:
        try:
            action.validate(s)
            if s.previewing and len(actions) == 1 and isinstance(action, AddUser):
                # A new user without a license, previewed: decided exactly as `perform`
                # decides, but not written. No later row's decision reads it (its id is
                # the file's only once; an account's counts change only with licenses),
                # and 90,000 writes, undone after, were a third of a 100,000-row preview.
                row.rule = action.decide(s, tx, ctxs, op)[3].rule.name
                continue
            outcome = action.perform(s, tx, ctxs, op, None)
        except Refused as exc:
            row.status, row.reason = "error", str(exc)
            row.rule = exc.decision.rule.name if exc.decision else None
            return audit
        except CoreError as exc:
            row.status, row.reason = "error", str(exc)
            return audit
        row.rule = outcome.rule.name if outcome.rule else row.rule
        audit += outcome.audit
    return audit


class _Discard(Exception):
    pass


def import_users(s: Session, account_key: str, rows: list[ImportRow], *,
                 dry_run: bool = False, skip_errors: bool = False) -> ImportResult:
    """Preview every row in a transaction that is then discarded; unless it is a dry run,
    or a row is in error without `skip_errors`, apply the rows that are not, in a second
    transaction (see the module)."""
    with s.reading_view() as (ctxs, op):
        account = s.resolve_account(ctxs, op, account_key)
    result = ImportResult(account["id"], rows, dry_run)
    try:
        with s.writing() as (tx, ctxs, op), s.preview():
            for row in rows:
                if row.status != "error":
                    _decide(s, row, account, tx, ctxs, op)
            raise _Discard
    except _Discard:
        pass
    if dry_run or (result.errors and not skip_errors):
        return result
    todo = [r for r in rows if r.status in ("new", "changed")]
    with s.writing() as (tx, ctxs, op):
        for row in todo:
            planned = row.status
            result.audit += _decide(s, row, account, tx, ctxs, op)
            if row.status != planned:
                # Another console changed the account since the preview: write nothing.
                raise Refused(s.tr("import_stale", line=row.line, reason=row.reason or ""),
                              key="stale_preview")
    result.applied = True
    return result
