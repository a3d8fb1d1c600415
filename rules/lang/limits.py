"""Limits on what one rule file may hold, checked on the parse tree before anything walks
it: the checker, compiler, formatter and explain recurse over expressions, and Python
turns a 5,000-digit number into an int only under protest. A file beyond a limit gets a
located error, never a crash (nor, on hot reload, a console that goes down with it).
"""

from __future__ import annotations

from lark import Token, Tree

from .errors import Diagnostic, Span

# Deeper than any rule a person writes (the shipped ones nest 6 levels), far below
# Python's recursion limit even for the walkers that use several frames per level.
MAX_DEPTH = 100
# Counts of licenses, users and orders: 18 digits is more than any store will hold.
MAX_DIGITS = 18
# One text (a message, a name compared with): a screen line is far shorter.
MAX_TEXT = 10_000


def check(tree: Tree, file: str) -> list[Diagnostic]:
    """Every limit the tree exceeds, located; an iterative walk (no recursion)."""
    problems: list[Diagnostic] = []
    stack: list[tuple[Tree | Token, int]] = [(tree, 0)]
    deep_reported = False
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Token):
            problems.extend(_token(node, file))
            continue
        if depth > MAX_DEPTH:
            if not deep_reported:
                meta = node.meta
                problems.append(Diagnostic(
                    "error", f"this expression is nested more than {MAX_DEPTH} levels deep",
                    Span(file, meta.line, meta.column, meta.line, meta.column + 1),
                    "split it into named conditions (`let NAME = ...`)"))
                deep_reported = True
            continue
        stack.extend((child, depth + 1) for child in node.children
                     if isinstance(child, Tree | Token))
    return problems


def _token(tok: Token, file: str) -> list[Diagnostic]:
    span = Span(file, tok.line or 1, tok.column or 1, tok.end_line or tok.line or 1,
                (tok.end_column or (tok.column or 1) + 1))
    if tok.type == "INT" and len(tok.lstrip("-")) > MAX_DIGITS:
        return [Diagnostic("error", f"this number has {len(tok.lstrip('-'))} digits; at most "
                           f"{MAX_DIGITS} are allowed", span,
                           "no count the rules compare with is that large")]
    if tok.type == "STRING" and len(tok) > MAX_TEXT:
        return [Diagnostic("error", f"this text is {len(tok)} characters long; at most "
                           f"{MAX_TEXT} are allowed", span)]
    return []
