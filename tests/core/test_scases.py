"""S1–S13 (DESIGN.md section 2), each driven through the `miteam` command on the demo data.

Demo accounts: a-bergmann (MiCollab on, MiTeam on), a-seeblick (MiCollab on, MiTeam off),
a-kranich (standalone, licenses left), a-lindenhof (standalone, none left), a-falkenstein
(standalone, no orders), a-harbour (MiCollab on), a-oakridge (standalone, other partner).
Operators: anna.huber (partner p-alpen), james.cole (partner p-northbridge), markus.weber
(account admin of a-kranich), tester (support).
"""

from __future__ import annotations

import pytest


def miteam_product(user: dict) -> dict:
    (product,) = [p for p in user["products"] if p["product"] == "miteam"]
    return product


# Orders ------------------------------------------------------------------------------


def test_s1_partner_sees_their_orders_on_the_orders_page(miteam):
    r = miteam("order", "list", operator="anna.huber")
    assert r.code == 0
    ids = {o["id"] for o in r.json}
    assert ids == {f"ord-100{i}" for i in range(1, 9)}
    assert {o["state"] for o in r.json} == {"assigned", "unassigned", "expired"}
    unassigned = miteam("order", "list", "--state", "unassigned", operator="anna.huber").json
    assert {o["id"] for o in unassigned} == {"ord-1006", "ord-1007"}


def test_s2_assign_order_by_company_name_moves_all_its_licenses(miteam):
    before = miteam.account("a-kranich")["licenses"]["miteam"]
    r = miteam("order", "assign", "ord-1006", "Kranich Logistik GmbH", operator="anna.huber")
    assert r.code == 0, r.err
    after = miteam.account("a-kranich")
    assert after["licenses"]["miteam"]["total"] == before["total"] + 25
    assert after["licenses"]["miteam"]["available"] == before["available"] + 25
    (order,) = [o for o in after["orders"] if o["id"] == "ord-1006"]
    assert order["state"] == "assigned" and order["quantity"] == 25


def test_s2_expired_or_assigned_order_cannot_be_assigned(miteam):
    before = miteam.snapshot()
    expired = miteam("order", "assign", "ord-1008", "a-kranich", operator="anna.huber")
    assert expired.code == 1
    assert "expired" in expired.err
    assigned = miteam("order", "assign", "ord-1001", "a-kranich", operator="anna.huber")
    assert assigned.code == 1
    assert "already assigned" in assigned.err
    assert miteam.snapshot() == before


def test_s3_account_information_shows_orders_and_license_counts(miteam):
    account = miteam.account("a-kranich", operator="anna.huber")
    assert [(o["id"], o["quantity"]) for o in account["orders"]] == [("ord-1003", 15)]
    assert account["licenses"]["miteam"] == {
        "total": 15, "assigned": 7, "available": 8, "over_allocated": False}
    assert account["integrations"] == {"micollab": False, "miteam": True}
    assert account["partner"] == "p-alpen" and account["name"] == "Kranich Logistik GmbH"


def test_s3_over_allocation_is_flagged_when_an_order_expired(miteam):
    lic = miteam.account("a-copperfield")["licenses"]["miteam"]
    assert lic["total"] == 4 and lic["assigned"] == 6
    assert lic["available"] == -2 and lic["over_allocated"] is True


# MiCollab-managed accounts -------------------------------------------------------------


def test_s4_micollab_account_licenses_cannot_be_switched_in_the_console(miteam):
    holder = miteam.users_of("a-bergmann", licensed=True)[0]
    before = miteam.snapshot()
    r = miteam("license", "set", holder["id"], "miteam", "off", operator="anna.huber")
    assert r.code == 1
    assert "MiCollab server manages" in r.err
    assert r.json["rule"] == "s4_micollab_manages"
    assert miteam.snapshot() == before


def test_s4_the_micollab_server_grants_and_withdraws(miteam):
    user = miteam.users_of("a-bergmann", licensed=False)[0]
    r = miteam("micollab", "set", user["id"], "miteam", "on")
    assert r.code == 0, r.err
    granted = miteam.user(user["id"])
    assert granted["licenses"]["miteam"] is True
    assert granted["set_by"]["miteam"] == "micollab"
    assert miteam_product(granted)["mode"] == "readonly"
    assert miteam("micollab", "set", user["id"], "miteam", "off").code == 0
    assert miteam.user(user["id"])["licenses"]["miteam"] is False


def test_s4_the_micollab_server_only_acts_while_integrated(miteam):
    user = miteam.users_of("a-kranich", licensed=False)[0]
    r = miteam("micollab", "set", user["id"], "miteam", "on")
    assert r.code == 1
    assert "MiCollab integration is off" in r.err


def test_s5_miteam_integration_off_keeps_assigned_licenses_active(miteam):
    holders = {u["id"] for u in miteam.users_of("a-bergmann", licensed=True)}
    r = miteam("integration", "set", "a-bergmann", "miteam", "off", operator="anna.huber")
    assert r.code == 0, r.err
    assert r.json["consequences"] == []
    for uid in holders:
        user = miteam.user(uid)
        assert user["licenses"]["miteam"] is True
        assert miteam_product(user)["display"] == "no_licenses"


def test_s6_micollab_user_with_license_shows_toggle_on_read_only(miteam):
    holder = miteam.users_of("a-bergmann", licensed=True)[0]
    product = miteam_product(miteam.user(holder["id"]))
    assert product["display"] == "toggle"
    assert product["on"] is True and product["mode"] == "readonly"
    assert product["rule"] == "s6_micollab_license"


def test_s7_micollab_user_without_license_shows_no_licenses(miteam):
    user = miteam.users_of("a-bergmann", licensed=False)[0]
    product = miteam_product(miteam.user(user["id"]))
    assert product["display"] == "no_licenses"
    assert product["message"] == "No licenses"
    assert product["mode"] is None and product["on"] is False


# Order of switching off --------------------------------------------------------------


def test_s8_miteam_off_after_micollab_off_deactivates_every_license(miteam):
    # a-kranich's MiCollab integration is already off.
    holders = {u["id"] for u in miteam.users_of("a-kranich", licensed=True)}
    assert holders
    r = miteam("integration", "set", "a-kranich", "miteam", "off", operator="anna.huber")
    assert r.code == 0, r.err
    (effect,) = r.json["consequences"]
    assert effect["rule"] == "s8_miteam_off_when_standalone"
    assert set(effect["users"]) == holders
    assert miteam.users_of("a-kranich", licensed=True) == []
    lic = miteam.account("a-kranich")["licenses"]["miteam"]
    assert lic["assigned"] == 0 and lic["available"] == lic["total"]
    audit = miteam("audit", "--account", "a-kranich").json
    assert sum(e["rule"] == "s8_miteam_off_when_standalone" for e in audit) == len(holders)


def test_s8_micollab_off_alone_keeps_licenses_and_makes_them_switchable(miteam):
    holder = miteam.users_of("a-harbour", licensed=True)[0]
    r = miteam("integration", "set", "a-harbour", "micollab", "off", operator="james.cole")
    assert r.code == 0, r.err
    user = miteam.user(holder["id"])
    assert user["licenses"]["miteam"] is True
    assert miteam_product(user)["mode"] == "editable"
    off = miteam("license", "set", holder["id"], "miteam", "off", operator="james.cole")
    assert off.code == 0, off.err


def test_s9_micollab_off_after_miteam_off_keeps_every_license(miteam):
    holders = {u["id"] for u in miteam.users_of("a-harbour", licensed=True)}
    assert miteam("integration", "set", "a-harbour", "miteam", "off").code == 0
    r = miteam("integration", "set", "a-harbour", "micollab", "off")
    assert r.code == 0 and r.json["consequences"] == []
    assert {u["id"] for u in miteam.users_of("a-harbour", licensed=True)} == holders


# Standalone accounts -----------------------------------------------------------------


def test_s10_standalone_license_switches_on_when_all_conditions_hold(miteam):
    user = miteam.users_of("a-kranich", licensed=False)[0]
    r = miteam("license", "set", user["id"], "miteam", "on", operator="anna.huber")
    assert r.code == 0, r.err
    assert r.json["rule"] == "s10_switch_standalone"
    shown = miteam_product(miteam.user(user["id"]))
    assert shown == {**shown, "display": "toggle", "on": True, "mode": "editable"}


def test_s10_refused_without_orders_or_integration(miteam):
    no_orders = miteam.users_of("a-falkenstein")[0]
    r = miteam("license", "set", no_orders["id"], "miteam", "on", operator="anna.huber")
    assert r.code == 1 and "assign an order" in r.err
    assert miteam("integration", "set", "a-kranich", "miteam", "off").code == 0
    user = miteam.users_of("a-kranich")[0]
    r = miteam("license", "set", user["id"], "miteam", "on", operator="anna.huber")
    assert r.code == 1 and "integration is off" in r.err


def test_s11_account_admin_switches_only_in_their_own_account(miteam):
    own = miteam.users_of("a-kranich", licensed=False)[0]
    assert miteam("license", "set", own["id"], "miteam", "on",
                  operator="markus.weber").code == 0
    other = miteam.users_of("a-oakridge", licensed=False)[0]
    before = miteam.snapshot()
    r = miteam("license", "set", other["id"], "miteam", "on", operator="markus.weber")
    assert r.code == 2 and f"unknown user '{other['id']}'" in r.err  # as if not there
    assert miteam("user", "show", other["id"], operator="markus.weber").code == 2
    assert miteam.snapshot() == before


def test_s11_account_admin_cannot_assign_orders_or_see_them(miteam):
    before = miteam.snapshot()
    r = miteam("order", "assign", "ord-1006", "a-kranich", operator="markus.weber")
    assert r.code == 2 and "unknown order 'ord-1006'" in r.err  # orders: not theirs to see
    assert miteam.snapshot() == before
    assert miteam("order", "list", operator="markus.weber").json == []
    accounts = miteam("account", "list", operator="markus.weber").json
    assert [a["id"] for a in accounts] == ["a-kranich"]


def test_s11_partner_cannot_act_on_another_partners_account(miteam):
    theirs = miteam.users_of("a-oakridge", licensed=False)[0]
    before = miteam.snapshot()
    r = miteam("license", "set", theirs["id"], "miteam", "on", operator="anna.huber")
    assert r.code == 2 and f"unknown user '{theirs['id']}'" in r.err
    r = miteam("integration", "set", "a-oakridge", "miteam", "off", operator="anna.huber")
    assert r.code == 2
    r = miteam("order", "assign", "ord-1006", "a-oakridge", operator="anna.huber")
    assert r.code == 2
    assert miteam.snapshot() == before
    names = {a["id"] for a in miteam("account", "list", operator="anna.huber").json}
    assert "a-oakridge" not in names and "a-kranich" in names


def test_s12_no_license_left_shows_disabled_toggle(miteam):
    lindenhof = miteam.account("a-lindenhof")["licenses"]["miteam"]
    assert lindenhof["available"] == 0
    without = miteam.users_of("a-lindenhof", licensed=False)[0]
    product = miteam_product(miteam.user(without["id"]))
    assert (product["display"], product["on"], product["mode"]) == ("toggle", False, "disabled")
    assert product["message"] == "Licenses not available"
    r = miteam("license", "set", without["id"], "miteam", "on", operator="anna.huber")
    assert r.code == 1 and "Licenses not available" in r.err


def test_s12_a_holder_can_still_switch_off_and_free_a_license(miteam):
    holder = miteam.users_of("a-lindenhof", licensed=True)[0]
    assert miteam_product(miteam.user(holder["id"]))["mode"] == "editable"
    assert miteam("license", "set", holder["id"], "miteam", "off").code == 0
    without = miteam.users_of("a-lindenhof", licensed=False)[-1]
    assert miteam("license", "set", without["id"], "miteam", "on").code == 0


def test_s13_integration_off_shows_no_licenses_whatever_is_stored(miteam):
    # a-seeblick: MiTeam off, six users still hold a stored license (S5).
    users = miteam.users_of("a-seeblick")
    stored_on = [u for u in users if u["licenses"]["miteam"]]
    assert stored_on and len(stored_on) < len(users)
    for u in users:
        product = miteam_product(u)
        assert product["display"] == "no_licenses" and product["message"] == "No licenses"
    # Stored state and display are both visible.
    assert miteam.user(stored_on[0]["id"])["licenses"]["miteam"] is True


def test_messages_in_german(miteam):
    user = miteam.users_of("a-seeblick")[0]
    assert miteam_product(miteam.user(user["id"], lang="de"))["message"] == "Keine Lizenzen"
    full = miteam.users_of("a-lindenhof", licensed=False)[0]
    product = miteam_product(miteam.user(full["id"], lang="de"))
    assert product["message"] == "Lizenzen nicht verfügbar"
    r = miteam("license", "set", full["id"], "miteam", "on", lang="de")
    assert r.code == 1 and "Lizenzen nicht verfügbar" in r.err


@pytest.fixture
def demo_db(backend_demo_db):
    """Every S-case on both backends: the embedded file and a PostgreSQL server."""
    return backend_demo_db
