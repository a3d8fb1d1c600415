"""The start screen's one line of what needs attention, from the license report's counts
(`LicenseReport.attention()`): "2 accounts over-allocated · 3 orders expire within 30
days", nothing when nothing does. The counts are the core's; this only words them."""

from __future__ import annotations

from rules.schema import EXPIRING_DAYS

from .words import t

# The report's counts, in the order the line names them (the most urgent first).
PARTS = ("over_allocated", "over_after_expiry", "expiring", "stored_differs")


def summary(counts: dict[str, int], lang: str) -> str:
    parts = [t(f"tui_attention_{key}", lang, count=counts[key], days=EXPIRING_DAYS)
             for key in PARTS if counts.get(key)]
    if not parts:
        return ""
    return " · ".join(parts) + "  " + t("tui_attention_hint", lang)
