"""Rule files in one canonical layout (`miteam rules fmt`), comments kept.

The layout, so that a diff shows what changed and never how it was typed:
- one blank line between top-level blocks; inside a block, the author's blank lines between
  rules are kept (at most one), none after `{` or before `}`;
- two spaces per level; a view rule reads `rule NAME` / `when ...` / `show ...`, a deny
  `deny NAME` / `when ...` / `because KEY`; an allow stays on one line when it fits;
- a condition longer than the line is broken before `and` / `or`, continuation lines
  indented two more; `and` inside `or` and a comparison under `not` get parentheses, other
  parentheses only where binding needs them;
- texts are kept exactly as written (escapes included).

Comments are not in the syntax tree, so they are woven back by line: a comment on a line of
its own stays before the same line of code, indented like it; a comment after code stays at
the end of that code's line. Formatting formatted text changes nothing (tests hold this over
every shipped file and over generated ones).
"""

from __future__ import annotations

import bisect
import difflib
from dataclasses import dataclass, field

from . import ast
from .parser import parse
from .printer import literal

WIDTH = 100
INDENT = "  "

# Binding strength, loosest first (as the grammar reads it).
_OR, _AND, _NOT, _COMPARE, _ARITH, _ATOM = range(1, 7)


@dataclass
class _Piece:
    """One output line of code, with the source line of its first token."""

    indent: int
    text: str
    line: int
    starts: str | None = None  # "item" | "member": a statement begins here
    opens: bool = False  # ends with `{`
    closes: bool = False  # is a `}`
    comments: list[str] = field(default_factory=list)  # trailing, at most one kept here


@dataclass
class _Note:
    """A comment on a line of its own, as it is written out."""

    indent: int
    text: str
    line: int
    demoted: bool = False  # was a second trailing comment of one line of output


def format_source(source: str, file: str = "<rules>") -> str:
    """Canonical text of one rule file. Raises RuleError if it does not parse."""
    return format_file(parse(source, file))


def format_file(rf: ast.RuleFile) -> str:
    layout = _Layout(rf.source)
    pieces: list[_Piece] = []
    for item in rf.items:
        pieces.extend(layout.item(item))
    return _weave(pieces, rf.comments, rf.source.split("\n"))


def diff(old: str, new: str, path: str) -> str:
    """A unified diff, as `miteam rules fmt --diff` prints it."""
    return "".join(difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile=f"{path} (as written)", tofile=f"{path} (formatted)"))


# Layout -----------------------------------------------------------------------


def _level(e: ast.Expr) -> int:
    if isinstance(e, ast.BoolOp):
        return _OR if e.op == "or" else _AND
    if isinstance(e, ast.Not):
        return _NOT
    if isinstance(e, ast.Compare | ast.InList):
        return _COMPARE
    if isinstance(e, ast.Arith):
        return _ARITH
    return _ATOM


def _needs_parens(child: ast.Expr, parent: ast.Expr, right: bool = False) -> bool:
    """Parentheses the grammar needs, plus two that readers need: `(a and b) or c`
    and `not (a == b)`."""
    level = _level(child)
    if isinstance(parent, ast.BoolOp):
        if parent.op == "or" and isinstance(child, ast.BoolOp) and child.op == "and":
            return True
        # Same-operator nesting is written flat (`a and b and c`); the tree is the same.
        return level < _level(parent)
    if isinstance(parent, ast.Not):
        return level < _ATOM and not isinstance(child, ast.Not)
    if isinstance(parent, ast.Compare | ast.InList):
        return level < _ARITH
    if isinstance(parent, ast.Arith):
        return level < (_ATOM if right else _ARITH)
    return False


def _flat(e: ast.BoolOp) -> list[ast.Expr]:
    """`a and (b and c)` as written out: `a and b and c`, three operands to break at."""
    out: list[ast.Expr] = []
    for o in e.operands:
        if isinstance(o, ast.BoolOp) and o.op == e.op:
            out.extend(_flat(o))
        else:
            out.append(o)
    return out


class _Layout:
    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = [0]
        for n, ch in enumerate(source):
            if ch == "\n":
                self.starts.append(n + 1)

    def raw(self, span) -> str:
        """The source text of a span (texts are written back exactly as typed)."""
        begin = self.starts[span.line - 1] + span.column - 1
        end = self.starts[span.end_line - 1] + span.end_column - 1
        return self.source[begin:end]

    # Expressions, on one line
    def text(self, e: ast.Expr) -> str:
        def sub(child: ast.Expr, right: bool = False) -> str:
            t = self.text(child)
            return f"({t})" if _needs_parens(child, e, right) else t

        if isinstance(e, ast.Path):
            return e.text
        if isinstance(e, ast.Literal):
            if isinstance(e.value, str):
                return self.raw(e.span)
            return literal(e.value)
        if isinstance(e, ast.Not):
            return "not " + sub(e.operand)
        if isinstance(e, ast.BoolOp):
            return f" {e.op} ".join(sub(o) for o in e.operands)
        if isinstance(e, ast.Compare):
            return f"{sub(e.left)} {e.op} {sub(e.right)}"
        if isinstance(e, ast.InList):
            return f"{sub(e.item)} in [{', '.join(self.text(o) for o in e.options)}]"
        if isinstance(e, ast.Arith):
            return f"{sub(e.left)} {e.op} {sub(e.right, right=True)}"
        raise TypeError(e)

    # Expressions, broken to fit
    def expr(self, prefix: str, e: ast.Expr, indent: int, line: int,
             starts: str | None = None) -> list[_Piece]:
        """`prefix` then `e`, at `indent`: one line if it fits, else broken before each
        `and` / `or`, continuation lines one level deeper (two for a nested group)."""
        out = [_Piece(at, t, n) for at, t, n in self._broken(prefix, e, "", indent, indent + 1)]
        out[0].line, out[0].starts = line, starts
        return out

    def _broken(self, prefix: str, e: ast.Expr, suffix: str, indent: int,
                cont: int) -> list[tuple[int, str, int]]:
        """Lines (level, text, source line) for `e` starting at `indent`, its `and` / `or`
        lines at `cont`."""
        one = prefix + self.text(e) + suffix
        if len(INDENT) * indent + len(one) <= WIDTH:
            return [(indent, one, e.span.line)]
        if isinstance(e, ast.Not) and isinstance(e.operand, ast.BoolOp):
            return self._broken(prefix + "not (", e.operand, ")" + suffix, indent, cont)
        if not isinstance(e, ast.BoolOp):
            return [(indent, one, e.span.line)]
        out: list[tuple[int, str, int]] = []
        operands = _flat(e)
        last = len(operands) - 1
        for i, o in enumerate(operands):
            pre = prefix if i == 0 else f"{e.op} "
            at = indent if i == 0 else cont
            end = suffix if i == last else ""
            if _needs_parens(o, e):
                out.extend(self._broken(pre + "(", o, ")" + end, at, cont + 1))
            else:
                out.extend(self._broken(pre, o, end, at, cont))
        return out

    # Blocks
    def item(self, item: ast.Item) -> list[_Piece]:
        if isinstance(item, ast.Let):
            return self.expr(f"let {item.name.value} = ", item.expr, 0, item.span.line, "item")
        if isinstance(item, ast.Setting):
            return self.expr(f"setting {item.name.value} = ", item.value, 0, item.span.line,
                             "item")
        if isinstance(item, ast.Assert):
            return [_Piece(0, f"assert {item.kind} {item.name.value} {{", item.span.line,
                           "item", opens=True),
                    *self.expr("", item.expr, 1, item.expr.span.line),
                    _Piece(0, f"}} because {item.because.value}", item.because.span.line,
                           closes=True)]
        if isinstance(item, ast.Message):
            head, members = f"message {item.key.value}", [self.translation(t)
                                                          for t in item.translations]
        elif isinstance(item, ast.View):
            head, members = f"view {item.product.value}", [self.view_rule(r)
                                                           for r in item.rules]
        elif isinstance(item, ast.Policy):
            head, members = f"policy {item.op.value}", [self.decision(d)
                                                        for d in item.decisions]
        elif isinstance(item, ast.After):
            head, members = f"after {item.op.value}", [self.consequence(c)
                                                       for c in item.rules]
        else:  # pragma: no cover - the parser makes nothing else
            raise TypeError(item)
        out = [_Piece(0, head + " {", item.span.line, "item", opens=True)]
        for member in members:
            member[0].starts = "member"
            out.extend(member)
        out.append(_Piece(0, "}", item.span.end_line, closes=True))
        return out

    def translation(self, t: ast.Translation) -> list[_Piece]:
        raw = self.raw(t.span)
        return [_Piece(1, f"{t.lang.value} {raw[raw.index(chr(34)):]}", t.span.line)]

    def view_rule(self, r: ast.ViewRule) -> list[_Piece]:
        if r.when is None:
            out = [_Piece(1, f"default {r.name.value}", r.span.line)]
        else:
            out = [_Piece(1, f"rule {r.name.value}", r.span.line),
                   *self.expr("when ", r.when, 2, r.when.span.line)]
        s = r.show
        text = f"show {s.display.value}"
        if s.on is not None:
            text += f" on {self.text(s.on)}"
        if s.mode is not None:
            text += f" mode {s.mode.value}"
        if s.message is not None:
            text += f" message {s.message.value}"
        out.append(_Piece(2, text, s.span.line))
        return out

    def decision(self, d: ast.Decision) -> list[_Piece]:
        if d.effect == "default":
            assert d.because is not None
            return [_Piece(1, f"default deny because {d.because.value}", d.span.line)]
        assert d.when is not None
        head = f"{d.effect} {d.name.value}"
        if d.effect == "allow":
            one = f"{head} when {self.text(d.when)}"
            if len(INDENT) + len(one) <= WIDTH:
                return [_Piece(1, one, d.span.line)]
        out = [_Piece(1, head, d.span.line), *self.expr("when ", d.when, 2, d.when.span.line)]
        if d.because is not None:
            out.append(_Piece(2, f"because {d.because.value}", d.because.span.line))
        return out

    def consequence(self, c: ast.Consequence) -> list[_Piece]:
        out = [_Piece(1, f"rule {c.name.value}", c.span.line),
               *self.expr("when ", c.when, 2, c.when.span.line)]
        for e in c.effects:
            word = "to" if e.action == "grant" else "from"
            out.append(_Piece(2, f"{e.action} {e.product.value} {word} {e.target.text}",
                              e.span.line))
        return out


# Comments and blank lines -------------------------------------------------------


def _weave(pieces: list[_Piece], comments: list[ast.Comment], src: list[str]) -> str:
    """Put the comments back between the formatted lines, and the blank lines between
    statements, by source line (see the module docstring)."""
    lines = [p.line for p in pieces]  # never decreasing: the layout keeps source order
    before: dict[int, list[_Note]] = {}  # index of a piece (len(pieces): the end) → notes

    def note_before(index: int, note: _Note) -> None:
        if index < len(pieces):
            p = pieces[index]
            note.indent = p.indent + 1 if p.closes else p.indent
        else:
            note.indent = 0
        before.setdefault(index, []).append(note)

    for c in sorted(comments, key=lambda c: (c.line, c.column)):
        own_line = not src[c.line - 1][: c.column - 1].strip()
        if own_line:
            note_before(bisect.bisect_right(lines, c.line), _Note(0, c.text, c.line))
            continue
        index = max(0, bisect.bisect_right(lines, c.line) - 1)
        if pieces and not pieces[index].comments:
            pieces[index].comments.append(c.text)
        else:  # one line of output holds one comment; the next goes on the line below
            note_before(index + 1, _Note(0, c.text, c.line, demoted=True))

    def blank_in_source(line: int, previous: int | None) -> bool:
        return (previous is not None and previous < line - 1 and line >= 2
                and not src[line - 2].strip())

    out: list[str] = []
    previous_line: int | None = None
    previous_opens = False

    def emit(indent: int, text: str, blank: bool) -> None:
        if blank and out and not previous_opens:
            out.append("")
        out.append(INDENT * indent + text)

    for index in range(len(pieces) + 1):
        notes = sorted(before.get(index, []), key=lambda n: n.line)
        piece = pieces[index] if index < len(pieces) else None
        # A top-level block (with the comments right above it) is set off by a blank line.
        forced = piece is not None and piece.starts == "item"
        for k, note in enumerate(notes):
            blank = (forced and k == 0) or (
                not note.demoted and blank_in_source(note.line, previous_line))
            emit(note.indent, note.text, blank)
            previous_line, previous_opens = note.line, False
        if piece is None:
            break
        blank = False
        if piece.starts is not None and not piece.closes:
            blank = (forced and not notes) or blank_in_source(piece.line, previous_line)
        text = piece.text + (f"  {piece.comments[0]}" if piece.comments else "")
        emit(piece.indent, text, blank)
        previous_line, previous_opens = piece.line, piece.opens
    return "\n".join(out) + "\n" if out else ""
