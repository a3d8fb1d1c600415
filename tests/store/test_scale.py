"""Scale: generated databases, the benchmark's behaviour, write cost proportional to the
change, the store's running license counts, integrity checks, backup and restore.

Sizes here are tiny and nothing asserts a timing: `miteam bench` measures, tests check
behaviour (DESIGN.md section 6).
"""

from __future__ import annotations

import errno
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from rules.cli import main
from rules.engine.ruleset import RuleSet
from rules.ops.actions import SetLicense
from rules.ops.context import Contexts
from rules.ops.session import Session
from rules.records import generate, verify
from rules.records import store as S
from rules.records.store import Store, records
from rules.records.store import files as F
from tests.miteam_command import Miteam


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.load()


def run(db: Path, capsys, *args: str, operator: str = "tester") -> tuple[int, dict, str]:
    capsys.readouterr()
    code = main(["--db", str(db), "--operator", operator, "--lang", "en", "--json", *args])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else {}), out.err


def files(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


# ---------------------------------------------------------------------------------------
# db generate


def test_generated_database_is_deterministic_and_has_the_sizes_asked_for():
    a = generate.generate(40, 3000, seed=7)
    b = generate.generate(40, 3000, seed=7)
    c = generate.generate(40, 3000, seed=8)
    assert a.records == b.records
    assert a.records != c.records
    assert len(a.records["accounts"]) == 40 and len(a.records["users"]) == 3000
    # The first account is the large standalone one the benchmarks use.
    assert a.big_account == "a-01" and a.kinds["a-01"] == "standalone"
    sizes = Counter(u["account"] for u in a.records["users"])
    assert sizes["a-01"] == 750 == max(sizes.values())


def test_generated_database_covers_every_situation_and_verifies_clean(tmp_path, rules):
    gen = generate.generate(300, 6000, seed=3)
    assert set(gen.kinds.values()) == {k for k, *_ in generate._KINDS}
    combos = {(a["integrations"]["micollab"], a["integrations"]["miteam"])
              for a in gen.records["accounts"]}
    assert combos == {(True, True), (True, False), (False, True), (False, False)}
    assert {o["account"] is None for o in gen.records["orders"]} == {True, False}
    store = generate.write(tmp_path / "g.json", gen)
    report = verify.verify(tmp_path / "g.json")
    assert report.problems == [], [f.line() for f in report.problems]
    over = {f.record for f in report.flagged}
    populated = {u["account"] for u in gen.records["users"]}
    assert over == {a for a, k in gen.kinds.items() if k == "over_allocated" and a in populated}
    # Every rule of the shipped view decides for some user: the data exercises them all.
    ctxs = Contexts(store.read(), expiring_days=rules.expiring_days)
    op = {"id": "x", "name": "x", "role": "support", "partner": None, "account": None}
    shown = {rules.view("miteam", {**ctxs.for_user(op, u), "product": "miteam"}).rule.name
             for u in store.read().all("users")}
    assert shown == {"s13_integration_off", "s6_micollab_license", "s7_micollab_no_license",
                     "s10_no_orders", "s12_none_left", "s10_standalone"}
    store.close()


def test_db_generate_command_writes_the_database_and_refuses_to_replace_one(tmp_path, capsys):
    db = tmp_path / "big.json"
    code, out, err = run(db, capsys, "db", "generate", "--accounts", "12", "--users", "900")
    assert code == 0, err
    assert out["records"]["accounts"] == 12 and out["records"]["users"] == 900
    assert out["largest_account"] == "a-01" and out["operator"] == "tester"
    before = db.read_bytes()
    code, _, err = run(db, capsys, "db", "generate", "--accounts", "3", "--users", "10")
    assert code == 2 and "--force" in err and db.read_bytes() == before
    code, out, err = run(db, capsys, "db", "generate", "--accounts", "3", "--users", "10",
                         "--force")
    assert code == 0 and out["records"]["users"] == 10
    # The operator who generated it can work on it at once.
    code, users, err = run(db, capsys, "user", "list", "--account", "a-1")
    assert code == 0 and len(users) == out["largest_account_users"]
    code, _, err = run(db, capsys, "db", "generate", "--accounts", "0", "--users", "5",
                       "--force")
    assert code == 2 and "at least one account" in err and "Traceback" not in err


# ---------------------------------------------------------------------------------------
# miteam bench (tiny: behaviour, not speed)


def test_bench_compares_with_stock_tinydb_and_the_hand_written_reference(tmp_path, capsys):
    code, out, err = run(tmp_path / "unused.json", capsys, "bench", "--accounts", "6",
                         "--users", "300", "--repeat", "4", "--stock-repeat", "1",
                         "--process-runs", "1", "--dir", str(tmp_path / "work"))
    assert code == 0, err
    figures = {f["name"].split(" (")[0]: f for f in out["figures"]}
    switch = figures["switch one license"]
    assert switch["stock_runs"] >= 1 and switch["ratio"] is not None
    assert switch["target"].startswith("<= 5.00 ms")
    for name in ("open the database", "show one user"):
        assert figures[name]["stock_median_s"] is not None
    for name in ("compiled view rules vs hand-written",
                 "compiled license.set policy vs hand-written"):
        # The reference gives exactly the engine's answers, so the comparison is fair.
        assert figures[name]["mismatches"] == 0 and figures[name]["versus"] == "hand-written"
    # A switch appends a few hundred bytes; the database file itself is not rewritten.
    assert 0 < out["sizes"]["bytes_per_switch"] < 1000
    assert out["sizes"]["base_rewritten_by_switches"] is False
    # Stock TinyDB set up well (CachingMiddleware, a durable flush per switch) beside it.
    cached = figures["  stock, CachingMiddleware + durable flush"]
    assert cached["stock_runs"] >= 1 and cached["ratio"] is not None
    # Whole processes at this size: the fixed cost, and the SQLite peer beside each.
    assert figures["process: miteam --version"]["versus"] == "python -c pass"
    for name in ("process: user show", "process: license set"):
        assert figures[name]["versus"] == "SQLite" and figures[name]["stock_runs"] == 1
        assert "peak" in figures[name]["note"] and "MB" in figures[name]["note"]
    # 12, the three of daily license work (issue 12), and `rules verify` (issue 15)
    assert out["targets"] == 16
    # The stock copy was stock TinyDB's to change; the product's file verifies clean.
    assert verify.verify(tmp_path / "work" / "bench.json").problems == []


def test_bench_text_output_names_every_target(tmp_path, capsys):
    capsys.readouterr()
    code = main(["bench", "--accounts", "3", "--users", "60", "--repeat", "2",
                 "--stock-repeat", "1", "--no-stock", "--process-runs", "0"])
    out = capsys.readouterr().out
    assert code == 0
    assert "targets met:" in out and "switch one license" in out and "hand-written" in out


# ---------------------------------------------------------------------------------------
# Write cost proportional to the change


def _switch_bytes(db: Path, rules: RuleSet, user: str) -> tuple[int, bool]:
    journal = db.with_name(db.name + ".journal")
    base = db.stat()
    size = journal.stat().st_size if journal.exists() else 0
    store = Store(db)
    Session(store, rules, "support-1").apply(SetLicense(user, "miteam", True))
    store.close()
    now = db.stat()
    return journal.stat().st_size - size, (now.st_ino, now.st_mtime_ns) == (
        base.st_ino, base.st_mtime_ns)


def test_switch_writes_the_same_whatever_the_audit_trail_and_other_accounts(tmp_path, rules):
    small = generate.generate(2, 400, seed=5)
    big = generate.generate(2, 400, seed=5)
    # The same account and user, beside 300 more accounts of users and a long audit trail.
    extra = generate.generate(300, 30_000, seed=6)
    for u in extra.records["users"]:
        u["id"], u["account"] = "x" + u["id"], "x" + u["account"]
    for a in extra.records["accounts"]:
        a["id"] = "x" + a["id"]
    big.records["accounts"] += extra.records["accounts"]
    big.records["users"] += extra.records["users"]
    big.records["audit"] += [{**e, "seq": len(small.records["audit"]) + i, "account": None}
                             for i, e in enumerate(extra.records["audit"], 1)]
    assert len(big.records["audit"]) > 10 * len(small.records["audit"])
    user = next(u["id"] for u in small.records["users"]
                if u["account"] == small.big_account and not u["licenses"]["miteam"])
    written = {}
    for name, gen in (("small", small), ("big", big)):
        db = tmp_path / name / "db.json"
        generate.write(db, gen).close()
        written[name], untouched = _switch_bytes(db, rules, user)
        assert untouched, "a switch must not rewrite the database file"
    # Only digits differ between the two: the audit seq (twice) and the line's checksum.
    assert abs(written["big"] - written["small"]) <= 16
    assert written["small"] < 1000


def test_license_counts_do_not_walk_the_accounts_users(tmp_path, rules, monkeypatch):
    gen = generate.generate(3, 2000, seed=2)
    store = generate.write(tmp_path / "db.json", gen)
    session = Session(store, rules, "support-1")
    expected = session.account(gen.big_account)["licenses"]["miteam"]
    user = next(u["id"] for u in gen.records["users"]
                if u["account"] == gen.big_account and not u["licenses"]["miteam"])
    scans = []
    original = S.View.by

    def by(self, table, field, value):
        if table == "users":
            scans.append(value)
        return original(self, table, field, value)

    monkeypatch.setattr(S.View, "by", by)
    session.apply(SetLicense(user, "miteam", True))
    assert scans == []  # neither the rules' counts nor the switch read the 500 users
    monkeypatch.undo()
    after = session.account(gen.big_account)["licenses"]["miteam"]
    assert after["assigned"] == expected["assigned"] + 1
    assert after["available"] == expected["available"] - 1


@settings(max_examples=40, deadline=None)
@given(hs.lists(hs.tuples(hs.sampled_from(["put", "move", "delete", "fail"]),
                          hs.integers(0, 7), hs.booleans(), hs.sampled_from(["a1", "a2"])),
                max_size=25))
def test_store_license_counts_match_a_recount_after_any_changes(ops):
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "db.json"
        users = [{"id": f"u{i}", "account": "a1" if i % 2 else "a2",
                  "licenses": {"miteam": i % 3 == 0}} for i in range(6)]
        store = Store.create(db, {"users": users})

        def check(view) -> None:
            for account in ("a1", "a2"):
                recount = sum(1 for u in view.by("users", "account", account)
                              if u["licenses"].get("miteam"))
                assert view.count_flags("users", "account", account, "licenses").get(
                    "miteam", 0) == recount

        other = Store(db)  # another console: counted now, then follows the journal
        check(other.read())
        for kind, i, on, account in ops:
            check(store.read())  # counted now, so the changes below must keep it current
            try:
                with store.transaction() as tx:
                    uid = f"u{i}"
                    cur = tx.get("users", uid) or {"id": uid, "account": account,
                                                   "licenses": {}}
                    if kind == "delete":
                        tx.delete("users", uid)
                    else:
                        tx.put("users", {**cur, "licenses": {"miteam": on},
                                         "account": account if kind == "move"
                                         else cur["account"]})
                    if kind == "fail":
                        raise RuntimeError("rolled back")
            except RuntimeError:
                pass
        check(store.read())
        check(other.read())
        check(Store(db).read())  # and a console that opens the result afresh
        store.close()
        other.close()


# ---------------------------------------------------------------------------------------
# db verify


def test_verify_a_clean_database_exits_0_and_flags_over_allocation(demo_db, capsys):
    code, out, err = run(demo_db, capsys, "db", "verify")
    assert code == 0, err
    assert out["ok"] is True and out["problems"] == []
    assert [f["record"] for f in out["flagged"]] == ["a-copperfield"]
    assert "over-allocated" in out["flagged"][0]["problem"]


def test_verify_names_each_record_and_its_problem_and_exits_1(tmp_path, capsys):
    recs = {
        "partners": [{"id": "p1", "name": "Partner"}, {"id": "p2", "name": "Other"}],
        "accounts": [
            {"id": "a1", "name": "One", "partner": "p1",
             "integrations": {"micollab": False, "miteam": True}},
            {"id": "a2", "name": "Two", "partner": "p-gone",
             "integrations": {"micollab": "yes", "miteam": True}},
        ],
        "orders": [
            {"id": "o1", "partner": "p1", "product": "miteam", "quantity": 1,
             "account": "a1", "state": "assigned", "expires": None},
            {"id": "o2", "partner": "p2", "product": "miteam", "quantity": 0,
             "account": "a1", "state": "assigned", "expires": "31.12.2027"},
        ],
        "users": [
            {"id": "u1", "account": "a1", "name": "U1", "licenses": {"miteam": True},
             "set_by": {"miteam": "operator"}},
            {"id": "u2", "account": "a1", "name": "U2", "licenses": {"miteam": True},
             "set_by": {"miteam": "robot"}},
            {"id": "u3", "account": "a9", "name": "U3", "licenses": {"zoom": True}},
        ],
        "operators": [
            {"id": "tester", "role": "support", "partner": None, "account": None},
            {"id": "adm", "role": "account_admin", "partner": "p2", "account": "a1"},
        ],
        "audit": [{"seq": 1, "at": "yesterday", "operation": "license.set",
                   "account": "a7", "partner": None}],
    }
    db = tmp_path / "bad.json"
    Store.create(db, recs).close()
    before = db.read_bytes()
    code, out, err = run(db, capsys, "db", "verify")
    assert code == 1, err
    found = {(p["table"], p["record"], p["problem"]) for p in out["problems"]}
    expected = {
        ("accounts", "a2", "partner 'p-gone' does not exist"),
        ("accounts", "a2", "'integrations.micollab' should be true or false, not a text"),
        ("orders", "o2", "the quantity should be a whole number of at least 1, not 0"),
        ("orders", "o2", "assigned to account 'a1' of partner 'p1', but the order is "
                         "partner 'p2''s"),
        ("orders", "o2", "'expires' should be a date (YYYY-MM-DD), not '31.12.2027'"),
        ("users", "u2", "'set_by.miteam' is 'robot', not one of operator, micollab"),
        ("users", "u3", "account 'a9' does not exist"),
        ("users", "u3", "a license of unknown product 'zoom'"),
        ("operators", "adm", "account 'a1' is not partner 'p2''s"),
        ("audit", "1", "'at' should be a time, not 'yesterday'"),
        ("audit", "1", "account 'a7' does not exist"),
        ("accounts", "a1", "2 miteam licenses switched on but only 1 held"),
    }
    assert expected <= found, sorted(found - expected)
    assert db.read_bytes() == before  # checking changes nothing
    capsys.readouterr()
    assert main(["--db", str(db), "db", "verify"]) == 1
    text = capsys.readouterr().out
    assert "users u3: account 'a9' does not exist" in text and "not ok:" in text


@pytest.mark.parametrize("content", [b"{not json", b""])
def test_verify_an_unreadable_database_exits_2_naming_the_file(tmp_path, capsys, content):
    db = tmp_path / "broken.json"
    db.write_bytes(content)
    code, out, err = run(db, capsys, "db", "verify")
    assert code == 2 and str(db) in err and "Traceback" not in err
    code, out, err = run(tmp_path / "missing.json", capsys, "db", "verify")
    assert code == 2 and "no database here" in err
    assert not (tmp_path / "missing.json").exists()


# ---------------------------------------------------------------------------------------
# db backup / db restore


def test_backup_then_restore_brings_the_records_back(demo_db, capsys, tmp_path):
    miteam = Miteam(demo_db, capsys)
    assert miteam("license", "set", "u-1030", "miteam", "off").code == 0
    saved = miteam.snapshot()
    dest = tmp_path / "backups" / "monday.json"
    dest.parent.mkdir()
    code, out, err = run(demo_db, capsys, "db", "backup", str(dest))
    assert code == 0, err
    assert files(dest.parent) == ["monday.json"]  # one compacted file, no journal, no lock
    assert out["records"]["audit"] == len(saved["audit"])
    assert miteam("license", "set", "u-1030", "miteam", "on").code == 0
    # Restoring over the database needs --force, and writes nothing without it.
    changed = demo_db.read_bytes(), demo_db.with_name("demo.json.journal").read_bytes()
    code, _, err = run(demo_db, capsys, "db", "restore", str(dest))
    assert code == 2 and "--force" in err
    assert (demo_db.read_bytes(), demo_db.with_name("demo.json.journal").read_bytes()) == changed
    code, out, err = run(demo_db, capsys, "db", "restore", str(dest), "--force")
    assert code == 0, err
    now = miteam.snapshot()
    assert {t: now[t] for t in now if t != "audit"} == {t: saved[t] for t in saved
                                                         if t != "audit"}
    assert now["audit"][:-1] == saved["audit"]
    last = now["audit"][-1]
    assert last["operation"] == "db.restore" and last["operator"] == "tester"
    assert last["seq"] > saved["audit"][-1]["seq"]
    assert miteam.user("u-1030")["licenses"]["miteam"] is False
    # A backup is refused as a destination twice without --force.
    code, _, err = run(demo_db, capsys, "db", "backup", str(dest))
    assert code == 2 and "exists already" in err


def test_restore_to_a_new_place_and_into_an_open_console(demo_db, capsys, tmp_path, rules):
    dest = tmp_path / "b.json"
    assert run(demo_db, capsys, "db", "backup", str(dest))[0] == 0
    other = tmp_path / "elsewhere" / "db.json"
    code, _, err = run(other, capsys, "db", "restore", str(dest))
    assert code == 0, err
    assert verify.verify(other).ok
    # A console that had the database open sees the restored records at its next read.
    store = Store(demo_db)
    session = Session(store, rules, "tester")
    session.apply(SetLicense("u-1030", "miteam", False))
    assert run(demo_db, capsys, "db", "restore", str(dest), "--force")[0] == 0
    assert session.user("u-1030")["licenses"]["miteam"] is True
    store.close()


def test_restore_refuses_a_damaged_or_inconsistent_backup(demo_db, capsys, tmp_path):
    before = Miteam(demo_db, capsys).snapshot()
    torn = tmp_path / "torn.json"
    torn.write_bytes(b'{"users": {"1": {"id": "u1"')
    code, _, err = run(demo_db, capsys, "db", "restore", str(torn), "--force")
    assert code == 2 and str(torn) in err and "not JSON" in err
    bad = tmp_path / "bad.json"
    Store.create(bad, {"users": [{"id": "u1", "account": "a-nowhere", "name": "X",
                                  "licenses": {"miteam": False}}]}).close()
    code, out, err = run(demo_db, capsys, "db", "restore", str(bad), "--force")
    assert code == 1 and out["ok"] is False
    assert out["problems"] == [{"table": "users", "record": "u1",
                                "problem": "account 'a-nowhere' does not exist"}]
    assert Miteam(demo_db, capsys).snapshot() == before


def test_backup_is_consistent_while_another_console_writes(demo_db, tmp_path, rules):
    import threading

    writer_store = Store(demo_db)
    writer = Session(writer_store, rules, "tester")
    stop = threading.Event()

    def switch() -> None:
        on = False
        while not stop.is_set():
            writer.apply(SetLicense("u-1030", "miteam", on))
            on = not on

    thread = threading.Thread(target=switch)
    thread.start()
    try:
        backup_store = Store(demo_db)
        for i in range(10):
            dest = tmp_path / f"b{i}.json"
            backup_store.backup(dest)
            view = S.read_file(dest)
            # Each switch is one commit: the license and its audit entry come together.
            entries = [e for e in view.all("audit") if e["target"] == "user:u-1030"]
            state = view.get("users", "u-1030")["licenses"]["miteam"]
            assert state == (entries[-1]["after"] if entries else True)
            assert verify.verify_file(dest).ok
        backup_store.close()
    finally:
        stop.set()
        thread.join()
        writer_store.close()


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EACCES])
@pytest.mark.parametrize("step", ["copy-temp-write", "copy-fsync", "copy-replace"])
def test_backup_failing_on_disk_full_leaves_no_file(demo_db, capsys, tmp_path, monkeypatch,
                                                    step, err):
    target = tmp_path / "backups"
    target.mkdir()

    def hook(s: str) -> None:
        if s == step:
            raise OSError(err, os.strerror(err))

    monkeypatch.setattr(F, "FAULT_HOOK", hook)
    code, _, message = run(demo_db, capsys, "db", "backup", str(target / "b.json"))
    monkeypatch.setattr(F, "FAULT_HOOK", None)
    assert code == 2 and os.strerror(err) in message and message.count("\n") == 1
    assert files(target) == []


def test_records_survive_backup_and_restore_unchanged(tmp_path):
    gen = generate.generate(5, 500, seed=4)
    db, dest, back = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    generate.write(db, gen).close()
    Store(db).backup(dest)
    verify.restore(dest, back)
    assert records(Store(back).read()) == records(Store(db).read())


def test_damaged_records_give_exit_2_naming_the_record_not_a_traceback(demo_db, capsys):
    data = json.loads(demo_db.read_text())
    order = next(iter(data["orders"].values()))
    order["quantity"] = "ten\x1b[2J"  # a string, with a hostile escape in it
    demo_db.write_text(json.dumps(data))
    code, _out, err = run(demo_db, capsys, "account", "list")
    assert code == 2 and "Traceback" not in err and "\x1b" not in err
    assert f"orders {order['id']}: the quantity should be a whole number" in err
