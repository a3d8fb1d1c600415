"""The rule language's syntax tree: plain dataclasses, each node with its source span."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import Span

# Expressions ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Path:
    """`account.integrations.micollab`, or a single name (a parameter or a `let`)."""

    parts: tuple[str, ...]
    span: Span

    @property
    def text(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True, slots=True)
class Literal:
    value: bool | int | str | None
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class BoolOp:
    op: str  # "and" | "or"
    operands: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # == != < <= > >=
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class InList:
    item: Expr
    options: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Arith:
    op: str  # + -
    left: Expr
    right: Expr
    span: Span


Expr = Path | Literal | Not | BoolOp | Compare | InList | Arith


def children(e: Expr) -> tuple[Expr, ...]:
    """The sub-expressions of `e`, in source order (none for a path or a literal)."""
    if isinstance(e, Not):
        return (e.operand,)
    if isinstance(e, BoolOp):
        return e.operands
    if isinstance(e, Compare | Arith):
        return (e.left, e.right)
    if isinstance(e, InList):
        return (e.item, *e.options)
    return ()


# Items ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Name:
    """A name written in the source (a rule, a message key, a mode), with where it stands."""

    value: str
    span: Span


@dataclass(frozen=True, slots=True)
class Translation:
    lang: Name
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Message:
    key: Name
    translations: tuple[Translation, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Let:
    name: Name
    expr: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Setting:
    """`setting expiring_days = 30`: a named policy value the product reads. The value is
    parsed as an expression so the checker can say what is wrong with one that is not a
    plain value (a syntax error could only say "unexpected")."""

    name: Name
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Show:
    display: Name  # toggle | no_licenses
    on: Expr | None
    mode: Name | None
    message: Name | None
    span: Span


@dataclass(frozen=True, slots=True)
class ViewRule:
    name: Name
    when: Expr | None  # None: the default
    show: Show
    span: Span

    @property
    def is_default(self) -> bool:
        return self.when is None


@dataclass(frozen=True, slots=True)
class View:
    product: Name
    rules: tuple[ViewRule, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Decision:
    effect: str  # "allow" | "deny" | "default"
    name: Name
    when: Expr | None
    because: Name | None
    span: Span


@dataclass(frozen=True, slots=True)
class Policy:
    op: Name  # e.g. license.set
    decisions: tuple[Decision, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Effect:
    action: str  # "grant" | "revoke"
    product: Name
    target: Path
    span: Span


@dataclass(frozen=True, slots=True)
class Consequence:
    name: Name
    when: Expr
    effects: tuple[Effect, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class After:
    op: Name
    rules: tuple[Consequence, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Assert:
    """`assert never NAME { expr } because KEY`: a property `rules verify` proves."""

    kind: str  # "never" | "always"
    name: Name
    expr: Expr
    because: Name
    span: Span


Item = Message | Let | Setting | View | Policy | After | Assert


@dataclass(frozen=True, slots=True)
class Comment:
    text: str
    line: int
    column: int


@dataclass(slots=True)
class RuleFile:
    path: str
    source: str
    items: list[Item]
    comments: list[Comment] = field(default_factory=list)
