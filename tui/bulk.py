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
from typing import TYPE_CHECKING

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

    def start(self) -> None:
        """Preview switching ON; when that would switch nobody (all on already), OFF."""
        result = self.preview(True)
        if result is None:
            return
        on = True
        if not result.count("switched"):
            off = self.preview(False)
            if off is not None and off.count("switched"):
                on, result = False, off
        self.ask(on, result)

    def preview(self, on: bool) -> BulkResult | None:
        try:
            return self.app.session.apply_many(self.actions(on), dry_run=True)
        except (CoreError, StoreError) as exc:
            self.app.notify(str(exc), severity="error")
            return None

    def ask(self, on: bool, result: BulkResult) -> None:
        tr, lang = self.app.tr, self.app.lang
        value = onoff(on, lang)
        confirm: str | None = tr("tui_confirm_button", value=value)
        note = ""
        if self.app.readonly:
            confirm, note = None, tr("tui_bulk_readonly")
        elif not result.count("switched"):
            confirm, note = None, tr("tui_bulk_nothing", value=value)

        def decided(answer: str | None) -> None:
            if answer == FLIP:
                other = self.preview(not on)
                if other is not None:
                    self.ask(not on, other)
            elif answer == CONFIRM:
                self.apply(on, result.preview)

        self.app.push_screen(BulkDialog(
            tr("tui_bulk_title", count=len(self.users), value=value),
            bulk_summary(result, lang), self.rows(result),
            tr("tui_preview_users", count=len(result.lines)), confirm,
            tr("tui_cancel") if confirm else tr("tui_close"),
            tr("tui_bulk_hint", value=onoff(not on, lang)), note,
            why=lambda user: self.app.why_license(user, self.product)), decided)

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
        app = self.app
        if app.readonly:
            app.refuse_readonly()
            return
        actions = self.actions(on)
        try:
            result = app.session.apply_many(actions, expect_preview=preview)
        except Refused as exc:  # stale: the set would now go otherwise; nothing changed
            app.notify(str(exc), title=app.tr("refused").capitalize(), severity="error")
            return
        except (CoreError, StoreError) as exc:
            app.notify(str(exc), severity="error")
            return
        for action, line in zip(actions, result.lines, strict=True):
            if line.outcome in ("switched", "unchanged"):
                app.post_change(Changed(action, outcome=line.result, rule=line.rule))
            else:
                app.post_change(Changed(action, refused=line.reason, rule=line.rule))
        refused = result.count("refused") + result.count("error")
        app.notify(self.summary(on, result), title=app.tr("done").capitalize(),
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
