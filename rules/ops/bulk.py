"""Many actions at once (issue 12: bulk switching), one transaction, one preview.

Each action is decided by the rules as if it were made alone, in order, against the
records as the earlier ones left them: so when licenses run out part-way (S12), the rest
are refused with "Licenses not available", and a refused action writes nothing while the
others stay applied. `all_or_nothing` refuses the whole set when any would be refused.
The preview (`BulkResult.groups()`) counts the set by outcome, rule and reason.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import CoreError, Refused
from .actions import Action, SetIntegration, SetLicense
from .outcome import Outcome

if TYPE_CHECKING:
    from .session import Session

# What a line's outcome can be: switched (changed), unchanged (already so), refused (by
# the rules, or stale), error (no such user in the operator's reach).
OUTCOMES = ("switched", "unchanged", "refused", "error")
# The states `--where` can select users by (what `user list` shows).
WHERE_KEYS = {
    "stored": ("on", "off"),
    "shown": ("on", "off", "none"),  # none: the screen says "No licenses" (S7/S13)
    "mode": ("editable", "readonly", "disabled"),
    "set_by": ("operator", "micollab", "none"),
}


@dataclass
class BulkLine:
    """One action's answer within the set."""

    target: str  # the user (or other record) it is about
    outcome: str  # one of OUTCOMES
    rule: str | None = None
    reason: str | None = None  # the refusal in the operator's language
    key: str | None = None  # the message key of the refusal (stable across languages)
    result: Outcome | None = None
    operation: str = ""  # the action's policy name

    def as_dict(self) -> dict:
        return {"user": self.target, "operation": self.operation, "outcome": self.outcome,
                "rule": self.rule,
                "reason": self.reason,
                "consequences": [e.as_dict() for e in self.result.effects]
                if self.result else []}


@dataclass
class BulkResult:
    lines: list[BulkLine]
    dry_run: bool = False
    # True when `all_or_nothing` withheld the whole set because some would be refused.
    withheld: bool = False
    audit: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every action went through (switched or already so), and was applied."""
        return not self.withheld and all(line.outcome in ("switched", "unchanged")
                                         for line in self.lines)

    def count(self, outcome: str) -> int:
        return sum(line.outcome == outcome for line in self.lines)

    def groups(self) -> list[tuple[str, str | None, str | None, int]]:
        """(outcome, rule, reason, how many), in the order first met: the preview."""
        counts = Counter((line.outcome, line.rule, line.reason) for line in self.lines)
        return [(o, r, why, n) for (o, r, why), n in counts.items()]

    @property
    def preview(self) -> str:
        """A digest of what the set does, user by user (see `Outcome.preview`)."""
        what = [[line.target, line.outcome, line.rule,
                 line.result.preview if line.result else None] for line in self.lines]
        return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:16]


class _Withheld(Exception):
    def __init__(self, result: BulkResult) -> None:
        self.result = result


def apply_many(s: Session, actions: list[Action], *, dry_run: bool = False,
               all_or_nothing: bool = False, expect_preview: str | None = None
               ) -> BulkResult:
    """Decide and apply each action in order, in one transaction (see the module)."""
    for action in actions:
        action.validate(s)
    try:
        with s.writing() as (tx, ctxs, op):
            result = BulkResult([_one(s, action, tx, ctxs, op) for action in actions])
            result.audit = [seq for line in result.lines if line.result
                            for seq in line.result.audit]
            if expect_preview is not None and result.preview != expect_preview:
                raise Refused(s.tr("stale_bulk_preview"), key="stale_preview")
            if all_or_nothing and not all(line.outcome in ("switched", "unchanged")
                                          for line in result.lines):
                result.withheld = True
                raise _Withheld(result)
            if dry_run:
                result.dry_run = True
                raise _Withheld(result)
            return result
    except _Withheld as done:
        done.result.audit = []
        return done.result


def _one(s: Session, action: Action, tx: Any, ctxs: Any, op: dict) -> BulkLine:
    target, name = label(action), action.policy
    try:
        outcome = action.perform(s, tx, ctxs, op, None)
    except Refused as exc:
        # A refusal raises before anything of this action is written.
        return BulkLine(target, "refused", exc.decision.rule.name if exc.decision else None,
                        str(exc), exc.key, operation=name)
    except CoreError as exc:
        return BulkLine(target, "error", None, str(exc), operation=name)
    return BulkLine(target, "switched" if outcome.changed else "unchanged",
                    outcome.rule.name if outcome.rule else None, None, None, outcome, name)


def label(action: Action) -> str:
    """What a line of a set is about: the user, or the account and its integration."""
    if isinstance(action, SetIntegration):
        return f"{action.account}:{action.integration}"
    return str(next(iter(action.args().values())))


def parse_where(s: Session, terms: list[str]) -> dict[str, str]:
    """`shown=off`, `stored=on`, ... → {key: value}; a bad term is BadInput naming it."""
    from ..errors import BadInput

    out: dict[str, str] = {}
    for term in terms:
        key, _, value = term.partition("=")
        key = key.strip().replace("-", "_")
        value = value.strip().lower()
        if key not in WHERE_KEYS or value not in WHERE_KEYS[key]:
            raise BadInput(s.tr("bad_where", term=term, keys=", ".join(
                f"{k}={'|'.join(v)}" for k, v in WHERE_KEYS.items())))
        out[key] = value
    return out


def matches(user: dict, where: dict[str, str], product: str) -> bool:
    """Whether a user view (`user_view`) has every state `where` names."""
    p = next(x for x in user["products"] if x["product"] == product)
    shown = "none" if p["display"] != "toggle" else ("on" if p["on"] else "off")
    have = {"stored": "on" if user["licenses"].get(product) else "off", "shown": shown,
            "mode": p["mode"] or "", "set_by": user["set_by"].get(product) or "none"}
    return all(have[k] == v for k, v in where.items())


def license_actions(users: list[str], product: str, on: bool) -> list[Action]:
    return [SetLicense(u, product, on) for u in users]
