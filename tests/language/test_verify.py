"""`miteam rules verify`: the shipped rules have every property; a broken copy does not,
and the counter-example it writes replays the failure as a scenario."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.engine.verify import verify
from rules.paths import SHIPPED_RULES_DIR
from rules.scenario import parse_file, run


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "my-rules"
    shutil.copytree(SHIPPED_RULES_DIR, target, ignore=shutil.ignore_patterns("__*", "*.test"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Three ways a rule author breaks the rules, each a copy of the shipped ones.
MUTATIONS = {
    "deny_deleted": ("licenses.rules", "  deny s4_micollab_manages\n"
                     "    when account.integrations.micollab\n    because micollab_manages\n", ""),
    "condition_inverted": ("licenses.rules", "  deny s10_integration_off\n"
                           "    when not account.integrations.miteam",
                           "  deny s10_integration_off\n    when account.integrations.miteam"),
    "message_swapped": ("licenses.rules",
                        "available <= 0\n    because licenses_not_available\n\n  allow",
                        "available <= 0\n    because account_has_no_licenses\n\n  allow"),
}


def test_the_shipped_rules_have_every_property(miteam):
    r = miteam("rules", "verify", json_out=False)
    assert r.code == 0, r.err
    assert "every property holds" in r.out
    # The space is printed: each field with the cells the rules tell apart, and its size.
    assert "account.licenses.miteam.available: < 0 | 0 | > 0" in r.out
    assert 'operator.role: "partner" | "support" | "account_admin"' in r.out
    assert "abstract states in" in r.out
    # The shipped rule files' own assertions are among the properties proved.
    assert "assert s4_no_switch_under_micollab" in r.out


def test_verify_json_lists_spaces_properties_and_no_findings(miteam):
    data = miteam("rules", "verify").json
    assert data["ok"] is True and data["findings"] == []
    assert data["states"] == sum(s["states"] for s in data["spaces"]) > 100
    assert {"screen_switch", "consequence_explained", "deny_never_fires"} <= set(
        data["properties"])
    space = next(s for s in data["spaces"] if s["name"] == "license.set")
    assert "account.orders" in space["fields"]


def test_expired_only_orders_screen_and_refusal_agree():
    """The defect issue 15 names: an account whose orders all expired showed "Licenses
    not available" but refused with "assign an order first"."""
    rules = RuleSet.load()
    c = {"operator": {"id": "op", "role": "partner", "partner": "p-1", "account": None},
         "partner": {"id": "p-1", "name": "P"},
         "account": {"id": "a-1", "name": "A", "partner": "p-1", "orders": 2, "users": "a-1",
                     "integrations": {"micollab": False, "miteam": True},
                     "licenses": {"miteam": {"total": 0, "assigned": 0, "available": 0}}},
         "user": {"id": "u-1", "name": "U", "email": None, "account": "a-1",
                  "licenses": {"miteam": False}, "set_by": {"miteam": None}},
         "product": "miteam", "value": True}
    shown = rules.view("miteam", c)
    decision = rules.decide("license.set", c)
    assert (shown.mode, shown.message) == ("disabled", "licenses_not_available")
    assert not decision.allowed and decision.because == shown.message


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_a_broken_copy_fails_with_a_scenario_that_replays_the_failure(
        mutation, miteam, rules_copy, tmp_path):
    file, old, new = MUTATIONS[mutation]
    edit(rules_copy / file, old, new)
    scenario = tmp_path / "counterexample.scenario"
    r = miteam("rules", "verify", "--rules", str(rules_copy), "--scenario", str(scenario),
               json_out=False)
    assert r.code == 1, r.out
    assert "FAIL screen_switch" in r.err
    assert "counter-example in space license.set" in r.err
    assert "account.integrations.micollab = " in r.err  # printed as records
    # Replayed under the broken rules, the scenario fails; under the shipped ones it holds.
    broken = run(parse_file(scenario), RuleSet.load([rules_copy]))
    assert not broken.passed, broken.text()
    assert run(parse_file(scenario), RuleSet.load()).passed
    # And through the command, as README says.
    replay = miteam("scenario", "run", "--rules", str(rules_copy), str(scenario),
                    json_out=False)
    assert replay.code == 1


def test_the_smallest_counter_example_is_reported(rules_copy):
    """A deleted S4 deny: the counter-example changes only what it must (MiCollab on),
    everything else as the rule tests' default records have it."""
    file, old, new = MUTATIONS["deny_deleted"]
    edit(rules_copy / file, old, new)
    report = verify(RuleSet.load([rules_copy]))
    first = next(f for f in report.findings if f.prop == "screen_switch")
    c = {p: v for p, v in (line.split(" = ") for line in first.record_lines())}
    assert c["account.integrations.micollab"] == "true"
    assert c["account.integrations.miteam"] == "true"
    assert (c["operator.role"], c["operator.partner"]) == ('"partner"', '"p-1"')


def test_an_author_assertion_is_checked_and_fails_with_its_message(miteam, rules_copy):
    (rules_copy / "extra.rules").write_text(
        "assert always every_toggle_is_editable {\n"
        "  shown.display != \"toggle\" or shown.mode == \"editable\"\n"
        "} because not_permitted\n", encoding="utf-8")
    data = miteam("rules", "verify", "--rules", str(rules_copy)).json
    assert data["ok"] is False
    finding = next(f for f in data["findings"]
                   if f["property"] == "assert every_toggle_is_editable")
    assert "You are not permitted to do this" in finding["message"]
    assert finding["counterexample"]["account.integrations.micollab"] is not None


def test_a_deny_that_can_never_fire_is_reported(miteam, rules_copy):
    edit(rules_copy / "licenses.rules", "  allow s10_switch_standalone",
         "  deny s10_shadowed\n    when not may_manage_account and value\n"
         "    because not_permitted\n\n  allow s10_switch_standalone")
    data = miteam("rules", "verify", "--rules", str(rules_copy)).json
    assert [f["property"] for f in data["findings"]] == ["deny_never_fires"]
    assert data["findings"][0]["rules"][0]["rule"] == "s10_shadowed"


def test_verify_of_rules_that_do_not_load_is_bad_input(miteam, rules_copy):
    edit(rules_copy / "licenses.rules", "account.integrations.micollab\n",
         "account.integrations.micolab\n")
    r = miteam("rules", "verify", "--rules", str(rules_copy), json_out=False)
    assert r.code == 2
    assert "did you mean 'micollab'?" in r.err
