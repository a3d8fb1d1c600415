"""Evaluate a condition step by step, recording every value it saw, for "why".

The compiled functions decide; this walks the same tree only when a person asks why,
and records each comparison, flag and named condition with its value and its span.
Nothing short-circuits here: an explanation shows every condition of a rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import ast
from .errors import Span
from .printer import literal, unparse


@dataclass
class Step:
    text: str
    value: object
    span: Span
    children: list[Step] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "value": self.value,
            "at": str(self.span),
            "steps": [c.as_dict() for c in self.children],
        }

    def lines(self, indent: int = 0) -> list[str]:
        out = [f"{'  ' * indent}{self.text}  →  {literal(self.value)}"]
        for c in self.children:
            out.extend(c.lines(indent + 1))
        return out


def trace(
    e: ast.Expr, c: Mapping[str, object], lets: Mapping[str, ast.Let], roots: frozenset[str]
) -> tuple[object, list[Step]]:
    """The value of `e` and the steps that produced it, leaves first in source order."""
    if isinstance(e, ast.Path):
        head, *rest = e.parts
        if head not in roots and head in lets:
            value, inner = trace(lets[head].expr, c, lets, roots)
            return value, [Step(head, value, e.span, inner)]
        value = c[head]
        for p in rest:
            value = value[p]  # type: ignore[index]
        return value, [Step(e.text, value, e.span)]
    if isinstance(e, ast.Literal):
        return e.value, []
    if isinstance(e, ast.Not):
        value, steps = trace(e.operand, c, lets, roots)
        return (not value), steps
    if isinstance(e, ast.BoolOp):
        values, steps = [], []
        for o in e.operands:
            v, s = trace(o, c, lets, roots)
            values.append(v)
            steps.extend(s)
        result = all(values) if e.op == "and" else any(values)
        return result, steps
    if isinstance(e, ast.Compare | ast.InList | ast.Arith):
        parts = (e.left, e.right) if not isinstance(e, ast.InList) else (e.item, *e.options)
        inner: list[Step] = []
        values = []
        for p in parts:
            v, s = trace(p, c, lets, roots)
            values.append(v)
            inner.extend(s)
        if isinstance(e, ast.InList):
            value = values[0] in values[1:]
        elif isinstance(e, ast.Arith):
            value = values[0] + values[1] if e.op == "+" else values[0] - values[1]
            return value, inner
        else:
            value = _compare(e.op, values[0], values[1])
        return value, [Step(unparse(e), value, e.span, inner)]
    raise TypeError(e)


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
