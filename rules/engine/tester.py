"""The rule-test runner: checks `*.test` files against a loaded rule set and runs them.

The test files' syntax lives in the language (`rules.lang.ruletests`); running them needs
a rule set, so the runner sits beside the engine, as OPA keeps `tester/` apart from `ast/`.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .. import schema
from ..lang.coverage import Coverage
from ..lang.errors import Diagnostic, Span
from ..lang.printer import literal
from ..lang.ruletests import DEFAULTS, ROOTS, TEST_SUFFIX, Expect, RuleTest, RuleTestFile, Setting
from ..schema import Type
from .ruleset import RuleSet, describe_view

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
        if e.kind == "setting":
            spec = schema.SETTINGS.get(e.target)
            if spec is None:
                self.error(f"unknown setting '{e.target}'", e.target_span,
                           _suggest(e.target, schema.SETTINGS)
                           or f"settings: {', '.join(schema.SETTINGS)}")
            elif e.value is not None:
                problem = _type_problem(spec.type, e.value[0])
                if problem is not None:
                    self.error(problem[0], e.value[1], problem[1])
            return
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
    elif e.kind == "setting":
        parts.append(f"{e.target} = {literal(e.value[0] if e.value else None)}")
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
    if e.kind == "setting":
        return _run_setting(e, rules)
    records = world([*settings, *e.settings])
    context_of = "view" if e.kind == "view" else e.target
    ctx = {k: records[k] for k in schema.CONTEXTS[context_of]}
    if e.kind == "view":
        ctx["product"] = e.target
        v = rules.view(e.target, ctx, coverage)
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
        d = rules.decide(e.target, ctx, coverage)
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
        found = rules.consequences(e.target, ctx, coverage)
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


def _run_setting(e: Expect, rules: RuleSet) -> Failure | None:
    """`expect setting NAME = VALUE`: the value the rule files declare."""
    declared = rules.program.settings[e.target]
    got = rules.setting(e.target)
    if e.value is None or got == e.value[0]:
        return None
    where = f"{declared.span.file}:{declared.span.line}"
    text = f"{e.target} = {literal(got)}"
    return Failure(e, _expect_text(e), text, [f"setting {text}   {where}"],
                   {"question": f"setting {e.target}", "answer": got, "at": where})


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
