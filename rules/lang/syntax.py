"""One syntax front end for the product's three grammars (rule files, rule tests,
scenarios): a Lark LALR parser built once per grammar, comments collected by the lexer,
and syntax errors in a person's words.

A `Syntax` takes a grammar, a table of what a person calls its terminals and a hint
function (the common mistakes, each with its fix); each parser keeps only its Transformer
and those tables. Errors follow one shape: `unexpected X; expected Y` at file:line:col,
the expected tokens named by what a person calls them (`'when'`, `a name`, never
`__ANON_3`), groups of them named as a whole, and a hint.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..paths import GRAMMAR_DIR
from . import larkcache
from .errors import Diagnostic, Span

Hint = Callable[[str, set[str]], "str | None"]


class WholeWords:
    """Lark post-lexer whose only job is `always_accept`: a name is lexed as a whole word in
    every parser state, so `shows` or `andx` is never read as the keyword `show` or `and`
    followed by the rest (Lark's contextual lexer would otherwise try only the keywords
    the state expects)."""

    def __init__(self, name: str = "NAME") -> None:
        self.always_accept = (name,)

    def process(self, stream):
        return stream


def accepts(exc: UnexpectedInput) -> set[str]:
    """The terminals the parser would really take at the error: Lark's interactive parser
    tries each one, which drops the look-aheads an LALR state merely carries along."""
    ip = getattr(exc, "interactive_parser", None)
    if ip is not None:
        try:
            return set(ip.accepts())
        except UnexpectedInput:  # pragma: no cover - accepts() only feeds valid terminals
            pass
    return set(getattr(exc, "accepts", None) or getattr(exc, "expected", None)
               or getattr(exc, "allowed", None) or ())


def one_of(phrases: list[str]) -> str:
    """`a, b or c`; `something else` when there is nothing to list."""
    if len(phrases) > 1:
        return ", ".join(phrases[:-1]) + " or " + phrases[-1]
    return phrases[0] if phrases else "something else"


@dataclass
class Syntax:
    """One grammar (a file in `grammar/`) and how its errors are told."""

    grammar: str  # file name in grammar/
    names: dict[str, str]  # terminal → what a person calls it ("NAME": "a name")
    kinds: dict[str, str] = field(default_factory=dict)  # "NAME": "name" in "unexpected name 'x'"
    hint: Hint = lambda text, expected: None  # noqa: E731 - the default: no hint
    expected: Callable[[Syntax, set[str]], str] | None = None  # groups named as a whole
    postlex: Callable[[], object] | None = WholeWords
    maybe_placeholders: bool = True
    _comments: threading.local = field(default_factory=threading.local, repr=False)

    @cached_property
    def lark(self) -> Lark:
        text = (GRAMMAR_DIR / self.grammar).read_text(encoding="utf-8")
        # Built once and kept in the user's cache directory (`larkcache`), never in the
        # shared temp directory where Lark's `cache=True` would put it.
        return larkcache.build(text, self.grammar.removesuffix(".lark"), parser="lalr",
                               propagate_positions=True,
                               maybe_placeholders=self.maybe_placeholders,
                               postlex=self.postlex() if self.postlex else None,
                               lexer_callbacks={"COMMENT": self._comment})

    @cached_property
    def keywords(self) -> dict[str, str]:
        """Terminal name → its word, for every keyword or punctuation the grammar spells."""
        return {t.name: t.pattern.value for t in self.lark.terminals if t.pattern.type == "str"}

    def _comment(self, tok: Token) -> Token:
        found = getattr(self._comments, "found", None)
        if found is not None:
            found.append(tok)
        return tok

    def parse(self, text: str) -> tuple[Tree, list[Token]]:
        """The tree and the comments (`# ...`, which the grammar ignores), in order.
        Raises Lark's UnexpectedInput."""
        self._comments.found = []
        try:
            return self.lark.parse(text), self._comments.found
        finally:
            self._comments.found = None

    # Errors in a person's words ----------------------------------------------------------
    def human(self, terminal: str) -> str:
        """What a person calls a terminal: `'when'`, `a name`, never `__ANON_3`."""
        if terminal in self.names:
            return self.names[terminal]
        word = self.keywords.get(terminal)
        if word is not None:
            return f"'{word}'"
        return terminal.lower().strip("_").replace("_", " ")

    def expected_text(self, terminals: Iterable[str]) -> str:
        wanted = {n for n in terminals if not n.startswith("__IGNORE")}
        if self.expected is not None:
            return self.expected(self, wanted)
        return one_of(sorted(self.human(n) for n in wanted))

    def diagnostic(self, exc: UnexpectedInput, file: str, source: str) -> Diagnostic:
        """One Lark syntax error as a located diagnostic in a person's words."""
        line, column = exc.line, exc.column
        expected = accepts(exc)
        if isinstance(exc, UnexpectedCharacters):
            lines = source.splitlines()
            rest = lines[line - 1][column - 1:] if 0 < line <= len(lines) else ""
            bad = _bad_text(rest)
            span = Span(file, line, column, line, column + max(1, len(bad)))
            shown = bad if len(bad) <= 30 else bad[:27] + "..."
            message = f"unexpected {shown!r}"
            if expected:
                message += f"; expected {self.expected_text(expected)}"
            return Diagnostic("error", message, span, self.hint(bad, expected))
        if isinstance(exc, UnexpectedEOF) or (
            isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
        ):
            lines = source.rstrip().splitlines() or [""]
            span = Span(file, len(lines), len(lines[-1]) + 1, len(lines), len(lines[-1]) + 2)
            hint = "a block is not closed: add `}`" if "RBRACE" in expected else None
            return Diagnostic(
                "error", f"the file ends too early; expected {self.expected_text(expected)}",
                span, hint)
        assert isinstance(exc, UnexpectedToken)
        tok: Token = exc.token
        span = Span(file, tok.line or line, tok.column or column,
                    tok.end_line or line, tok.end_column or (column + len(str(tok))))
        if tok.type in self.kinds and str(tok) not in self.keywords.values():
            what = f"{self.kinds[tok.type]} {str(tok)!r}"
        else:
            what = f"'{tok}'"
        return Diagnostic("error", f"unexpected {what}; expected "
                          f"{self.expected_text(expected)}", span, self.hint(str(tok), expected))


def _bad_text(rest: str) -> str:
    """What a person sees as the offending text at an unreadable character."""
    word = re.match(r"\w+", rest)
    if rest[:2] in ("&&", "||"):
        return rest[:2]
    if rest.startswith('"'):
        return rest.rstrip()  # a text not closed on its line: the rest of the line
    if word is not None:
        return word.group(0)
    return rest[:1]
