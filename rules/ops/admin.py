"""Administrative actions: replacing the records, and the SSH keys that pin a person to an
operator. Named actions like every change (`Session.apply`, `Session.why`), decided by the
rules (`db.replace`, `keys.add`, `keys.remove` in rules/policy/admin.rules) and audited
with both identities: the operator acted as, and the caller (the OS login; whether it is
the administrator; an SSH login or not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .. import schema
from .actions import Action
from .outcome import Outcome

if TYPE_CHECKING:
    from .context import Contexts
    from .session import Session


@dataclass(frozen=True)
class Caller:
    """Who runs the command, as the rules see it (`caller.*`)."""

    login: str
    administrator: bool
    ssh: bool = False

    def context(self) -> dict:
        return {"login": self.login, "administrator": self.administrator, "ssh": self.ssh}


@dataclass(frozen=True)
class _Admin(Action):
    """An administrative step. `effect` runs inside the transaction once the rules allow
    it, before the audit entry is written: if it fails, neither happens."""

    caller: Caller
    before: Any = None
    after: Any = None
    effect: Callable[[], None] | None = field(default=None, compare=False)
    # "started": the audit entry comes first and the step itself after (a replacement).
    outcome_word: ClassVar[str] = "applied"

    def context(self, s: Session, ctxs: Contexts, op: dict) -> dict:
        return {"operator": op, "caller": self.caller.context(), **self._extra(s, ctxs)}

    def _extra(self, s: Session, ctxs: Contexts) -> dict:
        return {}

    def perform(self, s: Session, tx: Any, ctxs: Contexts, op: dict,
                expect: bool | None) -> Outcome:
        ctx = self.context(s, ctxs, op)
        decision = s.require(self.policy, ctx)
        if self.effect is not None:
            self.effect()
        target = self.target(ctx)
        outcome = Outcome(self.policy, target, True, self.before, self.after, decision.rule)
        outcome.audit.append(s.audit_entry(tx, self.policy, target, self.before, self.after,
                                           decision.rule, None, None,
                                           outcome=self.outcome_word))
        return outcome


@dataclass(frozen=True)
class ReplaceDatabase(_Admin):
    """Before `db init|generate|restore` replaces a database: asked of it, recorded in it."""

    name: str = ""
    replacement: str = "demo"  # demo | empty | generated | backup
    policy: ClassVar[str] = schema.DB_REPLACE
    words: ClassVar[tuple[str, ...]] = ("db", "replace")
    outcome_word: ClassVar[str] = "started"

    def _extra(self, s: Session, ctxs: Contexts) -> dict:
        return {"replacement": self.replacement}

    def target(self, ctx: dict) -> str:
        return f"database:{self.name}"


@dataclass(frozen=True)
class _Key(_Admin):
    operator: str = ""
    fingerprint: str = ""

    def _extra(self, s: Session, ctxs: Contexts) -> dict:
        return {"subject": ctxs.operator(s.get(ctxs.view, "operator", self.operator))}

    def target(self, ctx: dict) -> str:
        return f"key:{self.fingerprint}"


@dataclass(frozen=True)
class AddKey(_Key):
    policy: ClassVar[str] = schema.KEYS_ADD
    words: ClassVar[tuple[str, ...]] = ("keys", "add")


@dataclass(frozen=True)
class RemoveKey(_Key):
    policy: ClassVar[str] = schema.KEYS_REMOVE
    words: ClassVar[tuple[str, ...]] = ("keys", "remove")
