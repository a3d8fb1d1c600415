"""`miteam rules fmt`: one canonical layout, comments kept, idempotent, --check for CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from rules.lang.formatter import format_source
from rules.lang.parser import parse
from rules.paths import SHIPPED_RULES_DIR
from tests.language.rulegen import normalized, rule_files

SHIPPED = sorted(SHIPPED_RULES_DIR.glob("*.rules"))
assert SHIPPED, f"no shipped rule files in {SHIPPED_RULES_DIR}"

MESSY = """\
# header


message m { en "a \\"q\\" b" de "x" }  # after the message
let   a=b and(c or d)   # why a
let long_condition_name = operator.role == "partner" and account.partner == operator.partner \
and account.integrations.miteam or is_support and (x or y or zzzzzzzzzzzzzzzzzzzzzzzzzzzz)
view miteam { rule r when not (a == b)   show toggle mode editable on true
  # before the default

  default d show no_licenses message m }
policy license.set {
    deny x when a # first
      # inside
      and b # second
      because m
    allow y when (p and q) or r
    default deny because m
    # before the brace
}
after integration.set { rule s when ((a)) revoke miteam from account.users grant miteam to user }
# the end
"""

MESSY_FORMATTED = """\
# header

message m {
  en "a \\"q\\" b"
  de "x"
}  # after the message

let a = b and (c or d)  # why a

let long_condition_name = (operator.role == "partner"
    and account.partner == operator.partner
    and account.integrations.miteam)
  or (is_support and (x or y or zzzzzzzzzzzzzzzzzzzzzzzzzzzz))

view miteam {
  rule r
    when not (a == b)
    show toggle on true mode editable
  # before the default

  default d
    show no_licenses message m
}

policy license.set {
  deny x
    when a and b  # first
    # inside
    # second
    because m
  allow y when (p and q) or r
  default deny because m
  # before the brace
}

after integration.set {
  rule s
    when a
    revoke miteam from account.users
    grant miteam to user
}
# the end
"""


def comments_of(text: str) -> list[str]:
    return [c.text for c in parse(text).comments]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_rule_files_are_in_canonical_format(path: Path):
    source = path.read_text(encoding="utf-8")
    assert format_source(source, path.name) == source


def test_messy_file_gets_the_canonical_layout_and_keeps_every_comment():
    out = format_source(MESSY)
    assert out == MESSY_FORMATTED
    assert sorted(comments_of(out)) == sorted(comments_of(MESSY))
    assert normalized(parse(out).items) == normalized(parse(MESSY).items)


def test_formatting_formatted_text_changes_nothing():
    once = format_source(MESSY)
    assert format_source(once) == once


def test_allow_stays_on_one_line_until_it_no_longer_fits():
    short = 'policy a.b {\n  allow r when x == "y"\n  default deny because m\n}\n'
    assert format_source(short) == short
    long = short.replace('x == "y"', 'x == "y" and ' + " and ".join(["abcdefghij"] * 8))
    out = format_source(long)
    assert "  allow r\n    when x == \"y\"\n      and abcdefghij\n" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_texts_are_kept_exactly_as_written():
    source = 'message m {\n  en "tab\\t and \\"quote\\""\n  de "ü"\n}\n'
    assert format_source(source) == source


def test_empty_and_comment_only_files():
    assert format_source("") == ""
    assert format_source("\n\n") == ""
    assert format_source("# one\n\n\n# two\n") == "# one\n\n# two\n"


@settings(max_examples=150, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(rule_files())
def test_generated_files_format_idempotently_keeping_meaning_and_comments(source):
    once = format_source(source)
    assert format_source(once) == once
    assert normalized(parse(once).items) == normalized(parse(source).items)
    assert sorted(comments_of(once)) == sorted(comments_of(source))
    assert "\t" not in once and not any(line != line.rstrip() for line in once.splitlines())


# The command -----------------------------------------------------------------------------


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, target, ignore=shutil.ignore_patterns("__*"))
    return target


def test_fmt_check_passes_on_the_shipped_rules(miteam):
    r = miteam("rules", "fmt", "--check", json_out=False)
    assert r.code == 0, r.err
    assert "already formatted" in r.out


def test_fmt_check_exits_1_and_names_the_file_without_writing(miteam, rules_copy):
    f = rules_copy / "orders.rules"
    messy = f.read_text().replace("  allow support_reads_orders when is_support",
                                  "allow   support_reads_orders\n when is_support")
    f.write_text(messy)
    r = miteam("rules", "fmt", "--check", str(rules_copy), json_out=False)
    assert r.code == 1
    assert "would reformat" in r.err and "orders.rules" in r.err
    assert f.read_text() == messy


def test_fmt_diff_shows_the_change_and_writes_nothing(miteam, rules_copy):
    f = rules_copy / "orders.rules"
    messy = f.read_text().replace("  allow support_reads_orders when is_support",
                                  "allow   support_reads_orders when is_support")
    f.write_text(messy)
    r = miteam("rules", "fmt", "--diff", str(f), json_out=False)
    assert r.code == 0
    assert "-allow   support_reads_orders when is_support" in r.out
    assert "+  allow support_reads_orders when is_support" in r.out
    assert f.read_text() == messy


def test_fmt_rewrites_in_place_and_then_has_nothing_to_do(miteam, rules_copy):
    f = rules_copy / "scope.rules"
    original = f.read_text()
    f.write_text(original.replace("\n\n", "\n\n\n").replace("  allow", "allow"))
    r = miteam("rules", "fmt", str(rules_copy), json_out=False)
    assert r.code == 0 and "formatted" in r.out
    assert f.read_text() == original
    again = miteam("rules", "fmt", "--check", str(rules_copy))
    assert again.code == 0 and again.json["changed"] == []


def test_fmt_reports_a_syntax_error_located_and_exits_2(miteam, rules_copy):
    f = rules_copy / "orders.rules"
    f.write_text(f.read_text().replace("because order_expired", "becuse order_expired"))
    r = miteam("rules", "fmt", str(f), json_out=False)
    assert r.code == 2
    assert "orders.rules:" in r.err and "error: unexpected name 'becuse'" in r.err
