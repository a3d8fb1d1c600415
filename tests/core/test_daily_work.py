"""Daily license work (issue 12) through the `miteam` command on the demo data: many users
at once. a-kranich (standalone) has 8 licenses left and 11 users without one."""

from __future__ import annotations

import dataclasses
import io
import shutil

import pytest

from rules.ops.userimport import ImportRow
from rules.paths import SHIPPED_RULES_DIR


def _off_users(miteam, account: str) -> list[str]:
    return [u["id"] for u in miteam.users_of(account, licensed=False)]


def test_bulk_switch_s12_applies_to_the_set_until_licenses_run_out(miteam):
    off = _off_users(miteam, "a-kranich")
    assert len(off) == 11
    r = miteam("license", "set", "--account", "a-kranich", "--where", "stored=off",
               "miteam", "on", operator="anna.huber")
    assert r.code == 1  # some were refused
    assert [line["user"] for line in r.json] == off  # in the account's order
    assert [line["outcome"] for line in r.json] == ["switched"] * 8 + ["refused"] * 3
    refused = r.json[-1]
    assert (refused["rule"], refused["reason"]) == ("s12_no_license_left",
                                                    "Licenses not available")
    # The refused users are unchanged, the others switched; the account is full.
    assert _off_users(miteam, "a-kranich") == off[8:]
    assert miteam.account("a-kranich")["licenses"]["miteam"]["available"] == 0
    audit = miteam("audit", "--account", "a-kranich", "--limit", "0").json
    assert sum(e["operation"] == "license.set" for e in audit) >= 8


def test_bulk_preview_groups_by_outcome_and_rule_and_writes_nothing(miteam):
    before = miteam.snapshot()
    r = miteam("license", "set", "--account", "Kranich Logistik GmbH", "miteam", "on",
               "--dry-run", operator="anna.huber", json_out=False)
    assert miteam.snapshot() == before
    assert "preview of 18 users' licenses:" in r.out
    assert "  8 users: would switch  (rule s10_switch_standalone)" in r.out
    assert "  3 users: refused: Licenses not available  (rule s12_no_license_left)" in r.out
    de = miteam("license", "set", "--account", "a-kranich", "miteam", "on", "--dry-run",
                operator="anna.huber", lang="de", json_out=False)
    assert "Vorschau für die Lizenzen von 18 Benutzern:" in de.out
    assert "3 Benutzer: abgelehnt: Lizenzen nicht verfügbar" in de.out


def test_all_or_nothing_refuses_the_whole_set_when_any_would_be_refused(miteam):
    before = miteam.snapshot()
    r = miteam("license", "set", "--account", "a-kranich", "miteam", "on",
               "--all-or-nothing", operator="anna.huber", json_out=False)
    assert r.code == 1 and miteam.snapshot() == before
    assert "nothing was changed: 3 users would be refused (--all-or-nothing)" in r.out


def test_bulk_list_and_file_an_unknown_or_foreign_user_is_an_error_line(miteam, monkeypatch):
    off = _off_users(miteam, "a-kranich")
    monkeypatch.setattr("sys.stdin", io.StringIO(f"# from a spreadsheet\n{off[1]}\n\n"))
    # markus.weber is the account admin of a-kranich: u-1001 (a-bergmann) is not his.
    r = miteam("license", "set", "--from-file", "-", off[0], "u-1001", "nobody", "miteam",
               "on", operator="markus.weber")
    assert r.code == 1
    # Another tenant's user reads exactly as one that does not exist.
    assert [(x["user"], x["outcome"]) for x in r.json] == [
        (off[0], "switched"), ("u-1001", "error"), ("nobody", "error"), (off[1], "switched")]
    foreign, unknown = r.json[1], r.json[2]
    assert foreign["reason"].replace("u-1001", "X") == unknown["reason"].replace("nobody", "X")
    assert "Bergmann" not in r.out  # nothing of the other tenant is told
    assert miteam.user("u-1001")["licenses"]["miteam"] is True


def test_bulk_all_switched_exits_0_and_a_single_user_keeps_its_output(miteam):
    on = [u["id"] for u in miteam.users_of("a-kranich", licensed=True)][:2]
    r = miteam("license", "set", *on, "miteam", "off", operator="anna.huber")
    assert r.code == 0 and {x["outcome"] for x in r.json} == {"switched"}
    one = miteam("license", "set", on[0], "miteam", "on", operator="anna.huber")
    assert one.code == 0 and one.json["operation"] == "license.set"  # the one-user contract


def test_a_stale_bulk_preview_is_refused(miteam):
    dry = miteam("license", "set", "--account", "a-kranich", "--where", "stored=off",
                 "miteam", "on", "--dry-run", operator="anna.huber", json_out=False)
    digest = dry.out.split("--expect-preview ")[1].split()[0]
    off = _off_users(miteam, "a-kranich")
    assert miteam("license", "set", off[0], "miteam", "on", operator="markus.weber").code == 0
    before = miteam.snapshot()
    r = miteam("license", "set", "--account", "a-kranich", "--where", "stored=off", "miteam",
               "on", "--expect-preview", digest, operator="anna.huber")
    assert r.code == 1 and "changed after the preview" in r.err
    assert miteam.snapshot() == before


@pytest.mark.parametrize("args", [
    ("--where", "shown=maybe", "--account", "a-kranich"),
    ("--where", "shown=off"),  # --where without --account
    ("--from-file", "/nonexistent/users.txt"),
    (),
])
def test_bulk_bad_selection_is_exit_2_and_changes_nothing(miteam, args):
    before = miteam.snapshot()
    r = miteam("license", "set", *args, "miteam", "on", operator="anna.huber")
    assert r.code == 2 and r.err.strip() and "Traceback" not in r.err
    assert miteam.snapshot() == before


# Audit search ---------------------------------------------------------------------------


def test_audit_filters_by_user_operator_operation_rule_and_dates(miteam):
    assert miteam("license", "set", "u-1036", "miteam", "on", operator="anna.huber").code == 0
    assert miteam("integration", "set", "a-kranich", "miteam", "off").code == 0
    mine = miteam("audit", "--user", "u-1036", "--limit", "0").json
    assert [(e["operation"], e["operator"]) for e in mine] == [
        ("license.set", "anna.huber"), ("license.consequence", "tester")]
    by_anna = miteam("audit", "--operator", "anna.huber").json
    assert {e["operator"] for e in by_anna} == {"anna.huber"}
    s8 = miteam("audit", "--rule", "s8_miteam_off_when_standalone", "--limit", "0").json
    assert s8 and {e["operation"] for e in s8} == {"license.consequence"}
    assert miteam("audit", "--operation", "integration.set").json[0]["target"] == \
        "account:a-kranich:miteam"
    assert miteam("audit", "--until", "2000-01-01").json == []
    assert len(miteam("audit", "--since", "2000-01-01", "--limit", "0").json) == \
        len(miteam("audit", "--limit", "0").json)
    assert miteam("audit", "--since", "yesterday").code == 2


def test_audit_search_never_shows_another_tenants_entries(miteam):
    assert miteam("license", "set", "u-1036", "miteam", "on", operator="anna.huber").code == 0
    # james.cole (partner p-northbridge) searching for a p-alpen user finds nothing.
    assert miteam("audit", "--user", "u-1036", operator="james.cole").json == []


# CSV out --------------------------------------------------------------------------------


def test_export_and_every_list_as_csv(miteam):
    r = miteam("user", "export", "--account", "a-kranich", operator="anna.huber",
               json_out=False)
    lines = r.out.splitlines()
    assert lines[0] == "id,name,email,miteam,account,shown,set_by"
    assert len(lines) == 1 + 18 and lines[1].startswith("u-1029,")
    for args in (("account", "list"), ("order", "list"), ("audit",), ("report", "licenses"),
                 ("user", "list")):
        out = miteam(*args, "--format", "csv", operator="anna.huber", json_out=False)
        assert out.code == 0 and "," in out.out.splitlines()[0], args


def test_csv_never_hands_a_spreadsheet_a_formula(miteam):
    assert miteam("user", "add", "u-evil", "--account", "a-kranich",
                  "--name", "=HYPERLINK(\"http://x\")").code == 0
    out = miteam("user", "export", "--account", "a-kranich", json_out=False).out
    assert "'=HYPERLINK" in out and ",=HYPERLINK" not in out


# The license report ---------------------------------------------------------------------


def test_report_lists_stored_differs_micollab_set_and_expiring_orders(miteam):
    r = miteam("report", "licenses", operator="anna.huber")
    assert r.code == 0
    differs = {u["user"] for u in r.json["stored_differs"]}
    assert "u-1017" in differs  # a-seeblick: MiTeam off, license kept (S5/S13)
    assert all(u["stored"] and u["shown"] == "none" for u in r.json["stored_differs"])
    assert {u["account"] for u in r.json["micollab_set"]} >= {"a-bergmann"}
    assert r.json["expiring"], "the demo has orders expiring soon on its date"
    accounts = {a["account"] for a in r.json["accounts"]}
    assert "a-oakridge" not in accounts  # another partner's account
    text = miteam("report", "licenses", "--account", "a-seeblick", operator="anna.huber",
                  lang="de", json_out=False).out
    assert text.startswith("1 Konto:")
    assert "Keine Lizenzen" in text
    one = miteam("report", "licenses", "--account", "a-oakridge", operator="anna.huber")
    assert one.code != 0 and "Oakridge" not in one.err


# Removing users -------------------------------------------------------------------------


def test_user_remove_returns_the_license_and_keeps_the_history(miteam):
    before = miteam.account("a-kranich")["licenses"]["miteam"]
    assert miteam.user("u-1029")["licenses"]["miteam"] is True
    dry = miteam("user", "remove", "u-1029", "--dry-run", operator="markus.weber")
    assert dry.code == 0 and miteam.user("u-1029")["id"] == "u-1029"
    r = miteam("user", "remove", "u-1029", operator="markus.weber", json_out=False)
    assert r.code == 0 and "u-1029  removed" in r.out
    after = miteam.account("a-kranich")["licenses"]["miteam"]
    assert after["available"] == before["available"] + 1
    assert "u-1029" not in {u["id"] for u in miteam.users_of("a-kranich")}
    history = miteam("audit", "--user", "u-1029", "--limit", "0").json
    assert history[-1]["operation"] == "user.remove"
    assert history[-1]["before"]["name"]  # the record as it was


def test_user_remove_outside_the_scope_reads_as_unknown_and_changes_nothing(miteam):
    before = miteam.snapshot()
    r = miteam("user", "remove", "u-1001", operator="james.cole", lang="de")
    unknown = miteam("user", "remove", "u-nobody", operator="james.cole", lang="de")
    assert r.code == unknown.code and r.json[0]["outcome"] == unknown.json[0]["outcome"]
    assert r.json[0]["outcome"] != "removed"
    assert r.out.replace("u-1001", "X") == unknown.out.replace("u-nobody", "X")
    assert "Bergmann" not in r.out
    assert miteam.snapshot() == before


# CSV import -----------------------------------------------------------------------------


def test_an_export_reimports_as_unchanged(miteam, tmp_path):
    f = tmp_path / "kranich.csv"
    f.write_text(miteam("user", "export", "--account", "a-kranich", operator="anna.huber",
                        json_out=False).out, encoding="utf-8")
    r = miteam("user", "import", str(f), "--account", "a-kranich", operator="anna.huber")
    assert r.code == 0 and r.json["counts"] == {"new": 0, "changed": 0, "unchanged": 18,
                                                "error": 0}


SPREADSHEET = ("\ufeffid;name;email;miteam\n"
               "n-1;Neu Eins;n1@x.de;on\n"
               "n-2;Neu Zwei;;off\n"
               "u-1030;Emilia Schmidt;emilia.schmidt@kranich.de;off\n"
               "n-1;Doppelt;;\n"
               "n-3;Falsch;;vielleicht\n")


def test_import_rows_in_error_stop_the_import_with_their_line_numbers(miteam, tmp_path):
    f = tmp_path / "from-excel.csv"
    f.write_text(SPREADSHEET, encoding="utf-8")  # BOM and ; as a German Excel writes
    before = miteam.snapshot()
    r = miteam("user", "import", str(f), "--account", "a-kranich", operator="anna.huber",
               lang="de", json_out=False)
    assert r.code == 1 and miteam.snapshot() == before
    assert "Zeile 2  n-1  neu" in r.out and "Zeile 4  u-1030  geändert" in r.out
    assert "Zeile 5  n-1  Fehler: dieselbe ID wie Zeile 2" in r.out
    assert "Zeile 6  n-3  Fehler: miteam ist on, off oder leer" in r.out
    assert "es wurde nichts geschrieben: 2 Zeilen sind fehlerhaft" in r.out


def test_import_skip_errors_writes_the_good_rows_in_one_go(miteam, tmp_path):
    f = tmp_path / "from-excel.csv"
    f.write_text(SPREADSHEET, encoding="utf-8")
    r = miteam("user", "import", str(f), "--account", "a-kranich", "--skip-errors",
               operator="markus.weber")
    assert r.json["applied"] and r.json["counts"]["error"] == 2
    assert miteam.user("n-1")["licenses"]["miteam"] is True
    assert miteam.user("n-2")["account"] == "a-kranich"
    assert miteam.user("u-1030")["licenses"]["miteam"] is False
    audit = miteam("audit", "--account", "a-kranich", "--operator", "markus.weber").json
    assert [(e["operation"], e["target"]) for e in audit] == [
        ("user.add", "user:n-1"), ("license.set", "user:n-1"), ("user.add", "user:n-2"),
        ("license.set", "user:u-1030")]


def test_import_licenses_beyond_what_is_left_are_errors_of_those_rows(miteam, tmp_path):
    left = miteam.account("a-kranich")["licenses"]["miteam"]["available"]
    rows = "".join(f"x-{i},New {i},,on\n" for i in range(left + 2))
    f = tmp_path / "many.csv"
    f.write_text("id,name,email,miteam\n" + rows, encoding="utf-8")
    r = miteam("user", "import", str(f), "--account", "a-kranich", "--dry-run",
               operator="anna.huber")
    statuses = [row["status"] for row in r.json["rows"]]
    assert statuses == ["new"] * left + ["error"] * 2
    assert r.json["rows"][-1]["reason"] == "Licenses not available"
    assert r.json["rows"][-1]["line"] == left + 3


def test_an_import_preview_answers_each_row_as_the_import_does(miteam, tmp_path):
    # The preview decides a new user without a license as `user add` would, without
    # writing it (a 100,000-row preview's cost): its rows, rules and reasons are the
    # import's, and it writes nothing.
    f = tmp_path / "staff.csv"
    f.write_text("id,name,email,miteam\nn-1,Neu Eins,,\nn-2,Neu Zwei,n2@x.de,on\n"
                 "u-1030,Emilia Schmidt,emilia.schmidt@kranich.de,off\nn-3,Neu Drei,,off\n",
                 encoding="utf-8")
    before = miteam.snapshot()
    preview = miteam("user", "import", str(f), "--account", "a-kranich", "--dry-run",
                     operator="anna.huber")
    assert preview.code == 0 and miteam.snapshot() == before
    applied = miteam("user", "import", str(f), "--account", "a-kranich", operator="anna.huber")
    assert applied.code == 0 and applied.json["applied"]
    assert preview.json["rows"] == applied.json["rows"]
    assert {r["rule"] for r in applied.json["rows"]} == {"add_users_where_managed",
                                                         "s10_switch_standalone"}
    assert set(applied.json["rows"][0]) == {f.name for f in
                                            dataclasses.fields(ImportRow)}


def test_an_import_preview_asks_the_rules_for_users_it_does_not_write(miteam, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(SHIPPED_RULES_DIR, rules, ignore=shutil.ignore_patterns("__*"))
    scope = rules / "scope.rules"
    scope.write_text(scope.read_text(encoding="utf-8").replace(
        "  allow add_users_where_managed when may_manage_account",
        '  deny no_new_users when account.id == "a-kranich" because not_permitted\n'
        "  allow add_users_where_managed when may_manage_account"), encoding="utf-8")
    f = tmp_path / "staff.csv"
    f.write_text("id,name\nn-1,Neu Eins\n", encoding="utf-8")
    r = miteam("user", "import", str(f), "--account", "a-kranich", "--dry-run",
               operator="anna.huber", rules=rules)
    assert r.code == 1
    (row,) = r.json["rows"]
    assert (row["status"], row["rule"]) == ("error", "no_new_users")
    assert row["reason"] == "You are not permitted to do this"


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("name,email\nEva,e@x.de\n", "no id column"),
    (b"id,name\n\xff\xfe\n", "not UTF-8"),
])
def test_import_of_a_file_that_is_not_a_user_table_is_exit_2(miteam, tmp_path, content,
                                                              message):
    f = tmp_path / "bad.csv"
    f.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = miteam.snapshot()
    r = miteam("user", "import", str(f), "--account", "a-kranich", operator="anna.huber")
    assert r.code == 2 and message in r.err and "Traceback" not in r.err
    assert miteam.snapshot() == before


def test_import_into_another_partners_account_is_refused(miteam, tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("id,name\nz-1,Zed\n", encoding="utf-8")
    r = miteam("user", "import", str(f), "--account", "a-oakridge", operator="anna.huber")
    # Another partner's account reads exactly as one that does not exist.
    assert r.code == 2 and "Oakridge" not in r.err
    assert r.err == miteam("user", "import", str(f), "--account", "a-nowhere",
                           operator="anna.huber").err.replace("a-nowhere", "a-oakridge")


# Revert ---------------------------------------------------------------------------------


def _newest(miteam, *filters) -> dict:
    return miteam("audit", *filters, "--limit", "1").json[-1]


def test_revert_of_an_s8_consequence_reverts_the_whole_switch_off(miteam):
    holders = {u["id"] for u in miteam.users_of("a-kranich", licensed=True)}
    assert miteam("integration", "set", "a-kranich", "miteam", "off",
                  operator="anna.huber").code == 0
    consequence = _newest(miteam, "--operation", "license.consequence")
    before = miteam.snapshot()
    dry = miteam("revert", str(consequence["seq"]), "--dry-run", operator="anna.huber")
    assert dry.code == 0 and miteam.snapshot() == before
    assert dry.json["operation"] == "integration.set"  # the operation it belongs to
    assert len(dry.json["actions"]) == 1 + len(holders)
    r = miteam("revert", str(consequence["seq"]), operator="anna.huber")
    assert r.code == 0, r.out
    assert miteam.account("a-kranich")["integrations"]["miteam"] is True
    assert {u["id"] for u in miteam.users_of("a-kranich", licensed=True)} == holders
    entry = _newest(miteam)
    assert entry["revert_of"] == dry.json["revert_of"]


def test_revert_is_decided_by_todays_rules_and_goes_all_or_nothing(miteam):
    off = [u["id"] for u in miteam.users_of("a-kranich", licensed=False)]
    on = [u["id"] for u in miteam.users_of("a-kranich", licensed=True)]
    assert miteam("license", "set", on[0], "miteam", "off", operator="anna.huber").code == 0
    switched_off = _newest(miteam)["seq"]
    # Meanwhile the licenses run out: switching it back on is refused (S12).
    r = miteam("license", "set", *off, "miteam", "on", operator="anna.huber")
    assert miteam.account("a-kranich")["licenses"]["miteam"]["available"] == 0
    before = miteam.snapshot()
    r = miteam("revert", str(switched_off), operator="anna.huber", json_out=False)
    assert r.code == 1 and "Licenses not available" in r.out
    assert "nothing was reverted" in r.out
    assert miteam.snapshot() == before


def test_revert_of_a_removal_brings_the_user_back_with_the_license(miteam):
    assert miteam("user", "remove", "u-1029", operator="markus.weber").code == 0
    seq = _newest(miteam)["seq"]
    r = miteam("revert", str(seq), operator="markus.weber")
    assert r.code == 0
    assert miteam.user("u-1029")["licenses"]["miteam"] is True


def test_revert_of_an_unknown_or_foreign_entry_is_not_found(miteam):
    assert miteam("license", "set", "u-1036", "miteam", "on", operator="anna.huber").code == 0
    seq = _newest(miteam)["seq"]
    assert miteam("revert", "99999").code == 2
    foreign = miteam("revert", str(seq), operator="james.cole")
    assert foreign.code == 2 and "u-1036" not in foreign.err
    assert miteam("order", "assign", "ord-1006", "a-kranich", operator="anna.huber").code == 0
    assert miteam("revert", str(_newest(miteam)["seq"])).code == 2  # no inverse operation


# Moving users ---------------------------------------------------------------------------


def test_user_move_takes_the_license_only_where_the_target_allows_it(miteam):
    before = miteam.snapshot()
    r = miteam("user", "move", "u-1030", "--to", "a-lindenhof", operator="anna.huber")
    assert r.code == 1 and "Licenses not available" in r.err  # S12 in the target
    assert miteam.snapshot() == before
    r = miteam("user", "move", "u-1030", "--to", "Lindenhof Kliniken gGmbH",
               "--drop-license", operator="anna.huber")
    assert r.code == 0
    moved = miteam.user("u-1030")
    assert (moved["account"], moved["licenses"]["miteam"]) == ("a-lindenhof", False)
    r = miteam("user", "move", "u-1047", "--to", "a-kranich", operator="anna.huber")
    assert r.code == 0 and miteam.user("u-1047")["licenses"]["miteam"] is True
    entries = miteam("audit", "--user", "u-1030").json
    assert [e["operation"] for e in entries] == ["user.move", "license.set"]


def test_user_move_never_crosses_partners_nor_an_admins_account(miteam):
    before = miteam.snapshot()
    # To the partner, another partner's account does not exist; support sees both and is
    # refused by the rule.
    r = miteam("user", "move", "u-1046", "--to", "a-oakridge", operator="anna.huber",
               lang="de")
    assert r.code == 2 and "unbekannt" in r.err and "Oakridge" not in r.err
    r = miteam("user", "move", "u-1046", "--to", "a-oakridge", operator="lena.support",
               lang="de")
    assert r.code == 1 and "desselben Partners" in r.err
    # u-1046 is in markus.weber's account; a-lindenhof, another customer, is not his to see.
    r = miteam("user", "move", "u-1046", "--to", "a-lindenhof", operator="markus.weber")
    assert r.code == 2 and "unknown account" in r.err
    assert miteam.snapshot() == before


# Shell completion -----------------------------------------------------------------------


def _complete(demo_db, operator: str, line: str) -> list[str]:
    import os
    import subprocess
    import sys

    cmd = f"miteam --db {demo_db} --operator {operator} {line}"
    out = demo_db.with_name("completions.txt")
    env = {**os.environ, "_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n", "COMP_LINE": cmd,
           "COMP_POINT": str(len(cmd)), "_ARGCOMPLETE_STDOUT_FILENAME": str(out)}
    code = "import sys; from rules.cli import run; sys.argv = ['miteam']; run()"
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=60,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [w.replace("\\ ", " ").strip() for w in out.read_text().split("\n") if w]


def test_completion_offers_only_what_the_operator_may_read(demo_db):
    accounts = _complete(demo_db, "anna.huber", "integration set a-")
    assert "a-kranich" in accounts and "a-oakridge" not in accounts
    assert _complete(demo_db, "anna.huber", "order assign ord-1006 Kra") == [
        "Kranich Logistik GmbH"]
    users = _complete(demo_db, "markus.weber", "license set u-10")
    assert "u-1036" in users and "u-1001" not in users
    assert _complete(demo_db, "nobody", "user show u-") == []
