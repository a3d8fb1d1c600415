"""`miteam rules test`: tests beside the rules, failures with expected/got/trace, coverage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.engine.tester import _type_problem, check_tests, find_test_files, run_tests, world
from rules.lang.coverage import Coverage
from rules.lang.errors import RuleError
from rules.lang.ruletests import ROOTS, parse_tests
from rules.paths import SHIPPED_RULES_DIR


@pytest.fixture(scope="module")
def shipped() -> RuleSet:
    return RuleSet.load([SHIPPED_RULES_DIR])


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, target, ignore=shutil.ignore_patterns("__*"))
    return target


def load(text: str, rules: RuleSet, name: str = "t.test"):
    tf = parse_tests(text, name)
    assert [d for d in check_tests([tf], rules) if d.severity == "error"] == []
    return tf


def test_shipped_tests_pass_and_fire_every_shipped_rule(shipped):
    files = [parse_tests(p.read_text(), p.name) for p in find_test_files([SHIPPED_RULES_DIR])]
    assert {f.path for f in files} >= {"licenses.test", "integrations.test", "orders.test",
                                       "scope.test"}
    assert check_tests(files, shipped) == []
    coverage = Coverage(shipped.program)
    results = run_tests(files, shipped, coverage)
    assert results and all(r.passed for r in results), [
        (r.test.name, [f.got for f in r.failures]) for r in results if not r.passed]
    never = [f"{r.where} {r.name}" for r in coverage.uncovered_rules()]
    assert never == []
    assert coverage.summary().rule_percent == 100.0


def test_cli_runs_the_shipped_tests(miteam):
    r = miteam("rules", "test", "--coverage", json_out=False)
    assert r.code == 0, r.out + r.err
    assert "tests passed" in r.out and "failed" not in r.out
    assert "rules fired (100%)" in r.out


def test_defaults_fit_the_schema_and_available_follows_total_minus_assigned():
    records = world([])
    def walk(value, t, where):
        if t.kind == "record":
            assert set(value) == set(t.fields), where
            for k, sub in t.fields.items():
                walk(value[k], sub, f"{where}.{k}")
        elif t.kind != "users":
            assert _type_problem(t, value) is None, where
    for name, t in ROOTS.items():
        walk(records[name], t, name)
    assert records["account"]["licenses"]["miteam"]["available"] == 9
    tf = parse_tests('given account.licenses.miteam.total = 3\n'
                     'test "t" { given account.licenses.miteam.available = 7 }', "t.test")
    assert world(tf.givens)["account"]["licenses"]["miteam"]["available"] == 2
    assert world([*tf.givens, *tf.tests[0].givens])["account"]["licenses"]["miteam"][
        "available"] == 7


def test_file_givens_apply_to_every_test_and_with_to_one_expectation(shipped):
    tf = load('given account.integrations.micollab = true\n'
              'test "one" { expect view miteam by s7_micollab_no_license }\n'
              'test "two" {\n'
              '  expect view miteam with user.licenses.miteam = true by s6_micollab_license\n'
              '  expect view miteam by s7_micollab_no_license\n}\n', shipped)
    assert all(r.passed for r in run_tests([tf], shipped))


def test_available_follows_total_and_assigned_changed_by_with_too(shipped):
    tf = load('test "t" {\n  expect view miteam with account.licenses.miteam.total = 1 '
              'shows toggle off disabled by s12_none_left\n'
              '  expect view miteam by s10_standalone\n}\n', shipped)
    (result,) = run_tests([tf], shipped)
    assert result.passed, [f.got for f in result.failures]


def test_a_failing_test_shows_expected_got_and_the_trace(miteam, rules_copy):
    (rules_copy / "extra.test").write_text(
        'test "S6 as a wrong guess" {\n'
        '  given account.integrations.micollab = true, user.licenses.miteam = true\n'
        '  expect view miteam shows toggle on editable by s6_micollab_license\n}\n')
    r = miteam("rules", "test", str(rules_copy), json_out=False)
    assert r.code == 1
    assert "FAIL  " in r.out and "extra.test:1  S6 as a wrong guess" in r.out
    assert "extra.test:3:3: expected toggle ON, editable by s6_micollab_license" in r.out
    assert "got      toggle ON, readonly by s6_micollab_license" in r.out
    assert "→ rule s6_micollab_license" in r.out
    assert "account.integrations.micollab  →  true" in r.out
    assert "1 failed" in r.out
    data = miteam("rules", "test", str(rules_copy)).json
    (failed,) = [x for x in data["results"] if not x["passed"]]
    assert failed["failures"][0]["trace"]["decided_by"]["rule"] == "s6_micollab_license"


@pytest.mark.parametrize("expect, passes", [
    ("expect license.set refused because micollab_manages by s4_micollab_manages", True),
    ("expect license.set refused by s4_micollab_manages", True),
    ("expect license.set refused", True),
    ("expect license.set allowed", False),
    ("expect license.set refused because not_permitted", False),
    ("expect license.set with account.integrations.micollab = false allowed", True),
    ("expect micollab.set refused because not_your_account by default", False),
    ("expect micollab.set allowed by s4_micollab_server", True),
    ("expect after integration.set with integration = \"miteam\", value = false, "
     "account.integrations.micollab = false revokes miteam from account.users", True),
    ("expect after integration.set nothing", True),
    ("expect after integration.set revokes miteam from account.users", False),
    ("expect view miteam shows no_licenses message no_licenses", True),
    ("expect view miteam shows toggle", False),
])
def test_expectations_check_what_they_state(shipped, expect, passes):
    tf = load(f'test "t" {{\n  given account.integrations.micollab = true\n  {expect}\n}}\n',
              shipped)
    (result,) = run_tests([tf], shipped)
    assert result.passed is passes, [f.got for f in result.failures]


def test_mistakes_in_a_test_are_located_with_suggestions(shipped):
    tf = parse_tests('test "t" {\n  given acount.id = "x", user.licenses.miteam = 1\n'
                     '  expect license.sett allowed\n'
                     '  expect view miteam by s6_micolab_license\n}\n'
                     'test "t" { }\n', "t.test")
    found = {(d.span.line, d.severity, d.message, d.hint) for d in check_tests([tf], shipped)}
    assert (2, "error", "unknown name 'acount'", "did you mean 'account'?") in found
    assert any(line == 2 and "must be a flag" in msg for line, _, msg, _ in found)
    assert (3, "error", "no policy 'license.sett' in these rules",
            "did you mean 'license.set'?") in found
    assert any(line == 4 and hint == "did you mean 's6_micollab_license'?"
               for line, _, _, hint in found)
    assert any(line == 6 and "defined twice" in msg for line, _, msg, _ in found)
    assert any(line == 6 and "cannot fail" in msg for line, _, msg, _ in found)


def test_syntax_error_in_a_test_file_is_located_and_exits_2(miteam, rules_copy):
    (rules_copy / "bad.test").write_text('test "x" {\n  expect license.set allow\n}\n')
    r = miteam("rules", "test", str(rules_copy), json_out=False)
    assert r.code == 2
    assert "bad.test:2:22: error: unexpected name 'allow'" in r.err
    assert "hint: write `allowed` or `refused`" in r.err


def test_coverage_names_an_untested_rule_and_threshold_fails(miteam, rules_copy):
    orders = rules_copy / "orders.rules"
    orders.write_text(orders.read_text().replace(
        "  allow s2_partner_assigns",
        "  deny s2_expiring_soon\n    when order.expiring\n    because order_expired\n\n"
        "  allow s2_partner_assigns"))
    r = miteam("rules", "test", "--coverage", str(rules_copy), json_out=False)
    assert r.code == 0
    assert "orders.rules:36:8: deny 's2_expiring_soon' in policy order.assign never fired" \
        in r.out
    assert "orders.rules:37:10: `order.expiring` in 's2_expiring_soon' was never true" in r.out
    strict = miteam("rules", "test", "--threshold", "100", str(rules_copy), json_out=False)
    assert strict.code == 1 and "below the threshold 100%" in strict.err
    (rules_copy / "expiring.test").write_text(
        'test "an order that expires soon cannot be assigned" {\n'
        '  expect order.assign with order.expiring = true refused by s2_expiring_soon\n}\n')
    covered = miteam("rules", "test", "--threshold", "100", str(rules_copy), json_out=False)
    assert covered.code == 0, covered.out + covered.err
    assert "s2_expiring_soon" not in covered.out


def test_run_selects_tests_and_verbose_lists_them(miteam):
    r = miteam("rules", "test", "--run", "S12", "-v", json_out=False)
    assert r.code == 0
    lines = [line for line in r.out.splitlines() if line.startswith("PASS")]
    assert lines and all("S12" in line for line in lines)


def test_no_tests_found_is_bad_input(miteam, tmp_path):
    for rules in SHIPPED_RULES_DIR.glob("*.rules"):
        shutil.copy(rules, tmp_path / rules.name)
    r = miteam("rules", "test", str(tmp_path), json_out=False)
    assert r.code == 2 and "no rule tests" in r.err


def test_broken_rules_are_reported_before_any_test_runs(miteam, rules_copy):
    (rules_copy / "scope.rules").write_text("let is_support = operator.rol == \"support\"\n")
    r = miteam("rules", "test", str(rules_copy), json_out=False)
    assert r.code == 2 and "'operator' has no field 'rol'" in r.err


# Coverage observes the engine's one evaluation: tests/language/test_evaluator.py ---------


def test_impossible_sides_are_left_out_not_reported_as_gaps(shipped):
    coverage = Coverage(shipped.program)
    default = coverage.rules[("policy license.set", "license.set.default")]
    assert default.impossible and "outside_account" in default.impossible
    allow = next(b for b in coverage.branches.values()
                 if b.owner == "s10_switch_standalone" and b.text == "may_manage_account")
    assert "false" in allow.impossible and allow.possible == ["true"]


def test_a_rule_test_file_that_does_not_parse_raises_the_products_error():
    with pytest.raises(RuleError) as info:
        parse_tests('test "x" { given = 1 }', "x.test")
    (d,) = info.value.diagnostics
    assert (d.span.line, d.span.column) == (1, 18)
    assert "expected a name" in d.message
