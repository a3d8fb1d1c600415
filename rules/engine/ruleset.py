"""A loaded rule set: parsed, checked, compiled once, then asked for decisions.

Three kinds of question, matching the three kinds of block in a rule file (and the named
values a rule file sets, `setting(name)`):
- `view(product, c)`: what Products and Licenses shows (first matching rule wins);
- `decide(op, c)`: may the operation happen (any deny wins; else any allow; else default);
- `consequences(op, c)`: what follows a completed operation.
Each answer names the rule that decided; `explain_*` also gives every value seen.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import schema
from ..i18n import t
from ..lang import ast
from ..lang.checker import Program
from ..lang.compiler import Compiled, compile_expr
from ..lang.errors import Diagnostic, RuleError, Span
from ..lang.evaluate import Evaluation, RuleObserver
from ..lang.explain import Record, Step, condition_steps
from ..paths import SHIPPED_RULES_DIR, display_name
from . import cache

RULE_SUFFIX = ".rules"


@dataclass(frozen=True, slots=True)
class RuleRef:
    """A rule as cited in every answer: its name and where it is written."""

    name: str
    span: Span

    def __str__(self) -> str:
        return f"{self.name} ({self.span.file}:{self.span.line})"

    def as_dict(self) -> dict:
        return {"rule": self.name, "at": f"{self.span.file}:{self.span.line}"}


@dataclass(frozen=True, slots=True)
class ViewResult:
    display: str  # toggle | no_licenses
    on: bool
    mode: str | None  # editable | readonly | disabled, for a toggle
    message: str | None  # message key
    rule: RuleRef


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    rule: RuleRef  # the rule that decided: the first deny that held, else the first allow
    because: str | None  # message key, for a refusal
    denies: tuple[RuleRef, ...] = ()
    allows: tuple[RuleRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Consequence:
    rule: RuleRef
    action: str  # grant | revoke
    product: str
    target: str  # "user" or "account.users"


@dataclass
class Candidate:
    """One rule as an explanation shows it: what it would do and what it saw."""

    rule: RuleRef
    kind: str  # rule | default | allow | deny | consequence
    matched: bool
    steps: list[Step]
    decided: bool = False
    outcome: str = ""
    # False: the engine never asked this rule (a view stops at the first match; allows are
    # not asked once a deny held). Its trace then says what it would have said.
    reached: bool = True

    def as_dict(self) -> dict:
        return {
            **self.rule.as_dict(), "kind": self.kind, "matched": self.matched,
            "decided": self.decided, "reached": self.reached, "outcome": self.outcome,
            "conditions": [s.as_dict() for s in self.steps],
        }

    def mark(self) -> str:
        """→ decided, ✓ matched, ✗ did not match, · not reached."""
        if self.decided:
            return "→"
        if not self.reached:
            return "·"
        return "✓" if self.matched else "✗"

    def lines(self, lang: str = "en") -> list[str]:
        verdict = t("x_matched" if self.matched else "x_not_matched", lang)
        if self.kind == "default":
            verdict = t("x_applies" if self.matched else "x_not_applies", lang)
        if not self.reached:
            verdict = t("x_not_reached", lang) + (
                " " + t("x_would_match", lang) if self.matched and self.kind != "default"
                else "")
        head = f"  {self.mark()} {self.kind} {self.rule.name}   " \
               f"{self.rule.span.file}:{self.rule.span.line}   {verdict}"
        if self.outcome:
            head += f" — {_outcome_text(self.outcome, lang)}"
        out = [head]
        for step in self.steps:
            out.extend(step.lines(3, self.rule.span.file, lang))
        return out


_REFUSES = "refuses because "


def _outcome_text(outcome: str, lang: str) -> str:
    """A candidate's outcome in words; view displays and effects are rule-language terms."""
    if outcome.startswith(_REFUSES):
        return t("x_refuses_because", lang, message=outcome.removeprefix(_REFUSES))
    if outcome == "allows":
        return t("x_allows", lang)
    return outcome


@dataclass
class Explanation:
    """A decision with its reasons: the rule that decided, and every candidate rule with
    the conditions it evaluated and the values it saw. `as_dict` is the data form (the
    TUI's "why" panel); `lines` is the text form (`miteam explain`, `--why`)."""

    question: str  # e.g. "view miteam" or "policy license.set"
    answer: str
    decided_by: RuleRef
    candidates: list[Candidate] = field(default_factory=list)
    because: str | None = None  # the message key of a refusal
    # For a refused switch or a toggle that cannot be switched: the smallest change that
    # would allow it (`whynot.WhyNot`: `lines(lang)`, `as_dict()`), set by the caller.
    why_not: Any = None

    def as_dict(self) -> dict:
        return {
            "question": self.question, "answer": self.answer, "because": self.because,
            "decided_by": self.decided_by.as_dict(),
            "candidates": [c.as_dict() for c in self.candidates],
            "why_not": self.why_not.as_dict() if self.why_not is not None else None,
        }

    def lines(self, lang: str = "en") -> list[str]:
        answer = self.answer
        if answer in ("allowed", "refused"):
            answer = t(f"x_{answer}", lang)
        if self.because:
            answer += f" {t('x_because', lang)} {self.because}"
        out = [f"{self.question}: {answer}", f"{t('x_decided_by', lang)} {self.decided_by}"]
        if self.candidates:
            out.append("")
        for cand in self.candidates:
            out.extend(cand.lines(lang))
        if self.why_not is not None:
            out += ["", *self.why_not.lines(lang)]
        return out


@dataclass
class _Rule:
    ref: RuleRef
    when: Compiled | None
    expr: ast.Expr | None


class RuleSet:
    """Rule files, checked and compiled. Build with `RuleSet.load`."""

    def __init__(self, program: Program, diagnostics: list[Diagnostic],
                 sources: dict[str, str], origin: list[Path]) -> None:
        self.program = program
        self.warnings = [d for d in diagnostics if d.severity == "warning"]
        self.sources = sources
        self.origin = origin
        self._lets = {k: v for k, v in program.lets.items()}
        self._compile()

    @cached_property
    def fingerprint(self) -> str:
        """Which rules decided, for the audit trail: sha256 over the rule files' names and
        texts, short form. Two rule sets with the same files have the same fingerprint."""
        digest = hashlib.sha256()
        for name, text in sorted((Path(k).name, v) for k, v in self.sources.items()):
            digest.update(f"{name}\0{len(text.encode())}\0".encode())
            digest.update(text.encode())
        return f"sha256:{digest.hexdigest()[:16]}"

    # Loading --------------------------------------------------------------
    @classmethod
    def load(cls, paths: Iterable[Path | str] | None = None) -> RuleSet:
        """Load rule files (a directory means every `*.rules` in it). RuleError on any error."""
        files = rule_files(paths)
        if not files:
            where = ", ".join(str(p) for p in (paths or [SHIPPED_RULES_DIR]))
            raise RuleError([Diagnostic(
                "error", f"no rule files (*{RULE_SUFFIX}) in {where}", Span(where, 1, 1, 1, 2),
                "a rule set needs its views, policies and messages: copy rules/policy")])
        k = cache.key(files)
        hit = cache.load(k) if k else None
        if isinstance(hit, tuple) and len(hit) == 3:
            program, diagnostics, sources = hit
            return cls(program, diagnostics, sources, files)
        # Parsing needs the Lark parser: imported only when the cache cannot answer.
        from ..lang.checker import check
        from ..lang.parser import parse_file

        parsed: list[ast.RuleFile] = []
        sources: dict[str, str] = {}
        diagnostics: list[Diagnostic] = []
        for path in files:
            display = display_name(path)
            try:
                rf = parse_file(path, display)
            except RuleError as exc:
                diagnostics.extend(exc.diagnostics)
                sources.update(exc.sources)
                continue
            parsed.append(rf)
            sources[rf.path] = rf.source
        program, checked = check(parsed, incomplete=len(parsed) < len(files))
        diagnostics.extend(checked)
        if any(d.severity == "error" for d in diagnostics):
            raise RuleError(diagnostics, sources)
        if k:
            cache.store(k, (program, diagnostics, sources))
        return cls(program, diagnostics, sources, files)

    def _compile(self) -> None:
        p = self.program
        self._views: dict[str, list[tuple[_Rule, ast.Show, Compiled | None]]] = {}
        for product, view in p.views.items():
            roots = frozenset(schema.CONTEXTS["view"])
            rules = []
            for r in view.rules:
                rule = self._rule(r.name, r.when, roots)
                on = compile_expr(r.show.on, self._lets, roots, r.name.span.file) \
                    if r.show.on is not None else None
                rules.append((rule, r.show, on))
            self._views[product] = rules
        self._policies: dict[str, tuple[list[_Rule], list[_Rule], RuleRef, str]] = {}
        for op, policy in p.policies.items():
            roots = frozenset(schema.CONTEXTS[op])
            denies = [self._rule(d.name, d.when, roots, d.because) for d in policy.decisions
                      if d.effect == "deny"]
            allows = [self._rule(d.name, d.when, roots) for d in policy.decisions
                      if d.effect == "allow"]
            default = next(d for d in policy.decisions if d.effect == "default")
            assert default.because is not None
            self._policies[op] = (denies, allows,
                                  RuleRef(f"{op}.default", default.span), default.because.value)
        self._because: dict[str, str] = {}
        for policy in p.policies.values():
            for d in policy.decisions:
                if d.effect == "deny" and d.because is not None:
                    self._because[d.name.value] = d.because.value
        self._afters: dict[str, list[tuple[_Rule, tuple[ast.Effect, ...]]]] = {}
        for op, after in p.afters.items():
            roots = frozenset(schema.CONTEXTS[op])
            self._afters[op] = [(self._rule(r.name, r.when, roots), r.effects) for r in after.rules]

    def _rule(self, name: ast.Name, when: ast.Expr | None, roots: frozenset[str],
              because: ast.Name | None = None) -> _Rule:
        fn = compile_expr(when, self._lets, roots, name.span.file) if when is not None else None
        return _Rule(RuleRef(name.value, name.span), fn, when)

    # Settings -------------------------------------------------------------
    def setting(self, name: str) -> int:
        """A named policy value (`setting expiring_days = 30`). The checker has made sure
        every setting the schema knows is declared once, of its type and in its range."""
        value = self.program.settings[name].value
        assert isinstance(value, ast.Literal) and isinstance(value.value, int)
        return value.value

    @property
    def expiring_days(self) -> int:
        """How many days before its expiry an order counts as expiring."""
        return self.setting("expiring_days")

    # Messages -------------------------------------------------------------
    def message(self, key: str, lang: str) -> str:
        msg = self.program.messages.get(key)
        if msg is None:
            return key
        texts = {t.lang.value: t.text for t in msg.translations}
        return texts.get(lang) or texts.get("en") or key

    # Questions ------------------------------------------------------------
    # Each question is answered by one piece of code (`_first_match`, `_decision`,
    # `_following`) over rules whose conditions are either compiled (the fast path, no
    # observer) or traced for an observer (coverage) and for explanations.
    def view(self, product: str, c: Mapping[str, object],
             observer: RuleObserver | None = None) -> ViewResult:
        if observer is not None:
            return self._traced_view(product, c, self._tracer(c, "view", product, observer))
        return _show(*_first_match(self._views[product], c), c)

    def decide(self, op: str, c: Mapping[str, object],
               observer: RuleObserver | None = None) -> Decision:
        if op not in self._policies:
            return Decision(False, RuleRef(f"{op}.default", _nowhere()), "not_permitted")
        if observer is not None:
            return self._traced_decision(op, c, self._tracer(c, "policy", op, observer))
        return _decision(c, *self._policies[op], self._because)

    def consequences(self, op: str, c: Mapping[str, object],
                     observer: RuleObserver | None = None) -> list[Consequence]:
        if observer is not None:
            return self._traced_following(op, c, self._tracer(c, "after", op, observer))
        return _following(c, self._afters.get(op, ()))

    def _tracer(self, c: Mapping[str, object], kind: str, target: str,
                observer: RuleObserver | None = None) -> _Tracer:
        context = schema.CONTEXTS["view" if kind == "view" else target]
        return _Tracer(c, self._lets, frozenset(context), f"{kind} {target}", observer)

    def _traced_view(self, product: str, c, tracer: _Tracer) -> ViewResult:
        rules = [(tracer.rule(r), show, tracer.on(show)) for r, show, _ in self._views[product]]
        return _show(*_first_match(rules, c), c)

    def _traced_decision(self, op: str, c, tracer: _Tracer) -> Decision:
        denies, allows, default, because = self._policies[op]
        decision = _decision(c, [tracer.rule(r) for r in denies],
                             [tracer.rule(r) for r in allows], default, because, self._because)
        if decision.rule == default:
            tracer.fell_through(default)
        return decision

    def _traced_following(self, op: str, c, tracer: _Tracer) -> list[Consequence]:
        return _following(c, [(tracer.rule(r), effects)
                              for r, effects in self._afters.get(op, ())])

    # Explanations ---------------------------------------------------------
    def explain_view(self, product: str, c: Mapping[str, object]) -> Explanation:
        tracer = self._tracer(c, "view", product)
        result = self._traced_view(product, c, tracer)
        cands = []
        for rule, show, _ in self._views[product]:
            matched, steps, reached = tracer.seen(rule)
            shown = _show(rule.ref, show, tracer.on(show), c)
            cands.append(Candidate(rule.ref, "default" if rule.expr is None else "rule",
                                   matched, steps, rule.ref == result.rule, describe_view(shown),
                                   reached))
        return Explanation(tracer.where, describe_view(result), result.rule, cands)

    def explain_decision(self, op: str, c: Mapping[str, object]) -> Explanation:
        if op not in self._policies:
            decision = self.decide(op, c)
            return Explanation(f"policy {op}", "refused", decision.rule, [], decision.because)
        tracer = self._tracer(c, "policy", op)
        decision = self._traced_decision(op, c, tracer)
        denies, allows, default, because = self._policies[op]
        cands = []
        for kind, rules in (("deny", denies), ("allow", allows)):
            for rule in rules:
                matched, steps, reached = tracer.seen(rule)
                outcome = (f"{_REFUSES}{self._because[rule.ref.name]}"
                           if kind == "deny" else "allows")
                cands.append(Candidate(rule.ref, kind, matched, steps,
                                       rule.ref == decision.rule, outcome, reached))
        fell_through = decision.rule == default
        cands.append(Candidate(default, "default", fell_through, [], fell_through,
                               f"{_REFUSES}{because}", fell_through))
        answer = "allowed" if decision.allowed else "refused"
        return Explanation(tracer.where, answer, decision.rule, cands, decision.because)

    def explain_consequences(self, op: str, c: Mapping[str, object]) -> list[Candidate]:
        tracer = self._tracer(c, "after", op)
        self._traced_following(op, c, tracer)
        out = []
        for rule, effects in self._afters.get(op, ()):
            matched, steps, _ = tracer.seen(rule)
            what = "; ".join(f"{e.action} {e.product.value} "
                             f"{'to' if e.action == 'grant' else 'from'} {e.target.text}"
                             for e in effects)
            out.append(Candidate(rule.ref, "consequence", matched, steps, matched, what))
        return out


# The engine's order, written once ------------------------------------------------------


def _first_match(rules: Iterable[tuple[_Rule, ast.Show, Compiled | None]], c):
    """A view: the first rule whose condition holds (the default holds always)."""
    for rule, show, on in rules:
        if rule.when is None or rule.when(c):
            return rule.ref, show, on
    raise AssertionError("the checker guarantees a default")  # pragma: no cover


def _decision(c, denies: list[_Rule], allows: list[_Rule], default: RuleRef, because: str,
              because_of: dict[str, str]) -> Decision:
    """A policy: any deny that holds refuses (every deny is asked); else any allow that
    holds allows (the allows are asked only when no deny held); else the default refuses."""
    held = tuple(r.ref for r in denies if r.when(c))  # type: ignore[misc]
    if held:
        return Decision(False, held[0], because_of[held[0].name], held)
    ok = tuple(r.ref for r in allows if r.when(c))  # type: ignore[misc]
    if ok:
        return Decision(True, ok[0], None, (), ok)
    return Decision(False, default, because)


def _following(c, rules: Iterable[tuple[_Rule, tuple[ast.Effect, ...]]]) -> list[Consequence]:
    """After an operation: every consequence whose condition holds, in order."""
    out: list[Consequence] = []
    for rule, effects in rules:
        if rule.when(c):  # type: ignore[misc]
            out.extend(Consequence(rule.ref, e.action, e.product.value, e.target.text)
                       for e in effects)
    return out


class _Tracer:
    """One question answered by traced evaluation: the rules it asks are evaluated with
    the observer (coverage) told, and what each saw is kept for an explanation."""

    def __init__(self, c: Mapping[str, object], lets: dict[str, ast.Let],
                 roots: frozenset[str], where: str, observer: RuleObserver | None) -> None:
        self.c, self.lets, self.roots, self.where = c, lets, roots, where
        self.observer = observer
        self.asked: dict[RuleRef, tuple[bool, list[Step]]] = {}

    def rule(self, rule: _Rule) -> _Rule:
        """The rule with its condition traced (a default too: asking it is observed)."""
        return _Rule(rule.ref, lambda c: self._ask(rule), rule.expr)

    def on(self, show: ast.Show) -> Compiled | None:
        """A view's `on`, traced; part of the answer, not a condition, so not observed."""
        if show.on is None:
            return None
        expr = show.on
        return lambda c: Evaluation(c, self.lets, self.roots).run(expr)

    def fell_through(self, default: RuleRef) -> None:
        if self.observer is not None:
            self.observer.rule(self.where, default.name, True)

    def _ask(self, rule: _Rule) -> bool:
        held, steps = self._evaluate(rule, live=True)
        self.asked[rule.ref] = (held, steps)
        if self.observer is not None:
            self.observer.rule(self.where, rule.ref.name, held)
        return held

    def _evaluate(self, rule: _Rule, live: bool) -> tuple[bool, list[Step]]:
        if rule.expr is None:
            return True, []
        record = Record()
        observers = [record] if self.observer is None or not live else [record, self.observer]
        evaluation = Evaluation(self.c, self.lets, self.roots, observers)
        held = bool(evaluation.run(rule.expr, live))
        return held, condition_steps(rule.expr, evaluation, record)

    def seen(self, rule: _Rule) -> tuple[bool, list[Step], bool]:
        """(held, steps, reached): what the rule saw when asked, or, for a rule the
        question never asked, what it would have seen."""
        if rule.ref in self.asked:
            return (*self.asked[rule.ref], True)
        return (*self._evaluate(rule, live=False), False)


def _show(ref: RuleRef, show: ast.Show, on: Compiled | None, c) -> ViewResult:
    """A view's answer: what the matched rule shows, its `on` evaluated."""
    return ViewResult(
        show.display.value,
        bool(on(c)) if on is not None else False,
        show.mode.value if show.mode is not None else None,
        show.message.value if show.message is not None else None,
        ref,
    )


def describe_view(v: ViewResult) -> str:
    if v.display != "toggle":
        return v.display + (f" (message {v.message})" if v.message else "")
    text = f"toggle {'ON' if v.on else 'OFF'}, {v.mode}"
    return text + (f", message {v.message}" if v.message else "")


def _nowhere() -> Span:
    return Span("<no policy>", 1, 1, 1, 2)


def rule_files(paths: Iterable[Path | str] | None) -> list[Path]:
    """The rule files named (a directory: every `*.rules` in it, sorted)."""
    if paths is None:
        paths = [SHIPPED_RULES_DIR]
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(p.glob(f"*{RULE_SUFFIX}")))
        else:
            out.append(p)
    return out
