"""What the core says when it will not do something, with the exit code it maps to."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine.ruleset import Decision, Explanation


class CoreError(Exception):
    """A user-facing failure: `str(e)` is the one message to show."""

    exit_code = 2


class BadInput(CoreError):
    """Usage, unknown id, malformed value, broken rule file or database: exit 2."""

    exit_code = 2


class NotFound(BadInput):
    def __init__(self, message: str, kind: str, key: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.key = key


class Refused(CoreError):
    """The rules (or the operator's registration) refuse: exit 1, nothing written."""

    exit_code = 1

    def __init__(self, message: str, decision: Decision | None = None,
                 explanation: Explanation | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.decision = decision
        self.explanation = explanation
        self.key = key
