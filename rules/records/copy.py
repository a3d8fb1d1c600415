"""`miteam db copy SOURCE TARGET`: a whole database from one backend to the other.

The source is read in one transaction (writers wait, so no commit is half in the copy),
every record and the whole audit trail go to the target in one step, with the ids the
source has used (never reissued by the target), and the copy is then read back and
compared with what was read, record for record, and checked like `db verify` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import database
from .postgres.connect import is_url
from .store import TABLES, StoreError, records
from .verify import Finding, check_view


@dataclass
class CopyReport:
    source: str
    target: str
    counts: dict[str, int]
    findings: list[Finding] = field(default_factory=list)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if not f.flagged]


def _comparable(recs: dict[str, list[dict]]) -> dict[str, Any]:
    # Keyed by id (seq): the same records, whatever order a backend lists them in.
    return {t: {str(d.get("seq" if t == "audit" else "id")): d for d in docs}
            for t, docs in recs.items()}


def copy(source: database.Target, target: database.Target, *,
         overwrite: bool = False) -> CopyReport:
    src_name, dst_name = database.describe(source), database.describe(target)
    same = str(source) == str(target) if is_url(source) or is_url(target) \
        else Path(source).resolve() == Path(target).resolve()
    if same:
        raise StoreError(f"{dst_name}: source and target are the same database")
    src = database.open_store(source)
    try:
        with src.transaction() as tx:
            recs, ids = records(tx), database.next_ids(tx)
    finally:
        src.close()
    dst = database.create_store(target, recs, overwrite=overwrite, next_id=ids)
    try:
        view = dst.read()
        copied = records(view)
        if _comparable(copied) != _comparable(recs):
            differ = [t for t in TABLES if _comparable(copied)[t] != _comparable(recs)[t]]
            raise StoreError(f"{dst_name}: the copy differs from {src_name} in "
                             f"{', '.join(differ)}: do not use it")
        reused = [t for t, n in database.next_ids(view).items() if n < ids[t]]
        if reused:
            raise StoreError(f"{dst_name}: the copy would reissue used ids in "
                             f"{', '.join(reused)}: do not use it")
        findings = check_view(view)
    finally:
        dst.close()
    return CopyReport(src_name, dst_name, {t: len(recs[t]) for t in TABLES}, findings)
