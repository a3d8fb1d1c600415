"""Part 4: administrative commands are decided by the rules and audited.

The attack of issue 9: `db init --force`, `db generate --force` and `db restore --force`
checked no role and left no audit entry, so any operator could wipe the database and its
trail. Now `db.replace` (rules/policy/admin.rules) lets support or the administrator do it,
and the new database starts with the record of what it replaced and who did it."""

from __future__ import annotations

import pytest

from rules.engine.ruleset import RuleSet
from tests.security.tamper import as_nobody, db_files, run


@pytest.fixture
def backup(miteam, tmp_path):
    path = tmp_path / "backup.json"
    assert miteam("db", "backup", str(path)).code == 0
    return path


REPLACE = {
    "init": ("db", "init", "--force"),
    "init empty": ("db", "init", "--empty", "--force"),
    "generate": ("db", "generate", "--accounts", "2", "--users", "5", "--force"),
    "restore": ("db", "restore", "BACKUP", "--force"),
}


def _argv(kind: str, backup) -> list[str]:
    return [str(backup) if a == "BACKUP" else a for a in REPLACE[kind]]


@pytest.mark.parametrize("kind", list(REPLACE))
def test_an_account_admin_cannot_replace_the_database(miteam, monkeypatch, capsys, backup,
                                                      kind):
    miteam("operator", "add", "nobody", "--role", "account_admin", "--account", "a-kranich")
    as_nobody(monkeypatch)
    before = db_files(miteam.db)
    r = run(capsys, "--db", str(miteam.db), *_argv(kind, backup))
    assert r.code == 1 and r.err.count("\n") == 1 and "support" in r.err.lower()
    assert db_files(miteam.db) == before


@pytest.mark.parametrize("kind", list(REPLACE))
def test_support_replaces_it_and_the_successor_says_who(miteam, monkeypatch, capsys,
                                                       backup, kind):
    miteam("operator", "add", "nobody", "--role", "support")
    as_nobody(monkeypatch)
    r = run(capsys, "--db", str(miteam.db), *_argv(kind, backup))
    assert r.code == 0, r.err
    trail = miteam.snapshot()["audit"]  # the file itself: operators differ per kind
    replaced = [e for e in trail if e["operation"].startswith("db.")][-1]
    assert replaced["operation"] == "db." + kind.split()[0]
    assert replaced["operator"] == "nobody" and replaced["real"] == "nobody"
    assert replaced["rule"] == "support_replaces_database"
    assert replaced["rules"] == RuleSet.load().fingerprint
    assert replaced["before"]["records"]["users"] == 150  # what was replaced
    if kind.startswith("init"):
        assert trail[0] == replaced  # the successor starts with it
    else:  # a restored or generated trail has its history; the replacement comes after it
        assert trail[-1] == replaced


def test_the_administrator_replaces_it_acting_as_anyone(miteam):
    r = miteam("db", "init", "--force", operator="markus.weber")
    assert r.code == 0, r.err
    first = miteam("audit", "--limit", "0", operator="lena.support").json[0]
    assert first["operation"] == "db.init" and first["seq"] == 1
    assert first["operator"] == "markus.weber" and first["real"] == "root"
    assert first["rule"] == "administrator_replaces_database"


def test_operator_add_is_support_only_and_audited(miteam):
    before = db_files(miteam.db)
    r = miteam("operator", "add", "evil", "--role", "support", operator="markus.weber",
               json_out=False)
    # The administrator acting as markus.weber is refused too: the rules decide.
    assert r.code == 1 and db_files(miteam.db) == before
    assert miteam("operator", "add", "nina", "--role", "support",
                  operator="lena.support").code == 0
    entry = miteam("audit", "--limit", "1", operator="lena.support").json[-1]
    assert entry["operation"] == "operator.add" and entry["operator"] == "lena.support"
    assert entry["real"] == "root" and entry["rules"]


def test_an_unreadable_database_is_replaced_by_its_administrator_only(miteam, monkeypatch,
                                                                     capsys):
    miteam.db.write_text("{ not json")
    miteam.db.with_name(miteam.db.name + ".journal").unlink(missing_ok=True)
    as_nobody(monkeypatch)
    r = run(capsys, "--db", str(miteam.db), "db", "init", "--force")
    assert r.code == 2 and "administrator" in r.err
    assert miteam.db.read_text() == "{ not json"
    monkeypatch.undo()
    r = run(capsys, "--db", str(miteam.db), "--json", "db", "init", "--force")
    assert r.code == 0, r.err
