"""Searching the audit trail (`miteam audit --user ... --since ...`, the console's filter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..errors import BadInput

if TYPE_CHECKING:
    from .session import Session


@dataclass(frozen=True)
class AuditFilter:
    """Entries matching every field given (None: any). `user`: entries about that user
    (their license or their record); dates are days (YYYY-MM-DD), `until` included."""

    user: str | None = None
    operator: str | None = None
    operation: str | None = None
    rule: str | None = None
    since: str | None = None
    until: str | None = None

    def check(self, s: Session) -> None:
        for value in (self.since, self.until):
            if value is not None:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise BadInput(s.tr("bad_date", value=value)) from None

    def matches(self, e: dict) -> bool:
        if self.user is not None and (e.get("target") or "").split(":")[:2] != [
                "user", self.user]:
            return False
        if self.operator is not None and e.get("operator") != self.operator:
            return False
        if self.operation is not None and e.get("operation") != self.operation:
            return False
        if self.rule is not None and e.get("rule") != self.rule:
            return False
        at = str(e.get("at") or "")
        if self.since is not None and at[:10] < self.since:
            return False
        if self.until is not None:
            end = (date.fromisoformat(self.until) + timedelta(days=1)).isoformat()
            if at[:10] >= end:
                return False
        return True
