"""A scenario replayed in the console, step by step (`miteam tui --replay FILE`).

The console runs on the `Player`'s temporary database (never the operator's own). For
each step it first goes, as the step's operator, to the place a person would use for it
(a license: the user's form; an integration: the account information; an order: Billing ›
Orders), then applies the step through the same `Player` the headless `miteam scenario
run` uses, so the transcript stays the one source of truth, and shows what it did and any
expectation that failed in the replay bar above the footer.

The replay drives every change: the console is read-only for the person watching it
(no key of theirs switches anything). `n` next step, `p` back one (the Player rebuilds the
database as it was), `G` to the end, `l` the transcript so far.
"""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual.binding import BindingsMap
from textual.widget import Widget

from rules.errors import CoreError
from rules.ops.actions import AddAccount, AddOrder, AddUser, AssignOrder, SetIntegration, SetLicense
from rules.ops.session import Session
from rules.records.store import StoreError
from rules.scenario import Player, Run, Step, StepReport
from rules.scenario.model import DEFAULT_OPERATOR
from rules.scenario.transcript import mark
from rules.scenario.writer import format_action

from . import keys, prefs
from .app import ConsoleApp
from .screens import (
    AccountScreen,
    AccountsScreen,
    HelpScreen,
    OrdersScreen,
    Place,
    UserScreen,
    WhyPanel,
)
from .widgets import ResourceTable
from .words import safe, t

# Failed expectations the bar lists before "… N more" (the transcript has them all).
BAR_FAILURES = 2


class ReplayBar(Widget):
    """Scenario, step i/N, the step as written, its outcome, its expectations, what comes
    next. Above the footer on every place of a replay console. Each line is cut to the
    width (the transcript, `l`, has it all) except a failed expectation, shown in full."""

    DEFAULT_CSS = """
    ReplayBar {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, title: str, lines: list[tuple[Text, int | None]]) -> None:
        super().__init__(classes="section")
        self.border_title = title
        self.lines = lines

    @property
    def body(self) -> str:
        """Every line in full (tests read it)."""
        return "\n".join(line.plain for line, _ in self.lines)

    def show(self, title: str, lines: list[tuple[Text, int | None]]) -> None:
        self.border_title = title
        self.lines = lines
        self.refresh(layout=True)

    def render(self) -> Text:
        width = max(1, self.content_region.width or self.size.width)
        rows: list[Text] = []
        for raw, hang in self.lines:
            line = safe(raw)  # a scenario's texts and the core's answers may quote anything
            if hang is None or line.cell_len <= width:
                cut = line.copy()
                cut.truncate(width, overflow="ellipsis")
                rows.append(cut)
                continue
            # Wrapped under its own text, not under the mark.
            pieces = textwrap.wrap(line.plain, width, subsequent_indent=" " * hang,
                                   break_long_words=True)
            rows.append(line[:len(pieces[0])])
            rows.extend(Text(piece) for piece in pieces[1:])
        return Text("\n").join(rows)


def place_of(step: Step | None) -> tuple[str, str | None]:
    """Where a person would make this step: (place, key). place: user | account | orders |
    accounts | home. A step that only checks goes where its first expectation looks."""
    if step is None:
        return "home", None
    if step.action is not None:
        a = step.action.do
        if isinstance(a, SetLicense):  # and MicollabSet
            return "user", a.user
        if isinstance(a, SetIntegration):
            return "account", a.account
        if isinstance(a, AssignOrder):
            return "orders", a.order
        if isinstance(a, AddOrder):
            return "orders", a.id
        if isinstance(a, AddUser):
            return "account", a.account
        if isinstance(a, AddAccount):
            return "accounts", a.partner
        return "home", None
    for e in step.expectations:
        if e.kind in ("shows", "stored"):
            return "user", e.args["users"][0]
        if e.kind in ("licenses", "integrations", "account_orders"):
            return "account", e.args["account"]
        if e.kind == "order":
            return "orders", e.args["order"]
    return "home", None


def reflow(lines: list[str]) -> list[str]:
    """Transcript lines are wrapped for a 100-column terminal (ids continue on lines
    indented by six): join them again, so the narrower panel wraps them once."""
    out: list[str] = []
    for line in lines:
        if out and line.startswith(" " * 6) and not line.startswith(" " * 7):
            out[-1] += " " + line.strip()
        else:
            out.append(line)
    return out


class ReplayApp(ConsoleApp):
    """The console over a `Player`: read-only for the person, the scenario changes."""

    replaying = True
    load_in_worker = False  # the player changes the store between the screens

    def __init__(self, player: Player) -> None:
        self.player = player
        self.scenario = player.scenario
        super().__init__(self._session_for(self._shown_login()), rules=None, readonly=True,
                         poll_interval=None)
        self._rebind()

    # Who acts -----------------------------------------------------------------------
    def _shown_login(self) -> str:
        """The operator whose screens are shown: of the last applied step, else the first."""
        p = self.player
        if p.reports:
            return p.reports[-1].step.operator
        return p.steps[0].operator if p.steps else DEFAULT_OPERATOR

    def _session_for(self, login: str) -> Session:
        """A session as `login`; one not registered (yet, or at all: its step is refused)
        is shown as the scenario's support operator."""
        session = self.player.session(login)
        try:
            session.whoami()
        except CoreError:
            return self.player.session(DEFAULT_OPERATOR)
        return session

    def _rebind(self) -> None:
        """The app's keys for the operator shown (orders or not), plus the replay's."""
        base = {k: [b for b in v if not (b.id or "").startswith("miteam.")]
                for k, v in self._bindings.key_to_bindings.items()}
        self._bindings = BindingsMap.merge([
            BindingsMap.from_keys({k: v for k, v in base.items() if v}),
            keys.bindings(keys.APP_KEYS, self.lang, True, self.has_orders),
            keys.bindings(keys.REPLAY_KEYS, self.lang, True)])

    def markers(self) -> tuple[str, ...]:
        return (self.tr("tui_replay_marker"),)

    # The bar --------------------------------------------------------------------------
    def bars(self) -> list[Widget]:
        return [ReplayBar(self.bar_title(), self.bar_lines())]

    def bar_title(self) -> str:
        p = self.player
        return self.tr("tui_replay_title", index=p.index, total=len(p.steps),
                       title=self.scenario.title)

    def step_line(self, step: Step) -> str:
        action = (format_action(step.action.do, step.action.dry_run)
                  if step.action else t("scenario_checks", self.lang))
        return t("scenario_step", self.lang, number=step.number, operator=step.operator,
                 action=action)

    def bar_lines(self) -> list[tuple[Text, int | None]]:
        """The bar's lines, each (text, indent of its wrapped lines, None: cut to the
        width): a failed expectation and the result wrap, the rest is cut."""
        p, lang = self.player, self.lang
        out: list[tuple[Text, int | None]] = []

        def line(text: str, style: str = "", hang: int | None = None) -> None:
            out.append((Text(text, style=style), hang))

        if not p.steps:
            line(self.tr("tui_replay_no_steps"))
            return out
        if p.reports:
            r = p.reports[-1]
            line(r.lines[0], "bold")
            if r.step.action is not None:
                line(r.lines[1])
            effects = [t(f"scenario_effect_{action}", lang, rule=rule, count=len(users))
                       for action, rule, users in r.result.effects() if users]
            if r.passed:
                checks = self.tr("tui_replay_checks_ok", count=r.checks)
            else:
                checks = self.tr("tui_replay_checks_failed", failed=len(r.failures),
                                 count=r.checks)
            line("  " + " · ".join([*effects, checks]), "" if r.passed else "bold")
            for f in r.failures[:BAR_FAILURES]:
                text = Text("  ")
                text.append(f" {mark(lang, False)} ", style="bold reverse")
                hang = text.cell_len + 1
                text.append(" " + self.tr("tui_replay_failure", text=f.text, line=f.line,
                                          expected=f.expected, got=f.got))
                out.append((text, hang))
            if len(r.failures) > BAR_FAILURES:
                line("  " + self.tr("tui_replay_more_failures",
                                    count=len(r.failures) - BAR_FAILURES))
        else:
            line(p.header()[1])
            line(self.tr("tui_replay_keys"))
        if p.finished:
            line(Run(self.scenario, p.header(), list(p.reports)).summary(), "bold", hang=2)
        else:
            line(self.tr("tui_replay_next", step=self.step_line(p.steps[p.index])))
        return out

    def refresh_bars(self) -> None:
        title, lines = self.bar_title(), self.bar_lines()
        for screen in self.screen_stack:
            for bar in screen.query(ReplayBar):
                bar.show(title, lines)

    # Going to the step's place ---------------------------------------------------------
    def _chain_for(self, step: Step | None) -> list[Place]:
        kind, key = place_of(step)
        try:
            if kind == "user" and key:
                user = self.session.user(key)
                return [*self._account_chain(user["account"]), UserScreen(key)]
            if kind == "account" and key:
                return self._account_chain(key)
            if kind == "orders" and self.has_orders:
                return [OrdersScreen(None, select=key)]
            if kind == "accounts" and key and self.role == "support":
                return [AccountsScreen(key)]
        except (CoreError, StoreError):
            pass  # not this operator's to see: their home (the step will say why)
        return []

    @staticmethod
    def _signature(place: Place) -> tuple:
        return (type(place).__name__, getattr(place, "account_key", None),
                getattr(place, "user_id", None), getattr(place, "partner", None),
                getattr(place, "dashboard", None))

    async def _show(self, step: Step | None) -> None:
        """Go, as the step's operator, to where a person would make it (staying put when
        that is where the console is already, so the cursor and history stay)."""
        login = step.operator if step else self._shown_login()
        session = self._session_for(login)
        if session.login != login:
            self.notify(self.tr("tui_replay_cannot_show", operator=login, shown=session.login),
                        severity="warning")
        while len(self.screen_stack) > 1 and not isinstance(self.screen, Place):
            await self.pop_screen()  # the transcript, help or a why panel
        if session.login == self.session.login:
            chain = [*self.home_chain(), *self._chain_for(step)]
            shown = [s for s in self.screen_stack if isinstance(s, Place)]
            if [self._signature(p) for p in shown] == [self._signature(p) for p in chain]:
                return
        # Close the places first, as whoever opened them: a place shown again reloads.
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        if session.login != self.session.login:
            self.session = session
            self.operator = session.whoami()
            self._rebind()
        for place in [*self.home_chain(), *self._chain_for(step)]:
            await self.push_screen(place)

    def _point(self, step: Step | None) -> None:
        """Put the cursor on what the step is about (the integration's row, the user)."""
        place = self.place
        if step is None or step.action is None or not isinstance(place, AccountScreen) \
                or not place.is_mounted:
            return
        a = step.action.do
        if isinstance(a, SetIntegration):
            table_id, key = "#integrations", a.integration
        elif isinstance(a, AddUser):
            table_id, key = "#users", a.id
        else:
            return
        table = place.query_one(table_id, ResourceTable)
        index = table.source.index_of(str(key))
        if index is not None:
            table.cursor = index
            table.focus()

    def _shown(self) -> None:
        """After the database changed: the place again, its subject chosen, the bar."""
        self.reload_place()
        self._point(self.player.reports[-1].step if self.player.reports else None)
        self.refresh_bars()

    # Driving ------------------------------------------------------------------------
    async def step_next(self) -> StepReport | None:
        p = self.player
        if p.finished:
            self.notify(self.tr("tui_replay_at_end"), severity="warning")
            return None
        step = p.steps[p.index]
        await self._show(step)
        report = p.next()
        self._shown()
        return report

    async def step_back(self) -> None:
        p = self.player
        if p.index == 0:
            self.notify(self.tr("tui_replay_at_start"), severity="warning")
            return
        p.previous()
        await self._show(p.reports[-1].step if p.reports else None)
        self._shown()

    async def run_to_end(self) -> list[StepReport]:
        p = self.player
        if p.finished:
            self.notify(self.tr("tui_replay_at_end"), severity="warning")
            return []
        start = p.index
        p.run_to_end()
        await self._show(p.reports[-1].step if p.reports else None)
        self._shown()
        return p.reports[start:]

    async def action_replay_next(self) -> None:
        await self.step_next()

    async def action_replay_previous(self) -> None:
        await self.step_back()

    async def action_replay_end(self) -> None:
        await self.run_to_end()

    def transcript(self) -> list[str]:
        p = self.player
        lines = reflow([line for r in p.reports for line in r.lines])
        if p.finished:
            lines.append(Run(self.scenario, p.header(), list(p.reports)).summary())
        elif p.steps:
            lines.append(self.tr("tui_replay_next", step=self.step_line(p.steps[p.index])))
        return lines

    def action_replay_transcript(self) -> None:
        if isinstance(self.screen, WhyPanel):
            return
        head = self.player.header()
        self.push_screen(WhyPanel(self.tr("tui_replay_transcript"), "\n".join(head),
                                  [(self.bar_title(), self.transcript())],
                                  self.tr("tui_close_hint")))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(ReplayHelp())


class ReplayHelp(HelpScreen):
    """Help with the replay's keys first."""

    def body(self) -> Text:
        app = self.console
        assert isinstance(app, ReplayApp)
        lang = app.lang
        out = Text()
        out.append(t("tui_replay_help", lang, file=app.scenario.file_name) + "\n\n")
        out.append(t("tui_help_replay", lang) + "\n", style="bold underline")
        for k in keys.available(keys.REPLAY_KEYS, True):
            out.append(f"  {prefs.key_shown(app, k):<14}", style="bold")  # as the keymap has it
            out.append(t(f"{k.label}_help", lang) + "\n")
        out.append("\n")
        return out + super().body()


def run(player: Player) -> int:
    """`miteam tui --replay FILE`: the console over `player` until the person quits."""
    app = ReplayApp(player)
    app.run()
    return int(app.return_code or 0)
