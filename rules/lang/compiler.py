"""Compile checked expressions to Python functions, once per load: the fast way to run
the one evaluation (`evaluate.py` holds what the words mean and the traced way).

Each condition becomes one `lambda c: ...` over the context dict (`c["account"]
["integrations"]["micollab"]`), with `let`s inlined, so a decision costs what the same
test written by hand in Python costs: no tree is walked per decision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from . import ast
from .evaluate import OPERATORS, let_of

Compiled = Callable[[Mapping[str, object]], object]


def to_python(e: ast.Expr, lets: Mapping[str, ast.Let], roots: frozenset[str]) -> str:
    if isinstance(e, ast.Path):
        let = let_of(e, lets, roots)
        if let is not None:
            return to_python(let.expr, lets, roots)
        head, *rest = e.parts
        return f"c[{head!r}]" + "".join(f"[{p!r}]" for p in rest)
    if isinstance(e, ast.Literal):
        return repr(e.value)
    if isinstance(e, ast.Not):
        return f"(not {to_python(e.operand, lets, roots)})"
    if isinstance(e, ast.BoolOp):
        return "(" + f" {e.op} ".join(to_python(o, lets, roots) for o in e.operands) + ")"
    if isinstance(e, ast.InList):
        options = ", ".join(to_python(o, lets, roots) for o in e.options)
        return f"({to_python(e.item, lets, roots)} in ({options},))"
    if isinstance(e, ast.Compare | ast.Arith) and e.op in OPERATORS:
        # The operator written infix is the Python operator `OPERATORS` calls.
        return f"({to_python(e.left, lets, roots)} {e.op} {to_python(e.right, lets, roots)})"
    raise TypeError(e)


def compile_expr(
    e: ast.Expr, lets: Mapping[str, ast.Let], roots: frozenset[str], label: str
) -> Compiled:
    source = f"lambda c: {to_python(e, lets, roots)}"
    return eval(compile(source, label, "eval"), {"__builtins__": {}})  # noqa: S307
