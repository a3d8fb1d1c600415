"""The start screen's one line of what needs attention, from the license report's counts
(`LicenseReport.attention()`): "2 accounts over-allocated · 3 orders expire within 30
days", nothing when nothing does. The counts are the core's; this only words them, and
fits them to one line (the most urgent first; what does not fit is "…", the report has it
all)."""

from __future__ import annotations

from rich.text import Text

from rules.ops.session import Session

from .words import t

# The report's counts, in the order the line names them (the most urgent first).
PARTS = ("over_allocated", "over_after_expiry", "expiring", "stored_differs")


def expiring_days(session: Session) -> int:
    """The window in which an order counts as expiring (the line and the report say it):
    policy, `setting expiring_days` in the rule files in force."""
    return session.rules.expiring_days


def parts(counts: dict[str, int], lang: str, days: int) -> list[str]:
    return [t(f"tui_attention_{key}", lang, count=counts[key], days=days)
            for key in PARTS if counts.get(key)]


def line(said: list[str], lang: str, width: int | None = None) -> str:
    """The parts and the key to the report, in `width` cells (None: whole)."""
    if not said:
        return ""
    hint = "  " + t("tui_attention_hint", lang)
    shown = list(said)
    while True:
        text = " · ".join(shown) + (" · …" if len(shown) < len(said) else "") + hint
        if width is None or Text(text).cell_len <= width or len(shown) == 1:
            return text
        shown.pop()
