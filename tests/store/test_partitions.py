"""The partitioned store: each account's users and audit in files of their own, loaded
only when a command needs them; single-file databases converted with a backup kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tinydb import TinyDB

from rules.records.store import Store, StoreError, records
from rules.records.store.state import _base_bytes
from tests.store.files_left import db_files, named


def seed() -> dict[str, list[dict]]:
    return {
        "partners": [{"id": "p1", "name": "Partner"}],
        "accounts": [{"id": "a1", "partner": "p1"}, {"id": "a2", "partner": "p1"}],
        "users": [
            {"id": "u1", "account": "a1", "licenses": {"miteam": True}},
            {"id": "u2", "account": "a1", "licenses": {"miteam": False}},
            {"id": "u3", "account": "a2", "licenses": {"miteam": True}},
        ],
        "audit": [{"account": "a1", "what": "one"}, {"account": "a2", "what": "two"}],
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data" / "db.json"


def part_file(db: Path, table: str, account_user: str) -> Path:
    """The file holding the partition of ``account_user``'s account (found by content)."""
    for name in named(db):
        f = db.parent / "db.json.parts" / table / name
        if f.exists() and account_user.encode() in f.read_bytes():
            return f
    raise AssertionError(f"no {table} partition holds {account_user}")


def test_a_command_reads_only_the_partitions_it_needs(db: Path) -> None:
    Store.create(db, seed()).close()
    damaged = part_file(db, "users", '"u3"')
    damaged.write_bytes(b"{not json")
    view = Store(db).read()
    # a1's users, their count and license tally, and a2's counts: a2's file is not read.
    assert [u["id"] for u in view.by("users", "account", "a1")] == ["u1", "u2"]
    assert view.get("users", "u2")["licenses"] == {"miteam": False}
    assert view.count("users", "account", "a2") == 1 and view.count("users") == 3
    assert view.count_flags("users", "account", "a2", "licenses") == {"miteam": 1}
    assert [e["what"] for e in view.tail("audit", 5, field="account", value="a1")] == ["one"]
    with pytest.raises(StoreError) as e:
        view.get("users", "u3")  # this one needs the damaged file: named, no traceback
    assert str(damaged) in str(e.value) and "\n" not in str(e.value)


def test_counts_follow_other_consoles_commits_without_loading_users(db: Path) -> None:
    Store.create(db, seed()).close()
    console = Store(db)
    assert console.read().count_flags("users", "account", "a2", "licenses") == {"miteam": 1}
    other = Store(db)
    with other.transaction() as tx:
        tx.put("users", {"id": "u4", "account": "a2", "licenses": {"miteam": True}})
        tx.put("users", {**tx.get("users", "u3"), "licenses": {"miteam": False}})
    # The partition file is not rewritten by a commit; the counts travel in the journal.
    part_file(db, "users", '"u3"').write_bytes(b"{not json")
    view = console.read()
    assert view.count("users", "account", "a2") == 2
    assert view.count_flags("users", "account", "a2", "licenses") == {"miteam": 1}


def test_a_console_holding_an_old_core_reads_on_after_two_compactions(db: Path) -> None:
    Store.create(db, seed()).close()
    console = Store(db)
    view = console.read()
    assert view.get("users", "u1")["account"] == "a1"  # a1 loaded, a2 not yet
    other = Store(db)
    for plan in ("x", "y"):
        with other.transaction() as tx:
            tx.put("users", {**tx.get("users", "u3"), "plan": plan})
        other.compact()  # the second one deletes the files the console's core names
    assert view.get("users", "u3")["plan"] == "y"  # reloaded, not a missing-file error
    assert records(console.read()) == records(Store(db).read())


def test_users_moved_deleted_and_added_are_found_through_the_index(db: Path) -> None:
    Store.create(db, seed()).close()
    store = Store(db)
    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "account": "a2"})  # moved
        tx.delete("users", "u2")
        tx.put("users", {"id": "u5", "account": None})  # no account: a partition too
    for compacted in (False, True):
        view = Store(db).read()
        assert view.get("users", "u1")["account"] == "a2", compacted
        assert view.get("users", "u2") is None and view.get("users", "u5") is not None
        assert [u["id"] for u in view.by("users", "account", "a2")] == ["u1", "u3"]
        assert view.count("users", "account", "a1") == 0
        assert [u["id"] for u in view.all("users")] == ["u1", "u3", "u5"]
        store.compact()
    assert db_files(db)[-1] == "db.json.parts"


def test_single_file_database_is_converted_on_first_write_with_a_backup_kept(
        db: Path) -> None:
    old = Store.create(db.with_name("other.json"), seed())
    expected = records(old.read())
    old.close()
    tables = {t: {str(i): d for i, d in enumerate(docs, 1)} for t, docs in expected.items()}
    single = _base_bytes(tables, 0, {t: len(d) + 1 for t, d in tables.items()})
    db.write_bytes(single)  # today's single-file database, everything inline
    store = Store(db)
    assert records(store.read()) == expected  # it opens as it is
    assert not db.with_name("db.json.parts").exists()
    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u2"), "licenses": {"miteam": True}})
    kept = db.with_name("db.json.before-migrate")
    assert json.loads(kept.read_bytes()) == json.loads(single)  # as it was, beside it
    core = json.loads(db.read_text())
    assert core["_meta"]["1"]["layout"] == 2 and "users" not in core
    again = Store(db).read()
    assert again.get("users", "u2")["licenses"] == {"miteam": True}
    assert again.count_flags("users", "account", "a1", "licenses") == {"miteam": 2}
    with TinyDB(kept) as stock:
        assert [u["id"] for u in stock.table("users").all()] == ["u1", "u2", "u3"]


def run(db: Path, capsys, *args: str) -> tuple[int, dict, str]:
    from rules.cli import main

    capsys.readouterr()
    code = main(["--db", str(db), "--operator", "tester", "--lang", "en", "--json", *args])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else {}), out.err


def test_db_migrate_converts_a_single_file_database_and_says_where_it_kept_it(
        db: Path, capsys) -> None:
    recs = {**seed(), "operators": [{"id": "tester", "role": "support", "partner": None,
                                     "account": None}]}
    tables = {t: {str(i): d for i, d in enumerate(docs, 1)} for t, docs in recs.items()}
    for i, e in enumerate(recs["audit"], 1):
        e["seq"] = i
    db.write_bytes(_base_bytes(tables, 0, {}))
    code, out, err = run(db, capsys, "db", "migrate")
    assert code == 0, err
    assert out == {"ok": True, "path": str(db), "from": 1, "to": 2,
                   "kept": str(db.with_name("db.json.before-migrate"))}
    assert json.loads(db.read_text())["_meta"]["1"]["layout"] == 2
    code, out, err = run(db, capsys, "db", "migrate")  # once is enough
    assert code == 0 and out["from"] == 2 and out["kept"] is None
    code, out, err = run(db, capsys, "db", "verify")  # the seed lacks fields the product
    assert out["records"]["users"] == 3 and out["records"]["audit"] == 2  # reads, but the
    assert not [p for p in out["problems"]  # layout's counts and index are sound
                if "index" in p["problem"] or "the store counts" in p["problem"]]


def test_verify_finds_counts_and_index_entries_that_disagree_with_the_records(
        db: Path, capsys) -> None:
    Store.create(db, {**seed(), "operators": [
        {"id": "tester", "role": "support", "partner": None, "account": None}]}).close()
    core = json.loads(db.read_text())
    for doc in core["_parts"].values():
        if "a2" in doc["accounts"]:
            doc["accounts"]["a2"]["n"] = 7
    db.write_text(json.dumps(core))
    index = db.parent / "db.json.parts" / "index"
    shard = next(f for f in index.iterdir() if f.name.startswith("users-"))
    entries = json.loads(shard.read_text())
    entries["index"] = {k: e for k, e in entries["index"].items() if e["k"] != "u2"}
    shard.write_text(json.dumps(entries))
    code, out, err = run(db, capsys, "db", "verify")
    assert code == 1, err
    found = {(p["table"], p["record"], p["problem"]) for p in out["problems"]}
    assert ("accounts", "a2", "the store counts 7 users records, there are 1") in found
    assert ("users", "u2", "not in the index") in found


def test_the_index_is_split_further_as_the_users_grow(db: Path, monkeypatch) -> None:
    from rules.records.store import compaction, layout
    from rules.records.store.consistency import layout_problems

    Store.create(db, seed()).close()
    assert len(json.loads(db.read_text())["_meta"]["1"]["index"]["users"]["files"]) == 1
    monkeypatch.setattr(compaction, "SHARD_KEYS", 1)
    monkeypatch.setattr(layout, "SHARD_KEYS", 1)
    store = Store(db)
    with store.transaction() as tx:
        for i in range(10, 20):
            tx.put("users", {"id": f"u{i}", "account": "a2"})
    store.compact()
    index = json.loads(db.read_text())["_meta"]["1"]["index"]["users"]
    assert index["n"] == 16 and len(index["files"]) > 1
    view = Store(db).read()
    assert all(view.get("users", f"u{i}")["account"] == "a2" for i in range(10, 20))
    assert view.get("users", "u1")["account"] == "a1"
    assert layout_problems(view) == []


def test_hostile_account_ids_never_reach_a_file_name(db: Path) -> None:
    hostile = ["../../etc/passwd", "a/b\x00c", "\udcff lone surrogate", "CON", ""]
    store = Store.create(db, {"users": [{"id": f"u{i}", "account": a}
                                        for i, a in enumerate(hostile)]})
    store.compact()
    parts = db.with_name("db.json.parts")
    names = [p.name for p in parts.rglob("*") if p.is_file()]
    assert all(re.fullmatch(r"[a-z0-9.-]+\.json", n) for n in names), names
    assert {p.parent.name for p in parts.rglob("*.json")} <= {"users", "audit", "index"}
    view = Store(db).read()
    for i, a in enumerate(hostile):
        assert [u["id"] for u in view.by("users", "account", a)] == [f"u{i}"]
        assert view.get("users", f"u{i}")["account"] == a


def test_compaction_comes_in_steps_of_a_bounded_number_of_partitions(
        db: Path, monkeypatch) -> None:
    from rules.records.store import files as F

    monkeypatch.setattr(F, "COMPACT_PARTS", 4)  # the writer holds the lock meanwhile
    store = Store.create(db, seed())
    journal = db.with_name("db.json.journal")
    with store.transaction() as tx:  # a1's users and audit: two partitions to rewrite
        tx.put("users", {**tx.get("users", "u1"), "plan": "x"})
        tx.append("audit", {"account": "a1"})
    assert journal.stat().st_size > 0
    with store.transaction() as tx:  # and a2's: four, so this commit compacts
        tx.put("users", {**tx.get("users", "u3"), "plan": "y"})
        tx.append("audit", {"account": "a2"})
    assert journal.stat().st_size == 0
    view = Store(db).read()
    assert view.get("users", "u1")["plan"] == "x" and view.get("users", "u3")["plan"] == "y"


def test_a_command_that_converts_a_single_file_database_says_so_once(db: Path, capsys) -> None:
    from rules.cli import main
    from rules.paths import DEMO_DB

    db.write_bytes(DEMO_DB.read_bytes())  # today's single-file layout
    argv = ["--db", str(db), "--operator", "lena.support", "--lang", "de"]
    assert main([*argv, "license", "set", "u-1036", "miteam", "on"]) == 0
    err = capsys.readouterr().err
    assert "in eine Datei je Konto umgewandelt" in err
    assert str(db.with_name("db.json.before-migrate")) in err
    assert main([*argv, "license", "set", "u-1036", "miteam", "off"]) == 0
    assert "umgewandelt" not in capsys.readouterr().err


def test_the_start_screens_attention_summary_reads_no_user(db: Path) -> None:
    """The console's one-line summary for support at a million users must not read every
    account's users: it asks the report without its user lists."""
    from rules.engine.ruleset import RuleSet
    from rules.ops.session import Session
    from rules.records.database import demo_records

    Store.create(db, demo_records()).close()
    rules = RuleSet.load()
    full = Session(Store(db), rules, "lena.support").report()
    for f in (db.parent / "db.json.parts" / "users").iterdir():
        f.write_bytes(b"{not json")  # any user read now fails loudly
    light = Session(Store(db), rules, "lena.support").report(users=False)
    assert light.attention() == {k: n for k, n in full.attention().items()
                                 if k != "stored_differs"}
    assert light.attention()["over_allocated"] >= 1 and not light.differs


def test_the_attention_summary_leaves_out_the_users_beyond_its_limit(db: Path,
                                                                     monkeypatch) -> None:
    from rules.engine.ruleset import RuleSet
    from rules.ops import session as session_module
    from rules.ops.session import Session
    from rules.records.database import demo_records

    Store.create(db, demo_records()).close()
    rules = RuleSet.load()
    assert "stored_differs" in Session(Store(db), rules, "lena.support").report(
        users=None).attention()  # 150 users: within the limit
    monkeypatch.setattr(session_module, "SUMMARY_USER_LIMIT", 149)
    for f in (db.parent / "db.json.parts" / "users").iterdir():
        f.write_bytes(b"{not json")
    assert "stored_differs" not in Session(Store(db), rules, "lena.support").report(
        users=None).attention()
