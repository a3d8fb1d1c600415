"""Part 1 of the trust boundary: who acts is the kernel's word, not the caller's.

The attacks of issue 9: `--operator lena.support`, `MITEAM_OPERATOR=...` or `USER=...` made
an account admin a support operator. Now only the administrator (root, or the owner of the
database) may act as someone else, and the audit then names both identities."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from tests.security.tamper import as_nobody, db_files, run


@pytest.fixture
def nobody_admin_of_kranich(miteam) -> str:
    """The login `nobody` registered as an account admin (like markus.weber): a person
    with a login on the host who does not own the database."""
    r = miteam("operator", "add", "nobody", "--role", "account_admin", "--account",
               "a-kranich")
    assert r.code == 0, r.err
    return "nobody"


def test_user_and_logname_from_the_environment_name_nobody(miteam, monkeypatch, capsys):
    as_nobody(monkeypatch)
    monkeypatch.setenv("USER", "lena.support")
    monkeypatch.setenv("LOGNAME", "lena.support")
    before = db_files(miteam.db)
    r = run(capsys, "--db", str(miteam.db), "operator", "add", "evil", "--role", "support")
    assert r.code == 1
    assert "'nobody' is not registered" in r.err and "lena.support" not in r.err
    assert db_files(miteam.db) == before


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_account_admin_cannot_act_as_support(miteam, monkeypatch, capsys,
                                               nobody_admin_of_kranich, how):
    as_nobody(monkeypatch)
    before = db_files(miteam.db)
    argv = ["--db", str(miteam.db), "operator", "add", "evil", "--role", "support"]
    refused_as_self = run(capsys, *argv)
    assert refused_as_self.code == 1 and "support" in refused_as_self.err.lower()
    if how == "option":
        argv = ["--operator", "lena.support", *argv]
    else:
        monkeypatch.setenv("MITEAM_OPERATOR", "lena.support")
    r = run(capsys, *argv)
    assert r.code == 2
    assert r.err.count("\n") == 1 and "--operator" in r.err and "administrator" in r.err
    assert db_files(miteam.db) == before


def test_a_login_that_is_no_operator_is_refused_in_one_line(miteam, monkeypatch, capsys):
    as_nobody(monkeypatch)
    r = run(capsys, "--db", str(miteam.db), "user", "show", "u-1029")
    assert r.code == 1 and r.err.count("\n") == 1 and "'nobody'" in r.err


def test_the_administrator_acts_as_an_operator_audited_with_both(miteam):
    r = miteam("license", "set", "u-1029", "miteam", "off", operator="markus.weber")
    assert r.code == 0, r.err
    entry = miteam("audit", "--limit", "1", operator="tester").json[-1]
    assert entry["operator"] == "markus.weber" and entry["real"] == "root"
    assert entry["rules"] == RuleSet.load().fingerprint
    shown = miteam("audit", "--limit", "1", operator="tester", json_out=False)
    assert "markus.weber [root]" in shown.out and entry["rules"] in shown.out


def test_the_local_identity_is_the_kernels_and_the_first_run_makes_it_support(capsys):
    # No --db, no database yet: the first run copies the demo data to the data directory
    # and registers the login (the kernel's, root here) as support.
    r = run(capsys, "--json", "operator", "whoami")
    assert r.code == 0, r.err
    assert '"id": "root"' in r.out and '"role": "support"' in r.out
    r = run(capsys, "--json", "license", "set", "u-1029", "miteam", "off")
    assert r.code == 0, r.err
    entry = run(capsys, "--json", "audit", "--limit", "1").out
    assert '"operator": "root"' in entry and '"real": "root"' in entry


def test_the_owner_of_the_database_is_its_administrator(miteam, monkeypatch, capsys,
                                                       tmp_path: Path):
    # `nobody` owns a database of its own (in a directory it owns): there it may act as
    # anyone, like the service account on its database.
    import os

    from tests.security.tamper import NOBODY

    os.chown(miteam.db, NOBODY.pw_uid, NOBODY.pw_gid)
    as_nobody(monkeypatch)
    r = run(capsys, "--db", str(miteam.db), "--operator", "markus.weber", "--json",
            "license", "set", "u-1029", "miteam", "off")
    assert r.code == 0, r.err
    entry = run(capsys, "--db", str(miteam.db), "--operator", "tester", "--json", "audit",
                "--limit", "1").out
    assert '"real": "nobody"' in entry and '"operator": "markus.weber"' in entry


def test_naming_ones_own_login_is_no_acting_as(miteam, monkeypatch, capsys,
                                               nobody_admin_of_kranich):
    as_nobody(monkeypatch)
    r = run(capsys, "--db", str(miteam.db), "--operator", "nobody", "--json", "operator",
            "whoami")
    assert r.code == 0 and '"id": "nobody"' in r.out


def test_the_console_audit_shows_both_identities(miteam):
    from rules.ops.session import Session
    from rules.records.store import Store
    from tests.console.test_scases_in_console import drive, screen
    from tui.app import ConsoleApp
    from tui.screens import AuditScreen

    assert miteam("license", "set", "u-1029", "miteam", "off",
                  operator="markus.weber").code == 0
    store = Store(miteam.db)
    rules = RuleSet.load()
    app = ConsoleApp(Session(store, rules, "lena.support"), poll_interval=None)

    async def walk(pilot):
        app.open_audit(None, jump=True)
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        text = screen(app)
        assert "markus.weber [root]" in text and rules.fingerprint in text

    try:
        drive(app, walk, size=(160, 30))
    finally:
        store.close()
