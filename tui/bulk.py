"""Switching the marked users' licenses together (issue 12), through the core's bulk
operation (`Session.apply_many`, rules/ops/bulk.py).

The preview is the core's dry run of the whole set, in the order marked, each user
decided as if switched alone (S12 applies to the set: with 3 licenses left and 5 asked,
3 switch and 2 are refused); it is asked about with Cancel focused. Confirming applies the
set as one operation expecting exactly the preview shown: the core refuses it as stale,
changing nothing, if another console changed what it would do meanwhile. Each user's
outcome goes out as a `Changed` (a scenario recorder writes one step per user).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from rules.cli.bulk import bulk_summary, outcome_text
from rules.errors import CoreError, Refused
from rules.ops.bulk import OUTCOMES, BulkResult, license_actions
from rules.records.store import StoreError

from .changes import Changed, user_name
from .screens.bulk import CONFIRM, FLIP, BulkDialog
from .widgets import PagedSource, Row
from .words import onoff

if TYPE_CHECKING:
    from rules.ops.actions import Action

    from .app import ConsoleApp


T = TypeVar("T")


class BulkSwitch:
    """One bulk switch of `users` (ids, in the order marked); `applied` is called once the
    set went through (the marks are spent)."""

    def __init__(self, app: ConsoleApp, users: list[str], applied: Callable[[], None],
                 product: str = "miteam") -> None:
        self.app = app
        self.users = users
        self.applied = applied
        self.product = product

    def actions(self, on: bool) -> list[Action]:
        return license_actions(self.users, self.product, on)

    # Asking the core: a set of 10,000 takes a second or more, so where the console asks
    # the core in workers (`load_in_worker`), these run in one and answer on the screen's
    # thread; an error comes back as the answer, to be said there.
    # Both are "change" work, as a single switch's preview is (`app.working`: the poll
    # waits for them instead of for the session's lock); none replaces another: each key
    # press is something the operator meant, and what applying wrote is always said.
    def _background(self, call: Callable[[], T], then: Callable[[T], None]) -> None:
        app = self.app
        if not app.load_in_worker:
            then(call())
            return

        def work() -> None:
            answer = call()
            try:
                app.call_from_thread(then, answer)
            except RuntimeError:  # the console is closing
                pass

        app.run_worker(work, thread=True, group="change", exit_on_error=False)

    def _dry_run(self, on: bool) -> BulkResult | Exception:
        try:
            return self.app.session.apply_many(self.actions(on), dry_run=True)
        except (CoreError, StoreError) as exc:
            return exc

    def _first_preview(self) -> tuple[bool, BulkResult] | Exception:
        """Switching ON; when that would switch nobody (all ON already), OFF."""
        result = self._dry_run(True)
        if isinstance(result, BulkResult) and not result.count("switched"):
            off = self._dry_run(False)
            if isinstance(off, BulkResult) and off.count("switched"):
                return False, off
        return result if isinstance(result, Exception) else (True, result)

    def start(self) -> None:
        self.app.notify(self.app.tr("tui_bulk_previewing", count=len(self.users)))
        self._background(self._first_preview, self._show_first)

    def _show_first(self, answer: tuple[bool, BulkResult] | Exception) -> None:
        if isinstance(answer, Exception):
            self.app.notify(str(answer), severity="error")
        else:
            self.ask(*answer)

    def _show(self, on: bool) -> Callable[[BulkResult | Exception], None]:
        def show(answer: BulkResult | Exception) -> None:
            if isinstance(answer, Exception):
                self.app.notify(str(answer), severity="error")
            else:
                self.ask(on, answer)
        return show

    def ask(self, on: bool, result: BulkResult) -> None:
        tr, lang = self.app.tr, self.app.lang
        self._working_done()
        value = onoff(on, lang)
        confirm: str | None = tr("tui_confirm_button", value=value)
        note = ""
        if self.app.readonly:
            confirm, note = None, tr("tui_bulk_readonly")
        elif not result.count("switched"):
            confirm, note = None, tr("tui_bulk_nothing", value=value)

        def decided(answer: str | None) -> None:
            if answer == FLIP:
                self._background(lambda: self._dry_run(not on), self._show(not on))
            elif answer == CONFIRM:
                self.apply(on, result.preview)

        self.app.push_screen(BulkDialog(
            tr("tui_bulk_title", count=len(self.users), value=value),
            bulk_summary(result, lang), self.rows(result),
            tr("tui_preview_users", count=len(result.lines)), confirm,
            tr("tui_cancel") if confirm else tr("tui_close"),
            tr("tui_bulk_hint", value=onoff(not on, lang)), note,
            why=lambda user: self.app.why_license(user, self.product)), decided)

    def _working_done(self) -> None:
        """The status line's "Previewing…" has said its part: the dialog answers it."""
        app = self.app
        app.status = None
        place = app.place
        if place is not None and place.is_mounted:
            place.show_status()

    def rows(self, result: BulkResult) -> PagedSource:
        """Each user's outcome, with the user's name asked of the core a page at a time
        (a set can hold a whole account of 10,000)."""
        lang, session = self.app.lang, self.app.session

        def fetch(offset: int, limit: int, query: str) -> tuple[int, list[Row]]:
            # A user gone or out of reach has no name: its outcome says why.
            return len(result.lines), [
                Row(line.target, [line.target, user_name(session, line.target), outcome_text(
                    line.outcome, line.reason, None, lang, dry_run=True)])
                for line in result.lines[offset: offset + limit]]

        return PagedSource(fetch, page_size=32)

    def apply(self, on: bool, preview: str) -> None:
        """The set as previewed, as one bulk operation (refused as stale if it would now
        go otherwise)."""
        app = self.app
        if app.readonly:
            app.refuse_readonly()
            return
        actions = self.actions(on)

        def call() -> BulkResult | Exception:
            try:
                return app.session.apply_many(actions, expect_preview=preview)
            except (CoreError, StoreError) as exc:
                return exc

        app.notify(app.tr("tui_bulk_applying", count=len(actions)))
        self._background(call, lambda answer: self._applied(on, actions, answer))

    def _applied(self, on: bool, actions: list[Action],
                 answer: BulkResult | Exception) -> None:
        app = self.app
        if isinstance(answer, Refused):  # stale: the set would now go otherwise
            app.notify(str(answer), title=app.tr("refused").capitalize(), severity="error")
            return
        if isinstance(answer, Exception):
            app.notify(str(answer), severity="error")
            return
        for action, line in zip(actions, answer.lines, strict=True):
            if line.outcome in ("switched", "unchanged"):
                app.post_change(Changed(action, outcome=line.result, rule=line.rule))
            else:
                app.post_change(Changed(action, refused=line.reason, rule=line.rule))
        refused = answer.count("refused") + answer.count("error")
        app.notify(self.summary(on, answer), title=app.tr("done").capitalize(),
                   severity="warning" if refused else "information")
        self.applied()
        app.reload_place()

    def summary(self, on: bool, result: BulkResult) -> str:
        """`3 switched ON; 2 refused: Licenses not available` for the status line."""
        tr = self.app.tr
        parts = []
        counts = Counter((line.outcome, line.reason) for line in result.lines)
        for (outcome, reason), n in sorted(counts.items(),
                                           key=lambda item: OUTCOMES.index(item[0][0])):
            if outcome == "switched":
                parts.append(tr("tui_bulk_switched", count=n, value=onoff(on, self.app.lang)))
            else:
                parts.append(f"{n} {tr(f'bulk_{outcome}')}" + (f": {reason}" if reason else ""))
        return "; ".join(parts)
