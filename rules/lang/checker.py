"""Check parsed rule files against the record schema, before anything runs.

Every problem is collected (not just the first), each with its span: unknown names and
fields (with "did you mean"), unknown products, operations and message keys, messages
missing a language, type mismatches, rules that can never fire, views without a default,
duplicate names, settings unknown, missing, given twice or out of their range. Errors stop
a rule set from loading; warnings do not.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .. import schema
from ..schema import Type
from . import ast
from .errors import Diagnostic, Span
from .printer import unparse

_BOOL = schema.BOOL


@dataclass
class Program:
    """Everything the rule files declare, gathered across files and indexed by name."""

    files: list[ast.RuleFile]
    messages: dict[str, ast.Message] = field(default_factory=dict)
    lets: dict[str, ast.Let] = field(default_factory=dict)
    settings: dict[str, ast.Setting] = field(default_factory=dict)
    views: dict[str, ast.View] = field(default_factory=dict)
    policies: dict[str, ast.Policy] = field(default_factory=dict)
    afters: dict[str, ast.After] = field(default_factory=dict)
    asserts: dict[str, ast.Assert] = field(default_factory=dict)


def _suggest(word: str, options: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class Checker:
    def __init__(self, files: list[ast.RuleFile], incomplete: bool = False) -> None:
        self.program = Program(files)
        # Some rule file did not parse: what it defines is unknown, so names that may be
        # defined there are not reported (its syntax error is), nor is anything unused.
        self.incomplete = incomplete
        self.diagnostics: list[Diagnostic] = []
        self._used_messages: set[str] = set()
        self._used_lets: set[str] = set()
        # While a `let` is checked where it is used, errors in its body say which use.
        self._let_uses: list[tuple[str, Span]] = []

    # Reporting ------------------------------------------------------------
    def _add(self, severity: str, message: str, span: Span, hint: str | None) -> None:
        if self._let_uses:
            name, use = self._let_uses[-1]
            note = f"in '{name}' as used at {use}"
            hint = f"{hint} ({note})" if hint else note
        d = Diagnostic(severity, message, span, hint)
        if d not in self.diagnostics:  # a let used in many places reports once per problem
            self.diagnostics.append(d)

    def error(self, message: str, span: Span, hint: str | None = None) -> None:
        self._add("error", message, span, hint)

    def warning(self, message: str, span: Span, hint: str | None = None) -> None:
        self._add("warning", message, span, hint)

    # Entry ----------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        self._gather()
        self._check_messages()
        rule_names: dict[str, Span] = {}
        for view in self.program.views.values():
            self._check_view(view, rule_names)
        for policy in self.program.policies.values():
            self._check_policy(policy, rule_names)
        for after in self.program.afters.values():
            self._check_after(after, rule_names)
        for prop in self.program.asserts.values():
            self._expect(prop.expr, _BOOL, schema.ASSERT_CONTEXT, "an assertion")
            self._message_ref(prop.because)
        if self.incomplete:
            self.diagnostics.sort(key=lambda d: (d.span.file, d.span.line, d.span.column))
            return self.diagnostics
        for name, let in self.program.lets.items():
            if name not in self._used_lets:
                self.warning(f"'{name}' is defined but never used", let.name.span)
        for key, message in self.program.messages.items():
            if key not in self._used_messages:
                self.warning(f"message '{key}' is never shown", message.key.span)
        # Completeness: the product shows a view per product and performs every operation;
        # a rule set without one would answer with nothing (or refuse everything) silently.
        if self.program.files:
            first = Span(self.program.files[0].path, 1, 1, 1, 2)
            for product in schema.PRODUCTS:
                if product not in self.program.views:
                    self.error(f"no view for product '{product}': Products and Licenses "
                               "would have nothing to show", first,
                               f"add `view {product} {{ ... default NAME show ... }}`")
            for name, spec in schema.SETTINGS.items():
                if name not in self.program.settings:
                    self.error(f"no setting '{name}': {spec.doc}", first,
                               f"add `setting {name} = NUMBER` ({spec.low} to {spec.high} "
                               f"{spec.unit})")
            for op in schema.OPERATIONS:
                if op not in self.program.policies:
                    self.error(f"no policy for '{op}': the product performs it, so the rules "
                               "must decide it", first,
                               f"add `policy {op} {{ ... default deny because KEY }}`")
        self.diagnostics.sort(key=lambda d: (d.span.file, d.span.line, d.span.column))
        return self.diagnostics

    def _gather(self) -> None:
        p = self.program
        seen: dict[str, Span] = {}

        def once(kind: str, key: str, span: Span) -> bool:
            full = f"{kind} {key}"
            if full in seen:
                self.error(f"{kind} '{key}' is defined twice (first at {seen[full]})", span)
                return False
            seen[full] = span
            return True

        for f in p.files:
            for item in f.items:
                if isinstance(item, ast.Message):
                    if once("message", item.key.value, item.key.span):
                        p.messages[item.key.value] = item
                elif isinstance(item, ast.Let):
                    if item.name.value in schema.CONTEXTS["view"] or item.name.value in (
                        "value", "integration", "order", "entry", "subject",
                    ):
                        self.error(
                            f"'{item.name.value}' is a record or parameter name; "
                            "choose another name for this condition",
                            item.name.span,
                        )
                    elif once("let", item.name.value, item.name.span):
                        p.lets[item.name.value] = item
                elif isinstance(item, ast.Setting):
                    spec = schema.SETTINGS.get(item.name.value)
                    if spec is None:
                        self.error(
                            f"unknown setting '{item.name.value}'", item.name.span,
                            _suggest(item.name.value, schema.SETTINGS)
                            or f"settings: {', '.join(schema.SETTINGS)}",
                        )
                    elif once("setting", item.name.value, item.name.span):
                        self._check_setting(item, spec)
                        p.settings[item.name.value] = item
                elif isinstance(item, ast.View):
                    if item.product.value not in schema.PRODUCTS:
                        self.error(
                            f"unknown product '{item.product.value}'",
                            item.product.span,
                            _suggest(item.product.value, schema.PRODUCTS)
                            or f"products: {', '.join(schema.PRODUCTS)}",
                        )
                    elif once("view", item.product.value, item.product.span):
                        p.views[item.product.value] = item
                elif isinstance(item, ast.Policy):
                    if item.op.value not in schema.OPERATIONS:
                        self.error(
                            f"unknown operation '{item.op.value}'",
                            item.op.span,
                            _suggest(item.op.value, schema.OPERATIONS)
                            or f"operations: {', '.join(schema.OPERATIONS)}",
                        )
                    elif once("policy", item.op.value, item.op.span):
                        p.policies[item.op.value] = item
                elif isinstance(item, ast.Assert):
                    if once("assert", item.name.value, item.name.span):
                        p.asserts[item.name.value] = item
                elif isinstance(item, ast.After):
                    if item.op.value not in schema.EVENTS:
                        self.error(
                            f"nothing can follow '{item.op.value}'",
                            item.op.span,
                            _suggest(item.op.value, schema.EVENTS)
                            or f"operations with consequences: {', '.join(schema.EVENTS)}",
                        )
                    elif once("after", item.op.value, item.op.span):
                        p.afters[item.op.value] = item

    def _check_messages(self) -> None:
        for message in self.program.messages.values():
            langs: dict[str, Span] = {}
            for t in message.translations:
                lang = t.lang.value
                if lang not in schema.LANGUAGES:
                    self.error(
                        f"unknown language '{lang}'", t.lang.span,
                        f"languages: {', '.join(schema.LANGUAGES)}",
                    )
                elif lang in langs:
                    self.error(f"'{lang}' is given twice for message '{message.key.value}'",
                               t.lang.span)
                else:
                    langs[lang] = t.span
                if not t.text.strip():
                    self.error("a message text cannot be empty", t.span)
            for lang in schema.LANGUAGES:
                if lang not in langs:
                    self.error(
                        f"message '{message.key.value}' has no '{lang}' text",
                        message.key.span,
                        f'add `{lang} "..."` inside the braces',
                    )

    def _check_setting(self, setting: ast.Setting, spec: schema.SettingType) -> None:
        name, value = setting.name.value, setting.value
        example = f"`setting {name} = N`, N from {spec.low} to {spec.high} {spec.unit}"
        if not isinstance(value, ast.Literal):
            self.error(f"setting '{name}' takes a value written out, not a calculation or "
                       "a condition", value.span, f"write the number itself: {example}")
            return
        v = value.value
        if spec.type.kind == "int" and (not isinstance(v, int) or isinstance(v, bool)):
            got = "none" if v is None else (schema.BOOL if isinstance(v, bool)
                                            else schema.STR).describe()
            self.error(f"setting '{name}' must be {spec.type.describe()} ({spec.unit}), but "
                       f"this is {got}", value.span,
                       f"write a number, without quotes: {example}")
        elif not spec.low <= v <= spec.high:
            self.error(f"setting '{name}' must be from {spec.low} to {spec.high} {spec.unit}, "
                       f"but is {v}", value.span, spec.doc)

    def _message_ref(self, key: ast.Name) -> None:
        self._used_messages.add(key.value)
        if key.value not in self.program.messages and not self.incomplete:
            self.error(
                f"unknown message '{key.value}'",
                key.span,
                _suggest(key.value, self.program.messages)
                or "define it: `message NAME { en \"...\" de \"...\" }`",
            )

    def _rule_name(self, name: ast.Name, names: dict[str, Span]) -> None:
        if name.value in names:
            self.error(
                f"rule '{name.value}' is defined twice (first at {names[name.value]})",
                name.span,
                "rule names are cited in every explanation, so each must be unique",
            )
        else:
            names[name.value] = name.span

    # Views ----------------------------------------------------------------
    def _check_view(self, view: ast.View, names: dict[str, Span]) -> None:
        context = schema.CONTEXTS["view"]
        default_seen: ast.ViewRule | None = None
        catch_all: ast.ViewRule | None = None
        above: list[tuple[ast.ViewRule, set[str]]] = []
        for rule in view.rules:
            self._rule_name(rule.name, names)
            parts = {unparse(p) for p in _conjuncts(rule.when)} if rule.when else set()
            # A rule whose every part an earlier rule also demands (and no more) is hidden
            # by it: whenever it would match, the earlier one matched first.
            shadow = next((r for r, p in above if rule.when is not None and p <= parts), None)
            if default_seen is not None:
                self.error(
                    f"rule '{rule.name.value}' can never fire: it stands after the default",
                    rule.name.span, "the default must be the last rule of a view",
                )
            elif catch_all is not None:
                self.warning(
                    f"rule '{rule.name.value}' can never fire: "
                    f"'{catch_all.name.value}' above it always matches",
                    rule.name.span,
                )
            elif shadow is not None:
                self.warning(
                    f"rule '{rule.name.value}' can never fire: whenever it matches, "
                    f"'{shadow.name.value}' above it matches first",
                    rule.name.span,
                    f"move it above '{shadow.name.value}', or make its condition narrower",
                )
            if rule.when is not None:
                above.append((rule, parts))
                self._condition(rule.when, context, rule.name.value)
                if _always(rule.when):
                    catch_all = rule
            else:
                default_seen = rule
            self._check_show(rule.show, context)
        if default_seen is None:
            self.error(
                f"view '{view.product.value}' has no default",
                view.product.span,
                "end it with `default NAME show ...`: what shows when no rule matches",
            )

    def _check_show(self, show: ast.Show, context: dict[str, Type]) -> None:
        display = show.display.value
        if display not in schema.DISPLAYS:
            self.error(
                f"unknown display '{display}'", show.display.span,
                _suggest(display, schema.DISPLAYS) or f"displays: {', '.join(schema.DISPLAYS)}",
            )
            return
        if display == "toggle":
            if show.on is None:
                self.error("a toggle needs `on EXPR`: is it shown on or off?", show.span)
            else:
                self._expect(show.on, _BOOL, context, "the toggle's `on`")
            if show.mode is None:
                self.error(
                    "a toggle needs `mode editable|readonly|disabled`", show.span,
                )
        else:
            for part, label in ((show.on, "on"), (show.mode, "mode")):
                if part is not None:
                    span = part.span
                    self.error(f"'{display}' shows no toggle, so it takes no `{label}`", span)
        if show.mode is not None and show.mode.value not in schema.MODES:
            self.error(
                f"unknown mode '{show.mode.value}'", show.mode.span,
                _suggest(show.mode.value, schema.MODES) or f"modes: {', '.join(schema.MODES)}",
            )
        if show.message is not None:
            self._message_ref(show.message)

    # Policies -------------------------------------------------------------
    def _check_policy(self, policy: ast.Policy, names: dict[str, Span]) -> None:
        context = schema.CONTEXTS[policy.op.value]
        default: ast.Decision | None = None
        # Deny wins: an allow that demands what a deny refuses on can never allow.
        denies = {unparse(d.when): d for d in policy.decisions
                  if d.effect == "deny" and d.when is not None}
        for d in policy.decisions:
            if d.effect == "allow" and d.when is not None:
                for part in _conjuncts(d.when):
                    deny = denies.get(unparse(part))
                    if deny is not None:
                        self.warning(
                            f"rule '{d.name.value}' can never allow: whenever "
                            f"`{unparse(part)}` holds, deny '{deny.name.value}' refuses",
                            d.name.span, "deny wins over allow",
                        )
                        break
        for d in policy.decisions:
            if d.effect == "default":
                if default is not None:
                    self.error("a policy has one default", d.span)
                default = d
            else:
                self._rule_name(d.name, names)
                if default is not None:
                    self.warning(
                        "rules after the default read badly: the default is the last word",
                        d.name.span,
                    )
                assert d.when is not None
                self._condition(d.when, context, d.name.value)
            if d.because is not None:
                self._message_ref(d.because)
        if default is None:
            self.error(
                f"policy '{policy.op.value}' has no default",
                policy.op.span,
                "end it with `default deny because MESSAGE_KEY`: the reason shown "
                "when no rule allows",
            )

    # Consequences ---------------------------------------------------------
    def _check_after(self, after: ast.After, names: dict[str, Span]) -> None:
        context = schema.CONTEXTS[after.op.value]
        for rule in after.rules:
            self._rule_name(rule.name, names)
            self._condition(rule.when, context, rule.name.value)
            for effect in rule.effects:
                if effect.product.value not in schema.PRODUCTS:
                    self.error(
                        f"unknown product '{effect.product.value}'", effect.product.span,
                        _suggest(effect.product.value, schema.PRODUCTS),
                    )
                t = self._path(effect.target, context, (), allow_records=True)
                if t is not None and not (
                    t.kind == "users" or (t.kind == "record" and "licenses" in t.fields
                                          and "email" in t.fields)
                ):
                    self.error(
                        f"'{effect.target.text}' is not users: {effect.action} applies to "
                        "`user` or `account.users`",
                        effect.target.span,
                    )

    # Expressions ----------------------------------------------------------
    def _condition(self, expr: ast.Expr, context: dict[str, Type], rule: str) -> None:
        self._expect(expr, _BOOL, context, "a condition")
        if _contradicts(expr):
            self.warning(
                f"rule '{rule}' can never fire: its condition contradicts itself",
                expr.span,
                f"`{unparse(expr)}` is false whatever the records say",
            )
        elif isinstance(expr, ast.Literal) and expr.value is False:
            self.warning(f"rule '{rule}' can never fire: its condition is `false`", expr.span)

    def _expect(self, expr: ast.Expr, want: Type, context: dict[str, Type], what: str) -> None:
        got = self._type(expr, context, ())
        if got is not None and got.kind != want.kind:
            self.error(f"{what} must be {want.describe()}, but this is {got.describe()}",
                       expr.span)

    def _path(
        self, path: ast.Path, context: dict[str, Type], lets: tuple[str, ...],
        allow_records: bool = False,
    ) -> Type | None:
        head, *rest = path.parts
        if head in self.program.lets and head not in context:
            if rest:
                self.error(f"'{head}' is a condition; it has no field '{rest[0]}'", path.span)
                return None
            self._used_lets.add(head)
            if head in lets:
                chain = " → ".join((*lets[lets.index(head):], head))
                self.error(f"'{head}' is defined in terms of itself ({chain})", path.span,
                           "conditions cannot be recursive")
                return None
            let = self.program.lets[head]
            self._let_uses.append((head, path.span))
            try:
                return self._type(let.expr, context, (*lets, head))
            finally:
                self._let_uses.pop()
        if head not in context and head in self.program.settings:
            self.error(f"'{head}' is a setting: the product reads it, a condition cannot",
                       path.span, "conditions read records and parameters (and `let`s)")
            return None
        if head not in context:
            if self.incomplete and len(path.parts) == 1:
                return None  # perhaps a condition (`let`) of the file that did not parse
            names = sorted([*context, *self.program.lets])
            self.error(
                f"unknown name '{head}' here",
                path.span,
                _suggest(head, names) or f"names here: {', '.join(names)}",
            )
            return None
        t = context[head]
        walked = head
        for part in rest:
            if t.kind != "record":
                self.error(f"'{walked}' is {t.describe()}; it has no field '{part}'", path.span)
                return None
            if part not in t.fields:
                sug = _suggest(part, t.fields)
                self.error(
                    f"'{walked}' has no field '{part}'", path.span,
                    sug or f"fields of {walked}: {', '.join(t.fields)}",
                )
                return None
            t = t.fields[part]
            walked += "." + part
        if not allow_records and t.kind in ("record", "users"):
            fields = ", ".join(f"{walked}.{f}" for f in t.fields) or walked
            self.error(f"'{walked}' is {t.describe()}, not a value", path.span,
                       f"read one of its fields: {fields}" if t.fields else None)
            return None
        return t

    def _type(self, e: ast.Expr, context: dict[str, Type], lets: tuple[str, ...]) -> Type | None:
        if isinstance(e, ast.Path):
            return self._path(e, context, lets)
        if isinstance(e, ast.Literal):
            v = e.value
            if v is None:
                return Type("none")
            if isinstance(v, bool):
                return _BOOL
            if isinstance(v, int):
                return schema.INT
            return Type("literal", (v,))
        if isinstance(e, ast.Not):
            self._operand(e.operand, context, lets, "`not`")
            return _BOOL
        if isinstance(e, ast.BoolOp):
            for o in e.operands:
                self._operand(o, context, lets, f"`{e.op}`")
            return _BOOL
        if isinstance(e, ast.Arith):
            for side in (e.left, e.right):
                t = self._type(side, context, lets)
                if t is not None and t.kind != "int":
                    self.error(f"`{e.op}` works on numbers, but this is {t.describe()}",
                               side.span)
            return schema.INT
        if isinstance(e, ast.Compare):
            left = self._type(e.left, context, lets)
            right = self._type(e.right, context, lets)
            self._compatible(e.op, left, right, e, e.left, e.right)
            return _BOOL
        if isinstance(e, ast.InList):
            item = self._type(e.item, context, lets)
            for o in e.options:
                self._compatible("in", item, self._type(o, context, lets), o, e.item, o)
            return _BOOL
        raise TypeError(e)

    def _operand(self, e: ast.Expr, context, lets, what: str) -> None:
        t = self._type(e, context, lets)
        if t is not None and t.kind != "bool":
            self.error(f"{what} needs a flag (true/false), but this is {t.describe()}", e.span)

    def _compatible(self, op: str, a: Type | None, b: Type | None, e: ast.Expr,
                    left: ast.Expr, right: ast.Expr) -> None:
        if a is None or b is None:
            return
        # A text literal against an enum: the text must be one of its values.
        for enum_t, lit_t, lit_e in ((a, b, right), (b, a, left)):
            if enum_t.kind == "enum" and lit_t.kind == "literal":
                word = lit_t.values[0]
                if word not in enum_t.values:
                    self.error(
                        f'"{word}" is never a value here: it is {enum_t.describe()}',
                        lit_e.span, _suggest(word, enum_t.values),
                    )
                return
        if "none" in (a.kind, b.kind):
            other = b if a.kind == "none" else a
            if op not in ("==", "!=", "in"):
                self.error(f"`{op}` cannot compare with none", e.span)
            elif not other.optional and other.kind != "none":
                self.warning(
                    f"this is never none ({other.describe()}), so the comparison is constant",
                    e.span,
                )
            return
        kinds = {a.kind, b.kind}
        texty = {"str", "enum", "literal"}
        if kinds <= texty or len(kinds) == 1:
            if op in ("<", "<=", ">", ">=") and kinds != {"int"}:
                self.error(f"`{op}` compares numbers, but these are "
                           f"{a.describe()} and {b.describe()}", e.span)
            return
        self.error(
            f"cannot compare {a.describe()} with {b.describe()}", e.span,
            "a flag is compared with true/false, a number with a number",
        )


def _conjuncts(e: ast.Expr | None) -> list[ast.Expr]:
    if e is None:
        return []
    if isinstance(e, ast.BoolOp) and e.op == "and":
        return [c for o in e.operands for c in _conjuncts(o)]
    return [e]


def _always(e: ast.Expr) -> bool:
    return isinstance(e, ast.Literal) and e.value is True


_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}


def _contradicts(e: ast.Expr) -> bool:
    """The obvious contradictions: `x and not x`, `p == "a" and p == "b"`,
    `p == "a" and p != "a"`, `n < 1 and n > 3` (a path against literals)."""
    parts = _conjuncts(e)
    texts = {unparse(p) for p in parts}
    for p in parts:
        if isinstance(p, ast.Not) and unparse(p.operand) in texts:
            return True
    equals: dict[str, object] = {}
    differs: dict[str, set] = {}
    low: dict[str, float] = {}
    high: dict[str, float] = {}
    for p in parts:
        if not isinstance(p, ast.Compare):
            continue
        for path, lit, op in ((p.left, p.right, p.op), (p.right, p.left, _FLIP[p.op])):
            if not (isinstance(path, ast.Path) and isinstance(lit, ast.Literal)):
                continue
            key, v = path.text, lit.value
            if op == "==":
                if key in equals and equals[key] != v:
                    return True
                equals[key] = v
            elif op == "!=":
                differs.setdefault(key, set()).add(v)
            elif isinstance(v, int) and not isinstance(v, bool):
                # Numbers are whole: `n < 3` is `n <= 2`, `n > 3` is `n >= 4`.
                if op in ("<", "<="):
                    high[key] = min(high.get(key, float("inf")), v - (op == "<"))
                else:
                    low[key] = max(low.get(key, float("-inf")), v + (op == ">"))
    for key, v in equals.items():
        if v in differs.get(key, ()):
            return True
        if isinstance(v, int) and not isinstance(v, bool) and not (
                low.get(key, float("-inf")) <= v <= high.get(key, float("inf"))):
            return True
    if any(low.get(k, float("-inf")) > high[k] for k in high):
        return True
    return any(isinstance(p, ast.Literal) and p.value is False for p in parts)


def check(files: list[ast.RuleFile], incomplete: bool = False
          ) -> tuple[Program, list[Diagnostic]]:
    """Check rule files together. `incomplete`: some file of the set did not parse."""
    checker = Checker(files, incomplete)
    diagnostics = checker.run()
    return checker.program, diagnostics
