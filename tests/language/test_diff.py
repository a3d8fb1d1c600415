"""`miteam rules diff OLD NEW [--db DB]`: exactly the states (and the real users) a rule
change alters, grouped by the rules involved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rules.engine.abstract import get
from rules.engine.diff import diff
from rules.engine.ruleset import RuleSet
from rules.engine.verify import verify
from rules.paths import SHIPPED_RULES_DIR

from .test_verify import MUTATIONS, edit


@pytest.fixture
def mutated(tmp_path: Path):
    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(SHIPPED_RULES_DIR, target,
                        ignore=shutil.ignore_patterns("__*", "*.test"))
        file, old, new = MUTATIONS[name]
        edit(target / file, old, new)
        return target
    return make


def test_the_same_rules_differ_in_nothing(miteam):
    r = miteam("rules", "diff", str(SHIPPED_RULES_DIR), str(SHIPPED_RULES_DIR))
    assert r.code == 0
    assert r.json["same"] is True and r.json["changed"] == 0 and r.json["states"] > 100


def test_a_swapped_message_changes_exactly_the_refusals_of_that_rule(miteam, mutated):
    r = miteam("rules", "diff", str(SHIPPED_RULES_DIR), str(mutated("message_swapped")))
    assert r.code == 1
    (change,) = r.json["changes"]
    assert change["question"] == "policy license.set"
    assert (change["old_rule"], change["new_rule"]) == ("s12_no_license_left",) * 2
    assert (change["old"], change["new"]) == ("refused because licenses_not_available",
                                              "refused because account_has_no_licenses")
    # Exactly the states where that rule decides: switching on, nothing left, standalone,
    # orders there (else s10_account_without_licenses decides), for each operator in scope.
    for s in change["states"]:
        assert s["value"] is True and s["user.licenses.miteam"] is False
        assert s["account.licenses.miteam.available"] <= 0 and s["account.orders"] > 0
        assert s["account.integrations.miteam"] and not s["account.integrations.micollab"]
    scopes = {(s["operator.role"], s["operator.partner"], s["operator.account"])
              for s in change["states"]}
    assert scopes == {("partner", "p-1", None), ("support", None, None),
                      ("account_admin", "p-1", "a-1")}
    assert len(change["states"]) == len(scopes)


def test_a_deleted_deny_changes_only_micollab_managed_states(mutated):
    report = diff(RuleSet.load(), RuleSet.load([mutated("deny_deleted")]))
    assert report.changes
    for c in report.changes:
        assert c.question == "policy license.set" and c.old_rule == "s4_micollab_manages"
        assert all(s["account.integrations.micollab"] is True for s in c.states)
    allowed = next(c for c in report.changes if c.new == "allowed")
    assert allowed.new_rule == "s10_switch_standalone"


def test_every_listed_state_differs_and_no_other_does(mutated):
    """The listing is exact: asking both rule sets in every state `rules verify`
    enumerates for license.set finds the listed states and no other."""
    old, new = RuleSet.load(), RuleSet.load([mutated("condition_inverted")])
    report = diff(old, new)
    (space,) = [s for s in verify(old).spaces if s.name == "license.set"]
    listed = {tuple(sorted(s.items())) for c in report.changes
              if c.question == "policy license.set" for s in c.states}
    keys = next(iter(listed))
    found = set()
    for state in space.states:
        a, b = old.decide("license.set", state), new.decide("license.set", state)
        if (a.allowed, a.because) != (b.allowed, b.because):
            found.add(tuple(sorted((p, get(state, p)) for p, _ in keys)))
    assert found == listed
    for c in report.changes:
        assert "s10_integration_off" in (c.old_rule, c.new_rule)


def test_with_a_database_the_users_it_would_change_are_listed(miteam, mutated):
    r = miteam("rules", "diff", str(SHIPPED_RULES_DIR), str(mutated("message_swapped")),
               "--db", str(miteam.db), operator="tester")
    impact = r.json["impact"]
    users = {u["id"] for u in impact["users"]}
    assert impact["users_changed"] == len(users) > 0 and impact["accounts_changed"] == 0
    # Each listed user is one whose switch on is refused by that rule today.
    for u in sorted(users)[:3]:
        refused = miteam("license", "set", u, "miteam", "on", "--dry-run", operator="tester")
        assert refused.code == 1 and refused.json["rule"] == "s12_no_license_left"
    # A user with licenses left in the account is not listed.
    assert "u-1036" not in users


def test_an_account_admin_sees_the_impact_on_their_own_account_only(miteam, mutated):
    r = miteam("rules", "diff", str(SHIPPED_RULES_DIR), str(mutated("condition_inverted")),
               "--db", str(miteam.db), operator="markus.weber")
    impact = r.json["impact"]
    assert impact["accounts_checked"] == 1
    assert {u["account"] for u in impact["users"]} == {"a-kranich"}
