"""Evaluate a condition step by step, recording every value it saw, for "why".

The compiled functions decide; this walks the same tree only when a person asks why. A
condition becomes a list of steps, one per part joined by `and` / `or`, each with its
value, the record values it read and its span; a named condition (`let`) is a step whose
children are the parts of its definition. Nothing short-circuits here: an explanation
shows every part of a rule, and marks the ones the decision did not need.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..i18n import t
from . import ast
from .errors import Span
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


def condition_steps(
    e: ast.Expr, c: Mapping[str, object], lets: Mapping[str, ast.Let], roots: frozenset[str]
) -> tuple[object, list[Step]]:
    """The value of a rule's condition and its parts as steps, in source order."""
    tracer = _Tracer(c, lets, roots)
    value = tracer.value(e)
    return value, tracer.parts(e)


# The name `trace` is what the engine imports; it is the same walk.
trace = condition_steps


class _Tracer:
    def __init__(self, c: Mapping[str, object], lets: Mapping[str, ast.Let],
                 roots: frozenset[str]) -> None:
        self.c, self.lets, self.roots = c, lets, roots

    def _let(self, e: ast.Expr) -> ast.Let | None:
        if isinstance(e, ast.Path) and len(e.parts) == 1 and e.parts[0] not in self.roots:
            return self.lets.get(e.parts[0])
        return None

    def value(self, e: ast.Expr) -> object:
        if isinstance(e, ast.Path):
            let = self._let(e)
            if let is not None:
                return self.value(let.expr)
            value: object = self.c[e.parts[0]]
            for p in e.parts[1:]:
                value = value[p]  # type: ignore[index]
            return value
        if isinstance(e, ast.Literal):
            return e.value
        if isinstance(e, ast.Not):
            return not self.value(e.operand)
        if isinstance(e, ast.BoolOp):
            values = [self.value(o) for o in e.operands]
            return all(values) if e.op == "and" else any(values)
        if isinstance(e, ast.InList):
            item = self.value(e.item)
            return item in [self.value(o) for o in e.options]
        if isinstance(e, ast.Arith):
            a, b = self.value(e.left), self.value(e.right)
            return a + b if e.op == "+" else a - b  # type: ignore[operator]
        if isinstance(e, ast.Compare):
            return _compare(e.op, self.value(e.left), self.value(e.right))
        raise TypeError(e)

    def parts(self, e: ast.Expr) -> list[Step]:
        """The parts of a condition joined by its outermost `and` / `or`, as steps."""
        if isinstance(e, ast.BoolOp):
            steps = [self.step(o) for o in e.operands]
            _mark_needed(e.op, steps)
            return steps
        return [self.step(e)]

    def step(self, e: ast.Expr) -> Step:
        value = self.value(e)
        let = self._let(e)
        if let is not None:
            body = let.expr
            return Step(e.parts[0], value, let.span, self.parts(body),  # type: ignore[union-attr]
                        kind="let", joined=body.op if isinstance(body, ast.BoolOp) else None)
        step = Step(unparse(e), value, e.span, seen=self.seen(e), filled=self.filled(e))
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


def _mark_needed(op: str, steps: list[Step]) -> None:
    """After the first false part of an `and` (true part of an `or`) the rest was not
    needed: the compiled rule never evaluates it."""
    decided = False
    for s in steps:
        s.needed = not decided
        if bool(s.value) is (op == "or"):
            decided = True


def _compare(op: str, a: object, b: object) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b  # type: ignore[operator]
    if op == "<=":
        return a <= b  # type: ignore[operator]
    if op == ">":
        return a > b  # type: ignore[operator]
    return a >= b  # type: ignore[operator]
