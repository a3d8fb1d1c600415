"""Parser and checker robustness (DESIGN.md section 7): mutated and random rule text and
rule tests give either a result or the product's own error (RuleError) with located
diagnostics: never another exception, never a hang. Bounded so the suite stays fast."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import schema
from rules.engine.ruleset import RuleSet
from rules.engine.tester import check_tests, run_tests, world
from rules.lang.checker import check
from rules.lang.coverage import Coverage
from rules.lang.errors import RuleError
from rules.lang.formatter import format_source
from rules.lang.parser import parse
from rules.lang.ruletests import parse_tests
from rules.paths import SHIPPED_RULES_DIR
from tests.language.rulegen import rule_files

SOURCES = [p.read_text(encoding="utf-8") for p in sorted(SHIPPED_RULES_DIR.glob("*.rules"))]
assert SOURCES, f"no shipped rule files in {SHIPPED_RULES_DIR}"
TESTS = [p.read_text(encoding="utf-8") for p in sorted(SHIPPED_RULES_DIR.glob("*.test"))]
PIECES = ["{", "}", "(", ")", "[", "]", ",", ".", "=", "==", "<=", "!", "&&", "'", '"', "#",
          "\n", " ", "-", "+", "when", "not", "and", "or", "in", "show", "because", "deny",
          "allow", "default", "rule", "view", "policy", "after", "let", "message", "true",
          "none", "0", "99", "X", "é", "\t", "\\", "given", "expect", "test", "shows",
          "refused", "allowed", "by", "with", "revokes", "nothing"]
INCOMPLETE = ("no view for product", "no policy for")
LIMITS = settings(max_examples=120, deadline=3000,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def mutated(draw, sources: list[str]) -> str:
    text = draw(st.sampled_from(sources))
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 40)))
        kind = draw(st.sampled_from(["delete", "insert", "replace", "duplicate"]))
        piece = draw(st.sampled_from(PIECES))
        if kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "insert":
            text = text[:i] + piece + text[i:]
        elif kind == "replace":
            text = text[:i] + piece + text[j:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text


def assert_located(exc: RuleError, source: str) -> None:
    assert exc.diagnostics
    lines = source.splitlines() or [""]
    for d in exc.diagnostics:
        assert d.severity in ("error", "warning")
        assert d.span.line >= 1 and d.span.column >= 1
        assert d.span.line <= max(1, len(lines))
        assert d.message and "__ANON" not in d.message and "$END" not in d.message
        d.render(source)  # renders without failing, caret and all


def parse_check_run(source: str) -> None:
    """Everything a rule file goes through: parse, check, format, compile, decide."""
    try:
        rf = parse(source, "m.rules")
    except RuleError as exc:
        assert_located(exc, source)
        return
    once = format_source(source, "m.rules")
    assert format_source(once, "m.rules") == once
    program, diagnostics = check([rf])
    for d in diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1
    # One file is rarely a complete rule set; what it does define still gets evaluated.
    if any(d.severity == "error" and not d.message.startswith(INCOMPLETE)
           for d in diagnostics):
        return
    rules = RuleSet(program, diagnostics, {"m.rules": source}, [])
    records = world([])
    for op in program.policies:
        rules.explain_decision(op, {k: records[k] for k in schema.CONTEXTS[op]})
    for product in program.views:
        ctx = {k: records[k] for k in schema.CONTEXTS["view"]}
        rules.explain_view(product, ctx)
    for op in program.afters:
        rules.explain_consequences(op, {k: records[k] for k in schema.CONTEXTS[op]})


@LIMITS
@given(mutated(SOURCES))
def test_mutated_rule_files_give_a_result_or_a_located_rule_error(source):
    parse_check_run(source)


@LIMITS
@given(st.text(max_size=300))
def test_random_text_gives_a_located_rule_error_or_parses(source):
    parse_check_run(source)


@LIMITS
@given(rule_files())
def test_generated_rule_files_parse_check_and_evaluate_without_crashing(source):
    parse_check_run(source)


SHIPPED = RuleSet.load([SHIPPED_RULES_DIR])


@LIMITS
@given(mutated(TESTS) | st.text(max_size=200))
def test_mutated_rule_tests_give_a_result_or_a_located_rule_error(source):
    rules = SHIPPED
    try:
        tf = parse_tests(source, "m.test")
    except RuleError as exc:
        assert_located(exc, source)
        return
    diagnostics = check_tests([tf], rules)
    for d in diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1
        d.render(source)
    if not any(d.severity == "error" for d in diagnostics):
        for result in run_tests([tf], rules, Coverage(rules.program)):
            for failure in result.failures:
                assert failure.trace and failure.got


def test_a_pathological_input_is_fast():
    # Deep nesting and a long line of errors: answered, not hung.
    deep = "let a = " + "(" * 300 + "b" + ")" * 300
    assert parse(deep).items
    many = "\n".join(f"let x{i} = = {i}" for i in range(500))
    try:
        parse(many)
    except RuleError as exc:
        assert 1 < len(exc.diagnostics) <= 20


# Deep nesting and huge literals (issue 15): a located error from the limits, never a
# RecursionError or Python's own int-conversion error, whatever the depth or size.
@st.composite
def extreme(draw) -> str:
    depth = draw(st.integers(1, 6000))
    kind = draw(st.sampled_from(["not", "paren", "plus", "digits", "text"]))
    if kind == "not":
        expr = "not " * depth + "operator.role == \"support\""
    elif kind == "paren":
        expr = "(" * depth + "true" + ")" * depth
    elif kind == "plus":
        expr = "account.orders" + " + 1" * depth + " > 0"
    elif kind == "digits":
        expr = "account.orders == " + "9" * depth
    else:
        expr = 'operator.role == "' + "x" * depth * 3 + '"'
    source = draw(st.sampled_from(SOURCES))
    return source + f"\nlet extreme_{kind} = {expr}\n"


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(extreme())
def test_deep_nesting_and_huge_literals_give_a_located_error_or_a_result(source):
    parse_check_run(source)


def test_5000_nots_and_a_5000_digit_number_are_located_errors():
    for expr, message in (("not " * 5000 + "true", "nested more than"),
                          ("account.orders == " + "1" * 5000, "5000 digits")):
        try:
            parse(f"let a = {expr}\n", "deep.rules")
        except RuleError as exc:
            (d,) = exc.diagnostics
            assert message in d.message and d.span.line == 1 and d.span.column > 1
        else:
            raise AssertionError("accepted")
