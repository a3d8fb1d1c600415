"""A parsed scenario: plain dataclasses, each piece with the span it was written at.

Also the vocabulary shared by the parser, the runner and the writer: which options an
`add` step takes (from the actions) and which fields a `given` record can set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..lang.errors import Span
from ..ops import actions as ops
from ..ops.actions import ADDERS
from .many import ManyStep

# The date scenarios run on unless they say `date ...`: the day the demo data describes
# (orders expiring soon, one expired), so a scenario means the same thing every day.
DEFAULT_DATE = date(2026, 11, 24)
# Every scenario database has this support operator; steps before any `as` act as it.
DEFAULT_OPERATOR = "support"

@dataclass(frozen=True)
class Field:
    """An option of an `... add` step or a field of a `given` record."""

    name: str  # as written in a scenario
    kind: str  # word | text | switch | int | date | role | actor | product
    key: str  # the argument / record field it sets
    required: bool = False  # for a new record


def _f(name: str, kind: str, key: str | None = None, required: bool = False) -> Field:
    return Field(name, kind, key or name, required)


# Options of `KIND add ID ...` steps: what the `miteam KIND add` command takes (the
# actions declare them).
ADD_OPTIONS = {kind: action.options for kind, action in ADDERS.items()}

# Fields of `given KIND ID ...`: records written as they are, without asking the rules
# (a starting state the operations could not reach, or a shortcut to one).
GIVEN_FIELDS: dict[str, tuple[Field, ...]] = {
    "partner": (_f("name", "text", required=True),),
    "account": (_f("partner", "word", required=True), _f("name", "text", required=True),
                _f("micollab", "switch"), _f("miteam", "switch")),
    "user": (_f("account", "word", required=True), _f("name", "text", required=True),
             _f("email", "text"), _f("miteam", "switch"), _f("set-by", "actor", "set_by")),
    "order": (_f("partner", "word", required=True), _f("quantity", "int", required=True),
              _f("product", "product"), _f("account", "word"), _f("expires", "date")),
    "operator": (_f("role", "role", required=True), _f("partner", "word"),
                 _f("account", "word"), _f("name", "text")),
}

KINDS = ("partner", "account", "user", "order", "operator")


@dataclass(frozen=True)
class Action:
    """One step's operation: the core's action (`SetLicense`, `AssignOrder`, ...), which
    knows its words in a scenario, or a step of many actions (`many.py`: several users,
    a revert, an import), and whether it is only tried (`dry-run`)."""

    do: ops.Action | ManyStep
    span: Span
    dry_run: bool = False


# What an expectation can be about: the step before it, or the state after it.
OUTCOME_KINDS = ("done", "unchanged", "refused", "error", "effect", "no_effect")


@dataclass(frozen=True)
class Expectation:
    """`expect ...`. `kind` is one of: done, unchanged, refused, error, effect, no_effect
    (about the step before); shows, stored, licenses, integrations, account_orders,
    order, sees, hidden (about the state after it)."""

    kind: str
    args: dict[str, Any]
    span: Span


@dataclass
class Step:
    """What the player applies at once: an operation (or none: checks only) and the
    expectations written after it, all as one operator."""

    number: int
    operator: str
    action: Action | None
    expectations: list[Expectation]
    span: Span


@dataclass(frozen=True)
class Given:
    kind: str
    id: str
    fields: dict[str, Any]
    span: Span


@dataclass(frozen=True)
class Start:
    kind: str  # demo | empty | after
    ref: str | None  # the scenario file it starts after
    span: Span


@dataclass
class Scenario:
    name: str  # the file as shown in messages
    source: str
    title: str
    cases: list[str]
    start: Start
    on: date
    language: str
    given: list[Given]
    steps: list[Step]
    path: Path | None = None
    title_span: Span | None = field(default=None, compare=False)

    @property
    def file_name(self) -> str:
        """The bare file name: transcripts never show where a file happens to be."""
        return Path(self.name).name
