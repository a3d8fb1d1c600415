"""Tests written by rule authors, beside their rules (`*.test`), run by `miteam rules test`.

A test file reads like this (grammar: grammar/ruletest.lark):

    test "S12: nothing left to assign" {
      given account.licenses.miteam.total = 5, account.licenses.miteam.assigned = 5
      expect view miteam shows toggle off disabled message licenses_not_available
        by s12_none_left
      expect license.set with value = true refused because licenses_not_available
    }

Every test starts from `DEFAULTS` (a partner working on its own standalone account with
licenses left), changed by the file's top-level `given`s, then the test's, then an
expectation's `with`. `account.licenses.PRODUCT.available` follows total - assigned unless
it is given. An expectation checks what it states and nothing else; a failure shows what
was expected, what the rules decided and the full trace of the decision.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, VisitError

from .. import schema
from ..engine import RuleSet, describe_view
from ..paths import GRAMMAR_DIR
from ..schema import Type
from .coverage import Coverage
from .errors import Diagnostic, RuleError, Span, read_source
from .parser import _unquote, _WholeWords, syntax_diagnostic
from .printer import literal

TEST_SUFFIX = ".test"

# The records every test starts from. Fields not listed take their type's plain value
# (false, 0, "", the first of an enum, none when optional).
DEFAULTS: dict[str, object] = {
    "operator": {"id": "op-1", "name": "Operator 1", "role": "partner", "partner": "p-1",
                 "account": None},
    "partner": {"id": "p-1", "name": "Partner 1"},
    "account": {"id": "a-1", "name": "Account 1", "partner": "p-1",
                "integrations": {"micollab": False, "miteam": True},
                "licenses": {p: {"total": 10, "assigned": 1} for p in schema.PRODUCTS},
                "orders": 1, "users": "a-1"},
    "user": {"id": "u-1", "name": "User 1", "email": None, "account": "a-1",
             "licenses": {p: False for p in schema.PRODUCTS},
             "set_by": {p: None for p in schema.PRODUCTS}},
    "order": {"id": "o-1", "partner": "p-1", "product": "miteam", "quantity": 10,
              "state": "unassigned", "account": None, "expires": None, "expiring": False},
    "product": "miteam",
    "value": True,
    "integration": "miteam",
    "entry": {"account": "a-1", "partner": "p-1", "operation": "license.set"},
    "subject": {"id": "op-2", "name": "Operator 2", "role": "account_admin",
                "partner": "p-1", "account": "a-1"},
}

# Every name a test may set: the union of what any rule can read.
ROOTS: dict[str, Type] = {}
for _context in schema.CONTEXTS.values():
    for _name, _type in _context.items():
        ROOTS.setdefault(_name, _type)


# The tree ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """`account.integrations.micollab = true`."""

    path: tuple[str, ...]
    value: object
    span: Span  # the whole setting
    path_span: Span
    value_span: Span

    @property
    def text(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Expect:
    kind: str  # view | policy | after
    target: str  # the product (view) or the operation (policy, after)
    target_span: Span
    span: Span
    settings: tuple[Setting, ...] = ()  # `with ...`
    by: tuple[str, Span] | None = None
    # view: what `shows` states (None: not stated)
    display: tuple[str, Span] | None = None
    on: bool | None = None
    mode: tuple[str, Span] | None = None
    message: tuple[str, Span] | None = None
    # policy
    allowed: bool | None = None
    because: tuple[str, Span] | None = None
    # after: ("revoke" | "grant", product, target, spans) or nothing
    effect: tuple[str, str, str, Span, Span] | None = None
    nothing: bool = False


@dataclass(frozen=True)
class RuleTest:
    name: str
    span: Span
    givens: tuple[Setting, ...]
    expects: tuple[Expect, ...]


@dataclass
class RuleTestFile:
    path: str
    source: str
    givens: list[Setting]
    tests: list[RuleTest]


# Parsing -----------------------------------------------------------------------------

_NAMES = {"NAME": "a name", "STRING": 'a text in double quotes', "INT": "a number",
          "$END": "the end of the file"}


@cache
def _lark() -> Lark:
    grammar = (GRAMMAR_DIR / "ruletest.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=True,
                postlex=_WholeWords())


def _hint_for(text: str, expected: set[str]) -> str | None:
    if text == "==" or (text == "=" and "EQUAL" not in expected):
        return "a test sets a value with a single `=`: `given user.licenses.miteam = true`"
    if text.startswith("'"):
        return 'texts are written in double quotes: "like this"'
    if text in ("True", "False", "None"):
        return f"write `{text.lower()}` in lower case"
    if text == "show" and "SHOWS" in expected:
        return "in a test it reads `shows`: `expect view miteam shows toggle on editable`"
    if text in ("allow", "deny", "allows", "denies", "refuses") and "ALLOWED" in expected:
        return "write `allowed` or `refused`"
    if text in ("revoke", "grant") and "REVOKES" in expected:
        return "write `revokes` or `grants`"
    if expected == {"STRING"}:
        return 'a test is named in double quotes: `test "what it checks" { ... }`'
    if text in ("test", "given", "expect") and "RBRACE" in expected:
        return "the test before this line is not closed: add `}`"
    if "ALLOWED" in expected or "REFUSED" in expected:
        return "an operation is expected `allowed` or `refused`"
    return None


class _ToTests(Transformer):
    def __init__(self, file: str) -> None:
        super().__init__()
        self.file = file

    def _span(self, meta) -> Span:
        return Span(self.file, meta.line, meta.column, meta.end_line, meta.end_column)

    def _tok(self, tok: Token) -> tuple[str, Span]:
        return str(tok), Span(self.file, tok.line, tok.column, tok.end_line, tok.end_column)

    def start(self, items):
        return list(items)

    @v_args(meta=True)
    def test(self, meta, children):
        name, *members = children
        givens = tuple(s for m in members if isinstance(m, list) for s in m)
        expects = tuple(m for m in members if isinstance(m, Expect))
        return RuleTest(_unquote(name), self._span(meta), givens, expects)

    def given(self, children):
        return list(children)

    def with_(self, children):
        return ("with", tuple(children))

    @v_args(meta=True)
    def setting(self, meta, children):
        (path, path_span), (value, value_span) = children
        return Setting(path, value, self._span(meta), path_span, value_span)

    @v_args(meta=True)
    def path(self, meta, children):
        return tuple(str(c) for c in children), self._span(meta)

    @v_args(meta=True)
    def string(self, meta, children):
        return _unquote(children[0]), self._span(meta)

    @v_args(meta=True)
    def int(self, meta, children):
        return int(children[0]), self._span(meta)

    @v_args(meta=True)
    def negative(self, meta, children):
        return -int(children[0]), self._span(meta)

    @v_args(meta=True)
    def true(self, meta, children):
        return True, self._span(meta)

    @v_args(meta=True)
    def false(self, meta, children):
        return False, self._span(meta)

    @v_args(meta=True)
    def none(self, meta, children):
        return None, self._span(meta)

    @v_args(meta=True)
    def expect(self, meta, children):
        (fields,) = children
        return Expect(span=self._span(meta), **fields)

    def _with(self, part) -> tuple[Setting, ...]:
        return part[1] if part is not None else ()

    def view_expect(self, children):
        product, with_, shows, by = children
        fields = {"kind": "view", "target": str(product), "target_span": self._tok(product)[1],
                  "settings": self._with(with_), "by": by}
        if shows is not None:
            fields.update(shows)
        return fields

    def shows(self, children):
        display, state, mode, message = children
        return {"display": self._tok(display),
                "on": None if state is None else state == "on",
                "mode": self._tok(mode) if mode is not None else None,
                "message": message}

    def state(self, children):
        return str(children[0])

    def shows_message(self, children):
        return self._tok(children[0])

    @v_args(meta=True)
    def op(self, meta, children):
        return f"{children[0]}.{children[1]}", self._span(meta)

    def policy_expect(self, children):
        (op, op_span), with_, verdict = children
        return {"kind": "policy", "target": op, "target_span": op_span,
                "settings": self._with(with_), **verdict}

    def allowed(self, children):
        return {"allowed": True, "by": children[0]}

    def refused(self, children):
        because, by = children
        return {"allowed": False, "because": because, "by": by}

    def because(self, children):
        return self._tok(children[0])

    def by(self, children):
        return self._tok(children[0])

    def after_expect(self, children):
        (op, op_span), with_, outcome = children
        return {"kind": "after", "target": op, "target_span": op_span,
                "settings": self._with(with_), **outcome}

    def effect_expect(self, children):
        word, product, (target, target_span), by = children
        action = "revoke" if str(word) == "revokes" else "grant"
        return {"effect": (action, str(product), ".".join(target), self._tok(product)[1],
                           target_span), "by": by}

    def nothing(self, children):
        return {"nothing": True}


def parse_tests(source: str, file: str = "<tests>") -> RuleTestFile:
    """Parse one test file; RuleError (located, in a person's words) on a syntax error."""
    try:
        tree = _lark().parse(source)
    except UnexpectedInput as exc:
        raise RuleError([syntax_diagnostic(exc, file, source, _lark(), _NAMES, _hint_for)],
                        {file: source}) from None
    try:
        items = _ToTests(file).transform(tree)
    except VisitError as exc:  # pragma: no cover - the grammar admits only what we build
        raise RuleError([Diagnostic("error", f"cannot read this test: {exc.orig_exc}",
                                    Span(file, 1, 1, 1, 2))], {file: source}) from None
    givens = [s for item in items if isinstance(item, list) for s in item]
    tests = [item for item in items if isinstance(item, RuleTest)]
    return RuleTestFile(file, source, givens, tests)


def parse_test_file(path: Path, display: str | None = None) -> RuleTestFile:
    name = display or str(path)
    return parse_tests(read_source(path, name, "test file"), name)


# Checking a test file against the schema and the rules ------------------------------------


def _suggest(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class _Checker:
    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.diagnostics: list[Diagnostic] = []

    def error(self, message: str, span: Span, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic("error", message, span, hint))

    def warning(self, message: str, span: Span, hint: str | None = None) -> None:
        self.diagnostics.append(Diagnostic("warning", message, span, hint))

    def file(self, tf: RuleTestFile) -> None:
        self.settings(tf.givens, None)
        names: dict[str, Span] = {}
        for test in tf.tests:
            if test.name in names:
                self.error(f'test "{test.name}" is defined twice (first at {names[test.name]})',
                           test.span, "test names are how failures are reported: make it unique")
            names.setdefault(test.name, test.span)
            if not test.expects:
                self.warning(f'test "{test.name}" expects nothing, so it cannot fail',
                             test.span, "add `expect ...`")
            self.settings(test.givens, None)
            for e in test.expects:
                self.expect(e)

    def settings(self, settings: Iterable[Setting], context: dict[str, Type] | None) -> None:
        seen: dict[str, Span] = {}
        for s in settings:
            if s.text in seen:
                self.warning(f"'{s.text}' is set twice here (first at {seen[s.text]}); "
                             "the last one counts", s.path_span)
            seen[s.text] = s.path_span
            self.setting(s, context)

    def setting(self, s: Setting, context: dict[str, Type] | None) -> None:
        head, *rest = s.path
        if head not in ROOTS:
            self.error(f"unknown name '{head}'", s.path_span,
                       _suggest(head, ROOTS) or f"names: {', '.join(ROOTS)}")
            return
        if context is not None and head not in context:
            self.warning(f"'{head}' is not read here, so setting it changes nothing",
                         s.path_span, f"names here: {', '.join(context)}")
        t, walked = ROOTS[head], head
        for part in rest:
            if t.kind != "record" or part not in t.fields:
                if t.kind != "record":
                    self.error(f"'{walked}' is {t.describe()}; it has no field '{part}'",
                               s.path_span)
                else:
                    self.error(f"'{walked}' has no field '{part}'", s.path_span,
                               _suggest(part, t.fields)
                               or f"fields of {walked}: {', '.join(t.fields)}")
                return
            t, walked = t.fields[part], f"{walked}.{part}"
        if t.kind == "record":
            self.error(f"'{walked}' is a record: set one of its fields", s.path_span,
                       ", ".join(f"{walked}.{f}" for f in t.fields))
            return
        if t.kind == "users":
            self.error(f"'{walked}' stands for the account's users and cannot be set",
                       s.path_span)
            return
        problem = _type_problem(t, s.value)
        if problem is not None:
            message, hint = problem
            self.error(message, s.value_span, hint)

    def _rule_names(self, kind: str, target: str) -> list[str]:
        p = self.rules.program
        if kind == "view":
            return [r.name.value for r in p.views[target].rules]
        if kind == "policy":
            return [d.name.value for d in p.policies[target].decisions]
        return [r.name.value for r in p.afters[target].rules] if target in p.afters else []

    def _message(self, key: tuple[str, Span] | None) -> None:
        if key is not None and key[0] not in self.rules.program.messages:
            self.error(f"unknown message '{key[0]}'", key[1],
                       _suggest(key[0], self.rules.program.messages))

    def expect(self, e: Expect) -> None:
        p = self.rules.program
        if e.kind == "view":
            if e.target not in p.views:
                self.error(f"no view '{e.target}' in these rules", e.target_span,
                           _suggest(e.target, p.views) or f"views: {', '.join(p.views)}")
                return
            context = schema.CONTEXTS["view"]
            if e.display is not None:
                display, span = e.display
                if display not in schema.DISPLAYS:
                    self.error(f"unknown display '{display}'", span,
                               _suggest(display, schema.DISPLAYS)
                               or f"displays: {', '.join(schema.DISPLAYS)}")
                elif display != "toggle" and (e.on is not None or e.mode is not None):
                    self.error(f"'{display}' shows no toggle: it has no on/off or mode", span)
            if e.mode is not None and e.mode[0] not in schema.MODES:
                self.error(f"unknown mode '{e.mode[0]}'", e.mode[1],
                           _suggest(e.mode[0], schema.MODES)
                           or f"modes: {', '.join(schema.MODES)}")
            self._message(e.message)
        elif e.kind == "policy":
            if e.target not in p.policies:
                known = sorted(p.policies)
                self.error(f"no policy '{e.target}' in these rules", e.target_span,
                           _suggest(e.target, known) or f"policies: {', '.join(known)}")
                return
            context = schema.CONTEXTS[e.target]
            self._message(e.because)
        else:
            if e.target not in schema.EVENTS:
                self.error(f"nothing can follow '{e.target}'", e.target_span,
                           _suggest(e.target, schema.EVENTS)
                           or f"operations with consequences: {', '.join(schema.EVENTS)}")
                return
            context = schema.CONTEXTS[e.target]
            if e.effect is not None:
                _, product, target, product_span, target_span = e.effect
                if product not in schema.PRODUCTS:
                    self.error(f"unknown product '{product}'", product_span,
                               _suggest(product, schema.PRODUCTS))
                if target not in ("user", "account.users"):
                    self.error(f"'{target}' is not users", target_span,
                               "write `user` or `account.users`")
        self.settings(e.settings, context)
        if e.by is not None:
            names = self._rule_names(e.kind, e.target)
            name, span = e.by
            if name not in names:
                self.error(f"no rule '{name}' in {e.kind} {e.target}", span,
                           _suggest(name, names) or (f"rules there: {', '.join(names)}"
                                                     if names else None))


def _type_problem(t: Type, value: object) -> tuple[str, str | None] | None:
    if value is None:
        return None if t.optional else (f"this is never none: it is {t.describe()}", None)
    if t.kind == "bool":
        ok = isinstance(value, bool)
    elif t.kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif t.kind == "enum":
        if isinstance(value, str) and value not in t.values:
            return (f"{literal(value)} is never a value here: it is {t.describe()}",
                    _suggest(value, t.values))
        ok = isinstance(value, str)
    else:
        ok = isinstance(value, str)
    if ok:
        return None
    hint = {"bool": "write true or false", "int": "write a number, without quotes"}.get(
        t.kind, 'write a text in double quotes: "like this"')
    return f"this must be {t.describe()}, but it is {literal(value)}", hint


def check_tests(files: list[RuleTestFile], rules: RuleSet) -> list[Diagnostic]:
    checker = _Checker(rules)
    for tf in files:
        checker.file(tf)
    return checker.diagnostics


# Running --------------------------------------------------------------------------------


def _plain(t: Type) -> object:
    if t.kind == "record":
        return {k: _plain(v) for k, v in t.fields.items()}
    if t.optional:
        return None
    return {"bool": False, "int": 0, "str": "", "users": ""}.get(
        t.kind, t.values[0] if t.values else "")


def _merge(base: object, over: object) -> object:
    if isinstance(base, dict) and isinstance(over, dict):
        return {k: _merge(base[k], over[k]) if k in over else base[k] for k in base}
    return copy.deepcopy(over)


def world(settings: Iterable[Setting]) -> dict[str, object]:
    """The records a test's expectations are decided on: defaults, then the settings."""
    records: dict = {name: _merge(_plain(t), DEFAULTS.get(name, _plain(t)))
                     for name, t in ROOTS.items()}
    given_available: set[str] = set()
    for s in settings:
        node = records
        for part in s.path[:-1]:
            node = node[part]
        node[s.path[-1]] = s.value
        if s.path[:2] == ("account", "licenses") and s.path[-1] == "available":
            given_available.add(s.path[2])
    for product, counts in records["account"]["licenses"].items():
        if product not in given_available:
            counts["available"] = counts["total"] - counts["assigned"]
    return records


@dataclass
class Failure:
    expect: Expect
    expected: str
    got: str
    trace: list[str]
    why: dict

    def as_dict(self) -> dict:
        return {"at": str(self.expect.span), "expected": self.expected, "got": self.got,
                "trace": self.why}


@dataclass
class RuleTestResult:
    test: RuleTest
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        return {"test": self.test.name, "at": str(self.test.span), "passed": self.passed,
                "failures": [f.as_dict() for f in self.failures]}


def _expect_text(e: Expect) -> str:
    """What an expectation states, in the words `got` uses."""
    parts: list[str] = []
    if e.kind == "view":
        # The words `describe_view` uses: "toggle ON, readonly, message X", "no_licenses".
        shown = e.display[0] if e.display is not None else ""
        if e.on is not None:
            shown += (" " if shown else "") + ("ON" if e.on else "OFF")
        if shown:
            parts.append(shown)
        if e.mode is not None:
            parts.append(e.mode[0])
        if e.message is not None:
            parts.append(f"message {e.message[0]}")
    elif e.kind == "policy":
        parts.append("allowed" if e.allowed else "refused")
        if e.because is not None:
            parts.append(f"because {e.because[0]}")
    else:
        if e.nothing:
            parts.append("nothing")
        elif e.effect is not None:
            action, product, target, _, _ = e.effect
            parts.append(f"{action} {product} {'to' if action == 'grant' else 'from'} {target}")
    text = ", ".join(parts)
    if e.by is not None:
        text += (" " if text else "") + f"by {e.by[0]}"
    return text


def run_expect(e: Expect, settings: list[Setting], rules: RuleSet,
               coverage: Coverage | None) -> Failure | None:
    """Decide one expectation on the records `settings` (then its own `with`) describe;
    None when the rules decide as expected."""
    records = world([*settings, *e.settings])
    context_of = "view" if e.kind == "view" else e.target
    ctx = {k: records[k] for k in schema.CONTEXTS[context_of]}
    if e.kind == "view":
        ctx["product"] = e.target
        v = rules.view(e.target, ctx)
        if coverage is not None:
            coverage.view(e.target, ctx)
        ok = ((e.display is None or v.display == e.display[0])
              and (e.on is None or (v.display == "toggle" and v.on == e.on))
              and (e.mode is None or v.mode == e.mode[0])
              and (e.message is None or v.message == e.message[0])
              and (e.by is None or v.rule.name == e.by[0]))
        if ok:
            return None
        explanation = rules.explain_view(e.target, ctx)
        got = f"{describe_view(v)} by {v.rule.name}"
    elif e.kind == "policy":
        d = rules.decide(e.target, ctx)
        if coverage is not None:
            coverage.decide(e.target, ctx)
        by = None if e.by is None else (
            f"{e.target}.default" if e.by[0] == "default" else e.by[0])
        ok = (d.allowed == e.allowed
              and (e.because is None or d.because == e.because[0])
              and (by is None or d.rule.name == by))
        if ok:
            return None
        explanation = rules.explain_decision(e.target, ctx)
        got = ("allowed" if d.allowed else f"refused because {d.because}") + f" by {d.rule.name}"
    else:
        found = rules.consequences(e.target, ctx)
        if coverage is not None:
            coverage.consequences(e.target, ctx)
        if e.nothing:
            ok = not found
        else:
            assert e.effect is not None
            action, product, target, _, _ = e.effect
            ok = any(c.action == action and c.product == product and c.target == target
                     and (e.by is None or c.rule.name == e.by[0]) for c in found)
        if ok:
            return None
        got = "; ".join(f"{c.action} {c.product} {'to' if c.action == 'grant' else 'from'} "
                        f"{c.target} by {c.rule.name}" for c in found) or "nothing"
        candidates = rules.explain_consequences(e.target, ctx)
        trace = [f"after {e.target}:"] + [line for c in candidates for line in c.lines()]
        return Failure(e, _expect_text(e), got, trace,
                       {"question": f"after {e.target}",
                        "candidates": [c.as_dict() for c in candidates]})
    return Failure(e, _expect_text(e), got, explanation.lines(), explanation.as_dict())


def run_tests(files: list[RuleTestFile], rules: RuleSet, coverage: Coverage | None = None,
              select: str | None = None) -> list[RuleTestResult]:
    """Run every test (or those whose name matches the regular expression `select`)."""
    pattern = re.compile(select) if select else None
    results: list[RuleTestResult] = []
    for tf in files:
        for test in tf.tests:
            if pattern is not None and not pattern.search(test.name):
                continue
            settings = [*tf.givens, *test.givens]
            result = RuleTestResult(test)
            for e in test.expects:
                failure = run_expect(e, settings, rules, coverage)
                if failure is not None:
                    result.failures.append(failure)
            results.append(result)
    return results


def find_test_files(paths: Iterable[Path]) -> list[Path]:
    """The test files named (a directory: every `*.test` in it, sorted)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(p.glob(f"*{TEST_SUFFIX}")))
        else:
            out.append(p)
    return out
