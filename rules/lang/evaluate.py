"""What a condition means: the one evaluation of the rule language, run two ways.

Decisions run conditions compiled to Python (`compiler.py`): no tree is walked, nothing is
recorded. When a person asks why, or a rule test measures coverage, the same conditions
run here, traced: every part is evaluated and handed to observers with its value, as
OPA's coverage and explanations observe its one evaluator. Both ways share what the
language's words mean, written once below: the operators, what a single name refers to
(a `let` unless it is a record), and `and` / `or` short-circuiting. The property test
`tests/language/test_evaluator.py` holds both ways to the same answers.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from . import ast

# The language's operators are Python's, applied to the record values as they are: the
# compiled rules write them infix, the traced evaluation calls these functions.
OPERATORS: dict[str, Callable[[object, object], object]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge, "+": operator.add, "-": operator.sub,
}


def let_of(e: ast.Expr, lets: Mapping[str, ast.Let], roots: frozenset[str]) -> ast.Let | None:
    """The named condition a single name stands for (a record of the context wins)."""
    if isinstance(e, ast.Path) and len(e.parts) == 1 and e.parts[0] not in roots:
        return lets.get(e.parts[0])
    return None


class Observer(Protocol):
    """Told every part of a condition as the traced evaluation finds its value."""

    def value(self, e: ast.Expr, value: object, needed: bool, live: bool) -> None:
        """`needed`: False when an earlier part of the enclosing `and` / `or` had decided;
        `live`: the compiled rule evaluates this part too (no enclosing part was skipped)."""


class RuleObserver(Observer, Protocol):
    """Also told which rules a question asked (in the engine's order) and which held."""

    def rule(self, where: str, name: str, held: bool) -> None: ...


class Evaluation:
    """A traced evaluation over one context. Every part is evaluated, even those the
    compiled rule skips (an explanation shows what they would have said); the value of a
    condition is the compiled one, since skipped parts never change it. The checker lets
    through only operations that work on any values of their types, so evaluating a
    skipped part cannot fail where the compiled rule would not."""

    def __init__(self, c: Mapping[str, object], lets: Mapping[str, ast.Let],
                 roots: frozenset[str], observers: Sequence[Observer] = ()) -> None:
        self.c, self.lets, self.roots, self.observers = c, lets, roots, observers

    def let(self, e: ast.Expr) -> ast.Let | None:
        return let_of(e, self.lets, self.roots)

    def run(self, e: ast.Expr, live: bool = True) -> object:
        """The value of `e`; `live=False` for a rule the question never asked."""
        return self._eval(e, True, live)

    def _eval(self, e: ast.Expr, needed: bool, live: bool) -> object:
        value: object
        if isinstance(e, ast.Path):
            let = self.let(e)
            if let is not None:
                value = self._eval(let.expr, True, live)
            else:
                value = self.c[e.parts[0]]
                for p in e.parts[1:]:
                    value = value[p]  # type: ignore[index]
        elif isinstance(e, ast.Literal):
            value = e.value
        elif isinstance(e, ast.Not):
            value = not self._eval(e.operand, True, live)
        elif isinstance(e, ast.BoolOp):
            # Python's `and` / `or`, as compiled: the first part that decides, else the last.
            stop = e.op == "or"
            decided = False
            value = None
            for o in e.operands:
                v = self._eval(o, not decided, live and not decided)
                if not decided:
                    value = v
                    decided = bool(v) is stop
        elif isinstance(e, ast.InList):
            item = self._eval(e.item, True, live)
            value = item in tuple(self._eval(o, True, live) for o in e.options)
        elif isinstance(e, ast.Compare | ast.Arith):
            left = self._eval(e.left, True, live)
            value = OPERATORS[e.op](left, self._eval(e.right, True, live))
        else:  # pragma: no cover - the parser makes nothing else
            raise TypeError(e)
        for o in self.observers:
            o.value(e, value, needed, live)
        return value
