"""The rule language: parse errors a person can act on, the schema checker, compilation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules import schema
from rules.engine.ruleset import RuleSet
from rules.lang.errors import RuleError
from rules.lang.parser import parse

MINIMAL = """
message no_licenses { en "No licenses" de "Keine Lizenzen" }
message not_permitted { en "Not permitted" de "Nicht erlaubt" }
setting expiring_days = 30
view miteam {
  rule off when not account.integrations.miteam show no_licenses message no_licenses
  default on show toggle on user.licenses.miteam mode editable
}
policy license.set {
  allow support when operator.role == "support"
  default deny because not_permitted
}
""" + "".join(  # a complete rule set decides every operation the product performs
    f"policy {op} {{ default deny because not_permitted }}\n"
    for op in schema.OPERATIONS if op != "license.set")


def load_text(tmp_path: Path, text: str, name: str = "test.rules") -> RuleSet:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return RuleSet.load([f])


def errors_of(tmp_path: Path, text: str) -> RuleError:
    with pytest.raises(RuleError) as info:
        load_text(tmp_path, text)
    return info.value


LOCATED = re.compile(r"^\S+:\d+:\d+: (error|warning): ", re.M)


def test_shipped_rules_load_without_errors():
    rules = RuleSet.load()
    assert {"license.set", "micollab.set", "integration.set", "order.assign"} <= set(
        rules.program.policies)
    assert "miteam" in rules.program.views


def test_syntax_error_names_file_line_column_with_caret(tmp_path):
    err = errors_of(tmp_path, 'view miteam {\n  rule x when account.integrations.miteam = true\n')
    text = str(err)
    assert text.startswith("test.rules:2:") or ":2:" in text.splitlines()[0]
    lines = text.splitlines()
    assert LOCATED.match(lines[0])
    assert "rule x when account.integrations.miteam = true" in lines[1]
    caret_col = lines[2].index("^")
    assert lines[1][caret_col] == "="
    assert "==" in text  # the hint for the most common mistake


def test_syntax_errors_never_show_generated_terminal_names(tmp_path):
    for source in ["view miteam { rule", "policy license.set { deny x when a because }",
                   "let = 3", "message m { en 'x' }", "view miteam { rule a when b && c }"]:
        err = errors_of(tmp_path, source)
        assert "__ANON" not in str(err) and "$END" not in str(err), str(err)
        assert LOCATED.match(str(err)), str(err)


def test_unknown_field_suggests_the_right_one(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace("account.integrations.miteam",
                                              "account.integrations.mitaem"))
    assert "'account.integrations' has no field 'mitaem'" in str(err)
    assert "did you mean 'miteam'?" in str(err)


def test_unknown_record_suggests_the_right_one(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace("not account.integrations",
                                              "not acount.integrations"))
    assert "unknown name 'acount'" in str(err) and "did you mean 'account'?" in str(err)


def test_type_mismatch_flag_against_number(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace("not account.integrations.miteam",
                                              "account.integrations.miteam == 3"))
    assert "cannot compare a flag (true/false) with a number" in str(err)


def test_unknown_enum_value_is_caught(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace('"support"', '"suport"'))
    assert '"suport" is never a value here' in str(err) and "did you mean 'support'?" in str(err)


def test_view_without_default_is_an_error(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace(
        "default on show toggle on user.licenses.miteam mode editable", ""))
    assert "view 'miteam' has no default" in str(err)


def test_message_missing_a_language_is_an_error(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace(' de "Keine Lizenzen"', ""))
    assert "message 'no_licenses' has no 'de' text" in str(err)


def test_unknown_message_key_and_product(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace("message no_licenses\n", "message no_licences\n"))
    assert "unknown message 'no_licences'" in str(err)
    assert "did you mean 'no_licenses'?" in str(err)
    err = errors_of(tmp_path, MINIMAL.replace("view miteam", "view miteem"))
    assert "unknown product 'miteem'" in str(err)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace("account.integrations.miteam",
                                              "account.integration.miteam")
                    .replace("user.licenses.miteam", "user.license.miteam"))
    assert len(err.errors) == 2


def test_duplicate_rule_names_are_an_error(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace("allow support", "allow off"))
    assert "rule 'off' is defined twice" in str(err)


def test_rule_after_catch_all_is_unreachable(tmp_path):
    rules = load_text(tmp_path, MINIMAL.replace(
        "rule off when not account.integrations.miteam",
        "rule always when true show no_licenses message no_licenses\n"
        "  rule off when not account.integrations.miteam"))
    assert any("can never fire" in w.message for w in rules.warnings)


def test_self_contradicting_condition_is_flagged(tmp_path):
    rules = load_text(tmp_path, MINIMAL.replace(
        'operator.role == "support"',
        'operator.role == "support" and operator.role == "partner"'))
    assert any("contradicts itself" in w.message for w in rules.warnings)


def test_recursive_let_is_an_error(tmp_path):
    err = errors_of(tmp_path, MINIMAL.replace(
        "policy account.read { default deny because not_permitted }",
        "policy account.read { allow r when a default deny because not_permitted }")
        + "\nlet a = b\nlet b = a\n")
    assert "defined in terms of itself" in str(err)


def test_compiled_and_explained_decisions_agree(rules_dir):
    rules = RuleSet.load([rules_dir])
    base = {
        "operator": {"id": "x", "name": "x", "role": "partner", "partner": "p", "account": None},
        "partner": {"id": "p", "name": "P"},
        "product": "miteam",
    }
    for micollab in (False, True):
        for miteam in (False, True):
            for holds in (False, True):
                for available in (-1, 0, 3):
                    c = {**base,
                         "account": {"id": "a", "name": "A", "partner": "p",
                                     "integrations": {"micollab": micollab, "miteam": miteam},
                                     "licenses": {"miteam": {"total": 5, "assigned": 5,
                                                             "available": available}},
                                     "orders": 1, "users": "a"},
                         "user": {"id": "u", "name": "U", "email": None, "account": "a",
                                  "licenses": {"miteam": holds}, "set_by": {"miteam": None}}}
                    for value in (False, True):
                        ctx = {**c, "value": value}
                        d = rules.decide("license.set", ctx)
                        e = rules.explain_decision("license.set", ctx)
                        assert e.decided_by == d.rule
                        assert (e.answer == "allowed") == d.allowed
                    shown = rules.view("miteam", c)
                    assert rules.explain_view("miteam", c).decided_by == shown.rule


def test_parse_keeps_comments_for_the_formatter():
    rf = parse('# top\nlet a = true # trailing\n', "x.rules")
    assert [c.text for c in rf.comments] == ["# top", "# trailing"]
    assert rf.comments[1].line == 2
