"""The command contract: exit codes, bad input, rules swapped without Python changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from rules.cli import main


def test_unknown_id_is_bad_input_and_writes_nothing(miteam):
    before = miteam.snapshot()
    for args in (["user", "show", "u-nobody"], ["license", "set", "u-nobody", "miteam", "on"],
                 ["order", "assign", "ord-nope", "a-kranich"],
                 ["integration", "set", "a-nope", "miteam", "off"]):
        r = miteam(*args)
        assert r.code == 2, args
        assert "unknown" in r.err and "Traceback" not in r.err
    assert miteam.snapshot() == before


def test_usage_errors_exit_2(miteam):
    assert miteam("license", "set", "u-1001", "miteam", "maybe").code == 2
    assert miteam("order", "add", "o-x", "--partner", "p-alpen", "--product", "miteam",
                  "--quantity", "0").code == 2
    assert miteam("frobnicate").code == 2


def test_unregistered_operator_is_refused(miteam):
    r = miteam("user", "show", "u-1001", operator="mallory")
    assert r.code == 1 and "not registered" in r.err


def test_malformed_rule_file_is_bad_input_with_location(miteam, rules_dir, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(rules_dir, broken)
    f = broken / "licenses.rules"
    f.write_text(f.read_text().replace("when account.integrations.micollab\n",
                                       "when account.integrations.micolab\n", 1))
    before = miteam.snapshot()
    miteam.configure(rules=broken)
    r = miteam("license", "set", "u-1030", "miteam", "on", json_out=False)
    assert r.code == 2
    first = r.err.splitlines()[0]
    assert "licenses.rules:" in first and ": error: " in first
    assert "did you mean 'micollab'?" in r.err
    assert "^" in r.err
    assert miteam.snapshot() == before


def test_changed_rule_file_changes_the_decision_without_python_changes(miteam, rules_dir,
                                                                       tmp_path):
    user = miteam.users_of("a-bergmann", licensed=True)[0]["id"]
    assert miteam("license", "set", user, "miteam", "off").code == 1  # S4 as shipped
    changed = tmp_path / "changed"
    shutil.copytree(rules_dir, changed)
    f = changed / "licenses.rules"
    text = f.read_text()
    # Let the console switch MiCollab-managed licenses: drop the S4 deny.
    f.write_text(text.replace("  deny s4_micollab_manages\n"
                              "    when account.integrations.micollab\n"
                              "    because micollab_manages\n", ""))
    miteam.configure(rules=changed)  # the administrator's rules, in the config file
    r = miteam("license", "set", user, "miteam", "off")
    assert r.code == 0, r.err
    assert miteam.user(user)["licenses"]["miteam"] is False


def test_corrupt_database_is_reported_not_a_traceback(tmp_path, capsys):
    db = tmp_path / "bad.json"
    db.write_text("{ this is not json")
    code = main(["--db", str(db), "--operator", "x", "account", "list"])
    err = capsys.readouterr().err
    assert code == 2
    assert str(db) in err and "Traceback" not in err
    assert db.read_text() == "{ this is not json"


def test_missing_database_at_explicit_path_is_bad_input(tmp_path, capsys):
    code = main(["--db", str(tmp_path / "none.json"), "account", "list"])
    assert code == 2
    assert "none.json" in capsys.readouterr().err


def test_first_run_copies_demo_and_registers_login_as_support(tmp_path, capsys, monkeypatch):
    from rules.paths import DEMO_DB
    from rules.records import database

    shipped = DEMO_DB.read_bytes()
    monkeypatch.setenv("MITEAM_OPERATOR", "first.runner")
    assert main(["--json", "operator", "whoami"]) == 0
    assert '"support"' in capsys.readouterr().out
    assert database.default_db_path().exists()
    assert str(database.default_db_path()).startswith(str(Path.home()))
    assert DEMO_DB.read_bytes() == shipped


def test_db_init_empty_and_force(tmp_path, capsys):
    db = tmp_path / "new.json"
    assert main(["--db", str(db), "--operator", "root", "db", "init", "--empty"]) == 0
    assert main(["--db", str(db), "--operator", "root", "db", "init"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert main(["--db", str(db), "--operator", "root", "db", "init", "--force"]) == 0


def test_build_a_database_from_nothing(tmp_path, capsys):
    db = tmp_path / "fresh.json"

    def run(*args: str, operator: str = "root") -> int:
        return main(["--db", str(db), "--operator", operator, *args])

    assert run("db", "init", "--empty") == 0
    assert run("partner", "add", "p-1", "--name", "Acme Partner") == 0
    assert run("account", "add", "a-1", "--partner", "p-1", "--name", "Acme Corp") == 0
    assert run("user", "add", "u-1", "--account", "a-1", "--name", "Ada Lovelace") == 0
    assert run("order", "add", "o-1", "--partner", "p-1", "--product", "miteam",
               "--quantity", "2", "--expires", "2030-01-01") == 0
    assert run("operator", "add", "pat", "--role", "partner", "--partner", "p-1") == 0
    assert run("order", "assign", "o-1", "Acme Corp", operator="pat") == 0
    assert run("license", "set", "u-1", "miteam", "on", operator="pat") == 0
    assert run("partner", "add", "p-1", "--name", "Again") == 2  # exists already
    assert run("partner", "add", "p-2", "--name", "Not mine", operator="pat") == 1
    capsys.readouterr()
    assert run("--json", "audit", "--limit", "0") == 0
    import json
    ops = [e["operation"] for e in json.loads(capsys.readouterr().out)]
    assert ops == ["db.init", "partner.add", "account.add", "user.add", "order.add", "operator.add",
                   "order.assign", "license.set"]


def test_order_add_rejects_bad_dates(miteam):
    r = miteam("order", "add", "o-x", "--partner", "p-alpen", "--product", "miteam",
               "--quantity", "3", "--expires", "31.12.2027")
    assert r.code == 2 and "YYYY-MM-DD" in r.err


def test_explain_names_the_deciding_rule_and_values(miteam):
    r = miteam("explain", "u-1001", json_out=False)
    assert r.code == 0
    assert "decided by s6_micollab_license (" in r.out
    assert "account.integrations.micollab  →  true" in r.out


def test_why_on_a_refusal_shows_the_trace(miteam):
    r = miteam("license", "set", "u-1001", "miteam", "off", "--why", json_out=False)
    assert r.code == 1
    assert "policy license.set: refused" in r.err
    assert "decided by s4_micollab_manages" in r.err


def test_dry_run_says_what_would_happen_and_writes_nothing(miteam):
    before = miteam.snapshot()
    r = miteam("integration", "set", "a-kranich", "miteam", "off", "--dry-run")
    assert r.code == 0 and r.json["dry_run"] is True
    assert r.json["consequences"][0]["count"] == 7
    assert miteam.snapshot() == before


def test_installed_command_finds_its_files_from_any_directory(tmp_path):
    exe = Path(sys.executable).with_name("miteam")
    if not exe.exists():
        exe = shutil.which("miteam")  # type: ignore[assignment]
    assert exe, "the miteam command is installed with the package"
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "MITEAM_TODAY": "2026-11-24",
           "LANG": "C.UTF-8"}
    run = subprocess.run([str(exe), "--db", str(tmp_path / "x.json"), "--operator", "ci",
                          "db", "init"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([str(exe), "--db", str(tmp_path / "x.json"), "--operator", "ci",
                          "rules", "check"], cwd=tmp_path, env=env, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stderr + run.stdout


def test_db_init_reports_the_role_the_login_really_has(tmp_path, capsys):
    db = tmp_path / "demo.json"
    assert main(["--db", str(db), "--operator", "anna.huber", "db", "init"]) == 0
    assert "you act as anna.huber (partner)" in capsys.readouterr().out


def test_damaged_expiry_date_is_one_message_not_a_traceback(miteam):
    from rules.records.store import Store

    with Store(miteam.db) as store, store.transaction() as tx:
        tx.put("orders", {**tx.get("orders", "ord-1003"), "expires": "31.12.2027"})
    r = miteam("account", "show", "a-kranich")
    assert r.code == 2
    assert "ord-1003" in r.err and "'31.12.2027'" in r.err and "Traceback" not in r.err


def test_output_piped_into_a_closed_reader_ends_quietly(demo_db, tmp_path):
    exe = Path(sys.executable).with_name("miteam")
    cmd = (f"{exe if exe.exists() else 'miteam'} --db {demo_db} --operator tester "
           "--json user list | head -1")
    run = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True,
                         env={**os.environ})
    assert "Traceback" not in run.stderr and "BrokenPipe" not in run.stderr
    assert run.stdout.startswith("[")


def test_why_speaks_the_operators_language(miteam):
    r = miteam("license", "set", "u-1001", "miteam", "off", "--why", lang="de", json_out=False)
    assert r.code == 1
    assert "policy license.set: abgelehnt weil micollab_manages" in r.err
    assert "entschieden durch s4_micollab_manages" in r.err
    assert "trifft zu" in r.err and "decided by" not in r.err
