"""Tests written by rule authors, beside their rules (`*.test`), run by `miteam rules test`.

A test file reads like this (grammar: grammar/ruletest.lark):

    test "S12: nothing left to assign" {
      given account.licenses.miteam.total = 5, account.licenses.miteam.assigned = 5
      expect view miteam shows toggle off disabled message licenses_not_available
        by s12_none_left
      expect license.set with value = true refused because licenses_not_available
    }

    test "an order is expiring from 30 days before its expiry" {
      expect setting expiring_days = 30
    }

Every test starts from `DEFAULTS` (a partner working on its own standalone account with
licenses left), changed by the file's top-level `given`s, then the test's, then an
expectation's `with`. `account.licenses.PRODUCT.available` follows total - assigned unless
it is given. An expectation checks what it states and nothing else; a failure shows what
was expected, what the rules decided and the full trace of the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lark import Token, Transformer, v_args
from lark.exceptions import UnexpectedInput, VisitError

from .. import schema
from ..schema import Type
from . import limits
from .errors import Diagnostic, RuleError, Span, read_source
from .parser import KINDS, NAMES, expected_text, unquote
from .syntax import Syntax

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
    "entry": {"account": "a-1", "partner": "p-1", "operation": schema.LICENSE_SET},
    "target": {"id": "a-2", "name": "Account 2", "partner": "p-1",
               "integrations": {"micollab": False, "miteam": True},
               "licenses": {p: {"total": 10, "assigned": 1} for p in schema.PRODUCTS},
               "orders": 1, "users": "a-2"},
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
    kind: str  # view | policy | after | setting
    target: str  # the product (view), the operation (policy, after) or the setting's name
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
    # setting: the value stated
    value: tuple[object, Span] | None = None


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


# A test's values are the rule language's: its names, kinds and groups, and its own words.
SYNTAX = Syntax("ruletest.lark", {**NAMES, **_NAMES}, KINDS, _hint_for, expected_text)


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
        return RuleTest(unquote(name), self._span(meta), givens, expects)

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
        return unquote(children[0]), self._span(meta)

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

    def setting_expect(self, children):
        name, value = children
        return {"kind": "setting", "target": str(name), "target_span": self._tok(name)[1],
                "value": value}


def parse_tests(source: str, file: str = "<tests>") -> RuleTestFile:
    """Parse one test file; RuleError (located, in a person's words) on a syntax error."""
    try:
        tree, _ = SYNTAX.parse(source)
    except UnexpectedInput as exc:
        raise RuleError([SYNTAX.diagnostic(exc, file, source)],
                        {file: source}) from None
    too_big = limits.check(tree, file)
    if too_big:
        raise RuleError(too_big, {file: source})
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
