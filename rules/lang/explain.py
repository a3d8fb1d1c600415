"""A condition as a person reads it: its parts as steps, with the values they had.

The steps are drawn from one traced evaluation (`evaluate.Evaluation`), observed by a
`Record`: a condition becomes a list of steps, one per part joined by `and` / `or`, each
with its value, the record values it read and its span; a named condition (`let`) is a
step whose children are the parts of its definition. An explanation shows every part of
a rule, and marks the ones the decision did not need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import t
from . import ast
from .errors import Span
from .evaluate import Evaluation
from .printer import literal, unparse


@dataclass
class Step:
    """One part of a condition as evaluated: `account.licenses.miteam.available <= 0`,
    true, having read `account.licenses.miteam.available` = 0."""

    text: str
    value: object
    span: Span
    children: list[Step] = field(default_factory=list)
    seen: list[tuple[str, object]] = field(default_factory=list)  # record values read
    kind: str = "condition"  # condition | let (a named condition) | group (parentheses)
    joined: str | None = None  # how the children combine: "and" | "or"
    needed: bool = True  # False: `and`/`or` had decided before this part was reached
    filled: str = ""  # the condition with the values it read put in, for a person

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "value": self.value,
            "at": str(self.span),
            "kind": self.kind,
            "joined": self.joined,
            "needed": self.needed,
            "seen": [{"path": p, "value": v} for p, v in self.seen],
            "filled": self.filled,
            "steps": [c.as_dict() for c in self.children],
        }

    def lines(self, indent: int = 0, file: str | None = None, lang: str = "en") -> list[str]:
        """Compact text: `text  →  value   (values read)   where`, parts indented below.
        `file`: the file of the enclosing rule; a step there shows just its line."""
        parts = [f"{self.text}  →  {literal(self.value)}"]
        shown = _seen_text(self)
        if shown:
            parts.append(f"({shown})")
        if self.kind == "let" and self.joined:
            parts.append(t("x_any_of" if self.joined == "or" else "x_all_of", lang))
        parts.append(_where(self.span, file, lang))
        if not self.needed:
            parts.append(t("x_not_needed", lang))
        lines = ["  " * indent + "   ".join(parts)]
        for c in self.children:
            lines.extend(c.lines(indent + 1, self.span.file, lang))
        return lines


def _where(span: Span, file: str | None, lang: str) -> str:
    return t("x_line", lang, line=span.line) if span.file == file else \
        f"{span.file}:{span.line}"


def _seen_text(step: Step) -> str:
    """The values a condition read, unless the condition is just that value: one value
    alone (`(0)`), several as the condition with the values put in (`("p-1" == "p-2")`)."""
    if not step.seen or (len(step.seen) == 1 and step.seen[0][0] == step.text):
        return ""
    if len(step.seen) == 1:
        return literal(step.seen[0][1])
    return step.filled or ", ".join(f"{p} = {literal(v)}" for p, v in step.seen)


class Record:
    """The observer an explanation reads: the value and neededness of every part of a
    condition, from one traced evaluation (keyed by node: a `let`'s parts have one value
    in one context, however often it is used)."""

    def __init__(self) -> None:
        self.values: dict[int, object] = {}
        self.needed: dict[int, bool] = {}

    def value(self, e: ast.Expr, value: object, needed: bool, live: bool) -> None:
        self.values[id(e)] = value
        self.needed[id(e)] = needed


def condition_steps(e: ast.Expr, evaluation: Evaluation, record: Record) -> list[Step]:
    """A rule's condition, once `evaluation` has run it with `record` observing, as steps
    in source order."""
    return _Steps(evaluation, record).parts(e)


class _Steps:
    def __init__(self, evaluation: Evaluation, record: Record) -> None:
        self.evaluation, self.record = evaluation, record
        self._let = evaluation.let

    def value(self, e: ast.Expr) -> object:
        return self.record.values[id(e)]

    def parts(self, e: ast.Expr) -> list[Step]:
        """The parts of a condition joined by its outermost `and` / `or`, as steps."""
        if isinstance(e, ast.BoolOp):
            return [self.step(o) for o in e.operands]
        return [self.step(e)]

    def step(self, e: ast.Expr) -> Step:
        value = self.value(e)
        needed = self.record.needed[id(e)]
        let = self._let(e)
        if let is not None:
            body = let.expr
            return Step(e.parts[0], value, let.span, self.parts(body),  # type: ignore[union-attr]
                        kind="let", joined=body.op if isinstance(body, ast.BoolOp) else None,
                        needed=needed)
        step = Step(unparse(e), value, e.span, seen=self.seen(e), filled=self.filled(e),
                    needed=needed)
        if isinstance(e, ast.BoolOp):
            step.kind, step.joined = "group", e.op
            step.children = self.parts(e)
            step.seen = []
        elif isinstance(e, ast.Not) and (self._let(e.operand) is not None
                                         or isinstance(e.operand, ast.BoolOp)):
            step.children = [self.step(e.operand)]
            step.seen = []
        else:
            step.children = [self.step(p) for p in self._lets_inside(e)]
        return step

    def filled(self, e: ast.Expr) -> str:
        """`account.partner == operator.partner` as `"p-1" == "p-2"`."""
        def sub(x: ast.Expr) -> ast.Expr:
            if isinstance(x, ast.Path):
                return ast.Literal(self.value(x), x.span)  # type: ignore[arg-type]
            if isinstance(x, ast.Not):
                return ast.Not(sub(x.operand), x.span)
            if isinstance(x, ast.BoolOp):
                return ast.BoolOp(x.op, tuple(sub(o) for o in x.operands), x.span)
            if isinstance(x, ast.Compare):
                return ast.Compare(x.op, sub(x.left), sub(x.right), x.span)
            if isinstance(x, ast.Arith):
                return ast.Arith(x.op, sub(x.left), sub(x.right), x.span)
            if isinstance(x, ast.InList):
                return ast.InList(sub(x.item), tuple(sub(o) for o in x.options), x.span)
            return x

        return unparse(sub(e))

    def seen(self, e: ast.Expr) -> list[tuple[str, object]]:
        """Record values the expression reads directly (not through a `let`)."""
        out: dict[str, object] = {}

        def walk(x: ast.Expr) -> None:
            if isinstance(x, ast.Path):
                if self._let(x) is None and x.text not in out:
                    out[x.text] = self.value(x)
            for c in ast.children(x):
                walk(c)

        walk(e)
        return list(out.items())

    def _lets_inside(self, e: ast.Expr) -> list[ast.Path]:
        found: list[ast.Path] = []

        def walk(x: ast.Expr) -> None:
            if isinstance(x, ast.Path):
                if self._let(x) is not None:
                    found.append(x)
            elif not isinstance(x, ast.BoolOp):  # an and/or explains its own parts
                for c in ast.children(x):
                    walk(c)

        walk(e)
        return found


