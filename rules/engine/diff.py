"""`miteam rules diff OLD NEW`: the semantic difference of two rule sets.

Both sets' expressions are read into one space per operation (`abstract.build_joint`), so
a state tells apart whatever either set tells apart; in each state both sets are asked the
same questions (what the view shows, what the policy decides, what follows), and every
state where an answer differs is listed, grouped by the rules that decided, old → new.
A renamed rule that answers the same is no difference. A setting declared with another
value (`setting expiring_days = 30` → 45) is one, listed by name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .. import schema
from . import abstract
from .ruleset import RuleSet, describe_view
from .verify import _USER_OPS, _exprs_after, _exprs_policy, _exprs_view, _lit


@dataclass
class Change:
    """One question answered differently in a group of states."""

    question: str  # "view miteam" | "policy license.set" | "after integration.set"
    old_rule: str
    new_rule: str
    old: str
    new: str
    space: str
    states: list[dict] = field(default_factory=list)  # each: {path: value} of the space

    def as_dict(self) -> dict:
        return {"question": self.question, "old_rule": self.old_rule,
                "new_rule": self.new_rule, "old": self.old, "new": self.new,
                "space": self.space, "count": len(self.states), "states": self.states}


@dataclass
class DiffReport:
    changes: list[Change]
    states: int  # abstract states compared
    # Settings whose value differs: name → (old, new).
    settings: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        return sum(len(c.states) for c in self.changes)

    @property
    def same(self) -> bool:
        return not self.changes and not self.settings

    def as_dict(self) -> dict:
        return {"same": self.same, "states": self.states, "changed": self.changed,
                "settings": {k: {"old": a, "new": b} for k, (a, b) in self.settings.items()},
                "changes": [c.as_dict() for c in self.changes]}


def _plan(rules: RuleSet) -> dict[str, tuple[list, dict]]:
    out: dict[str, tuple[list, dict]] = {}
    view = _exprs_view(rules)
    for op in _USER_OPS:
        exprs = _exprs_policy(rules, op) + _exprs_after(rules, op)
        out[op] = ((view if op == schema.LICENSE_SET else []) + exprs,
                   dict(schema.CONTEXTS[schema.LICENSE_SET]))
    for op in set(rules.program.policies) | set(rules.program.afters):
        if op not in _USER_OPS:
            out[op] = (_exprs_policy(rules, op) + _exprs_after(rules, op),
                       dict(schema.CONTEXTS[op]))
    return out


def _answers(rules: RuleSet, space: str, state: dict, views: bool) -> dict[str, tuple]:
    """question → (rule, answer in words)."""
    out: dict[str, tuple[str, str]] = {}
    if views:
        for product in schema.PRODUCTS:
            if product in rules.program.views:
                v = rules.view(product, {**state, "product": product})
                out[f"view {product}"] = (v.rule.name, describe_view(v))
            else:
                out[f"view {product}"] = ("-", "no view")
    d = rules.decide(space, state)
    out[f"policy {space}"] = (d.rule.name.replace(f"{space}.default", "default"),
                              "allowed" if d.allowed else f"refused because {d.because}")
    effects = rules.consequences(space, state) if d.allowed else []
    out[f"after {space}"] = (", ".join(dict.fromkeys(e.rule.name for e in effects)) or "-",
                             "; ".join(f"{e.action} {e.product} "
                                       f"{'to' if e.action == 'grant' else 'from'} {e.target}"
                                       for e in effects) or "nothing")
    return out


def diff(old: RuleSet, new: RuleSet) -> DiffReport:
    plan_old, plan_new = _plan(old), _plan(new)
    groups: dict[tuple, Change] = {}
    seen: dict[str, set] = {}
    total = 0
    for name in sorted(set(plan_old) | set(plan_new)):
        roots = (plan_old.get(name) or plan_new[name])[1]
        space = abstract.build_joint(name, [
            (plan_old.get(name, ([], {}))[0], old.program.lets),
            (plan_new.get(name, ([], {}))[0], new.program.lets)], roots)
        total += len(space.states)
        varied = [p for p in space.candidates if len(space.candidates[p]) > 1] \
            + [p for p in abstract.DERIVED if p in space.reads.fields]
        views = name == schema.LICENSE_SET
        for state in space.states:
            a = _answers(old, name, state, views)
            b = _answers(new, name, state, views)
            for question, (rule_a, text_a) in a.items():
                rule_b, text_b = b[question]
                if text_a == text_b:
                    continue
                shown = {p: abstract.get(state, p) for p in _relevant(question, varied)}
                key_state = tuple(sorted(shown.items(), key=lambda kv: kv[0]))
                if key_state in seen.setdefault(question, set()):
                    continue  # the view does not read `value`: one state, not two
                seen[question].add(key_state)
                key = (question, rule_a, rule_b, text_a, text_b)
                change = groups.setdefault(key, Change(question, rule_a, rule_b, text_a,
                                                       text_b, name))
                change.states.append(shown)
    settings = {name: (old.setting(name), new.setting(name)) for name in schema.SETTINGS
                if old.setting(name) != new.setting(name)}
    return DiffReport(list(groups.values()), total, settings)


def _relevant(question: str, varied: list[str]) -> list[str]:
    if question.startswith("view "):
        return [p for p in varied if p != "value"]
    return varied


def state_line(state: dict, fmt: Callable[[object], str] = _lit) -> str:
    return ", ".join(f"{p} = {fmt(v)}" for p, v in state.items())
