"""The console's change gateway, without a screen: every change the console makes goes
through `Changes.change()` — the core applies it or refuses it, the operator is told in
words, and a `Changed` message goes out (a scenario recorder listens for it).

A change that reaches beyond one record is previewed first (the core's dry run) and asked
about (`Confirmation`); the change then carries what was previewed, so the core refuses it
as stale if another console changed what it would touch meanwhile (S8).

The controller talks to its screen only through `Surface` (notify, post, reload, ask, show
a Why): the app is one, a test's recording fake is another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from textual.message import Message

from rules.errors import CoreError, Refused
from rules.ops.actions import Action, AssignOrder, SetIntegration, SetLicense
from rules.ops.session import Outcome, Session
from rules.records.store import StoreError

from .widgets import PagedSource, Row
from .words import onoff, t

# How many users a preview in the Why panel names before "and N more".
NAMED_USERS = 30


class Changed(Message):
    """A change the console attempted: applied (`outcome`) or refused (`refused`, the
    reason in the operator's language, and the deciding `rule`)."""

    def __init__(self, action: Action, outcome: Outcome | None = None,
                 refused: str | None = None, rule: str | None = None) -> None:
        super().__init__()
        self.action = action
        self.outcome = outcome
        self.refused = refused
        self.rule = rule


@dataclass
class Confirmation:
    """What a sweeping change will do, to ask before doing it: the dry run in a few lines
    (`lines`), every user it touches (`users`), and what confirming applies (`action`,
    from the state the screen showed, `seen`, expecting exactly `preview`)."""

    title: str
    lines: list[str]
    confirm: str  # the confirm button's label
    action: Action
    preview: Outcome
    seen: bool | None = None
    users: list[str] = field(default_factory=list)


class Surface(Protocol):
    """What the controller needs of a screen."""

    session: Session
    lang: str
    readonly: bool

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               ) -> None: ...

    def post_change(self, change: Changed) -> None: ...

    def reload_place(self) -> None: ...

    def ask(self, question: Confirmation) -> None:
        """Show the question; on confirm, call `Changes.confirmed(question)`."""


def preview_summary(session: Session, lang: str, preview: Outcome
                    ) -> tuple[list[str], list[str]]:
    """A dry run in a few lines (how many licenses each rule switches) and every user it
    touches, in order (the dialog lists them all, a page at a time)."""
    if not preview.changed:
        return [t("unchanged", lang)], []
    touched = [e for e in preview.effects if e.users]
    if not touched:
        return [t("tui_no_license_changes", lang)], []
    lines = []
    for e in touched:
        key = "tui_preview_revoke" if e.action == "revoke" else "tui_preview_grant"
        lines.append(t(key, lang, count=len(e.users), rule=e.rule.name))
    return lines, [u for e in touched for u in e.users]


def user_name(session: Session, user_id: str) -> str:
    """A user's name, or nothing when the operator may no longer read it."""
    try:
        return session.user(user_id)["name"]
    except (CoreError, StoreError):
        return ""


def preview_lines(session: Session, lang: str, preview: Outcome) -> list[str]:
    """What a dry run says will happen, for the Why panel: how many licenses, which rule,
    the first users by name."""
    if not preview.changed:
        return [t("unchanged", lang)]
    lines = []
    touched = [e for e in preview.effects if e.users]
    if not touched:
        lines.append(t("tui_no_license_changes", lang))
    for e in touched:
        key = "tui_preview_revoke" if e.action == "revoke" else "tui_preview_grant"
        lines.append(t(key, lang, count=len(e.users), rule=e.rule.name))
        lines.extend(f"  {uid}  {user_name(session, uid)}" for uid in e.users[:NAMED_USERS])
        if len(e.users) > NAMED_USERS:
            lines.append("  " + t("tui_and_more", lang, count=len(e.users) - NAMED_USERS))
    return lines


def users_source(session: Session, ids: list[str], page_size: int = 32) -> PagedSource:
    """Rows for user ids, their names asked of the core a page at a time (a sweeping
    change can touch thousands)."""
    def fetch(offset: int, limit: int, query: str) -> tuple[int, list[Row]]:
        return len(ids), [Row(uid, [uid, user_name(session, uid)])
                          for uid in ids[offset: offset + limit]]

    return PagedSource(fetch, page_size=page_size)


class Changes:
    """Switching licenses and integrations, assigning orders: previews, applying, stale
    and refused changes, and the status messages that say what happened."""

    def __init__(self, surface: Surface) -> None:
        self.surface = surface
        # The last change refused: (the action, the reason), for `w` in a dialog.
        self.last_refusal: tuple[Action, str] | None = None

    # The session may change under us (a replay switches operators): always ask.
    @property
    def session(self) -> Session:
        return self.surface.session

    @property
    def lang(self) -> str:
        return self.surface.lang

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def _error(self, exc: Exception) -> None:
        self.surface.notify(str(exc), severity="error")

    # Applying -------------------------------------------------------------
    def change(self, action: Action, seen: bool | None = None,
               expect_preview: str | None = None) -> Outcome | None:
        """Apply one action through the core; notify; post `Changed`. None when refused.

        `seen`: the state the screen showed; the core refuses if another console changed
        it since (a stale edit), instead of overwriting that change. `expect_preview`: the
        preview the operator confirmed; the core refuses if the change would now do
        anything else."""
        surface = self.surface
        if surface.readonly:
            reason = self.tr("readonly_console")
            surface.notify(reason, severity="warning")
            surface.post_change(Changed(action, refused=reason))
            return None
        try:
            outcome = self.session.apply(action, expect=seen, expect_preview=expect_preview)
        except Refused as exc:
            self.refused(action, exc)
            return None
        except (CoreError, StoreError) as exc:
            self._error(exc)
            surface.post_change(Changed(action, refused=str(exc)))
            return None
        self.last_refusal = None
        surface.notify(self.describe(action, outcome), title=self.tr("done").capitalize())
        surface.post_change(Changed(action, outcome=outcome,
                                    rule=outcome.rule.name if outcome.rule else None))
        surface.reload_place()
        return outcome

    def refused(self, action: Action, exc: Refused) -> None:
        """Say why the core refused `action` (and that `w` shows the rules' reasoning)."""
        self.last_refusal = (action, str(exc))
        rule = exc.decision.rule.name if exc.decision else None
        self.surface.notify(f"{exc}\n{self.tr('tui_press_w')}",
                            title=self.tr("refused").capitalize(), severity="error")
        self.surface.post_change(Changed(action, refused=str(exc), rule=rule))

    def describe(self, action: Action, outcome: Outcome) -> str:
        """What an applied change did, in words (and what the rules did with it)."""
        if not outcome.changed:
            return f"{outcome.target}: {self.tr('unchanged')}"
        if isinstance(action, SetLicense):
            user = self.session.user(action.user)
            text = self.tr("tui_license_switched", name=user["name"], id=user["id"],
                           value=onoff(action.on, self.lang))
        elif isinstance(action, SetIntegration):
            account = self.session.account(action.account)
            text = self.tr("tui_integration_switched", account=account["name"],
                           integration=self.tr(f"integration_{action.integration}"),
                           value=onoff(action.on, self.lang))
        else:
            account = self.session.account(str(outcome.after))
            text = self.tr("tui_order_assigned", order=outcome.target.split(":")[1],
                           account=account["name"])
        for e in outcome.effects:
            if e.users:
                key = "tui_consequence_revoke" if e.action == "revoke" \
                    else "tui_consequence_grant"
                text += "\n" + self.tr(key, count=len(e.users), rule=e.rule.name)
        return text

    # Previewing, then applying --------------------------------------------
    # `plan_*` ask the core (the dry run: slow on a big account, so the app runs them in a
    # worker) and return what to do next, touching no screen; `carry_out` does it.
    def plan_license(self, user_id: str, product: str = "miteam", value: bool | None = None,
                     seen: bool | None = None) -> Plan:
        """Switching a user's stored license: straight away, or asked first when the rules
        would switch others' licenses too; refused with the core's reason."""
        try:
            if value is None:
                value = not (seen if seen is not None else
                             self.session.user(user_id)["licenses"].get(product, False))
            action = SetLicense(user_id, product, value)
            if self.surface.readonly:
                return Plan(action, seen)
            preview = self.session.apply(action, dry_run=True, expect=seen)
        except Refused as exc:
            return Plan(SetLicense(user_id, product, bool(value)), seen, refusal=exc)
        except (CoreError, StoreError) as exc:
            return Plan(None, seen, error=exc)
        if not any(e.users for e in preview.effects):
            return Plan(action, seen)
        lines, users = preview_summary(self.session, self.lang, preview)
        return Plan(action, seen, question=Confirmation(
            self.tr("tui_confirm_license", id=user_id, value=onoff(value, self.lang)),
            lines, self.tr("tui_confirm_button", value=onoff(value, self.lang)),
            action, preview, seen, users))

    def plan_integration(self, account: str, integration: str, value: bool | None = None,
                         confirm: bool = True, seen: bool | None = None) -> Plan:
        """Switching an integration: first what it will do (S8), to ask; refused with the
        core's reason."""
        try:
            acc = self.session.account(account)
            if value is None:
                value = not (seen if seen is not None else acc["integrations"][integration])
            action = SetIntegration(acc["id"], integration, value)
            if self.surface.readonly or not confirm:
                return Plan(action, seen)
            preview = self.session.apply(action, dry_run=True, expect=seen)
        except Refused as exc:
            return Plan(SetIntegration(account, integration, bool(value)), seen, refusal=exc)
        except (CoreError, StoreError) as exc:
            return Plan(None, seen, error=exc)
        lines, users = preview_summary(self.session, self.lang, preview)
        title = self.tr("tui_confirm_integration", account=acc["name"],
                        integration=self.tr(f"integration_{integration}"),
                        value=onoff(value, self.lang))
        return Plan(action, seen, question=Confirmation(
            title, lines, self.tr("tui_confirm_button", value=onoff(value, self.lang)),
            action, preview, seen, users))

    def carry_out(self, plan: Plan) -> Outcome | None:
        """Do what a plan says: refuse, ask (the change waits for `confirmed`), or apply."""
        if plan.error is not None:
            self._error(plan.error)
            return None
        if plan.refusal is not None:
            assert plan.action is not None
            self.refused(plan.action, plan.refusal)
            return None
        if plan.question is not None:
            self.surface.ask(plan.question)
            return None
        assert plan.action is not None
        return self.change(plan.action, plan.seen)

    def confirmed(self, question: Confirmation) -> Outcome | None:
        """The operator confirmed: the change must do what the dialog showed, so the core
        refuses it as stale if another console changed what it would touch since."""
        return self.change(question.action, question.seen,
                           expect_preview=question.preview.preview)

    def switch_license(self, user_id: str, product: str = "miteam",
                       value: bool | None = None, seen: bool | None = None) -> Outcome | None:
        """Space on a user: switch the stored license; the rules decide whether it may.
        `seen` is the stored state the screen showed: the switch goes from there, and is
        refused as stale if another console changed it meanwhile."""
        return self.carry_out(self.plan_license(user_id, product, value, seen))

    def switch_integration(self, account: str, integration: str, value: bool | None = None,
                           confirm: bool = True, seen: bool | None = None) -> Outcome | None:
        """Switch an integration; first show what it will do (S8) and ask.
        `seen`: the state the screen showed, as for `switch_license`."""
        return self.carry_out(self.plan_integration(account, integration, value, confirm,
                                                    seen))

    def assign_order(self, order_id: str, account: str) -> Outcome | None:
        """S2: all licenses of the order to the account (id or company name)."""
        return self.change(AssignOrder(order_id, account))

    def assign_choices(self, order_id: str) -> tuple[dict, list] | None:
        """The order and the rules' answer for every account the operator may read, for
        the Assign picker; None, having said why, when it cannot open: a read-only
        console, an unknown order, or no account the rules allow (an expired or assigned
        order: the first refusal is kept for `w`)."""
        if self.surface.readonly:
            self.surface.notify(self.tr("readonly_console"), severity="warning")
            return None
        try:
            order = next((o for o in self.session.orders() if o["id"] == order_id), None)
            targets = self.session.assign_targets(order_id) if order is not None else []
        except (CoreError, StoreError) as exc:
            self._error(exc)
            return None
        if order is None:
            self.surface.notify(self.tr("unknown_record", kind=self.tr("kind_order"),
                                        id=order_id), severity="error")
            return None
        if not any(verdict.allowed for _, verdict in targets):
            reasons = [v.reason for _, v in targets if v.reason]
            reason = reasons[0] if reasons else self.tr("tui_assign_no_account")
            if targets:
                self.last_refusal = (AssignOrder(order_id, targets[0][0]["id"]), reason)
            self.surface.notify(f"{order_id}: {reason}\n{self.tr('tui_press_w')}",
                                title=self.tr("refused").capitalize(), severity="error")
            return None
        return order, targets

    def assign_why_account(self, order_id: str, account: str | None) -> str | None:
        """Which account `w` on an assignment asks the rules about: the one just refused
        for this order, the one given, else the first the rules would allow (or refuse:
        an expired order says s2_expired). None, having said why, when there is none."""
        refused = self.last_refusal[0] if self.last_refusal else None
        if isinstance(refused, AssignOrder) and refused.order == order_id \
                and (account is None or refused.account == account):
            return refused.account
        if account is not None:
            return account
        try:
            targets = self.session.assign_targets(order_id)
        except (CoreError, StoreError) as exc:
            self._error(exc)
            return None
        allowed = [a for a, v in targets if v.allowed]
        pick = allowed or [a for a, _ in targets]
        if not pick:
            self.surface.notify(self.tr("tui_assign_no_account"), severity="warning")
            return None
        return pick[0]["id"]


@dataclass
class Plan:
    """The next step of a change, decided off the screen: `error` or `refusal` to show,
    a `question` to ask, else apply `action` from `seen`."""

    action: Action | None
    seen: bool | None = None
    question: Confirmation | None = None
    refusal: Refused | None = None
    error: Exception | None = None

