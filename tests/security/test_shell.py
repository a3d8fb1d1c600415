"""Part 2: `miteam shell OPERATOR`, the forced command of SSH logins.

A key pinned to markus.weber (an account admin of a-kranich) acts as markus.weber and
nobody else, under the service's rules and database, whatever the person sends: every
attack below fails and leaves the database byte for byte as it was."""

from __future__ import annotations

import shutil

import pytest

from rules.paths import SHIPPED_RULES_DIR
from tests.security.tamper import db_files, shell

MARKUS = "markus.weber"
OWN_USER = "u-1029"  # a-kranich: markus.weber's account, standalone
FOREIGN_USER = "u-1101"  # a-oakridge, another partner's customer


def test_a_login_switches_a_license_in_its_own_account(miteam, monkeypatch, capsys):
    r = shell(capsys, monkeypatch, miteam.db, MARKUS,
              f"license set {OWN_USER} miteam off")
    assert r.code == 0, r.err
    assert miteam.user(OWN_USER)["licenses"]["miteam"] is False
    entry = miteam("audit", "--limit", "1").json[-1]
    assert entry["operator"] == MARKUS and entry["real"] == "root"


def test_the_command_may_start_with_miteam_and_take_json(miteam, monkeypatch, capsys):
    r = shell(capsys, monkeypatch, miteam.db, MARKUS, "miteam --json operator whoami")
    assert r.code == 0, r.err
    assert '"id": "markus.weber"' in r.out and '"real": "root"' in r.out
    r = shell(capsys, monkeypatch, miteam.db, MARKUS, "operator whoami")
    assert r.out == "markus.weber (account_admin, p-alpen) [root]\n"


@pytest.mark.parametrize("command, refused", [
    ("--operator lena.support license set u-1029 miteam off", "--operator"),
    ("--operator=lena.support license set u-1029 miteam off", "--operator"),
    ("--oper lena.support license set u-1029 miteam off", "--oper"),
    ("--rules /tmp/evil license set u-1029 miteam off", "--rules"),
    ("--db /tmp/other.json license set u-1029 miteam off", "--db"),
    ("license set u-1029 miteam off --db /tmp/other.json", "--db"),
    ("db init --force", "db init"),
    ("db generate --accounts 1 --users 1 --force", "db generate"),
    ("db restore /tmp/backup.json --force", "db restore"),
    ("db backup /tmp/stolen.json", "db backup"),
    ("keys add lena.support /tmp/k.pub", "keys add"),
    ("keys list", "keys list"),
    ("rules check /etc", "rules check"),
    ("rules test", "rules test"),
    ("scenario run /etc/passwd", "scenario run"),
    ("tui --record /tmp/x.scenario", "--record"),
    ("tui --replay /etc/passwd", "--replay"),
    ("bench --dir /tmp", "bench"),
    ("shell lena.support", "shell"),
    ("micollab set u-1029 miteam on", "micollab set"),
    ("operator add evil --role support --name=x --oper lena", "--oper"),
])
def test_what_a_login_may_not_send_is_refused_in_one_line(miteam, monkeypatch, capsys,
                                                         command, refused):
    before = db_files(miteam.db)
    r = shell(capsys, monkeypatch, miteam.db, MARKUS, command)
    assert r.code == 2, r.err
    assert r.err.count("\n") == 1 and refused in r.err and "SSH" in r.err
    assert db_files(miteam.db) == before


def test_another_tenants_user_is_refused(miteam, monkeypatch, capsys):
    before = db_files(miteam.db)
    r = shell(capsys, monkeypatch, miteam.db, MARKUS, f"license set {FOREIGN_USER} miteam off")
    assert r.code in (1, 2) and r.err.count("\n") == 1
    assert db_files(miteam.db) == before


def test_the_environment_is_ignored(miteam, monkeypatch, capsys, tmp_path):
    # sshd may pass variables the client sends (AcceptEnv): none of them changes who acts,
    # which rules decide or which database is used.
    evil = tmp_path / "evil"
    shutil.copytree(SHIPPED_RULES_DIR, evil)
    scope = evil / "scope.rules"
    scope.write_text(scope.read_text().replace('let is_support = operator.role == "support"',
                                               "let is_support = true"))
    before = db_files(miteam.db)
    r = shell(capsys, monkeypatch, miteam.db, MARKUS,
              f"license set {FOREIGN_USER} miteam off", MITEAM_OPERATOR="lena.support",
              MITEAM_RULES=str(evil), MITEAM_DB=str(tmp_path / "other.json"),
              USER="lena.support", LOGNAME="lena.support")
    assert r.code in (1, 2)
    assert db_files(miteam.db) == before
    r = shell(capsys, monkeypatch, miteam.db, MARKUS, "--json operator whoami",
              MITEAM_OPERATOR="lena.support", USER="lena.support")
    assert r.code == 0 and '"id": "markus.weber"' in r.out
    assert not (tmp_path / "other.json").exists()


def test_no_command_without_a_terminal_prints_help(miteam, monkeypatch, capsys):
    r = shell(capsys, monkeypatch, miteam.db, MARKUS, None)
    assert r.code == 0 and "You are markus.weber" in r.out and "license set" in r.out
    assert "db " not in r.out and "keys" not in r.out


def test_an_unreadable_command_line_is_bad_input(miteam, monkeypatch, capsys):
    r = shell(capsys, monkeypatch, miteam.db, MARKUS, "user show 'u-1029")
    assert r.code == 2 and "cannot read the command" in r.err


def test_a_pinned_login_outside_the_database_is_refused(miteam, monkeypatch, capsys):
    r = shell(capsys, monkeypatch, miteam.db, "mallory", "operator whoami")
    assert r.code == 1 and "'mallory' is not registered" in r.err


def test_the_service_options_before_shell_apply(miteam, monkeypatch, capsys, tmp_path):
    # The administrator's rules, written before `shell` in authorized_keys, decide: here
    # a copy that lets the account admin switch MiCollab-managed licenses (no S4 deny).
    mine = tmp_path / "service-rules"
    shutil.copytree(SHIPPED_RULES_DIR, mine)
    lic = mine / "licenses.rules"
    lic.write_text(lic.read_text().replace("  deny s4_micollab_manages\n"
                                           "    when account.integrations.micollab\n"
                                           "    because micollab_manages\n", ""))
    miteam("operator", "add", "peter", "--role", "account_admin", "--account", "a-bergmann")
    first, second = [u["id"] for u in miteam.users_of("a-bergmann", licensed=True)[:2]]
    r = shell(capsys, monkeypatch, miteam.db, "peter", f"license set {first} miteam off",
              "--rules", str(mine))
    assert r.code == 0, r.err
    # Without them the shipped rules decide (S4), in the service's language.
    r = shell(capsys, monkeypatch, miteam.db, "peter", f"license set {second} miteam off",
              "--lang", "de")
    assert r.code == 1 and "MiCollab-Server" in r.err
    assert miteam.user(second)["licenses"]["miteam"] is True


def test_the_administrator_cannot_unpin_the_shell_with_operator(miteam, monkeypatch, capsys):
    from tests.security.tamper import run

    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "operator whoami")
    r = run(capsys, "--db", str(miteam.db), "--operator", "lena.support", "shell", MARKUS)
    assert r.code == 2 and "--operator" in r.err


def test_only_the_service_account_runs_the_shell(miteam, monkeypatch, capsys):
    # A local login that does not own the database cannot pin itself to an operator.
    from tests.security.tamper import as_nobody

    as_nobody(monkeypatch)
    before = db_files(miteam.db)
    r = shell(capsys, monkeypatch, miteam.db, "lena.support",
              "operator add evil --role support")
    assert r.code == 2 and "forced command" in r.err and r.err.count("\n") == 1
    assert db_files(miteam.db) == before
