"""Reloading changed rule files (rules/engine/reload.py RuleSource, polled by the console): a broken
edit never replaces the last good rules, its error is there to show, and the fixed file
takes effect on the next poll without a restart."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from rules.engine.reload import RuleSource
from rules.engine.tester import world
from rules.lang.errors import RuleError
from rules.paths import SHIPPED_RULES_DIR


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, target, ignore=shutil.ignore_patterns("__*"))
    return target


_tick = [0]


def write(path: Path, text: str) -> None:
    """Write and move the modification time on, so a poll sees the change even within
    the file system's timestamp granularity."""
    path.write_text(text, encoding="utf-8")
    _tick[0] += 1
    stamp = path.stat().st_mtime_ns + _tick[0] * 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def view_rule(source: RuleSource) -> str:
    r = world([])
    r["account"]["integrations"]["micollab"] = True
    ctx = {k: r[k] for k in ("operator", "user", "account", "partner", "product")}
    return source.current.view("miteam", ctx).rule.name


def test_nothing_changed_means_no_reload(rules_copy):
    source = RuleSource([rules_copy])
    before = source.current
    assert source.poll() is False
    assert source.current is before and source.error is None


def test_a_broken_edit_keeps_the_last_good_rules_and_exposes_the_error(rules_copy):
    source = RuleSource([rules_copy])
    good = source.current
    licenses = rules_copy / "licenses.rules"
    write(licenses, licenses.read_text().replace(
        "when account.integrations.micollab\n", "when account.integrations.micolab\n", 1))
    assert source.poll() is False
    assert source.current is good
    assert view_rule(source) == "s7_micollab_no_license"
    assert isinstance(source.error, RuleError)
    text = source.error.render()
    assert "licenses.rules:" in text and "has no field 'micolab'" in text
    assert "did you mean 'micollab'?" in text
    # Polling again with the file unchanged keeps the error and the good rules.
    assert source.poll() is False and source.error is not None and source.current is good


def test_a_syntax_error_is_handled_the_same_way(rules_copy):
    source = RuleSource([rules_copy])
    good = source.current
    write(rules_copy / "orders.rules", "policy order.read {\n  allow x when\n}\n")
    assert source.poll() is False
    assert source.current is good
    assert "orders.rules:3:1: error: unexpected '}'" in source.error.render()


def test_the_fixed_file_takes_effect_without_a_restart(rules_copy):
    source = RuleSource([rules_copy])
    licenses = rules_copy / "licenses.rules"
    original = licenses.read_text()
    write(licenses, original.replace("show no_licenses message no_licenses\n\n  # S10",
                                     "show no_licenses message no_licnses\n\n  # S10"))
    assert source.poll() is False and source.error is not None
    # The fix also changes behaviour: the S7 rule now shows the toggle, read-only.
    fixed = original.replace(
        "  rule s7_micollab_no_license\n    when account.integrations.micollab\n"
        "    show no_licenses message no_licenses\n",
        "  rule s7_micollab_no_license\n    when account.integrations.micollab\n"
        "    show toggle on false mode readonly\n")
    assert fixed != original
    write(licenses, fixed)
    assert source.poll() is True
    assert source.error is None
    r = world([])
    r["account"]["integrations"]["micollab"] = True
    ctx = {k: r[k] for k in ("operator", "user", "account", "partner", "product")}
    shown = source.current.view("miteam", ctx)
    assert (shown.rule.name, shown.display, shown.mode) == (
        "s7_micollab_no_license", "toggle", "readonly")


def test_a_deleted_file_that_others_need_keeps_the_last_good_rules(rules_copy):
    source = RuleSource([rules_copy])
    good = source.current
    (rules_copy / "messages.rules").unlink()
    assert source.poll() is False
    assert source.current is good
    assert "unknown message" in source.error.render()


@pytest.mark.parametrize("expr", ["not " * 5000 + "true", "account.orders == " + "7" * 5000])
def test_a_pathological_rule_file_keeps_the_last_good_rules(rules_copy, expr):
    """Issue 15: 5,000 nested `not`s or a 5,000-digit number crashed every console watching
    the directory; now it is a located error and the good rules stay in force."""
    source = RuleSource([rules_copy])
    good = source.current
    write(rules_copy / "extra.rules", f"let extreme = {expr}\n")
    assert source.poll() is False
    assert source.current is good
    assert "extra.rules:1:" in source.error.render()


def test_anything_a_reload_raises_keeps_the_last_good_rules(rules_copy, monkeypatch):
    source = RuleSource([rules_copy])
    good = source.current

    def explode(paths):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr("rules.engine.reload.RuleSet.load", explode)
    write(rules_copy / "extra.rules", "let x = true\n")
    assert source.poll() is False
    assert source.current is good
    assert "RecursionError" in source.error.render()
