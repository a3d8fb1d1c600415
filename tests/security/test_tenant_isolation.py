"""Tenants cannot see each other (issue 9, part 5).

An id or company name outside the operator's scope must be indistinguishable from one that
does not exist: the same stdout, stderr, exit code and JSON, in every command, with or
without --why; company names resolve only among readable accounts; the console's palette
and its open_* navigation answer the same way. Every attempt leaves the database's bytes
as they were. Scope stays the rules' decision (account.read, order.read, partner.read in
rules/policy/): a record the operator can read but may not change is still refused with
its reason.

Demo tenants: anna.huber is the partner p-alpen (a-kranich, a-bergmann, ...); james.cole
the partner p-northbridge (a-oakridge, a-harbour, ...); markus.weber the account admin of
a-kranich; olivia.grant of a-oakridge. u-1099 is an a-oakridge user, u-1036 an a-kranich
one; ord-1006 is p-alpen's unassigned order, ord-2006 p-northbridge's.
"""

from __future__ import annotations

import asyncio
import re

import pytest

from rules.ops.actions import MicollabSet, SetLicense
from rules.ops.session import Session
from rules.records.store import Store
from tests.console.test_scases_in_console import (
    SettledPilot,
    consoles,
    palette_prompts,
    refusals,
    until,
)
from tests.security.tamper import shell, unchanged

# (operator, command with {} where the id or name goes, one outside the operator's scope,
# one that exists nowhere)
PROBES = [
    ("markus.weber", "user show {}", "u-1099", "u-9999"),
    ("markus.weber", "explain {}", "u-1099", "u-9999"),
    ("markus.weber", "license set {} miteam on", "u-1099", "u-9999"),
    ("markus.weber", "license set {} miteam on --why", "u-1099", "u-9999"),
    ("markus.weber", "license set {} miteam off --dry-run --why", "u-1099", "u-9999"),
    ("markus.weber", "license set {} miteam on --expect off", "u-1099", "u-9999"),
    ("markus.weber", "micollab set {} miteam on --why", "u-1099", "u-9999"),
    ("markus.weber", "account show {}", "a-oakridge", "a-nowhere"),
    ("markus.weber", "account show {}", "Oakridge Dental Group", "Nowhere Dental Group"),
    ("markus.weber", "integration set {} miteam off --why", "a-oakridge", "a-nowhere"),
    ("markus.weber", "user list --account {}", "a-oakridge", "a-nowhere"),
    ("markus.weber", "audit --account {}", "a-oakridge", "a-nowhere"),
    ("markus.weber", "user add u-new --account {} --name Eve", "a-oakridge", "a-nowhere"),
    # Orders are the partner's alone: to an account admin even their partner's order is
    # as unknown as one that was never bought.
    ("markus.weber", "order assign {} a-kranich --why", "ord-1006", "ord-9999"),
    ("anna.huber", "license set {} miteam on --why", "u-1099", "u-9999"),
    ("anna.huber", "order assign ord-1006 {} --why", "a-oakridge", "a-nowhere"),
    ("anna.huber", "order assign ord-1006 {} --dry-run", "Oakridge Dental Group",
     "Nowhere Dental Group"),
    ("anna.huber", "order assign {} a-kranich --why", "ord-2006", "ord-9999"),
    ("anna.huber", "account add a-new --partner {} --name Eve", "p-northbridge",
     "p-nowhere"),
    ("anna.huber", "order add o-new --partner {} --product miteam --quantity 5",
     "p-northbridge", "p-nowhere"),
    ("anna.huber", "operator add eve --role account_admin --account {}", "a-oakridge",
     "a-nowhere"),
    ("james.cole", "order assign ord-2006 {} --why", "Kranich Logistik GmbH",
     "Nowhere Logistik GmbH"),
    ("olivia.grant", "license set {} miteam on --why", "u-1036", "u-9999"),
    ("olivia.grant", "integration set {} miteam off", "a-kranich", "a-nowhere"),
]


# Commands that act on several records (issue 12): the outside one is reported exactly as
# a missing one, whatever happens to the others.
SEVERAL = [
    ("markus.weber", "user remove {} --dry-run", "u-1099", "u-9999"),
    ("markus.weber", "user remove u-1036 {} --dry-run", "u-1099", "u-9999"),
    ("markus.weber", "user move {} --to a-kranich --dry-run", "u-1099", "u-9999"),
    ("anna.huber", "user move u-1036 --to {} --dry-run", "a-oakridge", "a-nowhere"),
    ("anna.huber", "user move u-1036 --to {} --dry-run", "Oakridge Dental Group",
     "Nowhere Dental Group"),
    ("markus.weber", "user export --account {}", "a-oakridge", "a-nowhere"),
    ("markus.weber", "license set u-1036 {} miteam on --dry-run", "u-1099", "u-9999"),
    ("markus.weber", "license set --account {} miteam on --dry-run", "a-oakridge",
     "a-nowhere"),
]


def _run(miteam, operator: str, command: str, key: str, json_out: bool):
    argv = [key if part == "{}" else part for part in command.split(" ")]
    return miteam(*argv, operator=operator, json_out=json_out)


@pytest.mark.parametrize(("operator", "command", "foreign", "missing"), PROBES,
                         ids=[f"{p[0]}: {p[1].format(p[2])}" for p in PROBES])
def test_an_id_outside_the_scope_reads_exactly_like_one_that_does_not_exist(
        miteam, demo_db, operator, command, foreign, missing):
    for json_out in (False, True):
        with unchanged(demo_db):
            theirs = _run(miteam, operator, command, foreign, json_out)
            nowhere = _run(miteam, operator, command, missing, json_out)
        assert theirs.code == nowhere.code == 2
        assert theirs.out.replace(foreign, missing) == nowhere.out
        assert theirs.err.replace(foreign, missing) == nowhere.err
        if json_out:
            assert theirs.json == {"ok": False, "exit": 2, "error": theirs.json["error"]}
            assert "unknown" in theirs.json["error"]
        # Nothing of the other tenant's records: their partner, names, the rules' values.
        for secret in ("p-northbridge", "p-alpen", "Northbridge", "Oakridge Dental", "outside",
                       "policy", "decided by"):
            if secret not in foreign:
                assert secret not in theirs.out + theirs.err


@pytest.mark.parametrize(("operator", "command", "foreign", "missing"), SEVERAL,
                         ids=[f"{p[0]}: {p[1].format(p[2])}" for p in SEVERAL])
def test_commands_on_several_records_report_an_outside_one_like_a_missing_one(
        miteam, demo_db, operator, command, foreign, missing):
    for json_out in (False, True):
        with unchanged(demo_db):
            theirs = _run(miteam, operator, command, foreign, json_out)
            nowhere = _run(miteam, operator, command, missing, json_out)
        assert theirs.code == nowhere.code != 0
        # A preview's digest hashes its rows, ids included (see the test below).
        assert _digestless(theirs.out.replace(foreign, missing)) == _digestless(nowhere.out)
        assert theirs.err.replace(foreign, missing) == nowhere.err
        assert "Oakridge Dental" not in theirs.out + theirs.err or "Oakridge" in foreign


def _digestless(text: str) -> str:
    return re.sub(r"\b[0-9a-f]{16}\b", "DIGEST", text)


def test_a_preview_digest_is_the_same_whether_the_outside_user_exists_or_not(miteam):
    """The digest of a bulk preview naming another tenant's user is exactly the one it has
    once that user is gone: it hashes nothing of theirs."""
    command = ("license", "set", "u-1036", "u-1099", "miteam", "on", "--dry-run")
    while_there = miteam(*command, operator="markus.weber", json_out=False)
    assert miteam("user", "remove", "u-1099").code == 0  # support removes the user
    once_gone = miteam(*command, operator="markus.weber", json_out=False)
    assert (while_there.code, while_there.out, while_there.err) == \
        (once_gone.code, once_gone.out, once_gone.err)


def test_reverting_another_tenants_change_reads_like_reverting_none(miteam, demo_db):
    theirs = miteam("license", "set", "u-1099", "miteam", "on")  # support, in a-oakridge
    assert theirs.code == 0, theirs.err
    seq = str(theirs.json["audit"][0])
    with unchanged(demo_db):
        outside = miteam("revert", seq, operator="markus.weber")
        nowhere = miteam("revert", "99999", operator="markus.weber")
    assert outside.code == nowhere.code == 2
    assert outside.json == {**nowhere.json, "error": nowhere.json["error"].replace("99999", seq)}


@pytest.mark.parametrize("command", ["license set {} miteam on --why",
                                     "--json license set {} miteam on --why",
                                     "user show {}", "audit --account {}"])
def test_over_ssh_an_outside_id_reads_like_a_missing_one(miteam, demo_db, monkeypatch,
                                                         capsys, command):
    """The way an outside customer really arrives: `miteam shell markus.weber`."""
    foreign, missing = ("a-oakridge", "a-nowhere") if "account" in command \
        else ("u-1099", "u-9999")
    with unchanged(demo_db):
        theirs = shell(capsys, monkeypatch, demo_db, "markus.weber", command.format(foreign))
        nowhere = shell(capsys, monkeypatch, demo_db, "markus.weber", command.format(missing))
    assert theirs.code == nowhere.code == 2
    assert (theirs.out.replace(foreign, missing), theirs.err.replace(foreign, missing)) == \
        (nowhere.out, nowhere.err)


def test_company_names_resolve_only_among_readable_accounts(miteam, demo_db):
    # Another partner's customer with the same company name as anna's a-kranich.
    added = miteam("account", "add", "a-dup", "--partner", "p-northbridge", "--name",
                   "Kranich Logistik GmbH")
    assert added.code == 0, added.err
    # Support reads both: the name is ambiguous, and both ids are named.
    both = miteam("order", "assign", "ord-1006", "Kranich Logistik GmbH", "--dry-run")
    assert both.code == 2 and "a-kranich" in both.json["error"] and "a-dup" in both.json["error"]
    # anna reads only hers: the name is hers alone, and a-dup is never mentioned.
    mine = miteam("order", "assign", "ord-1006", "Kranich Logistik GmbH", "--dry-run",
                  operator="anna.huber")
    assert mine.code == 0 and mine.json["after"] == "a-kranich"
    assert "a-dup" not in mine.out + mine.err
    # james reads only a-dup: the same name is his account.
    his = miteam("account", "show", "Kranich Logistik GmbH", operator="james.cole")
    assert his.code == 0 and his.json["id"] == "a-dup"


def test_what_an_operator_can_read_but_not_change_is_still_refused_with_its_reason(miteam,
                                                                                   demo_db):
    with unchanged(demo_db):
        # u-1001: anna's customer a-bergmann, managed by MiCollab (S4).
        r = miteam("license", "set", "u-1001", "miteam", "off", "--why", operator="anna.huber")
        assert r.code == 1 and r.json["rule"] == "s4_micollab_manages"
        assert r.json["why"]["decided_by"]["rule"] == "s4_micollab_manages"
        # Support reads every partner's records: assigning across partners says why (S2).
        r = miteam("order", "assign", "ord-1006", "a-oakridge", operator="lena.support")
        assert r.code == 1 and r.json["rule"] == "s2_other_partners_account"


def test_lists_hold_only_the_operators_own_records(miteam):
    assert {a["id"] for a in miteam("account", "list", operator="markus.weber").json} == \
        {"a-kranich"}
    # Filtering by another partner answers like filtering by no partner at all.
    theirs = miteam("account", "list", "--partner", "p-northbridge", operator="anna.huber")
    nowhere = miteam("account", "list", "--partner", "p-nowhere", operator="anna.huber")
    assert theirs.json == nowhere.json == []
    users = miteam("user", "list", operator="markus.weber").json
    assert users and {u["account"] for u in users} == {"a-kranich"}
    audit = miteam("audit", operator="olivia.grant").json
    assert all(e["account"] == "a-oakridge" for e in audit)


def test_the_session_maps_unreadable_to_unknown_and_nothing_else(demo_db):
    """The core API itself (what the console and scenarios drive) answers the same way."""
    from rules.engine.ruleset import RuleSet
    from rules.errors import NotFound

    store = Store(demo_db)
    try:
        s = Session(store, RuleSet.load(None), "markus.weber")
        for call in (lambda k: s.user(k), lambda k: s.explain(k),
                     lambda k: s.why(SetLicense(k, "miteam", True)),
                     lambda k: s.apply(SetLicense(k, "miteam", True), dry_run=True),
                     lambda k: s.apply(MicollabSet(k, "miteam", True), expect=False)):
            answers = []
            for key in ("u-1099", "u-9999"):
                with pytest.raises(NotFound) as e:
                    call(key)
                answers.append(str(e.value).replace(key, "ID"))
            assert answers[0] == answers[1] == "unknown user 'ID'"
    finally:
        store.close()


# The console --------------------------------------------------------------------------


@pytest.fixture
def console(demo_db, monkeypatch):
    yield from consoles(demo_db, monkeypatch)


def _drive(app, walk) -> None:
    async def main() -> None:
        async with app.run_test(size=(80, 24), notifications=True):
            pilot = SettledPilot(app)  # waits for the console's workers too
            await pilot.pause()
            await walk(pilot)
    asyncio.run(main())


def test_console_navigation_answers_an_outside_id_like_a_missing_one(console, demo_db):
    app = console("anna.huber")

    async def walk(pilot):
        answers = []
        for foreign, missing, go in (
                ("u-1099", "u-9999", app.open_user),
                ("a-oakridge", "a-nowhere", app.open_account),
                ("Oakridge Dental Group", "Nowhere Dental Group", app.open_account),
                ("u-1099", "u-9999", app.why_license),
                ("a-oakridge", "a-nowhere", lambda k: app.why_integration(k, "miteam")),
                ("a-oakridge", "a-nowhere", lambda k: app.why_assign("ord-1006", k)),
                ("a-oakridge", "a-nowhere",
                 lambda k: app.switch_integration(k, "miteam", value=False)),
                ("u-1099", "u-9999", lambda k: app.switch_license(k, value=True))):
            outcome = []
            for key in (foreign, missing):
                said = len(refusals(app))
                result = go(key)
                await pilot.pause()
                assert len(refusals(app)) == said + 1, f"no answer to {key}"
                outcome.append((result, refusals(app)[-1].replace(key, "ID")))
            answers.append(outcome)
            assert outcome[0] == outcome[1], foreign
        assert all("unknown" in o[0][1] for o in answers)

    with unchanged(demo_db):
        _drive(app, walk)


def test_console_palette_offers_nothing_of_another_tenant(console):
    app = console("anna.huber")

    async def walk(pilot):
        for query in ("Oakridge", "ord-2006"):  # (users: only in readable accounts)
            await pilot.press("ctrl+p", *query)
            await until(pilot, lambda: palette_prompts(app))  # hits or "No matches found"
            prompts = " ".join(palette_prompts(app))
            assert "Oakridge" not in prompts
            assert "ord-2006" not in prompts
            await pilot.press("escape")
            await pilot.pause()
        # Her own records are found the same way.
        await pilot.press("ctrl+p", *"Kranich")
        await until(pilot, lambda: any("Kranich" in p for p in palette_prompts(app)))

    _drive(app, walk)


def test_the_byte_check_would_see_a_change(miteam, demo_db):
    """The guard every attack above runs under catches a real change (one license)."""
    with pytest.raises(AssertionError, match="changed the database"):
        with unchanged(demo_db):
            assert miteam("license", "set", "u-1036", "miteam", "on").code == 0
