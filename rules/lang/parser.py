"""Rule text → syntax tree, with errors a person can act on.

The shared front end (`syntax.py`: Lark LALR, positions kept, comments collected) does
the parsing and words its errors from this module's tables; this module turns the tree
into `ast` dataclasses.
"""

from __future__ import annotations

import re
from pathlib import Path as FsPath

from lark import Token, Transformer, v_args
from lark.exceptions import UnexpectedInput

from . import ast, limits
from .errors import Diagnostic, RuleError, Span, read_source
from .syntax import Syntax, one_of

# What a person calls each token the grammar can expect.
NAMES = {
    "NAME": "a name",
    "STRING": 'a text in double quotes',
    "INT": "a number",
    "COMPARE": "a comparison (== != < <= > >=)",
    "ADDOP": "+ or -",
    "$END": "the end of the file",
}
# A token named with its text: "unexpected name 'b'".
KINDS = {"NAME": "name", "STRING": "text", "INT": "number"}
# Tokens that can begin a value or a condition, and the ones that continue one: listed one
# by one they bury the useful part of a message, so each group is named as a whole.
_STARTS_VALUE = {"NAME", "INT", "STRING", "LPAR", "TRUE", "FALSE", "NONE"}
_CONTINUES = {"_AND", "_OR", "COMPARE", "ADDOP", "_IN", "DOT"}
_TOP_LEVEL = {"MESSAGE", "LET", "SETTING", "VIEW", "POLICY", "AFTER"}
_TOP_LEVEL_WORDS = ("message", "let", "setting", "view", "policy", "after")
# How many syntax errors one file reports before the rest is left for the next run.
MAX_SYNTAX_ERRORS = 20


def expected_text(syntax: Syntax, wanted: set[str]) -> str:
    """The expected tokens as a person would list them, groups named as a whole."""
    phrases: list[str] = []
    if len(wanted & _STARTS_VALUE) >= 4:
        phrases.append("a condition or value" if "_NOT" in wanted else "a value")
        wanted -= _STARTS_VALUE | {"_NOT"}
    if len(wanted & _CONTINUES) >= 3:
        phrases.append("more of the condition (and, or, ==, ...)")
        wanted -= _CONTINUES
    if len(wanted & _TOP_LEVEL) >= 3:
        phrases.append("a new block (message, let, setting, view, policy, after)")
        wanted -= _TOP_LEVEL
    # Brackets and commas that close a list or group add nothing a person needs here.
    if phrases:
        wanted -= {"RPAR", "RSQB", "COMMA", "MINUS"}
    phrases = sorted(syntax.human(n) for n in wanted) + phrases
    if len(phrases) > 8:
        phrases = phrases[:8] + ["…"]
    return one_of(phrases)


def _hint_for(text: str, expected: set[str]) -> str | None:
    """The most common mistakes, each with the fix spelled out."""
    if text in ("==", ":") and "EQUAL" in expected:
        return "a single `=` gives the value: `let NAME = ...`, `setting NAME = VALUE`"
    if text == "=" and "COMPARE" not in expected:
        return None
    if text == "=":
        return "compare with `==`; a single `=` only names a condition in `let NAME = ...`"
    if text in ("&&", "&"):
        return "write `and`"
    if text in ("||", "|"):
        return "write `or`"
    if text == "!":
        return "write `not` (and `!=` for 'is not equal')"
    if text.startswith("'"):
        return 'texts are written in double quotes: "like this"'
    if text.startswith('"') and not (len(text) > 1 and text.endswith('"')):
        return 'a text must end on the line it starts: add the closing `"`'
    if text in ("True", "False", "None"):
        return f"write `{text.lower()}` in lower case"
    if text[:1].isupper():
        return "names are written in lower case: letters, digits and _"
    if text == "[" and "LSQB" not in expected:
        return 'a list only follows `in`: `x in ["a", "b"]`'
    if text == "because" and "DENY" in expected:
        return "a policy's default reads `default deny because MESSAGE_KEY`"
    if "BECAUSE" in expected:
        return "a deny names the message it shows: `deny NAME when ... because MESSAGE_KEY`"
    if "SHOW" in expected and text in ("shows", "display"):
        return "write `show`"
    if "SHOW" in expected and text in ("}", "rule", "default"):
        return ("a view rule says what it shows: `show toggle on EXPR mode MODE` or "
                "`show no_licenses`")
    if "WHEN" in expected and "SHOW" not in expected:
        return "every rule states its condition: `when ...`"
    if "FROM" in expected:
        return "write `revoke PRODUCT from account.users` (or `grant PRODUCT to user`)"
    if "TO" in expected:
        return "write `grant PRODUCT to user` (or `revoke PRODUCT from account.users`)"
    if expected == {"DOT"} and text == "{":
        return "operations are named `RECORD.ACTION`, e.g. `license.set`"
    if "RBRACE" in expected and text in _TOP_LEVEL_WORDS:
        return "the block before this line is not closed: add `}`"
    if text == "}" and "RBRACE" not in expected and "$END" in expected:
        return "this `}` closes no block: remove it"
    return None


SYNTAX = Syntax("rules.lark", NAMES, KINDS, _hint_for, expected_text)


class _ToAst(Transformer):
    """Lark tree → ast dataclasses. Spans come from Lark's propagated positions."""

    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file
        # Mistakes the grammar lets through but the tree cannot hold (a field given twice).
        self.problems: list[Diagnostic] = []

    def _span(self, meta) -> Span:
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tok(self, tok: Token) -> Span:
        return Span(self.file, tok.line, tok.column, tok.end_line, tok.end_column)

    def _name(self, tok: Token) -> ast.Name:
        return ast.Name(str(tok), self._tok(tok))

    # Items
    def start(self, items):
        return list(items)

    @v_args(meta=True)
    def message(self, meta, children):
        key, *translations = children
        return ast.Message(self._name(key), tuple(translations), self._span(meta))

    @v_args(meta=True)
    def translation(self, meta, children):
        lang, text = children
        return ast.Translation(self._name(lang), unquote(text), self._span(meta))

    @v_args(meta=True)
    def let(self, meta, children):
        name, expr = children
        return ast.Let(self._name(name), expr, self._span(meta))

    @v_args(meta=True)
    def setting(self, meta, children):
        name, value = children
        return ast.Setting(self._name(name), value, self._span(meta))

    @v_args(meta=True)
    def view(self, meta, children):
        product, *rules = children
        return ast.View(self._name(product), tuple(rules), self._span(meta))

    @v_args(meta=True)
    def rule(self, meta, children):
        name, when, show = children
        return ast.ViewRule(self._name(name), when, show, self._span(meta))

    @v_args(meta=True)
    def default_show(self, meta, children):
        name, show = children
        return ast.ViewRule(self._name(name), None, show, self._span(meta))

    @v_args(meta=True)
    def show(self, meta, children):
        display, *fields = children
        given: dict[str, object] = {}
        for kind, value, span in fields:
            if kind in given:
                self.problems.append(Diagnostic(
                    "error", f"`{kind}` is given twice in one `show`", span,
                    f"keep one `{kind} ...`"))
            given[kind] = value
        return ast.Show(self._name(display), given.get("on"), given.get("mode"),
                        given.get("message"), self._span(meta))

    @v_args(meta=True)
    def show_on(self, meta, children):
        return ("on", children[0], self._span(meta))

    @v_args(meta=True)
    def show_mode(self, meta, children):
        return ("mode", self._name(children[0]), self._span(meta))

    @v_args(meta=True)
    def show_message(self, meta, children):
        return ("message", self._name(children[0]), self._span(meta))

    @v_args(meta=True)
    def policy(self, meta, children):
        op, *decisions = children
        return ast.Policy(op, tuple(decisions), self._span(meta))

    @v_args(meta=True)
    def op_name(self, meta, children):
        return ast.Name(f"{children[0]}.{children[1]}", self._span(meta))

    @v_args(meta=True)
    def allow(self, meta, children):
        name, when = children
        return ast.Decision("allow", self._name(name), when, None, self._span(meta))

    @v_args(meta=True)
    def deny(self, meta, children):
        name, when, because = children
        return ast.Decision("deny", self._name(name), when, because, self._span(meta))

    @v_args(meta=True)
    def default_deny(self, meta, children):
        (because,) = children
        name = ast.Name("default", self._span(meta))
        return ast.Decision("default", name, None, because, self._span(meta))

    def because(self, children):
        return self._name(children[0])

    def when(self, children):
        return children[0]

    def assert_kind(self, children):
        return str(children[0])

    @v_args(meta=True)
    def assert_(self, meta, children):
        kind, name, expr, because = children
        return ast.Assert(str(kind), self._name(name), expr, because, self._span(meta))

    @v_args(meta=True)
    def after(self, meta, children):
        op, *rules = children
        return ast.After(op, tuple(rules), self._span(meta))

    @v_args(meta=True)
    def consequence(self, meta, children):
        name, when, *effects = children
        return ast.Consequence(self._name(name), when, tuple(effects), self._span(meta))

    @v_args(meta=True)
    def grant(self, meta, children):
        product, target = children
        return ast.Effect("grant", self._name(product), target, self._span(meta))

    @v_args(meta=True)
    def revoke(self, meta, children):
        product, target = children
        return ast.Effect("revoke", self._name(product), target, self._span(meta))

    # Expressions
    @v_args(meta=True)
    def path(self, meta, children):
        return ast.Path(tuple(str(c) for c in children), self._span(meta))

    @v_args(meta=True)
    def or_expr(self, meta, children):
        return ast.BoolOp("or", tuple(children), self._span(meta))

    @v_args(meta=True)
    def and_expr(self, meta, children):
        return ast.BoolOp("and", tuple(children), self._span(meta))

    @v_args(meta=True)
    def not_(self, meta, children):
        return ast.Not(children[0], self._span(meta))

    @v_args(meta=True)
    def compare(self, meta, children):
        left, op, right = children
        return ast.Compare(str(op), left, right, self._span(meta))

    @v_args(meta=True)
    def in_list(self, meta, children):
        item, options = children
        return ast.InList(item, options, self._span(meta))

    def list(self, children):
        return tuple(c for c in children if c is not None)

    @v_args(meta=True)
    def arith(self, meta, children):
        left, op, right = children
        return ast.Arith(str(op), left, right, self._span(meta))

    @v_args(meta=True)
    def string(self, meta, children):
        return ast.Literal(unquote(children[0]), self._span(meta))

    @v_args(meta=True)
    def int(self, meta, children):
        return ast.Literal(int(children[0]), self._span(meta))

    @v_args(meta=True)
    def true(self, meta, children):
        return ast.Literal(True, self._span(meta))

    @v_args(meta=True)
    def false(self, meta, children):
        return ast.Literal(False, self._span(meta))

    @v_args(meta=True)
    def none(self, meta, children):
        return ast.Literal(None, self._span(meta))


_ESCAPE = re.compile(r"\\(.)")


def unquote(tok: str) -> str:
    """A text token's value: `\\n` is a line break, `\\"` a quote, `\\\\` a backslash;
    any other escaped character stands for itself."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) == "n" else m.group(1), str(tok)[1:-1])


def _top_level_lines(source: str) -> list[int]:
    """Lines (1-based) where a block starts at the left margin: where parsing can resume."""
    pattern = re.compile(r"(?:" + "|".join(_TOP_LEVEL_WORDS) + r")\b")
    return [n for n, text in enumerate(source.splitlines(), start=1) if pattern.match(text)]


def _blank_before(source: str, line: int) -> str:
    """The source with every line before `line` blanked, so positions stay true."""
    lines = source.split("\n")
    return "\n".join(" " * len(t) if n < line else t for n, t in enumerate(lines, start=1))


def parse(source: str, file: str = "<rules>") -> ast.RuleFile:
    """Parse one rule file. Raises RuleError on syntax errors: every block with an error
    reports it (parsing resumes at the next block that starts at the left margin)."""
    problems: list[Diagnostic] = []
    text, start = source, 1
    starts = _top_level_lines(source)
    while True:
        try:
            tree, comments = SYNTAX.parse(text)
        except UnexpectedInput as exc:
            problems.append(SYNTAX.diagnostic(exc, file, source))
            at = problems[-1].span.line
            # Resume at the next block; at this very line if the error is its first word
            # (a missing `}` above shows as an unexpected `view` here).
            later = [n for n in starts if n > at or (n == at > start and exc.column == 1)]
            if not later or len(problems) >= MAX_SYNTAX_ERRORS:
                break
            start = later[0]
            text = _blank_before(source, start)
            continue
        if problems:
            break
        too_big = limits.check(tree, file)
        if too_big:
            raise RuleError(too_big, {file: source})
        transformer = _ToAst(file)
        items = transformer.transform(tree)
        if transformer.problems:
            raise RuleError(transformer.problems, {file: source})
        return ast.RuleFile(file, source, items, [
            ast.Comment(str(c).rstrip(), c.line, c.column) for c in comments])
    raise RuleError(problems, {file: source})


def parse_file(path: FsPath, display: str | None = None) -> ast.RuleFile:
    name = display or str(path)
    return parse(read_source(path, name, "rule file"), name)
