"""Part 3: the policy in force is the administrator's.

The attack of issue 9: a copy of the rules with `let is_support = true`, passed with
`--rules`, let an account admin switch another partner's user and add a support operator.
Now changing commands run under the configured rules (the config file's, else the shipped
ones); `--rules` previews only; files others can write are refused (StrictModes)."""

from __future__ import annotations

import grp
import os
import shutil
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.paths import SHIPPED_RULES_DIR
from tests.security.tamper import as_nobody, db_files, run


@pytest.fixture
def evil_rules(tmp_path: Path) -> Path:
    evil = tmp_path / "evil"
    shutil.copytree(SHIPPED_RULES_DIR, evil, ignore=shutil.ignore_patterns("__*"))
    scope = evil / "scope.rules"
    scope.write_text(scope.read_text().replace('let is_support = operator.role == "support"',
                                               "let is_support = true"))
    return evil


@pytest.mark.parametrize("command", [
    ("license", "set", "u-1101", "miteam", "off"),
    ("operator", "add", "evil", "--role", "support"),
    ("integration", "set", "a-oakridge", "miteam", "off"),
    ("tui",),
])
@pytest.mark.parametrize("how", ["option", "environment"])
def test_other_rules_never_decide_a_change(miteam, monkeypatch, evil_rules, command, how):
    before = db_files(miteam.db)
    if how == "environment":
        monkeypatch.setenv("MITEAM_RULES", str(evil_rules))
        r = miteam(*command, operator="markus.weber", json_out=False)
    else:
        r = miteam(*command, operator="markus.weber", rules=evil_rules, json_out=False)
    assert r.code == 2
    assert r.err.count("\n") == 1 and "configured rules" in r.err
    assert db_files(miteam.db) == before


def test_rules_still_preview_for_the_administrator(miteam, evil_rules):
    before = db_files(miteam.db)
    assert miteam("rules", "check", str(evil_rules)).code == 0
    r = miteam("license", "set", "u-1101", "miteam", "off", "--dry-run",
               operator="markus.weber", rules=evil_rules)
    assert r.code == 0 and r.json["dry_run"] is True
    assert db_files(miteam.db) == before


def test_a_preview_with_other_rules_is_the_administrators(miteam, monkeypatch, capsys,
                                                         evil_rules):
    # For anyone else, other rules over the database could open other tenants' records.
    miteam("operator", "add", "nobody", "--role", "account_admin", "--account", "a-kranich")
    as_nobody(monkeypatch)
    r = run(capsys, "--db", str(miteam.db), "--rules", str(evil_rules), "license", "set",
            "u-1101", "miteam", "off", "--dry-run")
    assert r.code == 2 and "administrator" in r.err


def test_the_configured_rules_decide_and_the_audit_names_them(miteam, tmp_path):
    mine = tmp_path / "policy"
    shutil.copytree(SHIPPED_RULES_DIR, mine, ignore=shutil.ignore_patterns("__*"))
    lic = mine / "licenses.rules"
    lic.write_text(lic.read_text().replace("  deny s4_micollab_manages\n"
                                           "    when account.integrations.micollab\n"
                                           "    because micollab_manages\n", ""))
    user = miteam.users_of("a-bergmann", licensed=True)[0]["id"]
    assert miteam("license", "set", user, "miteam", "off").code == 1  # shipped: S4
    miteam.configure(rules=mine)
    r = miteam("license", "set", user, "miteam", "off")
    assert r.code == 0, r.err
    entry = miteam("audit", "--limit", "1").json[-1]
    assert entry["rules"] == RuleSet.load([mine]).fingerprint
    assert entry["rules"] != RuleSet.load().fingerprint


def test_the_config_file_names_the_database_and_language(miteam, capsys):
    miteam.configure(db=miteam.db, lang="de")
    r = run(capsys, "--operator", "markus.weber", "--json", "user", "show", "u-1029")
    assert r.code == 0 and '"u-1029"' in r.out  # no --db: the configured database
    r = run(capsys, "--operator", "markus.weber", "license", "set", "u-1101", "miteam", "off")
    assert r.code in (1, 2) and ("Konto" in r.err or "unbekannt" in r.err)


@pytest.mark.parametrize("text, problem", [
    ("db = [", "config.toml"),
    ('colour = "blue"', "unknown setting 'colour'"),
    ('lang = "fr"', "lang 'fr'"),
    ("rules = 3", "'rules' must be a path"),
])
def test_a_malformed_config_file_is_one_clear_message(miteam, text, problem):
    path = miteam.configure()
    path.write_text(text + "\n")
    r = miteam("user", "show", "u-1029", json_out=False)
    assert r.code == 2 and r.err.count("\n") == 1 and problem in r.err and str(path) in r.err


@pytest.mark.parametrize("what", ["database", "directory", "journal", "rules dir",
                                  "rule file", "config"])
@pytest.mark.parametrize("mode", [0o002, 0o020])
def test_strict_modes_refuse_files_others_can_write(miteam, tmp_path, what, mode):
    mine = tmp_path / "policy"
    shutil.copytree(SHIPPED_RULES_DIR, mine, ignore=shutil.ignore_patterns("__*"))
    config = miteam.configure(rules=mine)
    miteam("license", "set", "u-1029", "miteam", "off")  # a journal exists
    loose = {"database": miteam.db, "directory": miteam.db.parent,
             "journal": miteam.db.with_name(miteam.db.name + ".journal"),
             "rules dir": mine, "rule file": mine / "licenses.rules", "config": config}[what]
    os.chmod(loose, loose.stat().st_mode | mode)
    if mode & 0o020:  # the owner's private group is the owner: another group is not
        os.chown(loose, -1, grp.getgrnam("nogroup").gr_gid)
    before = db_files(miteam.db)
    r = miteam("license", "set", "u-1030", "miteam", "off", json_out=False)
    assert r.code == 2 and r.err.count("\n") == 1
    assert f"chmod go-w {loose}" in r.err
    assert db_files(miteam.db) == before
