"""Which rules and which branches of their conditions the rule tests reached.

`Coverage` observes the engine's traced evaluation (`RuleSet.view(..., observer=...)` and
friends): the engine asks the rules in its order, the evaluation hands over every part of
a condition with its value, and the parts the compiled rules skip (`and` / `or`
short-circuit) are not counted. It counts:
- per rule: how often it was asked (reached) and how often its condition held (fired);
  a default counts as fired when it decided;
- per condition, which is a rule's whole `when` and every part joined by `and` / `or`
  (inside named conditions too): how often it was true and how often false.
A rule that never fired and a condition never true or never false are what a test is
missing; `report()` lists them with file:line:column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import schema
from . import ast
from .checker import Program
from .errors import Span
from .evaluate import let_of
from .printer import unparse


@dataclass
class RuleCount:
    name: str
    kind: str  # rule | default | deny | allow | consequence
    where: str  # "view miteam", "policy license.set", "after integration.set"
    span: Span
    reached: int = 0
    fired: int = 0
    impossible: str | None = None  # why no test can make it fire (left out of the totals)

    def as_dict(self) -> dict:
        return {"rule": self.name, "kind": self.kind, "in": self.where, "at": str(self.span),
                "reached": self.reached, "fired": self.fired, "impossible": self.impossible}


@dataclass
class BranchCount:
    text: str
    owner: str  # the rule, or the named condition (`let`) it belongs to
    span: Span
    true: int = 0
    false: int = 0
    # Sides no test can reach ("true"/"false" → why), left out of the totals.
    impossible: dict[str, str] = field(default_factory=dict)

    @property
    def possible(self) -> list[str]:
        return [side for side in ("true", "false") if side not in self.impossible]

    @property
    def missing(self) -> list[str]:
        counts = {"true": self.true, "false": self.false}
        return [side for side in self.possible if counts[side] == 0]

    def as_dict(self) -> dict:
        return {"condition": self.text, "in": self.owner, "at": str(self.span),
                "true": self.true, "false": self.false, "impossible": self.impossible}


@dataclass
class Summary:
    rules: int
    rules_fired: int
    branches: int  # two per condition: true and false
    branches_reached: int

    @property
    def rule_percent(self) -> float:
        return 100.0 * self.rules_fired / self.rules if self.rules else 100.0

    @property
    def branch_percent(self) -> float:
        return 100.0 * self.branches_reached / self.branches if self.branches else 100.0

    def as_dict(self) -> dict:
        return {"rules": self.rules, "rules_fired": self.rules_fired,
                "rule_percent": round(self.rule_percent, 1), "branches": self.branches,
                "branches_reached": self.branches_reached,
                "branch_percent": round(self.branch_percent, 1)}


@dataclass
class Coverage:
    """Counts over one program: every rule and condition registered once, then fed what
    the traced evaluation of every decision the tests ask for observed."""

    program: Program
    rules: dict[tuple[str, str], RuleCount] = field(default_factory=dict)  # (where, name)
    branches: dict[Span, BranchCount] = field(default_factory=dict)

    def __post_init__(self) -> None:
        p = self.program
        for product, view in p.views.items():
            roots = frozenset(schema.CONTEXTS["view"])
            for r in view.rules:
                self._rule(f"view {product}", r.name.value,
                           "default" if r.when is None else "rule", r.name.span, r.when, roots)
        for op, policy in p.policies.items():
            roots = frozenset(schema.CONTEXTS.get(op, {}))
            where = f"policy {op}"
            for effect in ("deny", "allow"):
                for d in policy.decisions:
                    if d.effect == effect:
                        self._rule(where, d.name.value, effect, d.name.span, d.when, roots)
            default = next((d for d in policy.decisions if d.effect == "default"), None)
            span = default.span if default is not None else policy.op.span
            self._rule(where, f"{op}.default", "default", span, None, roots)
            self._impossible(policy)
        for op, after in p.afters.items():
            roots = frozenset(schema.CONTEXTS.get(op, {}))
            for r in after.rules:
                self._rule(f"after {op}", r.name.value, "consequence", r.name.span, r.when,
                           roots)

    # Building -------------------------------------------------------------------
    def _rule(self, where: str, name: str, kind: str, span: Span, when: ast.Expr | None,
              roots: frozenset[str]) -> None:
        self.rules[(where, name)] = RuleCount(name, kind, where, span)
        if when is not None:
            self._branches(when, name, roots, root=True, seen=())

    def _impossible(self, policy: ast.Policy) -> None:
        """Allows are asked only when every deny was false. So a part of an allow that
        says the opposite of a deny (`deny x when not m` / `allow y when m`) is never false
        when asked, one that says the same is never true; and when a whole allow condition
        is the opposite of a deny, the default can never decide. Tests cannot reach these
        sides, so they do not count against coverage."""
        op = policy.op.value
        denies = {unparse(d.when): d.name.value for d in policy.decisions
                  if d.effect == "deny" and d.when is not None}
        for d in policy.decisions:
            if d.effect != "allow" or d.when is None:
                continue
            parts = d.when.operands if isinstance(d.when, ast.BoolOp) and d.when.op == "and" \
                else (d.when,)
            for part in parts:
                branch = self.branches.get(part.span)
                if branch is None:
                    continue
                if _negation(part) in denies:
                    branch.impossible["false"] = (
                        f"deny '{denies[_negation(part)]}' refuses first when it is false")
                if unparse(part) in denies:
                    branch.impossible["true"] = (
                        f"deny '{denies[unparse(part)]}' refuses first when it is true")
            whole = _negation(d.when)
            always = isinstance(d.when, ast.Literal) and d.when.value is True
            if whole in denies or always:
                default = self.rules[(f"policy {op}", f"{op}.default")]
                default.impossible = (
                    f"every case is refused by '{denies[whole]}' or allowed by "
                    f"'{d.name.value}'" if not always else f"'{d.name.value}' always allows")

    def _branches(self, e: ast.Expr, owner: str, roots: frozenset[str], root: bool,
                  seen: tuple[str, ...]) -> None:
        """Register the conditions of `e`: itself when it is a rule's whole condition or
        a part of `and` / `or`, then its parts and the named conditions it uses."""
        if root and e.span not in self.branches:
            self.branches[e.span] = BranchCount(unparse(e), owner, e.span)
        let = let_of(e, self.program.lets, roots)
        if let is not None and let.name.value not in seen:
            # The definition's own value is its use's value, counted where it is used;
            # its parts are counted once for every use.
            self._branches(let.expr, let.name.value, roots, False, (*seen, let.name.value))
        elif isinstance(e, ast.BoolOp):
            for o in e.operands:
                self._branches(o, owner, roots, True, seen)
        elif isinstance(e, ast.Not):
            self._branches(e.operand, owner, roots, False, seen)

    # Observing the traced evaluation ----------------------------------------------------
    def rule(self, where: str, name: str, held: bool) -> None:
        """A question asked this rule (a default: it decided, or a view reached it)."""
        count = self.rules.get((where, name))
        if count is not None:
            count.reached += 1
            count.fired += held

    def value(self, e: ast.Expr, value: object, needed: bool, live: bool) -> None:
        """A part of a condition got its value; counted when the compiled rule evaluates
        it too (`and` / `or` short-circuit)."""
        branch = self.branches.get(e.span) if live else None
        if branch is not None:
            if value:
                branch.true += 1
            else:
                branch.false += 1

    # Reporting ---------------------------------------------------------------------
    def summary(self) -> Summary:
        rules = [r for r in self.rules.values() if r.impossible is None]
        branches = list(self.branches.values())
        return Summary(len(rules), sum(r.fired > 0 for r in rules),
                       sum(len(b.possible) for b in branches),
                       sum(len(b.possible) - len(b.missing) for b in branches))

    def impossible(self) -> int:
        """How many rules and branches no test can reach (left out of the totals)."""
        return (sum(r.impossible is not None for r in self.rules.values())
                + sum(len(b.impossible) for b in self.branches.values()))

    def uncovered_rules(self) -> Iterator[RuleCount]:
        return (r for r in self.rules.values() if r.fired == 0 and r.impossible is None)

    def uncovered_branches(self) -> Iterator[BranchCount]:
        return (b for b in self.branches.values() if b.missing)

    def report(self) -> list[str]:
        """The summary line, then every rule no test fired and every condition no test made
        true (or false), in file order, as `file:line:col: ...`."""
        s = self.summary()
        out = [f"coverage: {s.rules_fired}/{s.rules} rules fired ({s.rule_percent:.0f}%), "
               f"{s.branches_reached}/{s.branches} condition branches ({s.branch_percent:.0f}%)"]
        found: list[tuple[Span, str]] = []
        for r in self.uncovered_rules():
            what = "was never reached" if r.reached == 0 else "never fired"
            if r.kind == "default":
                what = "never decided"
            found.append((r.span, f"{r.kind} '{r.name}' in {r.where} {what}"))
        for b in self.uncovered_branches():
            sides = " nor ".join(b.missing) if len(b.missing) == 2 else b.missing[0]
            found.append((b.span, f"`{b.text}` in '{b.owner}' was never {sides}"))
        found.sort(key=lambda x: (x[0].file, x[0].line, x[0].column))
        out.extend(f"  {span}: {text}" for span, text in found)
        if self.impossible():
            n = self.impossible()
            what = "rule or branch" if n == 1 else "rules or branches"
            out.append(f"  ({n} {what} that no test can reach are left out: see --json)")
        return out

    def as_dict(self) -> dict:
        return {"summary": self.summary().as_dict(),
                "rules": [r.as_dict() for r in self.rules.values()],
                "conditions": [b.as_dict() for b in self.branches.values()]}


def _negation(e: ast.Expr) -> str:
    """The text of `not e`, written the way the printer writes it."""
    if isinstance(e, ast.Not):
        return unparse(e.operand)
    return unparse(ast.Not(e, e.span))
