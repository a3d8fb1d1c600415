"""Scenario text → `Scenario`, with errors at file:line:column like the rule files.

Lark (LALR, positions kept, grammar in `grammar/scenario.lark`) reads the lines; this
module names what it expected in a person's words, then checks what the grammar leaves
open (known options, a date that is a date, a header before the steps) and groups the
lines into steps. Every problem found is reported, each with its line, a caret and a hint.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import MISSING
from dataclasses import fields as dataclass_fields
from datetime import date
from pathlib import Path
from typing import Any

from lark import Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from ..lang.errors import Diagnostic, RuleError, Span, read_source
from ..lang.syntax import Syntax, accepts, one_of
from ..ops import actions as ops
from ..ops.actions import ACTIONS
from ..ops.bulk import WHERE_KEYS
from ..paths import display_name
from ..schema import ACTORS, LANGUAGES, PRODUCTS, ROLES
from .model import (
    ADD_OPTIONS,
    DEFAULT_DATE,
    DEFAULT_OPERATOR,
    GIVEN_FIELDS,
    OUTCOME_KINDS,
    Action,
    Expectation,
    Field,
    Given,
    Scenario,
    Start,
    Step,
)
from .statements import Opt, Stmt, ToStatements

SUFFIX = ".scenario"

_HUMAN = {
    "WORD": "a word (an id, a login, a date)",
    "STRING": "a text in double quotes",
    "INT": "a number",
    "NONE": "'none'",
    "DRY_RUN": "'dry-run'",
    "DROP_LICENSE": "'drop-license'",
    "ALL_OR_NOTHING": "'all-or-nothing'",
    "SKIP_ERRORS": "'skip-errors'",
    "_NL": "the end of the line",
    "$END": "the end of the file",
}
_STEP_WORDS = ("license", "micollab", "integration", "order", "partner", "account", "user",
               "operator", "revert")
_HEADER_WORDS = ("scenario", "case", "start", "date", "language", "given")


class ScenarioError(RuleError):
    """A scenario that cannot be run as written: exit 2, every problem located."""


class _Glued(Exception):
    def __init__(self, token: Token, text: str) -> None:
        self.token = token
        self.text = text


class _GluedWords:
    """Lark post-lexer. Lark's contextual lexer takes the keywords a parser state expects
    as prefixes: `storedx` would read as `stored` then `x`. Two word tokens with nothing
    between them are one word the grammar does not know: report it as written."""

    always_accept = ()

    def process(self, stream):
        prev: Token | None = None
        for tok in stream:
            if (prev is not None and tok.start_pos == prev.end_pos and _wordy(prev)
                    and _wordy(tok)):
                raise _Glued(prev, str(prev) + str(tok))
            prev = tok
            yield tok


def _wordy(tok: Token) -> bool:
    return bool(re.fullmatch(r"[\w.@+/-]+", str(tok)))


def _expected(syntax: Syntax, names: set[str]) -> str:
    words = {syntax.keywords.get(n) for n in names}
    if {"expect", "as"} <= words:
        return ("a step (" + ", ".join(_STEP_WORDS) + "), 'as', 'expect', or a header line ("
                + ", ".join(_HEADER_WORDS) + ")")
    return one_of(sorted(syntax.human(n) for n in names))


SYNTAX = Syntax("scenario.lark", _HUMAN, expected=_expected, postlex=_GluedWords,
                maybe_placeholders=False)


def _hint(bad: str, expected: set[str], after_value: bool,
          words: list[str] | None = None) -> str | None:
    if words is None:
        words = [w for w in (SYNTAX.keywords.get(n) for n in expected) if w and w[0].isalpha()]
        if {"expect", "as"} <= set(words):
            words = [*_STEP_WORDS, *_HEADER_WORDS, "as", "expect"]
    close = difflib.get_close_matches(bad.lower(), words, n=1, cutoff=0.6)
    if close and close[0] != bad:
        return f"did you mean '{close[0]}'?"
    if bad.startswith("'"):
        return 'texts are written in double quotes: "like this"'
    if bad.startswith('"') and not (len(bad) > 1 and bad.endswith('"')):
        return 'a text ends on the line it starts: add the closing `"`'
    if "_NL" in expected and after_value:
        return ('one statement per line; a name with spaces goes in double quotes: '
                '"Kranich Logistik GmbH"')
    if bad.startswith("--"):
        return "options are written without dashes: `partner p-alpen`, not `--partner p-alpen`"
    return None


def _syntax_error(exc: UnexpectedInput | _Glued, file: str, source: str) -> Diagnostic:
    if isinstance(exc, _Glued):
        tok = exc.token
        span = Span(file, tok.line, tok.column, tok.line, tok.column + len(exc.text))
        return Diagnostic("error", f"unexpected word {exc.text!r}", span,
                          _hint(exc.text, {tok.type}, False))
    lines = source.splitlines()
    if isinstance(exc, UnexpectedEOF) or (
            isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        last = lines[-1] if lines else ""
        n = max(1, len(lines))
        return Diagnostic("error", "the file ends too early; expected "
                          + SYNTAX.expected_text(accepts(exc)), Span(file, n, len(last) + 1, n,
                                                           len(last) + 2))
    expected = accepts(exc)
    glued = _glued_word(exc, lines)
    if glued is not None:
        line, column, word = glued
        return Diagnostic("error", f"unexpected word {word!r}",
                          Span(file, line, column, line, column + len(word)),
                          _hint(word, set(), False, sorted(set(SYNTAX.keywords.values()))))
    if isinstance(exc, UnexpectedCharacters):
        line, column = exc.line, exc.column
        rest = lines[line - 1][column - 1:] if 0 < line <= len(lines) else ""
        bad = rest.rstrip() if rest.startswith('"') else (rest.split() or [rest[:1]])[0]
        span = Span(file, line, column, line, column + max(1, len(bad)))
        what = repr(bad if len(bad) <= 30 else bad[:27] + "...")
        after_value = False
    else:
        tok = exc.token
        bad = str(tok)
        span = Span(file, tok.line, tok.column, tok.end_line or tok.line,
                    tok.end_column or tok.column + len(bad))
        if tok.type == "_NL":
            misspelt = _misspelt_keyword(exc, expected, file)
            if misspelt is not None:
                return misspelt
            # The line stopped before it said everything: point just past its end.
            text = lines[tok.line - 1] if 0 < tok.line <= len(lines) else ""
            end = len(text.split("#")[0].rstrip()) + 1
            span = Span(file, tok.line, end, tok.line, end + 1)
            return Diagnostic("error", "the line ends too early; expected "
                              + SYNTAX.expected_text(expected), span)
        kind = {"WORD": "word", "STRING": "text", "INT": "number"}.get(tok.type)
        what = f"{kind} {bad!r}" if kind else f"'{bad}'"
        prev = getattr(exc, "interactive_parser", None)
        after_value = bool(prev and prev.parser_state.value_stack
                           and _is_value(prev.parser_state.value_stack[-1]))
    return Diagnostic("error", f"unexpected {what}; expected "
                      f"{SYNTAX.expected_text(expected)}", span, _hint(bad, expected, after_value))


def _misspelt_keyword(exc: UnexpectedInput, expected: set[str],
                      file: str) -> Diagnostic | None:
    """`license set u-1 miteam onn`: where a word may stand (several users), `onn` is read
    as one more user and the line ends too early; name the word that was meant instead."""
    ip = getattr(exc, "interactive_parser", None)
    stack = ip.parser_state.value_stack if ip is not None else []
    last = stack[-1] if stack else None
    while isinstance(last, Tree) and last.children:  # several words, as Lark groups them
        last = last.children[-1]
    if not isinstance(last, Token) or last.type != "WORD" or "WORD" not in expected:
        return None
    words = [w for w in (SYNTAX.keywords.get(n) for n in expected) if w and w[0].isalpha()]
    close = difflib.get_close_matches(str(last).lower(), words, n=1, cutoff=0.6)
    if not close:
        return None
    span = Span(file, last.line, last.column, last.end_line or last.line,
                last.end_column or last.column + len(last))
    return Diagnostic("error", f"unexpected word {str(last)!r}; expected "
                      f"{SYNTAX.expected_text(expected)}", span, f"did you mean '{close[0]}'?")


def _glued_word(exc: UnexpectedInput, lines: list[str]) -> tuple[int, int, str] | None:
    """A keyword the lexer took as the start of a longer word (`onn` read as `on` + `n`):
    the whole word as written, with where it starts."""
    line, column = exc.line, exc.column
    if not 0 < line <= len(lines) or column < 2:
        return None
    text = lines[line - 1]
    if column > len(text) or not re.match(r"[\w.@+/-]", text[column - 1]):
        return None
    start = column - 1
    while start > 0 and re.match(r"[\w.@+/-]", text[start - 1]):
        start -= 1
    if start == column - 1:
        return None
    end = column - 1
    while end < len(text) and re.match(r"[\w.@+/-]", text[end]):
        end += 1
    return line, start + 1, text[start:end]


def _is_value(item: object) -> bool:
    if isinstance(item, Token):
        return item.type in ("WORD", "STRING", "INT")
    return isinstance(item, Tree) and item.data in ("account", "option")


# Statements → Scenario ----------------------------------------------------------------


class _Checker:
    """Everything the grammar leaves open, every problem collected with its place."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Diagnostic] = []

    def error(self, message: str, span: Span, hint: str | None = None) -> None:
        self.problems.append(Diagnostic("error", message, span, hint))

    def build(self, stmts: list[Stmt], source: str, path: Path | None) -> Scenario:
        title: str | None = None
        title_span: Span | None = None
        cases: list[str] = []
        start: Start | None = None
        on, language = DEFAULT_DATE, "en"
        given: list[Given] = []
        steps: list[Step] = []
        seen: dict[str, Span] = {}
        operator, switched = DEFAULT_OPERATOR, False
        first_step: Span | None = None
        for st in stmts:
            if st.kind in ("title", "cases", "start", "date", "language", "given"):
                if first_step is not None:
                    self.error(f"'{_WORD_OF[st.kind]}' belongs to the start, before the "
                               f"first step (line {first_step.line})", st.span,
                               "move it up, above the first step")
                    continue
                if st.kind != "given" and st.kind in seen:
                    self.error(f"a second '{_WORD_OF[st.kind]}' line (the first is on line "
                               f"{seen[st.kind].line})", st.span)
                    continue
                seen[st.kind] = st.span
            if st.kind == "title":
                title, title_span = st.value, st.span
                if not title.strip():
                    self.error("the scenario needs a name", st.span)
            elif st.kind == "cases":
                cases = st.value
            elif st.kind == "start":
                start = st.value
            elif st.kind == "date":
                text, span = st.value
                try:
                    on = date.fromisoformat(text)
                except ValueError:
                    self.error(f"'{text}' is not a date", span, "write YYYY-MM-DD")
            elif st.kind == "language":
                text, span = st.value
                if text not in LANGUAGES:
                    self.error(f"unknown language '{text}'", span,
                               "the languages are: " + ", ".join(LANGUAGES))
                else:
                    language = text
            elif st.kind == "given":
                record = self._given(*st.value, st.span)
                if record is not None:
                    given.append(record)
            elif st.kind == "actor":
                first_step = first_step or st.span
                operator, switched = st.value, True
            elif st.kind == "action":
                first_step = first_step or st.span
                action = self._action(*st.value, st.span)
                steps.append(Step(len(steps) + 1, operator, action, [], st.span))
                switched = False
            elif st.kind == "expect":
                first_step = first_step or st.span
                kind, args = st.value
                expectation = Expectation(kind, args, st.span)
                current = steps[-1] if steps else None
                if current is None or switched:
                    current = Step(len(steps) + 1, operator, None, [], st.span)
                    steps.append(current)
                    switched = False
                self._expectation(expectation, current)
                current.expectations.append(expectation)
        whole = Span(self.file, 1, 1, 1, 2)
        if title is None:
            self.error("a scenario starts with its name: scenario \"...\"", whole,
                       'e.g. scenario "S8: MiTeam off after MiCollab off"')
        if start is None:
            self.error("a scenario says where it starts", whole,
                       "add a line: start demo, start empty or start after OTHER.scenario")
        if self.problems:
            raise ScenarioError(self.problems, {self.file: source})
        assert title is not None and start is not None
        return Scenario(self.file, source, title, cases, start, on, language, given, steps,
                        path, title_span)

    def _fields(self, specs: tuple[Field, ...], opts: list[Opt], what: str,
                new: bool | None, where: Span) -> dict[str, Any] | None:
        """Options checked against their specs: values converted, every problem named.
        `new`: None for an `add` step (all required), else whether the record is new."""
        by_name = {f.name: f for f in specs}
        out: dict[str, Any] = {}
        named = {opt.name for opt in opts}
        ok = True
        for opt in opts:
            spec = by_name.get(opt.name)
            if spec is None:
                close = difflib.get_close_matches(opt.name, list(by_name), n=1)
                self.error(f"{what} has no '{opt.name}'", opt.name_span,
                           f"did you mean '{close[0]}'?" if close else
                           "it takes: " + ", ".join(by_name))
                ok = False
                continue
            if spec.key in out:
                self.error(f"'{opt.name}' is given twice", opt.name_span)
                ok = False
                continue
            value = self._value(spec, opt)
            if value is _BAD:
                ok = False
                continue
            out[spec.key] = value
        if new is not False:
            missing = [f.name for f in specs if f.required and f.name not in named]
            if missing:
                self.error(f"{what} needs " + " and ".join(f"'{m}'" for m in missing), where,
                           "e.g. " + " ".join(f"{m} {_example(by_name[m])}" for m in missing))
                ok = False
        return out if ok else None

    def _value(self, spec: Field, opt: Opt) -> Any:
        v, span = opt.value, opt.value_span
        if spec.kind == "word" and opt.quoted and not re.fullmatch(r"[\w.@+-]+", v):
            self.error(f"'{spec.name}' takes an id, not a name", span)
            return _BAD
        if spec.kind == "switch":
            if v not in ("on", "off"):
                self.error(f"'{spec.name}' is on or off, not '{v}'", span)
                return _BAD
            return v == "on"
        if spec.kind == "int":
            if not re.fullmatch(r"[0-9]+", v) or int(v) < 1:
                self.error(f"'{spec.name}' is a whole number of at least 1, not '{v}'", span)
                return _BAD
            return int(v)
        if spec.kind == "date":
            try:
                return date.fromisoformat(v).isoformat()
            except ValueError:
                self.error(f"'{v}' is not a date", span, "write YYYY-MM-DD")
                return _BAD
        choices = {"role": ROLES, "actor": ACTORS, "product": PRODUCTS}.get(spec.kind)
        if choices is not None and v not in choices:
            self.error(f"'{spec.name}' is one of {', '.join(choices)}; not '{v}'", span)
            return _BAD
        return v

    def _given(self, kind: str, key: str, key_span: Span, opts: list[Opt],
               span: Span) -> Given | None:
        # Whether the record is new is known only once the start state is built: the
        # runner checks required fields then. Here: names, types, duplicates.
        fields = self._fields(GIVEN_FIELDS[kind], opts, f"a given {kind}", False, span)
        if fields is None:
            return None
        return Given(kind, key, fields, span)

    def _action(self, kind: type[ops.Action], args: dict, extra: dict, dry: bool,
                dry_span: Span | None, span: Span) -> Action:
        if dry and not kind.dry_runnable:
            self.error(f"'{' '.join(kind.words)}' cannot be tried as a dry run",
                       dry_span or span, "dry-run applies to " + ", ".join(
                           " ".join(a.words) for a in ACTIONS if a.dry_runnable))
        if "seq" in args:
            args = {**args, "seq": self._seq(args["seq"], extra["seq"])}
        for key, value, key_span, value_span in extra.get("where", ()):
            if value not in WHERE_KEYS.get(key, (value,)):
                self.error(f"'{key}' is one of {', '.join(WHERE_KEYS[key])}; not '{value}'",
                           value_span)
            elif key not in WHERE_KEYS:
                close = difflib.get_close_matches(key, list(WHERE_KEYS), n=1)
                self.error(f"users are selected by {', '.join(WHERE_KEYS)}; not '{key}'",
                           key_span, f"did you mean '{close[0]}'?" if close else None)
        if "product" in args and args["product"] not in PRODUCTS:
            self.error(f"unknown product '{args['product']}'", extra["product"],
                       "the products are: " + ", ".join(PRODUCTS))
        if "kind" in extra:
            word = extra["kind"]
            fields = self._fields(ADD_OPTIONS[word], extra["options"], f"'{word} add'",
                                  None, span) or {}
            args = {**args, **fields}
        # A required option missing is reported already (the scenario will not run): the
        # step still gets its action, so what follows it is checked as usual.
        return Action(kind(**{f.name: args.get(f.name) for f in dataclass_fields(kind)
                              if f.name in args or f.default is MISSING}), span, dry)

    def _seq(self, text: str, span: Span) -> int | None:
        """`revert SEQ`: an audit entry's number, or `last` (None)."""
        if text == "last":
            return None
        if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
            self.error(f"'{text}' is not an audit entry", span,
                       "write its number (miteam audit lists them), or last")
            return None
        return int(text)

    def _expectation(self, e: Expectation, step: Step) -> None:
        if e.kind in OUTCOME_KINDS:
            if step.action is None:
                self.error(f"'expect {_EXPECT_WORD[e.kind]}' is about the step before it, "
                           "and there is none", e.span,
                           "write it after a step (license set ..., order assign ...)")
                return
            outcome = [x for x in step.expectations if x.kind in ("done", "unchanged",
                                                                  "refused", "error")]
            if e.kind in ("done", "unchanged", "refused", "error") and outcome \
                    and outcome[0].kind != e.kind:
                self.error(f"'expect {_EXPECT_WORD[e.kind]}' contradicts 'expect "
                           f"{_EXPECT_WORD[outcome[0].kind]}' on line {outcome[0].span.line}",
                           e.span)
        if e.kind == "hidden" and e.args["kind"] not in ("user", "account", "order"):
            self.error(f"'cannot see' is about a user, an account or an order, not a "
                       f"{e.args['kind']}", e.span)
        for key in ("counts", "integrations"):
            pairs = e.args.get(key)
            if isinstance(pairs, list):
                names = [name for name, _ in pairs]
                twice = sorted({n for n in names if names.count(n) > 1})
                if twice:
                    self.error(f"'{twice[0]}' is given twice", e.span)
                e.args[key] = dict(pairs)


_BAD = object()
_WORD_OF = {"title": "scenario", "cases": "case", "start": "start", "date": "date",
            "language": "language", "given": "given"}
_EXPECT_WORD = {"done": "done", "unchanged": "unchanged", "refused": "refused",
                "error": "error", "effect": "revoked/granted", "no_effect": "no consequences"}


def _example(spec: Field) -> str:
    return {"text": '"..."', "int": "10", "switch": "on", "date": "2027-12-31",
            "role": "partner", "actor": "operator", "product": "miteam"}.get(spec.kind, "ID")


def parse(source: str, file: str = "<scenario>", path: Path | None = None) -> Scenario:
    """Parse one scenario. Raises ScenarioError (located diagnostics) when it is malformed."""
    text = source if source.endswith("\n") else source + "\n"
    try:
        tree, _ = SYNTAX.parse(text)
    except (UnexpectedInput, _Glued) as exc:
        raise ScenarioError([_syntax_error(exc, file, source)], {file: source}) from None
    stmts = ToStatements(file).transform(tree)
    return _Checker(file).build(stmts, source, path)


def parse_file(path: Path | str) -> Scenario:
    path = Path(path)
    name = display_name(path)
    return parse(read_source(path, name, "scenario", ScenarioError), name, path)
