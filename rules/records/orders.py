"""An order's effective state, derived from its record and the date, never stored.

An order expires once its date has passed; `MITEAM_TODAY` pins the date (tests, scenarios).
It is expiring within a window of days that the rule files set (`setting expiring_days`).
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from ..errors import BadInput


def today() -> date:
    """The date orders expire against; `MITEAM_TODAY` pins it (tests, scenarios)."""
    pinned = os.environ.get("MITEAM_TODAY")
    return date.fromisoformat(pinned) if pinned else date.today()


def _expiry(order: dict) -> date | None:
    expires = order.get("expires")
    if not expires:
        return None
    try:
        return date.fromisoformat(expires)
    except (TypeError, ValueError):
        # A hand-edited or damaged record: say which, rather than fail somewhere deeper.
        raise BadInput(f"order '{order.get('id')}' has an expiry date that is not a date: "
                       f"{expires!r} (miteam db verify lists every such problem)") from None


def order_state(order: dict, on: date) -> str:
    expires = _expiry(order)
    if expires is not None and expires < on:
        return "expired"
    return "assigned" if order.get("account") else "unassigned"


def order_expiring(order: dict, on: date, window: int) -> bool:
    """Whether the order expires within `window` days of `on` (the rule set's
    `setting expiring_days`: policy, so the caller asks the rules for it)."""
    d = _expiry(order)
    return d is not None and on <= d <= on + timedelta(days=window)
