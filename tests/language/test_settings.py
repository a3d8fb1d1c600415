"""Settings: named policy values in the rule files (`setting expiring_days = 30`).

The "expiring" window of orders (issue 12, part 4) is policy: the rule set declares it, the
checker validates it, `rules fmt` lays it out, `rules test` states it, `rules diff` shows a
change, and the Orders filter and the license report follow the number in the rule files.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from rules.lang.formatter import format_source
from rules.paths import SHIPPED_RULES_DIR

LOCATED = re.compile(r"^(\S+):(\d+):(\d+): error: (.*)$", re.M)
DECLARED = "setting expiring_days = 30"


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, target, ignore=shutil.ignore_patterns("__*"))
    return target


def set_window(rules: Path, text: str) -> int:
    """The shipped orders.rules in the copy, its declaration replaced by `text`; the line
    the declaration stands on."""
    source = (SHIPPED_RULES_DIR / "orders.rules").read_text(encoding="utf-8")
    assert source.count(DECLARED) == 1
    (rules / "orders.rules").write_text(source.replace(DECLARED, text), encoding="utf-8")
    return source[:source.index(DECLARED)].count("\n") + 1


def test_the_shipped_rules_declare_a_30_day_expiring_window(miteam):
    r = miteam("rules", "test", "--threshold", "100", json_out=False)
    assert r.code == 0, r.out + r.err
    assert DECLARED in (SHIPPED_RULES_DIR / "orders.rules").read_text(encoding="utf-8")


@pytest.mark.parametrize("value, message", [
    ('"30"', "setting 'expiring_days' must be a number (days), but this is a text"),
    ("true", "setting 'expiring_days' must be a number (days), but this is a flag"),
    ("none", "setting 'expiring_days' must be a number (days), but this is none"),
    ("4000", "setting 'expiring_days' must be from 0 to 3650 days, but is 4000"),
    ("20 + 10", "setting 'expiring_days' takes a value written out, not a calculation"),
    ("order.expiring", "setting 'expiring_days' takes a value written out"),
])
def test_a_wrong_value_is_an_error_at_its_file_line_and_column(miteam, rules_copy, value,
                                                                 message):
    line = set_window(rules_copy, f"setting expiring_days = {value}")
    r = miteam("rules", "check", str(rules_copy), json_out=False)
    assert r.code == 2
    m = LOCATED.search(r.err)
    assert m, r.err
    assert m.group(1).endswith("orders.rules") and int(m.group(2)) == line
    assert int(m.group(3)) == len("setting expiring_days = ") + 1
    assert m.group(4).startswith(message), m.group(4)
    assert "Traceback" not in r.err


def test_declared_twice_unknown_and_missing_are_errors(miteam, rules_copy):
    line = set_window(rules_copy, "setting expiring_days = 7\nsetting expiring_days = 8\n"
                                  "setting expirng_days = 8")
    r = miteam("rules", "check", str(rules_copy), json_out=False)
    assert r.code == 2
    assert f"orders.rules:{line + 1}:9: error: setting 'expiring_days' is defined twice " \
           f"(first at " in r.err
    assert f"orders.rules:{line + 2}:9: error: unknown setting 'expirng_days'" in r.err
    assert "did you mean 'expiring_days'?" in r.err

    set_window(rules_copy, "")
    r = miteam("rules", "check", str(rules_copy), json_out=False)
    assert r.code == 2
    assert "error: no setting 'expiring_days'" in r.err
    assert "hint: add `setting expiring_days = NUMBER` (0 to 3650 days)" in r.err


def test_a_condition_cannot_read_a_setting(miteam, rules_copy):
    orders = rules_copy / "orders.rules"
    orders.write_text(orders.read_text(encoding="utf-8").replace(
        "allow partner_buys when partner_of_order",
        "allow partner_buys when partner_of_order and expiring_days > 3"), encoding="utf-8")
    r = miteam("rules", "check", str(rules_copy), json_out=False)
    assert r.code == 2
    assert "error: 'expiring_days' is a setting: the product reads it, a condition cannot" \
        in r.err


def test_fmt_lays_a_setting_out_on_one_line_and_keeps_its_comment():
    source = "# why\nsetting   expiring_days=\n  45   # a quarter and a half\n"
    assert format_source(source) == "# why\nsetting expiring_days = 45  # a quarter and a half\n"
    assert format_source(format_source(source)) == format_source(source)


def test_rules_test_states_the_value_and_fails_naming_the_declaration(miteam, rules_copy):
    line = set_window(rules_copy, "setting expiring_days = 45")
    r = miteam("rules", "test", str(rules_copy), json_out=False)
    assert r.code == 1
    assert "expected expiring_days = 30" in r.out
    assert "got      expiring_days = 45" in r.out
    assert f"setting expiring_days = 45   {rules_copy / 'orders.rules'}:{line}" in r.out \
        or f"orders.rules:{line}" in r.out

    (rules_copy / "orders.test").write_text(
        'test "window" {\n  expect setting expiring_days = "45"\n}\n', encoding="utf-8")
    bad = miteam("rules", "test", str(rules_copy), json_out=False)
    assert bad.code == 2
    assert "orders.test:2:34: error: this must be a number" in bad.err


def test_rules_diff_names_a_changed_setting(miteam, rules_copy):
    set_window(rules_copy, "setting expiring_days = 45")
    r = miteam("rules", "diff", str(SHIPPED_RULES_DIR), str(rules_copy), json_out=False)
    assert r.code == 1
    assert "setting expiring_days: 30 → 45" in r.out
    same = miteam("rules", "diff", str(SHIPPED_RULES_DIR), str(SHIPPED_RULES_DIR))
    assert same.code == 0 and same.json["same"] and same.json["settings"] == {}


def _expiring(miteam, rules: Path | None) -> tuple[set[str], set[str], dict[str, int]]:
    """(orders the Orders filter lists as expiring, orders the report lists as expiring,
    the licenses each account keeps once they expire), as support sees them under the
    rules the administrator configures (`rules`; None: the shipped ones)."""
    if rules is not None:
        miteam.configure(rules=rules)
    orders = miteam("order", "list", "--state", "expiring")
    report = miteam("report", "licenses")
    assert orders.code == 0 and report.code == 0, orders.err + report.err
    return ({o["id"] for o in orders.json},
            {o["order"] for o in report.json["expiring"]},
            {a["account"]: a["after_expiry"] for a in report.json["accounts"]})


def test_the_orders_filter_and_the_report_follow_the_window_in_the_rule_files(
        miteam, rules_copy):
    # The demo's date is 2026-11-24: ord-1007 expires in 21 days, ord-2003 in 37.
    listed, reported, keeps = _expiring(miteam, None)
    assert "ord-1007" in listed and "ord-1007" in reported
    assert "ord-2003" not in listed | reported
    assert keeps["a-copperfield"] == 4  # ord-2003's 4 licenses, not expiring yet

    set_window(rules_copy, "setting expiring_days = 45")
    listed, reported, keeps = _expiring(miteam, rules_copy)
    assert {"ord-1007", "ord-2003"} <= listed and {"ord-1007", "ord-2003"} <= reported
    assert keeps["a-copperfield"] == 0  # its only valid order now counts as expiring

    set_window(rules_copy, "setting expiring_days = 10")
    listed, reported, _ = _expiring(miteam, rules_copy)
    assert "ord-1007" not in listed | reported


def test_the_language_server_explains_a_setting_and_finds_its_declaration(rules_copy):
    from rules.lsp.analysis import analyse, definition, hover

    path = rules_copy / "orders.rules"
    line = set_window(rules_copy, "setting expiring_days = 45")
    a = analyse(path, path.read_text(encoding="utf-8"))
    text = hover(a, "expiring_days")
    assert text is not None and text.startswith("setting `expiring_days` = 45")
    assert "0 to 3650 days" in text
    span = definition(a, "expiring_days")
    assert span is not None and span.line == line
