"""`miteam rules verify`: every property checked over every abstract state the rules observe.

Built on RuleSet's public questions (`view`, `decide`, `consequences`) over the states
`abstract.build` enumerates, so what is proved is what the engine answers. Properties:

- total: every view and policy answers in every state (no comparison with none, say);
- deterministic: the same state gives the same answer, whatever order its fields are in;
- screen_switch: where the operator can see the screen (`account.read`), a toggle shown
  editable can be switched to its other state; one shown read-only or disabled, or "No
  licenses", is refused, and with the message the screen shows, where it shows one;
- toggle_shows_stored: a toggle shows the stored license;
- consequence_explained: after an operation and what follows it, a toggle still shows the
  stored license (the view can explain it);
- deny_never_fires / allow_never_fires: a rule that decides in no state (it never holds,
  or only where a rule above or a deny already decided);
- assert NAME: the author's `assert never|always` blocks.

A violation keeps its smallest witness (the states come cheapest first).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import schema
from ..lang import ast
from ..lang.compiler import compile_expr
from ..lang.errors import Span
from . import abstract
from .ruleset import Decision, RuleRef, RuleSet, ViewResult

# The spaces: a user's screen with the switches made on it, each operation with what
# follows it (and the view, to see what a consequence leaves), and every other policy.
_USER_OPS = ("license.set", "micollab.set")


@dataclass
class Finding:
    """One violated property, with its smallest counter-example."""

    prop: str
    text: str
    rules: list[RuleRef] = field(default_factory=list)
    space: str = ""
    state: dict | None = None
    fields: list[str] = field(default_factory=list)  # the paths the space varies
    op: str | None = None  # the operation the counter-example makes, if any
    value: bool | None = None
    shown: ViewResult | None = None
    shown_after: ViewResult | None = None
    decision: Decision | None = None
    expected: str = ""  # what the property wanted, in scenario terms
    states: int = 1  # how many abstract states violate it

    def record_lines(self) -> list[str]:
        if self.state is None:
            return []
        return [f"{p} = {_lit(abstract.get(self.state, p))}" for p in self.fields]

    def as_dict(self) -> dict:
        return {
            "property": self.prop, "message": self.text, "space": self.space,
            "rules": [r.as_dict() for r in self.rules], "states": self.states,
            "counterexample": {p: abstract.get(self.state, p) for p in self.fields}
            if self.state is not None else None,
            "operation": self.op, "value": self.value,
        }


def _lit(v: object) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    return f'"{v}"' if isinstance(v, str) else str(v)


@dataclass
class Report:
    spaces: list[abstract.Space]
    findings: list[Finding]
    checked: list[str]  # the properties checked, by name

    @property
    def size(self) -> int:
        return sum(len(s.states) for s in self.spaces)

    def as_dict(self) -> dict:
        return {
            "ok": not self.findings, "states": self.size,
            "spaces": [{"name": s.name, "states": len(s.states), "tried": s.tried,
                        "fields": {p: cells for p, cells in s.partitions()}}
                       for s in self.spaces],
            "properties": self.checked,
            "findings": [f.as_dict() for f in self.findings],
        }


def _exprs_view(rules: RuleSet) -> list[ast.Expr]:
    out: list[ast.Expr] = []
    for view in rules.program.views.values():
        for r in view.rules:
            out += [e for e in (r.when, r.show.on) if e is not None]
    return out


def _exprs_policy(rules: RuleSet, op: str) -> list[ast.Expr]:
    p = rules.program.policies.get(op)
    return [d.when for d in p.decisions if d.when is not None] if p else []


def _exprs_after(rules: RuleSet, op: str) -> list[ast.Expr]:
    a = rules.program.afters.get(op)
    return [r.when for r in a.rules] if a else []


def _space_plan(rules: RuleSet) -> list[tuple[str, list[ast.Expr], dict]]:
    """(name, expressions, roots) per space."""
    plan = []
    user_roots = dict(schema.CONTEXTS["license.set"])
    view = _exprs_view(rules)
    asserts = [a.expr for a in rules.program.asserts.values()]
    for op in _USER_OPS:
        exprs = view + _exprs_policy(rules, op) + _exprs_after(rules, op) \
            + _exprs_policy(rules, "account.read")
        if op == "license.set":
            exprs += asserts
        plan.append((op, exprs, user_roots))
    ops = sorted(set(rules.program.policies) | set(rules.program.afters))
    for op in ops:
        if op in _USER_OPS:
            continue
        exprs = _exprs_policy(rules, op) + _exprs_after(rules, op)
        roots = dict(schema.CONTEXTS[op])
        if op in rules.program.afters:  # what follows reaches users: see their screen
            exprs += view
            roots = {**schema.CONTEXTS["view"], **roots}
        plan.append((op, exprs, roots))
    return plan


def verify(rules: RuleSet) -> Report:
    spaces = [abstract.build(name, exprs, rules.program.lets, roots)
              for name, exprs, roots in _space_plan(rules)]
    checker = _Checker(rules)
    for space in spaces:
        checker.space(space)
    checker.dead_rules()
    return Report(spaces, checker.result(), checker.checked)


class _Checker:
    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.found: dict[tuple, Finding] = {}
        self.decided: set[str] = set()  # rules that decided somewhere
        self.checked = ["total", "deterministic", "screen_switch", "toggle_shows_stored",
                        "consequence_explained", "deny_never_fires", "allow_never_fires",
                        *(f"assert {n}" for n in rules.program.asserts)]
        self._asserts = [
            (a, compile_expr(a.expr, rules.program.lets, frozenset(schema.ASSERT_CONTEXT),
                             a.name.span.file))
            for a in rules.program.asserts.values()]

    def result(self) -> list[Finding]:
        return list(self.found.values())

    def _add(self, key: tuple, finding: Finding) -> None:
        if key in self.found:
            self.found[key].states += 1
        else:
            self.found[key] = finding

    def _base(self, space: abstract.Space, state: dict, **kw) -> dict:
        return {"space": space.name, "state": state,
                "fields": [p for p in space.candidates if len(space.candidates[p]) > 1]
                + [p for p in abstract.DERIVED if p in space.reads.fields], **kw}

    # One space ----------------------------------------------------------------------
    def space(self, space: abstract.Space) -> None:
        ops = [space.name] if space.name in self.rules.program.policies else []
        views = list(self.rules.program.views) if "user" in space.roots else []
        for state in space.states:
            answers = self._total(space, state, ops, views)
            if answers is None:
                continue
            if space.name in _USER_OPS:
                for product, shown in zip(views, answers["views"], strict=True):
                    self._stored(space, state, product, shown)
                    if space.name == "license.set":
                        self._screen_switch(space, state, product, shown)
                        self._asserts_hold(space, state, product, shown)
            if space.name in self.rules.program.afters and views:
                self._consequences(space, state, views)

    def _total(self, space, state, ops, views) -> dict | None:
        try:
            views_now = [self.rules.view(p, state) for p in views]
            decisions = [self.rules.decide(op, state) for op in ops]
            again = _reordered(state)
            if [self.rules.view(p, again) for p in views] != views_now \
                    or [self.rules.decide(op, again) for op in ops] != decisions:
                self._add(("deterministic", space.name), Finding(
                    "deterministic", f"{space.name}: the same state gave two answers",
                    **self._base(space, state)))
        except Exception as exc:  # noqa: BLE001 - any failure to answer is the finding
            self._add(("total", space.name), Finding(
                "total", f"{space.name}: no answer in this state ({exc})",
                **self._base(space, state)))
            return None
        for d in decisions:
            self.decided.add(d.rule.name)
        return {"views": views_now, "decisions": decisions}

    def _stored(self, space, state, product, shown: ViewResult) -> None:
        stored = state["user"]["licenses"][product]
        if shown.display == "toggle" and shown.on != stored:
            self._add(("toggle_shows_stored", shown.rule.name), Finding(
                "toggle_shows_stored",
                f"view {product}: rule '{shown.rule.name}' shows the toggle "
                f"{'ON' if shown.on else 'OFF'} while the stored license is "
                f"{'on' if stored else 'off'}",
                [shown.rule], shown=shown, expected="toggle shows stored",
                **self._base(space, state)))

    def _screen_switch(self, space, state, product, shown: ViewResult) -> None:
        if not self.rules.decide("account.read", state).allowed:
            return  # the operator never sees this screen
        stored = state["user"]["licenses"][product]
        value = not shown.on if shown.display == "toggle" else not stored
        switch = {**state, "value": value, "product": product}
        d = self.rules.decide("license.set", switch)
        editable = shown.display == "toggle" and shown.mode == "editable"
        words = _describe(shown)
        if editable and not d.allowed:
            text = (f"the screen shows {words} (rule '{shown.rule.name}'), but switching it "
                    f"{'on' if value else 'off'} is refused by '{d.rule.name}' "
                    f"because {d.because}")
        elif not editable and d.allowed:
            text = (f"the screen shows {words} (rule '{shown.rule.name}'), but switching it "
                    f"{'on' if value else 'off'} is allowed by '{d.rule.name}'")
        elif shown.display == "toggle" and not editable and shown.message \
                and d.because != shown.message:
            text = (f"the screen shows {words} with message '{shown.message}' (rule "
                    f"'{shown.rule.name}'), but the refusal says '{d.because}' "
                    f"(rule '{d.rule.name}')")
        else:
            return
        self._add(("screen_switch", shown.rule.name, d.rule.name), Finding(
            "screen_switch", text, [shown.rule, d.rule], op="license.set", value=value,
            shown=shown, decision=d, expected="done" if editable else "refused",
            **self._base(space, switch)))

    def _asserts_hold(self, space, state, product, shown: ViewResult) -> None:
        if not self._asserts:
            return
        value = not state["user"]["licenses"][product]
        switch = {**state, "value": value, "product": product}
        d = self.rules.decide("license.set", switch)
        c = {**switch,
             "shown": {"display": shown.display, "on": shown.on, "mode": shown.mode,
                       "message": shown.message, "rule": shown.rule.name},
             "switch": {"value": value, "allowed": d.allowed, "because": d.because,
                        "rule": d.rule.name}}
        for a, fn in self._asserts:
            try:
                holds = bool(fn(c))
            except TypeError as exc:
                holds, why = (a.kind == "always"), f" (cannot evaluate: {exc})"
            else:
                why = ""
            if holds == (a.kind == "never"):
                message = self.rules.message(a.because.value, "en")
                self._add(("assert", a.name.value), Finding(
                    f"assert {a.name.value}",
                    f"assert {a.kind} {a.name.value} fails: {message}{why}",
                    [RuleRef(a.name.value, a.name.span)], op="license.set", value=value,
                    shown=shown, decision=d, expected="observed",
                    **self._base(space, switch)))

    def _consequences(self, space, state, views) -> None:
        op = space.name
        if not self.rules.decide(op, state).allowed:
            return
        after = _apply_operation(op, state)
        effects = self.rules.consequences(op, after)
        if not effects:
            return
        for e in effects:
            if e.target in ("user", "account.users"):
                after["user"] = {**after["user"], "licenses": {
                    **after["user"]["licenses"], e.product: e.action == "grant"}}
        for product in views:
            shown = self.rules.view(product, after)
            stored = after["user"]["licenses"][product]
            if shown.display == "toggle" and shown.on != stored:
                self._add(("consequence_explained", op, shown.rule.name), Finding(
                    "consequence_explained",
                    f"after {op} and '{effects[0].rule.name}', the stored license is "
                    f"{'on' if stored else 'off'} but rule '{shown.rule.name}' shows "
                    f"{_describe(shown)}",
                    [effects[0].rule, shown.rule], op=op, value=state.get("value"),
                    shown=self.rules.view(product, state), shown_after=shown,
                    expected="toggle shows stored", **self._base(space, state)))

    # Across spaces ------------------------------------------------------------------
    def dead_rules(self) -> None:
        for op, policy in self.rules.program.policies.items():
            for d in policy.decisions:
                if d.effect == "default" or d.name.value in self.decided:
                    continue
                ref = RuleRef(d.name.value, d.name.span)
                above = "a deny above" if d.effect == "deny" else "a deny or an allow above"
                self._add((f"{d.effect}_never_fires", d.name.value), Finding(
                    f"{d.effect}_never_fires",
                    f"policy {op}: {d.effect} '{d.name.value}' decides in no state: it "
                    f"never holds, or only where {above} already decided", [ref]))


def _reordered(state: Mapping) -> dict:
    """The same state with every record's fields in reverse order."""
    return {k: _reordered(v) if isinstance(v, dict) else v
            for k, v in reversed(list(state.items()))}


def _apply_operation(op: str, state: dict) -> dict:
    """The records after the operation itself (before what follows it)."""
    after = {**state, "account": {**state["account"],
                                  "integrations": dict(state["account"]["integrations"])}}
    if op == "integration.set":
        after["account"]["integrations"][state["integration"]] = state["value"]
    elif op in _USER_OPS and "user" in state:
        product = state.get("product", "miteam")
        after["user"] = {**state["user"], "licenses": {**state["user"]["licenses"],
                                                        product: state["value"]}}
    return after


def _describe(v: ViewResult) -> str:
    if v.display != "toggle":
        return f'"{v.message or v.display}"'
    return f"the toggle {'ON' if v.on else 'OFF'}, {v.mode}"


def nowhere(file: str) -> Span:
    return Span(file, 1, 1, 1, 2)
