"""Why not (issue 15): for every refused S-case on the demo data, the smallest change the
rules suggest, applied, makes the switch allowed; in both languages, within scope."""

from __future__ import annotations

import itertools

from rules.engine.ruleset import RuleSet
from rules.engine.whynot import why_not

SUPPORT = "tester"  # the demo database's support login in the tests


def refused_cases(miteam, operator: str) -> dict[str, tuple[str, bool]]:
    """One refused switch per deciding rule: rule → (user, value)."""
    cases: dict[str, tuple[str, bool]] = {}
    for u in miteam("user", "list", operator=operator).json:
        value = not u["licenses"]["miteam"]
        r = miteam("license", "set", u["id"], "miteam", "on" if value else "off",
                   "--dry-run", operator=operator)
        if r.code == 1:
            cases.setdefault(r.json["rule"], (u["id"], value))
    return cases


_ORDERS = itertools.count(1)


def apply(miteam, step: dict, operator: str, user: dict) -> None:
    """Make the suggested change the way a person would: as the operator when the rules
    let them, else as support (someone who may)."""
    who = operator if step["you_can"] else SUPPORT
    account = user["account"]
    change = step["change"]
    if change in ("micollab_off", "miteam_on"):
        name, value = ("micollab", "off") if change == "micollab_off" else ("miteam", "on")
        r = miteam("integration", "set", account, name, value, operator=who)
    elif change == "assign_order":
        partner = miteam("account", "show", account, operator=SUPPORT).json["partner"]
        order = f"ord-why-{next(_ORDERS)}"
        assert miteam("order", "add", order, "--partner", partner, "--product", "miteam",
                      "--quantity", str(step["licenses"]), operator=SUPPORT).code == 0
        r = miteam("order", "assign", order, account, operator=who)
    else:
        assert change == "free_license"
        holder = next(u["id"] for u in miteam("user", "list", "--account", account,
                                              operator=SUPPORT).json
                      if u["licenses"]["miteam"] and u["id"] != user["id"])
        r = miteam("license", "set", holder, "miteam", "off", operator=who)
    assert r.code == 0, r.out + r.err


def test_each_suggested_change_applied_makes_the_refused_switch_allowed(miteam):
    operator = "anna.huber"
    cases = refused_cases(miteam, operator)
    # Every refused S-case the demo data holds for a partner.
    assert {"s4_micollab_manages", "s10_integration_off", "s12_no_license_left",
            "s10_account_without_licenses"} <= set(cases)
    for rule, (user_id, value) in cases.items():
        switch = ("license", "set", user_id, "miteam", "on" if value else "off")
        refusal = miteam(*switch, "--dry-run", "--why", operator=operator).json
        options = refusal["why"]["why_not"]["options"]
        assert options, f"{rule}: no suggestion"
        user = miteam("user", "show", user_id, operator=SUPPORT).json
        for step in min(options, key=len):
            apply(miteam, step, operator, user)
        allowed = miteam(*switch, operator=operator)
        assert allowed.code == 0, f"{rule}: {options} applied, still {allowed.out}"


def test_explain_says_what_would_make_a_disabled_toggle_switchable(miteam):
    r = miteam("explain", "u-1057", operator="anna.huber", json_out=False)
    assert "What would allow it (the smallest change):" in r.out
    assert "switch off another user's license (you can do this)" in r.out
    de = miteam("explain", "u-1057", operator="anna.huber", lang="de", json_out=False)
    assert "Was es erlauben würde (die kleinste Änderung):" in de.out
    assert "die Lizenz eines anderen Benutzers ausschalten (das können Sie selbst)" in de.out


def test_an_editable_toggle_has_no_why_not(miteam):
    data = miteam("explain", "u-1036", operator="anna.huber").json
    assert data["explanation"]["why_not"] is None


def test_an_account_admin_is_told_to_ask_for_an_order(miteam):
    """Orders are the partner's (S11): the admin cannot assign one, so the suggestion says
    to ask, with the reason the rules give the admin."""
    rules = RuleSet.load()
    c = {"operator": {"id": "m", "name": "M", "role": "account_admin", "partner": "p-1",
                      "account": "a-1"},
         "partner": {"id": "p-1", "name": "P"},
         "account": {"id": "a-1", "name": "A", "partner": "p-1", "orders": 1, "users": "a-1",
                     "integrations": {"micollab": False, "miteam": True},
                     "licenses": {"miteam": {"total": 2, "assigned": 2, "available": 0}}},
         "user": {"id": "u-1", "name": "U", "email": None, "account": "a-1",
                  "licenses": {"miteam": False}, "set_by": {"miteam": None}},
         "product": "miteam"}
    answer = why_not(rules, c, "miteam", True, "de")
    steps = {s.key: s for option in answer.options for s in option}
    assert steps["wn_assign_order"].you_can is False
    assert steps["wn_assign_order"].refusal == "orders_partner_only"
    assert "Bestellungen werden vom Partner verwaltet" in "\n".join(answer.lines())
    assert steps["wn_free_license"].you_can is True


def test_nothing_is_suggested_to_an_operator_outside_the_account(miteam):
    r = miteam("license", "set", "u-1057", "miteam", "on", "--dry-run", "--why",
               operator="markus.weber")
    assert r.code == 1
    assert r.json["why"]["why_not"] is None
