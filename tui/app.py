"""The console: a Textual app over one operator's `Session`.

It decides nothing. Every read asks the core, every change goes through `change()` (the
one place: a recorder listens for the `Changed` message it posts), and every refusal is
the core's, with its reason and, on `w`, its rule trace.

Navigation is named methods (`open_account`, `open_user`, `open_orders`, ...) and changes
are named methods (`switch_license`, `switch_integration`, `assign_order`), so a replay
driver can walk the console the way a person does.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from textual import work
from textual.app import App
from textual.binding import BindingsMap
from textual.command import CommandPalette
from textual.filter import Monochrome, NoColor
from textual.widget import Widget
from textual.worker import Worker, WorkerState, get_current_worker

from rules.engine.reload import RuleSource
from rules.errors import CoreError
from rules.ops.actions import Action, SetIntegration, SetLicense
from rules.ops.session import Capabilities, Outcome, Session
from rules.records.store import StoreError
from rules.text import printable, printable_lines

from . import attention, keys, prefs
from .changes import Changed, Changes, Confirmation, Plan, preview_lines, users_source
from .commands import JumpProvider
from .screens import (
    AccountScreen,
    AccountsScreen,
    AssignDialog,
    AuditScreen,
    ConfirmDialog,
    HelpScreen,
    OrdersScreen,
    PartnersScreen,
    Place,
    ReportScreen,
    UserScreen,
    WhyPanel,
)
from .serial import serialized
from .why import Why, WhyBuilder
from .widgets import AttentionLine
from .words import role, t

__all__ = ["Changed", "ConsoleApp", "run"]

T = TypeVar("T")


class ConsoleApp(App[int]):
    CSS_PATH = "console.tcss"
    # A replay shows a scenario's changes in a read-only console: its rows keep the
    # rules' answers ("switchable") for the operator shown.
    replaying = False
    TITLE = "MiTeam"
    # Places ask the core in a worker (keys never wait for a big account's list). The
    # session is serialized (tui/serial.py); a replay's player shares the store outside
    # it, so a replay asks on the screen's thread.
    load_in_worker = True
    # Textual's own commands (theme, keys, save screenshot) stay beside the jump-to provider.
    COMMANDS = App.COMMANDS | {JumpProvider}
    # The start screen's line of what needs attention, from the license report, computed
    # in a worker after the first paint (tests of other features turn it off: it arrives
    # when the worker is done, which a snapshot cannot wait for).
    attention_summary = True

    def __init__(self, session: Session, *, rules: RuleSource | None = None,
                 readonly: bool = False, poll_interval: float | None = 2.0) -> None:
        self.session = session
        self.lang = session.lang
        self.readonly = readonly
        self.rules_source = rules
        self.rules_error: Exception | None = None
        self.poll_interval = poll_interval
        self.operator = session.whoami()
        # Every change goes through here (previews, applying, refusals, their messages).
        self.changes = Changes(self)
        # Called with every `Changed`, in order (a scenario recorder registers here).
        self.observers: list[Callable[[Changed], None]] = []
        # Every notification shown, oldest first: (severity, text). Toasts fade; this stays
        # (tests and a scenario transcript read it).
        self.notices: list[tuple[str, str]] = []
        self._seen_version: int | None = None
        # The status line's message: (severity, text), or None.
        self.status: tuple[str, str] | None = None
        self._capabilities: tuple[tuple[int, str, int], Capabilities] | None = None
        # What needs attention, in words (none when nothing does); None until computed.
        self.attention: list[str] | None = None
        self._attention_stale = False
        super().__init__()
        if self.no_color:
            # NO_COLOR means no colour: Textual's Monochrome filter still paints grey
            # shades; NoColor leaves the terminal's own two colours (the words, the "›"
            # cursor mark and bold carry every meaning).
            self._filters = [NoColor() if isinstance(f, Monochrome) else f
                             for f in self._filters]
        # Textual's own ctrl+q / ctrl+c stay; ours come in the operator's language.
        base = {k: v for k, v in self._bindings.key_to_bindings.items() if k != "ctrl+p"}
        self._bindings = BindingsMap.merge([BindingsMap.from_keys(base), keys.bindings(
            keys.APP_KEYS, self.lang, readonly, self.has_orders, report=self.has_report)])

    @property
    def session(self) -> Session:
        """The operator's session, one core call at a time (workers ask it too)."""
        return self._session

    @session.setter
    def session(self, session: Session) -> None:
        self._session = serialized(session)

    async def in_worker(self, call: Callable[[], T]) -> T:
        """`call()` off the screen's thread where the console uses workers (the palette's
        search over users), else here."""
        if self.load_in_worker:
            return await asyncio.to_thread(call)
        return call()

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Shown in the status line of the place on top (newest replaces older), never as
        a toast over the list; kept in `notices` for tests and transcripts."""
        # Messages quote names and ids: shown with control characters written out.
        message, title = printable_lines(message), printable(title)
        text = f"{title}: {message}" if title else message
        self.notices.append((str(severity), text))
        self.status = (str(severity), text)
        self.log.info(f"{severity}: {text}")
        place = self.place
        if place is not None and place.is_mounted:
            place.show_status()

    # Who and what ---------------------------------------------------------
    @property
    def role(self) -> str:
        return self.operator["role"]

    @property
    def capabilities(self) -> Capabilities:
        """What the rules offer this operator (places and why not), asked again when the
        session, its operator or its rules change (a replay changes operators)."""
        s = self.session
        key = (id(s), s.login, id(s.rules))
        if self._capabilities is None or self._capabilities[0] != key:
            self._capabilities = (key, s.capabilities())
        return self._capabilities[1]

    @property
    def has_orders(self) -> bool:
        """Whether the rules offer the Orders place (policy place.open; S11: not to an
        account admin)."""
        return self.capabilities.offers("orders")

    @property
    def has_report(self) -> bool:
        """Whether the rules offer the license Report place (policy place.open)."""
        return self.capabilities.offers("report")

    def refuse_place(self, place: str) -> bool:
        """Say why a place is not offered (the rules' reason); False when it is offered."""
        verdict = self.capabilities.places[place]
        if verdict.allowed:
            return False
        self.notify(verdict.reason or "", title=self.tr("refused").capitalize(),
                    severity="warning")
        return True

    @property
    def who(self) -> str:
        return f"{self.operator['id']} · {role(self.role, self.lang)}"

    def markers(self) -> tuple[str, ...]:
        out = []
        if self.readonly:
            out.append(t("tui_readonly_marker", self.lang))
        if self.rules_error is not None:
            out.append(t("tui_rules_error_marker", self.lang))
        return tuple(out)

    def tr(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def bars(self) -> list[Widget]:
        """Widgets every place shows above its footer: the attention line (shown on the
        start screen only; a replay shows its bar instead)."""
        return [AttentionLine()]

    # Start ----------------------------------------------------------------
    def on_mount(self) -> None:
        self._seen_version = self.session.store.read().version
        for place in self.home_chain():
            self.push_screen(place)
        prefs.apply(self, self.lang)  # the theme chosen, the user's keymap file
        # After the first paint: the first screen never waits for the report.
        self.call_after_refresh(self.refresh_attention)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if self.poll_interval:
            self.set_interval(self.poll_interval, self._poll_tick)
            # A store on a server tells of every commit as it happens (PostgreSQL's
            # LISTEN/NOTIFY): no waiting for the next poll, and no polling the server.
            subscribe = getattr(self.session.store, "subscribe", None)
            if subscribe is not None:
                subscribe(self._store_event)

    def _store_event(self, event: str, detail: str) -> None:
        """From the store's listening thread: handled on the console's own."""
        try:
            self.call_from_thread(self.store_event, event, detail)
        except RuntimeError:  # the console is closing (or not running yet)
            pass

    def store_event(self, event: str, detail: str) -> None:
        if event == "lost":
            self.notify(self.tr("tui_db_lost", error=detail), severity="warning",
                        timeout=20)
        elif event == "back":
            self.notify(self.tr("tui_db_back", server=detail))
        self.check_store()

    def home_chain(self) -> list[Place]:
        """Where each role starts (S11): support at the partners, a partner at their
        customer accounts, an account admin at their own account's dashboard."""
        if self.role == "support":
            return [PartnersScreen()]
        if self.role == "partner":
            return [AccountsScreen(self.operator["partner"])]
        return [AccountScreen(self.operator["account"], dashboard=True)]

    @property
    def place(self) -> Place | None:
        """The place on top (under any dialog)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, Place):
                return screen
        return None

    def reload_place(self) -> None:
        place = self.place
        if place is not None and place.is_mounted:
            place.reload()
        self.refresh_attention()

    # What needs attention -------------------------------------------------
    def refresh_attention(self) -> None:
        """Ask the core for the report's counts in a thread; the line follows (not in a
        replay: its bar takes the line's place)."""
        if not (self.attention_summary and not self.replaying and self.has_report):
            return
        if self.attention is not None and not self.at_home:
            # Shown on the start screen only: asked again when it shows (a report of a
            # large database takes seconds; not for every commit while away).
            self._attention_stale = True
            return
        if self.working:
            # The place's own rows first: the report waits for its turn at the core.
            self._attention_stale = True
            self.set_timer(0.05, self.refresh_attention)
            return
        self._attention_stale = False
        self.run_worker(self._attention_report, thread=True, exclusive=True,
                        group="attention", name="attention", exit_on_error=False)

    def _attention_report(self) -> object:
        # The users' lists only for a modest number of users: at a million they would
        # read every account's users (seconds, and gigabytes) for one number of the line.
        return self.session.report(users=None)

    @property
    def at_home(self) -> bool:
        """Whether the start screen (the home place) is on top."""
        stack = self.screen_stack
        return len(stack) > 1 and self.screen is stack[1]

    def _screen_changed(self, screen: object) -> None:
        if self._attention_stale and self.at_home:
            self.refresh_attention()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "attention":
            return
        if event.state == WorkerState.SUCCESS:
            self.show_attention(worker.result.attention())
        elif event.state == WorkerState.ERROR:
            self.notify(str(worker.error), severity="error")

    def show_attention(self, counts: dict[str, int]) -> None:
        self.attention = attention.parts(counts, self.lang,
                                         attention.expiring_days(self.session))
        for screen in self.screen_stack:
            for line in screen.query(AttentionLine):
                line.refresh_text()

    def _poll_tick(self) -> None:
        # Not while a worker asks the core: the poll would wait for it (one call at a
        # time), and the next tick comes soon.
        if not self.working:
            self.poll()

    def poll(self) -> None:
        """Every few seconds: changed rule files (the last good rules stay in force on an
        error) and other consoles' commits."""
        source = self.rules_source
        if source is not None:
            if source.poll():
                self.session.rules = source.current
                self.rules_error = None
                self.notify(self.tr("tui_rules_reloaded"))
                self.reload_place()
            elif source.error is not None and source.error is not self.rules_error:
                self.rules_error = source.error
                self.notify(self.tr("tui_rules_error", error=source.error.render()),
                            severity="error", timeout=20)
                self.reload_place()
        self.check_store()

    def check_store(self) -> None:
        """Show the place again if another console committed since it was drawn."""
        try:
            version = self.session.store.read().version
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        if version != self._seen_version:
            self._seen_version = version
            self.reload_place()

    # Navigation -----------------------------------------------------------
    async def go(self, *chain: Place) -> None:
        """Show `chain` above the operator's home place, with nothing else open."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        for place in [*self.home_chain(), *chain]:
            await self.push_screen(place)

    def _jump(self, build: Callable[[], list[Place]]) -> bool:
        try:
            chain = build()
        except (CoreError, StoreError) as exc:
            self.notify(str(exc), severity="error")
            return False
        self.call_later(self.go, *chain)
        return True

    def home(self) -> bool:
        return self._jump(list)

    def open_accounts(self, partner: str) -> bool:
        """A partner's accounts (support's way from the partner list)."""
        if self.role != "support":
            return self.home()
        self.push_screen(AccountsScreen(partner))
        return True

    def _account_chain(self, key: str) -> list[Place]:
        account = self.session.account(key)
        if self.role == "account_admin" and account["id"] == self.operator["account"]:
            return []  # the dashboard is home
        chain: list[Place] = []
        if self.role == "support":
            chain.append(AccountsScreen(account["partner"]))
        return [*chain, AccountScreen(account["id"])]

    def open_account(self, key: str, push: bool = False) -> bool:
        """An account's information, by id or company name."""
        if push:
            self.push_screen(AccountScreen(key))
            return True
        return self._jump(lambda: self._account_chain(key))

    def open_user(self, user_id: str, push: bool = False) -> bool:
        if push:
            self.push_screen(UserScreen(user_id))
            return True
        return self._jump(lambda: [*self._account_chain(self.session.user(user_id)["account"]),
                                   UserScreen(user_id)])

    def open_orders(self, state: str | None = None, select: str | None = None) -> bool:
        if self.refuse_place("orders"):
            return False
        return self._jump(lambda: [OrdersScreen(state, select=select)])

    def open_order(self, order_id: str) -> bool:
        return self.open_orders(None, select=order_id)

    def open_audit(self, account: str | None = None, jump: bool = False) -> bool:
        if self.refuse_place("audit"):
            return False
        if jump:
            return self._jump(lambda: [AuditScreen(account)])
        self.push_screen(AuditScreen(account))
        return True

    def open_report(self) -> bool:
        """The license report: what needs attention in the accounts the operator may read."""
        if self.refuse_place("report"):
            return False
        if not isinstance(self.place, ReportScreen):
            self.push_screen(ReportScreen())
        return True

    def open_assign(self, order_id: str) -> bool:
        """The Assign picker, with the rules' answer for every account the operator may
        read: the eligible ones to pick, the others with the reason. When the rules allow
        no account at all (an expired or assigned order), say why instead of opening."""
        choices = self.changes.assign_choices(order_id)
        if choices is None:
            return False
        self.push_screen(AssignDialog(*choices))
        return True

    def refuse_readonly(self) -> bool:
        """A key that would change data, in a read-only console: say so."""
        self.notify(self.tr("readonly_console"), severity="warning")
        return False

    # Keys of the app ------------------------------------------------------
    def action_refuse_readonly(self) -> None:
        self.refuse_readonly()

    def action_home(self) -> None:
        self.home()

    def action_orders(self) -> None:
        self.open_orders()

    def action_audit(self) -> None:
        place = self.place
        scope = place.audit_scope() if place is not None else None
        if isinstance(place, AuditScreen):
            return
        self.open_audit(scope, jump=scope is None)

    def action_report(self) -> None:
        self.open_report()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_refresh(self) -> None:
        self.reload_place()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette",
                                            placeholder=self.tr("tui_palette_placeholder")))

    # Changes: the one place (tui/changes.py) -----------------------------
    def on_changed(self, message: Changed) -> None:
        for observer in self.observers:
            observer(message)

    def post_change(self, change: Changed) -> None:
        self.post_message(change)

    @property
    def last_refusal(self) -> tuple[Action, str] | None:
        """The last change refused: (the action, the reason), for `w` in a dialog."""
        return self.changes.last_refusal

    def change(self, action: Action, seen: bool | None = None,
               expect_preview: str | None = None) -> Outcome | None:
        return self.changes.change(action, seen, expect_preview)

    def describe(self, action: Action, outcome: Outcome) -> str:
        return self.changes.describe(action, outcome)

    def switch_license(self, user_id: str, product: str = "miteam",
                       value: bool | None = None, seen: bool | None = None) -> Outcome | None:
        return self.changes.switch_license(user_id, product, value, seen)

    def switch_integration(self, account: str, integration: str, value: bool | None = None,
                           confirm: bool = True, seen: bool | None = None) -> Outcome | None:
        return self.changes.switch_integration(account, integration, value, confirm, seen)

    def assign_order(self, order_id: str, account: str) -> Outcome | None:
        return self.changes.assign_order(order_id, account)

    # The keys' way: the same changes, the core's dry run in a worker (a sweeping change
    # on a big account takes a while), then applied, asked or refused on this thread.
    def start_switch_license(self, user_id: str, product: str = "miteam",
                             seen: bool | None = None) -> None:
        self._start(partial(self.changes.plan_license, user_id, product, None, seen))

    def start_switch_integration(self, account: str, integration: str,
                                 seen: bool | None = None) -> None:
        self._start(partial(self.changes.plan_integration, account, integration, None,
                            True, seen))

    def _start(self, plan: Callable[[], Plan]) -> None:
        if self.load_in_worker:
            self._plan_in_worker(plan)
        else:
            self.changes.carry_out(plan())

    # Not exclusive: every key press is a change the operator meant (space on one user,
    # then on the next, switches both; twice on one, the second is refused as stale).
    @work(thread=True, group="change")
    def _plan_in_worker(self, plan: Callable[[], Plan]) -> None:
        result = plan()
        if get_current_worker().is_cancelled:
            return  # the console is closing
        try:
            self.call_from_thread(self.changes.carry_out, result)
        except RuntimeError:  # the console is closing
            pass

    @property
    def working(self) -> bool:
        """Whether a worker is still asking the core for a place or a change (tests wait
        for this to pass, instead of for a fixed time)."""
        return any(w.group in ("place", "change") and not w.is_finished
                   for w in self.workers)

    def ask(self, question: Confirmation) -> None:
        """A sweeping change's preview, Cancel focused; `w` shows the rules' reasoning."""
        action = question.action

        def decided(confirmed: bool | None) -> None:
            if confirmed:
                self.changes.confirmed(question)

        why: Callable[[], object] | None = None
        if isinstance(action, SetIntegration):
            why = partial(self.why_integration, action.account, action.integration)
        elif isinstance(action, SetLicense):
            why = partial(self.why_license, action.user, action.product)
        users = question.users
        self.push_screen(ConfirmDialog(
            question.title, question.lines, question.confirm, self.tr("tui_cancel"), why=why,
            hint=self.tr("tui_confirm_why"),
            users=users_source(self.session, users) if users else None,
            users_title=self.tr("tui_preview_users", count=len(users))), decided)

    # Why (tui/why.py) -----------------------------------------------------
    @property
    def whys(self) -> WhyBuilder:
        return WhyBuilder(self.session, self.lang,
                          lambda preview: preview_lines(self.session, self.lang, preview),
                          self.readonly)

    def _why(self, build: Callable[[], Why]) -> bool:
        try:
            why = build()
        except (CoreError, StoreError) as exc:
            self.notify(str(exc), severity="error")
            return False
        self.push_screen(WhyPanel(why.title, why.summary, why.sections,
                                  self.tr("tui_close_hint")))
        return True

    def why_license(self, user_id: str, product: str = "miteam") -> bool:
        """What Products and Licenses shows and why; what switching it would meet."""
        return self._why(lambda: self.whys.license(user_id, product))

    def why_integration(self, account: str, integration: str) -> bool:
        return self._why(lambda: self.whys.integration(account, integration))

    def why_assign(self, order_id: str, account: str | None) -> bool:
        """The rules' answer to assigning this order to this account (the one just refused,
        or the one chosen, else the first the rules would allow)."""
        chosen = self.changes.assign_why_account(order_id, account)
        if chosen is None:
            return False
        return self._why(lambda: self.whys.assign(order_id, chosen))


def run(env: Any) -> int:
    """`miteam` / `miteam tui`: open the console for `env`'s operator and database."""
    source = RuleSource(env.rules_paths())  # a broken rule file: the CLI reports it, exit 2
    session = env.session(source.current)
    session.whoami()  # an unknown operator: refused before the screen opens, exit 1
    app = ConsoleApp(session, rules=source, readonly=bool(getattr(env.args, "readonly", False)))
    app.run()
    return int(app.return_code or 0)
