"""Administrative operations: replacing the records, and the SSH keys that pin a person to
an operator. Decided by the rules like every change (`db.replace`, `keys.add`,
`keys.remove` in rules/policy/admin.rules) and audited with both identities: the operator
acted as, and the caller (the OS login; whether it is the administrator; SSH or not).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .session import Outcome, Session


@dataclass(frozen=True)
class Caller:
    """Who runs the command, as the rules see it (`caller.*`)."""

    login: str
    administrator: bool
    ssh: bool = False

    def context(self) -> dict:
        return {"login": self.login, "administrator": self.administrator, "ssh": self.ssh}


def authorize(session: Session, op_name: str, caller: Caller, target: str, *,
              subject: str | None = None, replacement: str | None = None,
              before: Any = None, after: Any = None, outcome: str = "applied",
              apply: Callable[[], None] | None = None) -> Outcome:
    """Ask the rules whether the operator may do `op_name`; if so run `apply` and write the
    audit entry, in one transaction: a refusal, or an `apply` that fails, writes nothing.

    `subject`: the operator a key is pinned to (must exist). `outcome`: "started" for a
    step whose effect happens after (a database replaced: the entry comes first)."""
    with session._writing() as (tx, ctxs, op):
        ctx: dict[str, Any] = {"operator": op, "caller": caller.context()}
        if subject is not None:
            ctx["subject"] = ctxs.operator(session._get(tx, "operator", subject))
        if replacement is not None:
            ctx["replacement"] = replacement
        decision = session._require(op_name, ctx)
        if apply is not None:
            apply()
        result = Outcome(op_name, target, True, before, after, decision.rule)
        result.audit.append(session._audit(tx, ctxs, op_name, target, before, after,
                                           decision.rule, None, None, outcome=outcome))
        return result
