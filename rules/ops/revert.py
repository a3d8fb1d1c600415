"""Reverting an audited change (`miteam revert SEQ`, issue 12).

A revert is not an undo of bytes: it is the inverse operation, applied now and decided by
today's rules (so it can be refused: no license left, the integration off, out of scope),
each of its entries audited with `revert_of: SEQ`. The inverse of one operation is made of
actions:

- a license switch: the switch back;
- an integration switch: the switch back, then every license its consequence rule
  switched (S8's revocations), switched back one by one;
- a user added: removing them; a user removed: adding them again, with their license.

Reverting a consequence entry (`license.consequence`) reverts the whole operation it
followed. The inverse goes all or nothing: when any part would be refused, nothing is
written, and the answer says which and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import BadInput, NotFound
from ..i18n import t
from .actions import (
    CONSEQUENCE,
    READ_AUDIT,
    Action,
    AddUser,
    MicollabSet,
    RemoveUser,
    SetIntegration,
    SetLicense,
)
from .bulk import BulkResult, apply_many

if TYPE_CHECKING:
    from .session import Session

@dataclass
class RevertResult:
    seq: int  # the operation's entry (a consequence's cause)
    entry: dict
    result: BulkResult
    # The inverse, action by action (`result.lines` in the same order): a console's
    # recorder writes them as the scenario's steps.
    actions: list[Action] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.result.ok

    def lines(self, lang: str) -> list[str]:
        """What the revert does (or would, or why not), action by action, in `lang`: the
        CLI prints them, the console's preview shows them."""
        r = self.result
        out = [t("revert_head", lang, seq=self.seq, operation=self.entry.get("operation"),
                 target=self.entry.get("target"), count=len(r.lines))]
        for line in r.lines:
            word = line.outcome
            if word == "switched":
                word = "bulk_would_do" if r.dry_run or r.withheld else "bulk_done"
            else:
                word = f"bulk_{word}"
            out.append(f"  {line.operation} {line.target}  {t(word, lang)}"
                       + (f": {line.reason}" if line.reason else "")
                       + (f"  ({t('by_rule', lang, rule=line.rule)})" if line.rule else ""))
        return out

    def as_dict(self) -> dict:
        return {"revert_of": self.seq, "operation": self.entry.get("operation"),
                "target": self.entry.get("target"), "applied": self.result.ok
                and not self.result.dry_run, "dry_run": self.result.dry_run,
                "withheld": self.result.withheld,
                "actions": [line.as_dict() for line in self.result.lines]}


def _entry(s: Session, view: Any, seq: int) -> dict:
    entry = view.get("audit", seq)
    if entry is None:
        raise NotFound(s.tr("revert_unknown", seq=seq), "audit", str(seq))
    return entry


def plan(s: Session, seq: int) -> tuple[int, dict, list[Action]]:
    """(the operation's seq, its entry, the actions that invert it)."""
    with s.reading_view() as (ctxs, op):
        view = ctxs.view
        entry = _entry(s, view, seq)
        if not s.rules.decide(READ_AUDIT, {"operator": op, "entry": {
                "account": entry.get("account"), "partner": entry.get("partner"),
                "operation": entry.get("operation", "")}}).allowed:
            # An entry outside the operator's reach is indistinguishable from none.
            raise NotFound(s.tr("revert_unknown", seq=seq), "audit", str(seq))
        if entry.get("operation") == CONSEQUENCE:
            cause = entry.get("cause")
            if cause is None:  # written before consequences named their cause
                earlier = [e for e in view.by("audit", "account", entry["account"])
                           if e.get("seq", 0) < seq and e.get("operation") != CONSEQUENCE][-1:]
                cause = earlier[0]["seq"] if earlier else None
            if cause is None:
                raise BadInput(s.tr("revert_cannot", seq=seq, operation=CONSEQUENCE))
            seq, entry = cause, _entry(s, view, cause)
        effects = [e for e in view.by("audit", "account", entry.get("account"))
                   if e.get("cause") == seq and e.get("operation") == CONSEQUENCE]
    return seq, entry, _inverse(s, seq, entry, effects)


def _inverse(s: Session, seq: int, entry: dict, effects: list[dict]) -> list[Action]:
    op, target = entry.get("operation"), str(entry.get("target") or "")
    parts = target.split(":")
    back = [SetLicense(e["target"].split(":")[1], "miteam", bool(e["before"]))
            for e in effects]
    if op in (SetLicense.policy, MicollabSet.policy) and len(parts) == 2:
        kind = MicollabSet if op == MicollabSet.policy else SetLicense
        return [kind(parts[1], "miteam", bool(entry["before"])), *back]
    if op == SetIntegration.policy and len(parts) == 3:
        return [SetIntegration(parts[1], parts[2], bool(entry["before"])), *back]
    if op == AddUser.policy and len(parts) == 2:
        return [RemoveUser(parts[1])]
    if op == RemoveUser.policy and isinstance(entry.get("before"), dict):
        user = entry["before"]
        out: list[Action] = [AddUser(user["id"], user["account"], user["name"],
                                     user.get("email"))]
        if (user.get("licenses") or {}).get("miteam"):
            out.append(SetLicense(user["id"], "miteam", True))
        return out
    raise BadInput(s.tr("revert_cannot", seq=seq, operation=op))


def revert(s: Session, seq: int, *, dry_run: bool = False,
           expect_preview: str | None = None) -> RevertResult:
    """`expect_preview`: the `BulkResult.preview` of the dry run the operator confirmed
    (the console's dialog); refused as stale if the revert would now do anything else."""
    cause, entry, actions = plan(s, seq)
    s.reverting = cause
    try:
        result = apply_many(s, actions, dry_run=dry_run, all_or_nothing=True,
                            expect_preview=expect_preview)
    finally:
        s.reverting = None
    return RevertResult(cause, entry, result, actions)
