"""`u` on an audit entry: revert it, through the core (`Session.revert`).

First the core's dry run: what the inverse would change, action by action, or why today's
rules refuse it (a revert can be refused: no license left, the integration since
switched). Reverting one of S8's revocations previews the whole switch-off it followed.
A revert the rules allow asks, Cancel focused; confirming applies exactly what was
previewed (the core refuses it as stale if another console changed it meanwhile). A
refused one shows why, with nothing to confirm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rules.errors import CoreError, Refused
from rules.ops.revert import RevertResult
from rules.records.store import StoreError

from ..changes import Changed
from ..widgets import ListSource, Row
from ..words import t
from .confirm import ConfirmDialog
from .why import WhyPanel

if TYPE_CHECKING:
    from ..app import ConsoleApp


def preview_lines(preview: RevertResult, seq: int, lang: str) -> list[str]:
    lines = preview.lines(lang)
    if preview.seq != seq:
        lines.insert(0, t("tui_revert_whole", lang, seq=seq, cause=preview.seq))
    return lines


def revert_entry(app: ConsoleApp, seq: int, done: Callable[[RevertResult], None]) -> bool:
    """Preview the revert of entry `seq`, then ask (or say why not); `done` gets what the
    confirmed revert did. False when nothing opened (the core refused to plan it)."""
    if app.readonly:
        return app.refuse_readonly()
    lang = app.lang
    try:
        preview = app.session.revert(seq, dry_run=True)
    except Refused as exc:
        app.notify(str(exc), title=t("refused", lang).capitalize(), severity="error")
        return False
    except (CoreError, StoreError) as exc:  # no inverse (an order assigned), no entry
        app.notify(str(exc), severity="error")
        return False
    lines = preview_lines(preview, seq, lang)
    if preview.ok and all(line.outcome == "unchanged" for line in preview.result.lines):
        # Already as it was before the entry (reverted before, or switched back by hand).
        app.notify(t("tui_revert_nothing", lang, seq=preview.seq))
        return False
    if not preview.ok:
        refused = [line for line in preview.result.lines if line.reason]
        summary = refused[0].reason if refused else t("revert_withheld", lang)
        app.notify(f"#{seq}: {summary}", title=t("refused", lang).capitalize(),
                   severity="error")
        app.push_screen(WhyPanel(t("tui_revert_refused", lang, seq=preview.seq),
                                 t("revert_withheld", lang),
                                 [(t("tui_revert_would", lang), lines)],
                                 t("tui_close_hint", lang)))
        return True

    def decided(confirmed: bool | None) -> None:
        if not confirmed:
            return
        try:
            result = app.session.revert(seq, expect_preview=preview.result.preview)
        except Refused as exc:
            app.notify(str(exc), title=t("refused", lang).capitalize(), severity="error")
            return
        except (CoreError, StoreError) as exc:
            app.notify(str(exc), severity="error")
            return
        if not result.ok:  # refused in between (another console): nothing was written
            app.notify(t("revert_withheld", lang), title=t("refused", lang).capitalize(),
                       severity="error")
            return
        # Each inverse action as a change the console made: a recorder writes its steps.
        for action, line in zip(result.actions, result.result.lines, strict=True):
            if line.result is not None:
                app.post_change(Changed(action, outcome=line.result, rule=line.rule))
        app.notify(t("tui_reverted", lang, seq=result.seq,
                     entries=", ".join(f"#{n}" for n in result.result.audit)),
                   title=t("done", lang).capitalize())
        app.reload_place()
        done(result)

    # The head above, every action in a list that scrolls (an S8 revert can hold
    # thousands of licenses), Cancel keeping the focus.
    head, actions = lines[:-len(preview.result.lines) or None], \
        lines[len(lines) - len(preview.result.lines):]
    rows = [Row(str(n), line.strip().split(" ", 1)) for n, line in enumerate(actions)]
    app.push_screen(ConfirmDialog(
        t("tui_revert_title", lang, seq=preview.seq), head,
        t("tui_revert_confirm", lang), t("tui_cancel", lang), users=ListSource(rows),
        users_title=t("tui_revert_actions", lang, count=len(rows))), decided)
    return True
