"""`miteam rules check`: every problem, located, in a person's words; exit 2 on errors."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.lang.errors import RuleError
from rules.lang.parser import parse
from rules.paths import SHIPPED_RULES_DIR

LOCATED = re.compile(r"^(\S+):(\d+):(\d+): (error|warning): ", re.M)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, target, ignore=shutil.ignore_patterns("__*"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def syntax_errors(source: str) -> list[str]:
    with pytest.raises(RuleError) as info:
        parse(source, "t.rules")
    return [d.render(source) for d in info.value.diagnostics]


def test_check_passes_on_the_shipped_rules_with_no_warnings(miteam):
    r = miteam("rules", "check", json_out=False)
    assert r.code == 0
    assert r.out.strip().endswith("0 errors, 0 warnings")


def test_field_typo_is_caught_with_a_suggestion_caret_and_exit_2(miteam, rules_copy):
    edit(rules_copy / "licenses.rules", "when account.integrations.micollab and user",
         "when account.integrations.micolab and user")
    r = miteam("rules", "check", str(rules_copy), json_out=False)
    assert r.code == 2
    first = r.err.splitlines()
    m = LOCATED.match(first[0])
    assert m and m.group(1).endswith("licenses.rules") and m.group(4) == "error"
    assert "'account.integrations' has no field 'micolab'" in first[0]
    assert first[1].strip().startswith("when account.integrations.micolab")
    caret = first[2].index("^")
    assert first[1][caret:].startswith("account.integrations.micolab")
    assert "did you mean 'micollab'?" in first[3]
    assert "1 error," in r.err


def test_every_problem_in_every_file_is_reported(miteam, rules_copy):
    edit(rules_copy / "licenses.rules", "account.orders == 0\n    because",
         "account.orders == true\n    because")
    edit(rules_copy / "orders.rules", 'order.state == "expired"', 'order.state == "expird"')
    edit(rules_copy / "messages.rules", '  de "Keine Lizenzen"\n', "")
    edit(rules_copy / "scope.rules", "because not_your_partner", "because not_your_partnr")
    r = miteam("rules", "check", str(rules_copy))
    assert r.code == 2
    errors = [d for d in r.json["diagnostics"] if d["severity"] == "error"]
    messages = " | ".join(d["message"] for d in errors)
    assert "cannot compare a number with a flag (true/false)" in messages
    assert '"expird" is never a value here' in messages
    assert "message 'no_licenses' has no 'de' text" in messages
    assert "unknown message 'not_your_partnr'" in messages
    assert {Path(d["at"].split(":")[0]).name for d in errors} == {
        "licenses.rules", "orders.rules", "messages.rules", "scope.rules"}
    assert all(d["line"] >= 1 and d["column"] >= 1 for d in errors)


def test_several_syntax_errors_in_one_file_are_all_reported(miteam, rules_copy):
    edit(rules_copy / "scope.rules", "allow read_own_account when", "allow read_own_account whn")
    edit(rules_copy / "scope.rules", "policy user.add {", "policy user.add")
    edit(rules_copy / "scope.rules", "allow support_adds_operators when is_support",
         "allow support_adds_operators when is_support &&")
    r = miteam("rules", "check", str(rules_copy / "scope.rules"), json_out=False)
    assert r.code == 2
    lines = [m.group(0) for m in LOCATED.finditer(r.err)]
    assert len(lines) == 3, r.err
    assert "unexpected name 'whn'; expected 'when'" in r.err
    assert "hint: write `and`" in r.err
    assert "__ANON" not in r.err and "$END" not in r.err


def test_strict_turns_warnings_into_failure(miteam, rules_copy):
    (rules_copy / "extra.rules").write_text("let unused_condition = true\n")
    plain = miteam("rules", "check", str(rules_copy), json_out=False)
    assert plain.code == 0 and "'unused_condition' is defined but never used" in plain.out
    strict = miteam("rules", "check", "--strict", str(rules_copy), json_out=False)
    assert strict.code == 2


def test_check_also_checks_the_tests_beside_the_rules(miteam, rules_copy):
    edit(rules_copy / "licenses.test", "by s6_micollab_license", "by s6_micolab_license")
    r = miteam("rules", "check", str(rules_copy), json_out=False)
    assert r.code == 2
    assert "licenses.test:" in r.err
    assert "no rule 's6_micolab_license' in view miteam" in r.err
    assert "did you mean 's6_micollab_license'?" in r.err


# The checker's judgements ------------------------------------------------------------------

BASE = """
message m { en "M" de "M" }
view miteam {
  RULES
  default d show toggle on user.licenses.miteam mode editable
}
policy license.set {
  DECISIONS
  default deny because m
}
"""


def problems(tmp_path: Path, rules: str = "", decisions: str = "") -> list[str]:
    f = tmp_path / "t.rules"
    f.write_text(BASE.replace("RULES", rules).replace("DECISIONS", decisions))
    try:
        loaded = RuleSet.load([f])
    except RuleError as exc:
        return [f"{d.severity}: {d.message}" for d in exc.diagnostics]
    return [f"warning: {d.message}" for d in loaded.warnings
            if "no policy for" not in d.message]


def test_a_view_rule_hidden_by_a_broader_one_above_can_never_fire(tmp_path):
    found = problems(tmp_path, rules=(
        "rule broad when account.integrations.micollab show no_licenses message m\n"
        "  rule narrow when user.licenses.miteam and account.integrations.micollab "
        "show no_licenses message m"))
    assert ("warning: rule 'narrow' can never fire: whenever it matches, 'broad' above it "
            "matches first") in found


def test_an_allow_that_needs_what_a_deny_refuses_can_never_allow(tmp_path):
    found = problems(tmp_path, decisions=(
        "deny off when not account.integrations.miteam because m\n"
        "  allow on when value and not account.integrations.miteam"))
    assert any("rule 'on' can never allow" in p for p in found)


@pytest.mark.parametrize("condition", [
    "account.orders < 1 and account.orders > 3",
    "account.orders == 2 and account.orders >= 3",
    'operator.role == "support" and operator.role != "support"',
    'operator.role == "support" and operator.role == "partner"',
    "value and not value",
])
def test_conditions_that_contradict_themselves_are_flagged(tmp_path, condition):
    found = problems(tmp_path, decisions=f"allow x when {condition}")
    assert "warning: rule 'x' can never fire: its condition contradicts itself" in found


def test_a_consistent_range_is_not_flagged(tmp_path):
    found = problems(tmp_path, decisions="allow x when account.orders > 1 and account.orders < 3")
    assert not any("contradicts" in p for p in found)


# Syntax errors in a person's words --------------------------------------------------------


@pytest.mark.parametrize("source, message, hint", [
    ("let a = b = c", "unexpected '='", "compare with `==`"),
    ("let a = b && c", "unexpected '&&'", "write `and`"),
    ("message m { en 'x' }", "unexpected \"'\"", "double quotes"),
    ('message m { en "x }', "unexpected '\"x }'", "closing `\"`"),
    ("let a = b == True", "unexpected 'True'", "write `true` in lower case"),
    ("policy license.set { deny x when a allow y when b }", "unexpected 'allow'; "
     "expected 'because'", "because MESSAGE_KEY"),
    ("policy license.set { default because x }", "expected 'deny'", "default deny because"),
    ("policy license { allow a when b }", "expected '.'", "license.set"),
    ("view miteam { rule r when a shows toggle }", "unexpected name 'shows'", "write `show`"),
    ("view miteam { rule r when a }", "unexpected '}'; expected 'show'", "show toggle on"),
    ("after integration.set { rule r when a revoke miteam account.users }",
     "expected 'from'", "revoke PRODUCT from"),
    ("let a = [1]", "unexpected '['", "a list only follows `in`"),
    ("view miteam {\n rule a when b show no_licenses\nview x {}", "unexpected 'view'",
     "not closed: add `}`"),
    ("let a = b\n}", "unexpected '}'", "closes no block"),
    ("let a = b and", "the file ends too early; expected a condition or value", None),
])
def test_common_mistakes_get_a_specific_message_and_hint(source, message, hint):
    (text, *_) = syntax_errors(source)
    assert message in text
    if hint is not None:
        assert f"hint: {hint}" in text or hint in text.split("hint:", 1)[-1]
    assert "__ANON" not in text and "$END" not in text and "_AND" not in text


def test_keywords_never_swallow_the_start_of_a_longer_name():
    # `shows` is not `show` + `s`, `andc` is not `and c`, `whenb` is not `when b`.
    for source, word in [("view miteam { rule r when a shows toggle }", "shows"),
                         ("let a = b andc", "andc"), ("policy a.b { allow x whenb }", "whenb")]:
        (text, *_) = syntax_errors(source)
        assert f"unexpected name '{word}'" in text, text


def test_a_show_field_given_twice_is_an_error_not_silently_dropped():
    (text,) = syntax_errors("view miteam { default d show toggle on a mode editable on b }")
    assert "`on` is given twice in one `show`" in text


def test_escaped_backslashes_in_texts_read_correctly():
    rf = parse('message m { en "a\\\\n" de "b\\"c\\nd" }')
    en, de = rf.items[0].translations
    assert en.text == "a\\n" and de.text == 'b"c\nd'


def test_a_file_that_does_not_parse_does_not_drown_the_others_in_unknown_names(miteam,
                                                                            rules_copy):
    # messages.rules breaks: its keys are unknown, yet other files' real errors still show.
    edit(rules_copy / "messages.rules", "message not_permitted {", "message not_permitted {{")
    edit(rules_copy / "licenses.rules", "when account.integrations.micollab and user",
         "when account.integrations.micolab and user")
    r = miteam("rules", "check", str(rules_copy))
    assert r.code == 2
    messages = [d["message"] for d in r.json["diagnostics"]]
    assert len(messages) == 2, messages
    assert messages[0].startswith("unexpected '{'")
    assert messages[1] == "'account.integrations' has no field 'micolab'"


def test_an_empty_rules_directory_is_an_error_not_a_silent_pass(miteam, tmp_path):
    """Issue 15: `rules check` said "0 error(s)" and `user show` answered with raw keys."""
    empty = tmp_path / "empty"
    empty.mkdir()
    r = miteam("rules", "check", str(empty), json_out=False)
    assert r.code == 2 and "no rule files (*.rules) in" in r.err
    shown = miteam("explain", "u-1001", rules=empty, json_out=False)
    assert shown.code == 2 and "no rule files" in shown.err and "not_permitted" not in shown.out


def test_a_rule_set_without_a_view_or_a_policy_is_incomplete(miteam, rules_copy):
    (rules_copy / "licenses.rules").unlink()
    r = miteam("rules", "check", str(rules_copy))
    assert r.code == 2
    errors = [d["message"] for d in r.json["diagnostics"] if d["severity"] == "error"]
    assert any(m.startswith("no view for product 'miteam'") for m in errors)
    assert any(m.startswith("no policy for 'license.set'") for m in errors)
    assert any(m.startswith("no policy for 'micollab.set'") for m in errors)
