"""One evaluator: the compiled rules (decisions) and the traced evaluation (explanations,
coverage) give the same answer for every view, policy and consequence, on random
contexts over the schema, for the shipped rules and for generated rule files."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from rules import schema
from rules.engine.ruleset import RuleSet, describe_view, rule_files
from rules.lang.checker import check
from rules.lang.coverage import Coverage
from rules.lang.parser import parse
from rules.paths import SHIPPED_RULES_DIR
from rules.schema import Type
from tests.language.rulegen import checked_rule_files

_IDS = ["p-1", "p-2", "a-1", "a-2", "u-1", "op-1"]


def _value(t: Type) -> st.SearchStrategy[object]:
    if t.kind == "record":
        base: st.SearchStrategy[object] = st.fixed_dictionaries(
            {k: _value(f) for k, f in t.fields.items()})
    elif t.kind == "bool":
        base = st.booleans()
    elif t.kind == "int":
        base = st.integers(-1, 3)
    elif t.kind == "enum":
        base = st.sampled_from(t.values)
    else:  # str, users (an account id)
        base = st.sampled_from(_IDS)
    return st.none() | base if t.optional else base


# Every name any rule may read, once: each place's context is a part of one world.
_NAMES: dict[str, Type] = {}
for _context in schema.CONTEXTS.values():
    _NAMES.update(_context)


@st.composite
def contexts(draw) -> dict[str, dict[str, object]]:
    """Random records over the schema, as the context of every view and operation."""
    world = draw(st.fixed_dictionaries({k: _value(t) for k, t in _NAMES.items()}))
    return {place: {k: world[k] for k in names} for place, names in schema.CONTEXTS.items()}


def assert_one_evaluator(rules: RuleSet, cs: dict[str, dict[str, object]]) -> None:
    coverage = Coverage(rules.program)
    for product in rules.program.views:
        fast = rules.view(product, cs["view"])
        assert rules.view(product, cs["view"], coverage) == fast
        why = rules.explain_view(product, cs["view"])
        assert (why.answer, why.decided_by) == (describe_view(fast), fast.rule)
        assert [c.rule for c in why.candidates if c.decided] == [fast.rule]
    for op in schema.OPERATIONS:
        fast_d = rules.decide(op, cs[op])
        assert rules.decide(op, cs[op], coverage) == fast_d
        why = rules.explain_decision(op, cs[op])
        assert (why.answer == "allowed", why.decided_by, why.because) == (
            fast_d.allowed, fast_d.rule, fast_d.because)
    for op in rules.program.afters:
        fast_c = rules.consequences(op, cs[op])
        assert rules.consequences(op, cs[op], coverage) == fast_c
        assert [c.rule for c in rules.explain_consequences(op, cs[op]) if c.matched] == \
            list(dict.fromkeys(c.rule for c in fast_c))


@cache
def _shipped() -> RuleSet:
    return RuleSet.load([SHIPPED_RULES_DIR])


@settings(max_examples=100, deadline=None)
@given(contexts())
def test_compiled_and_traced_answers_agree_on_the_shipped_rules(cs):
    assert_one_evaluator(_shipped(), cs)


@cache
def _shipped_sources() -> tuple[tuple[str, str], ...]:
    return tuple((p.name, p.read_text(encoding="utf-8")) for p in rule_files(None)
                 if p.name != "licenses.rules")


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(checked_rule_files(), contexts())
def test_compiled_and_traced_answers_agree_on_generated_rules(text, cs):
    files = [parse(source, name) for name, source in _shipped_sources()]
    files.append(parse(text, "licenses.rules"))
    program, diagnostics = check(files)
    assume(not any(d.severity == "error" for d in diagnostics))
    sources = {f.path: f.source for f in files}
    assert_one_evaluator(RuleSet(program, diagnostics, sources, []), cs)


def test_coverage_counts_what_the_decision_asked():
    """The observer sees the engine's order: every deny, the allows only when no deny
    held, the default only when it decided."""
    shipped = _shipped()
    coverage = Coverage(shipped.program)
    c = {"operator": {"id": "op-1", "name": "O", "role": "support", "partner": None,
                      "account": None},
         "user": {"id": "u-1", "name": "U", "email": None, "account": "a-1",
                  "licenses": {"miteam": False}, "set_by": {"miteam": None}},
         "account": {"id": "a-1", "name": "A", "partner": "p-1",
                     "integrations": {"micollab": True, "miteam": True},
                     "licenses": {"miteam": {"total": 1, "assigned": 0, "available": 1}},
                     "orders": 1, "users": "a-1"},
         "partner": {"id": "p-1", "name": "P"}, "product": "miteam", "value": True}
    d = shipped.decide("license.set", c, coverage)
    assert (d.allowed, d.rule.name) == (False, "s4_micollab_manages")
    counts = {name: (r.reached, r.fired) for (where, name), r in coverage.rules.items()
              if where == "policy license.set"}
    assert counts["s4_micollab_manages"] == (1, 1)
    assert counts["outside_account"] == (1, 0)
    assert counts["s10_switch_standalone"] == (0, 0)  # a deny held: never asked
    assert counts["license.set.default"] == (0, 0)
