"""What an action did (`Outcome`, with the `Effect`s its consequence rules had), and the
small write helpers every action shares."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..engine.ruleset import RuleRef

# Record kind → the store's table.
TABLES = {"partner": "partners", "account": "accounts", "order": "orders", "user": "users",
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

    @property
    def preview(self) -> str:
        """A digest of what this change does: its own before/after and every user whose
        license a consequence switches. A dry run hands it out; applying with it
        (`Session.apply(..., expect_preview=...)`) is refused as stale if it differs, so a
        sweeping change (S8) cannot do more, or other, than its preview promised."""
        what = [self.operation, self.target, self.changed, _plain(self.before),
                _plain(self.after),
                sorted([e.rule.name, e.action, e.product, sorted(e.users)]
                       for e in self.effects)]
        text = json.dumps(what, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def as_dict(self) -> dict:
        return {
            "operation": self.operation, "target": self.target, "changed": self.changed,
            "before": self.before, "after": self.after,
            "rule": self.rule.name if self.rule else None,
            "consequences": [e.as_dict() for e in self.effects],
            "audit": self.audit, "dry_run": self.dry_run, "preview": self.preview,
        }


def _plain(value: Any) -> Any:
    # A new record's digest needs its id, not the timestamp it was made at.
    return value.get("id") if isinstance(value, dict) else value


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_license(tx: Any, user: dict, product: str, on: bool, actor: str) -> None:
    tx.put("users", {
        **user,
        "licenses": {**user.get("licenses", {}), product: on},
        "set_by": {**user.get("set_by", {}), product: actor},
    })
