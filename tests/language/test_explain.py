"""`miteam explain` and `--why`: the deciding rule, every condition with the values it saw,
in order, with file:line, and what the other candidate rules said; data for the TUI."""

from __future__ import annotations

import re

from rules.engine.ruleset import RuleSet
from rules.engine.tester import world
from rules.paths import SHIPPED_RULES_DIR


def candidate_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^  [→✓✗·] ", line)]


def test_explain_names_the_deciding_rule_and_shows_conditions_compactly(miteam):
    # a-kranich: standalone, 8 licenses left; u-1036 holds none.
    r = miteam("explain", "u-1036", json_out=False)
    assert r.code == 0
    lines = r.out.splitlines()
    assert lines[0] == "view miteam: toggle OFF, editable"
    assert re.match(r"decided by s10_standalone \(rules/policy/licenses\.rules:\d+\)$", lines[1])
    # Every candidate in order, with file:line and what it would show.
    cands = candidate_lines(r.out)
    assert [c.split()[2] for c in cands] == [
        "s13_integration_off", "s6_micollab_license", "s7_micollab_no_license",
        "s10_no_orders", "s12_none_left", "s10_standalone"]
    assert cands[-1].startswith("  → default s10_standalone   rules/policy/licenses.rules:")
    assert "did not match — toggle OFF, disabled, message licenses_not_available" in cands[4]
    # A comparison shows once, with the value it read; a flag shows its value.
    assert re.search(r"^      account\.licenses\.miteam\.available <= 0  →  false   \(8\)   "
                     r"line \d+   \(not needed\)$", r.out, re.M) is None
    assert re.search(r"^      account\.licenses\.miteam\.available <= 0  →  false   \(8\)   "
                     r"line \d+$", r.out, re.M)
    assert re.search(r"^      not account\.integrations\.miteam  →  false   \(true\)   line \d+$",
                     r.out, re.M)
    assert re.search(r"^      account\.integrations\.micollab  →  false   line \d+$", r.out, re.M)
    # The leaf paths of a comparison are not repeated as lines of their own.
    assert not re.search(r"^\s+account\.licenses\.miteam\.available  →", r.out, re.M)


def test_rules_after_the_deciding_one_are_marked_not_reached(miteam):
    r = miteam("explain", "u-1001", json_out=False)  # MiCollab manages, holds a license
    cands = candidate_lines(r.out)
    decided = next(i for i, c in enumerate(cands) if c.startswith("  →"))
    assert "s6_micollab_license" in cands[decided]
    assert all(c.startswith("  ✗") for c in cands[:decided])
    assert all(c.startswith("  ·") and "not reached" in c for c in cands[decided + 1:])
    assert "not reached (would match)" in cands[decided + 1]  # s7 would also match


def test_explain_json_is_the_complete_data_form(miteam):
    data = miteam("explain", "u-1036").json["explanation"]
    assert data["question"] == "view miteam"
    assert data["decided_by"]["rule"] == "s10_standalone"
    assert re.match(r"rules/policy/licenses\.rules:\d+$", data["decided_by"]["at"])
    s12 = next(c for c in data["candidates"] if c["rule"] == "s12_none_left")
    assert (s12["matched"], s12["decided"], s12["reached"]) == (False, False, True)
    (holds, available) = s12["conditions"]
    assert holds["text"] == "not user.licenses.miteam" and holds["value"] is True
    assert holds["seen"] == [{"path": "user.licenses.miteam", "value": False}]
    assert available["text"] == "account.licenses.miteam.available <= 0"
    assert available["seen"] == [{"path": "account.licenses.miteam.available", "value": 8}]
    assert re.match(r"rules/policy/licenses\.rules:\d+:\d+$", available["at"])
    assert available["needed"] is True


def test_why_on_a_refused_license_switch_shows_lets_with_their_parts(miteam):
    r = miteam("license", "set", "u-1001", "miteam", "off", "--why", operator="anna.huber",
               json_out=False)
    assert r.code == 1
    err = r.err
    assert "policy license.set: refused because micollab_manages" in err
    assert re.search(r"decided by s4_micollab_manages \(rules/policy/licenses\.rules:\d+\)", err)
    assert re.search(r"→ deny s4_micollab_manages   rules/policy/licenses\.rules:\d+   "
                     r"matched — refuses because micollab_manages", err)
    # A named condition shows where it is defined, then its parts.
    assert re.search(r"may_manage_account  →  true   \(any of\)   rules/policy/scope\.rules:\d+",
                     err)
    assert re.search(r'account\.partner == operator\.partner  →  true   '
                     r'\("p-alpen" == "p-alpen"\)', err)
    # Allows are not asked once a deny held (deny wins).
    assert re.search(r"· allow s10_switch_standalone .* not reached \(would match\)", err)


def test_why_on_a_refused_order_assignment(miteam):
    # Support may read both records: the rules say why, with the values. (Records outside
    # an operator's scope are unknown to them: tests/security/test_tenant_isolation.py.)
    order = miteam("order", "assign", "ord-1006", "a-oakridge", "--why",
                   operator="lena.support", json_out=False)
    assert order.code == 1
    assert "decided by s2_other_partners_account" in order.err
    assert re.search(r'account\.partner != order\.partner  →  true   '
                     r'\("p-northbridge" != "p-alpen"\)', order.err)


def test_why_with_json_carries_the_explanation_as_data(miteam):
    r = miteam("license", "set", "u-1001", "miteam", "off", "--why", operator="anna.huber")
    assert r.code == 1
    why = r.json["why"]
    assert why["decided_by"]["rule"] == "s4_micollab_manages"
    assert why["because"] == "micollab_manages"
    kinds = [(c["kind"], c["reached"]) for c in why["candidates"]]
    assert ("allow", False) in kinds and kinds[0] == ("deny", True)


def test_a_successful_change_with_why_prints_the_allowing_rule(miteam):
    r = miteam("license", "set", "u-1036", "miteam", "on", "--why", operator="anna.huber",
               json_out=False)
    assert r.code == 0
    assert "policy license.set: allowed" in r.out
    assert "→ allow s10_switch_standalone" in r.out


def test_and_stops_at_the_first_false_part_and_the_rest_is_marked_not_needed():
    rules = RuleSet.load([SHIPPED_RULES_DIR])
    r = world([])
    ctx = {k: r[k] for k in ("operator", "user", "account", "partner", "product", "value")}
    ctx["value"] = False
    e = rules.explain_decision("license.set", ctx)
    cand = next(c for c in e.candidates if c.rule.name == "s12_no_license_left")
    assert [(s.text, s.value, s.needed) for s in cand.steps] == [
        ("value", False, True), ("not user.licenses.miteam", True, False),
        ("account.licenses.miteam.available <= 0", False, False)]
    assert cand.steps[1].lines(0, cand.rule.span.file)[0].endswith("(not needed)")
