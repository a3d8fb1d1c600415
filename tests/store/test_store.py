"""The record store: durability, concurrency between consoles, crash safety, indexes."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from tinydb import Query, TinyDB

from rules.records import store as S
from rules.records.store import Store, StoreError, records
from rules.records.store import files as F
from tests.store.files_left import COMPACT_STEPS, JOURNAL_STEPS, db_files, named

ROOT = Path(__file__).resolve().parents[2]
PARTS = "db.json.parts"

# Runs in a separate interpreter: the other console, or the one that gets killed.
CHILD = r'''
import os, sys
from rules.records import store as S
from rules.records.store import files as F

mode, path = sys.argv[1], sys.argv[2]
store = S.Store(path)
if mode == "flip":
    uid, n = sys.argv[3], int(sys.argv[4])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(n):
        with store.transaction() as tx:
            u = tx.get("users", uid)
            tx.put("users", {**u, "flag": not u["flag"], "n": u["n"] + 1})
            tx.append("audit", {"account": u["account"], "user": uid, "i": i})
elif mode == "count":
    me, n = int(sys.argv[3]), int(sys.argv[4])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(n):
        key = f"c{(i + me) % 3}"
        with store.transaction() as tx:
            c = tx.get("accounts", key)
            tx.put("accounts", {**c, "n": c["n"] + 1})
        if i % 50 == 0:
            store.read()
elif mode == "crash":
    step = sys.argv[3]
    if step not in ("journal-write", "journal-fsync"):
        F.COMPACT_COMMITS = 0  # so this commit compacts, and dies at that step
    def hook(s):
        if s == step:
            os._exit(17)
    F.FAULT_HOOK = hook
    with store.transaction() as tx:
        u = tx.get("users", "u1")
        tx.put("users", {**u, "plan": "new"})
        tx.append("audit", {"account": "a1", "what": "plan changed"})
    sys.exit(3)
elif mode == "hold":
    with store.transaction() as tx:
        u = tx.get("users", "u1")
        tx.put("users", {**u, "plan": "uncommitted"})
        print("locked", flush=True)
        sys.stdin.readline()
        os._exit(0)
'''


def seed() -> dict[str, list[dict]]:
    return {
        "partners": [{"id": "p1", "name": "Partner"}],
        "accounts": [
            {"id": "a1", "partner": "p1", "name": "One"},
            {"id": "a2", "partner": "p1", "name": "Two"},
        ],
        "users": [
            {"id": "u1", "account": "a1", "plan": "old", "flag": False, "n": 0},
            {"id": "u2", "account": "a1", "plan": "old", "flag": False, "n": 0},
            {"id": "u3", "account": "a2", "plan": "old", "flag": False, "n": 0},
        ],
        "operators": [{"id": "o1", "partner": "p1", "account": None}],
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    return tmp_path / "data" / "db.json"


@pytest.fixture
def child(tmp_path: Path) -> Callable[..., subprocess.Popen[str]]:
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    started: list[subprocess.Popen[str]] = []

    def start(*args: object) -> subprocess.Popen[str]:
        p = subprocess.Popen(
            [sys.executable, str(script), *map(str, args)],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True,
        )
        started.append(p)
        return p

    yield start
    for p in started:
        if p.poll() is None:
            p.kill()
        p.communicate()


def set_plan(store: Store, plan: str, uid: str = "u1") -> None:
    with store.transaction() as tx:
        u = tx.get("users", uid)
        tx.put("users", {**u, "plan": plan})


def journal(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def run_together(procs: list[subprocess.Popen[str]]) -> None:
    # Start line: every child has opened the store before any begins writing.
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err


def assert_journal_lines_valid(db: Path) -> int:
    data = journal(db).read_bytes()
    assert data == b"" or data.endswith(b"\n")
    lines = data.splitlines()
    for line in lines:
        json.loads(line)
    return len(lines)


# ---------------------------------------------------------------------------
# Everyday behaviour


def test_saved_change_is_there_after_reopening(db: Path) -> None:
    store = Store.create(db, seed())
    set_plan(store, "pro")
    again = Store(db)
    assert again.read().get("users", "u1") == {
        "id": "u1", "account": "a1", "plan": "pro", "flag": False, "n": 0,
    }
    assert again.version == store.version == 1


def test_change_made_in_one_console_is_seen_by_another(db: Path) -> None:
    one, two = Store.create(db, seed()), Store(db)
    set_plan(one, "pro")
    view = two.read()
    assert view.version == 1 and view.get("users", "u1")["plan"] == "pro"
    with two.transaction() as tx:  # and decisions start from the fresh state
        assert tx.get("users", "u1")["plan"] == "pro"
        tx.put("users", {**tx.get("users", "u2"), "plan": "pro"})
    assert one.read().version == 2


def test_reads_inside_a_transaction_see_its_own_writes(db: Path) -> None:
    store = Store.create(db, seed())
    with store.transaction() as tx:
        tx.put("users", {"id": "u9", "account": "a2"})
        assert tx.get("users", "u9") == {"id": "u9", "account": "a2"}
        assert [u["id"] for u in tx.by("users", "account", "a2")] == ["u3", "u9"]
        tx.delete("users", "u1")
        assert tx.get("users", "u1") is None and tx.count("users") == 3


def test_failed_operation_leaves_no_trace(db: Path) -> None:
    store = Store.create(db, seed())
    set_plan(store, "pro")
    before, disk = records(store.read()), journal(db).read_bytes()
    with pytest.raises(RuntimeError, match="denied"), store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "account": "a2", "plan": "x"})
        tx.delete("users", "u2")
        tx.put("users", {"id": "u9", "account": "a1"})
        tx.append("audit", {"account": "a1"})
        raise RuntimeError("denied")
    assert records(store.read()) == before
    assert [u["id"] for u in store.read().by("users", "account", "a1")] == ["u1", "u2"]
    assert journal(db).read_bytes() == disk and store.version == 1
    set_plan(Store(db), "later")  # the lock was released
    with store.transaction() as tx:
        assert tx.append("audit", {"account": "a1"}) == 1  # nothing was committed under seq 1


def test_transaction_without_changes_writes_nothing(db: Path) -> None:
    store = Store.create(db, seed())
    set_plan(store, "pro")
    disk = journal(db).read_bytes()
    with store.transaction() as tx:
        tx.get("users", "u1")
        tx.delete("users", "nobody")
    assert journal(db).read_bytes() == disk and store.version == 1


def test_unknown_table_is_an_error(db: Path) -> None:
    store = Store.create(db, seed())
    with pytest.raises(StoreError, match="unknown table 'licences'"):
        store.read().get("licences", "x")
    with pytest.raises(StoreError, match="unknown table"), store.transaction() as tx:
        tx.put("licences", {"id": "x"})
    with pytest.raises(StoreError, match="unknown table"):
        Store.create(db.with_name("other.json"), {"licences": []})


def test_creating_over_an_existing_database_needs_overwrite(db: Path) -> None:
    store = Store.create(db, seed())
    set_plan(store, "pro")
    with pytest.raises(StoreError, match="already exists") as e:
        Store.create(db, {})
    assert e.value.path == db
    fresh = Store.create(db, {"users": [{"id": "u7", "account": "a1"}]}, overwrite=True)
    # The old journal's changes must not come back on top of the new records.
    assert [u["id"] for u in Store(db).read().all("users")] == ["u7"]
    set_plan(fresh, "x", uid="u7")
    assert Store(db).read().get("users", "u7")["plan"] == "x"


def test_opening_a_missing_database_names_the_file(db: Path) -> None:
    with pytest.raises(StoreError, match="no database here") as e:
        Store(db)
    assert str(db) in str(e.value) and e.value.path == db
    assert os.listdir(db.parent) == []


# ---------------------------------------------------------------------------
# Ids and indexes


def test_audit_seq_is_never_reused_even_after_removal_and_compaction(db: Path) -> None:
    store = Store.create(db, seed())
    with store.transaction() as tx:
        entry = {"account": "a1", "what": "x"}
        assert [tx.append("audit", entry), tx.append("audit", {"account": "a2"})] == [1, 2]
        assert entry["seq"] == 1
    with store.transaction() as tx:
        tx.delete("audit", 2)
    with store.transaction() as tx:
        assert tx.append("audit", {"account": "a1"}) == 3
        tx.delete("audit", "3")
    store.compact()
    with Store(db).transaction() as tx:
        assert tx.append("audit", {"account": "a1"}) == 4
    assert [a["seq"] for a in Store(db).read().all("audit")] == [1, 4]


def test_user_moved_between_accounts_is_listed_under_the_new_account_only(db: Path) -> None:
    store = Store.create(db, seed())

    def ids(view: S.View, account: str) -> list[str]:
        return [u["id"] for u in view.by("users", "account", account)]

    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "account": "a2"})
        tx.put("users", {**tx.get("users", "u2"), "plan": "pro"})  # same account: stays put
        tx.put("users", {"id": "u4", "account": "a1"})
    for view in (store.read(), Store(db).read()):
        assert ids(view, "a1") == ["u2", "u4"]
        assert ids(view, "a2") == ["u1", "u3"]  # listed in insertion order
        assert view.by("users", "plan", "pro") == [view.get("users", "u2")]  # unindexed: scan
    with store.transaction() as tx:
        tx.delete("users", "u3")
        tx.put("users", {**tx.get("users", "u4"), "account": None})
    for view in (store.read(), Store(db).read()):
        assert ids(view, "a1") == ["u2"] and ids(view, "a2") == ["u1"]
        assert ids(view, None) == ["u4"]
        assert view.by("users", "id", "u3") == []
        assert [o["id"] for o in view.by("operators", "partner", "p1")] == ["o1"]


def test_audit_tail_shows_the_newest_entries_last(db: Path) -> None:
    store = Store.create(db, seed())
    with store.transaction() as tx:
        for i in range(10):
            tx.append("audit", {"account": f"a{i % 2 + 1}", "i": i})
    view = store.read()
    assert [a["i"] for a in view.tail("audit", 3)] == [7, 8, 9]
    assert [a["i"] for a in view.tail("audit", 2, field="account", value="a1")] == [6, 8]
    assert [a["i"] for a in view.tail("audit", 2, field="i", value=3)] == [3]
    assert view.tail("audit", 0) == [] and view.count("audit") == 10


@given(
    hs.lists(
        hs.tuples(
            hs.lists(
                hs.one_of(
                    hs.tuples(hs.just("put"), hs.integers(0, 5), hs.integers(0, 2), hs.integers()),
                    hs.tuples(hs.just("delete"), hs.integers(0, 5)),
                    hs.tuples(hs.just("append"), hs.integers(0, 2)),
                    hs.tuples(hs.just("drop-newest")),
                ),
                max_size=6,
            ),
            hs.booleans(),  # the transaction fails at the end
            hs.booleans(),  # compact afterwards
        ),
        max_size=8,
    )
)
@settings(max_examples=40, deadline=None)
def test_random_changes_read_back_like_a_plain_dict(txs: list) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "db.json"
        store = Store.create(path, {})
        users: dict[str, dict] = {}
        audit: list[dict] = []
        next_seq = 1
        for actions, fail, compact in txs:
            u2, a2, seq2 = dict(users), list(audit), next_seq
            try:
                with store.transaction() as tx:
                    for action in actions:
                        if action[0] == "put":
                            _, u, a, n = action
                            doc = {"id": f"u{u}", "account": f"a{a}", "n": n}
                            tx.put("users", doc)
                            u2[doc["id"]] = doc
                        elif action[0] == "delete":
                            tx.delete("users", f"u{action[1]}")
                            u2.pop(f"u{action[1]}", None)
                        elif action[0] == "append":
                            seq = tx.append("audit", {"account": f"a{action[1]}"})
                            assert seq == seq2
                            a2.append({"account": f"a{action[1]}", "seq": seq})
                            seq2 += 1
                        elif a2:
                            tx.delete("audit", a2.pop()["seq"])
                        check(tx, u2, a2)
                    if fail:
                        raise KeyError("fail")
            except KeyError:
                pass
            else:
                users, audit, next_seq = u2, a2, seq2
            check(store.read(), users, audit)
            if compact:
                store.compact()
        check(Store(path).read(), users, audit)
        store.close()


def check(view: S.View, users: dict[str, dict], audit: list[dict]) -> None:
    assert view.all("users") == list(users.values())
    for a in ("a0", "a1", "a2"):
        assert view.by("users", "account", a) == [u for u in users.values() if u["account"] == a]
        mine = [e for e in audit if e["account"] == a]
        assert view.tail("audit", 2, field="account", value=a) == mine[-2:]
    for uid in (f"u{i}" for i in range(6)):
        assert view.get("users", uid) == users.get(uid)
    assert view.all("audit") == audit and view.count("audit") == len(audit)


def test_tinydb_queries_and_updates_work_through_the_store(db: Path) -> None:
    store = Store.create(db, seed())
    users = store.tinydb.table("users")
    assert [u["id"] for u in users.search(Query().account == "a1")] == ["u1", "u2"]
    with pytest.raises(StoreError, match="inside Store.transaction"):
        users.update({"plan": "x"}, Query().account == "a1")
    with store.transaction():
        users.update({"plan": "team"}, Query().account == "a1")
        users.remove(Query().id == "u3")
    view = Store(db).read()
    assert [u["plan"] for u in view.all("users")] == ["team", "team"]
    assert view.by("users", "account", "a2") == []
    # Searches follow other consoles' commits (no stale query cache).
    set_plan(Store(db), "solo", uid="u2")
    store.read()
    assert [u["id"] for u in users.search(Query().plan == "team")] == ["u1"]
    with store.transaction():
        store.tinydb.drop_table("operators")
    assert Store(db).read().all("operators") == []


# ---------------------------------------------------------------------------
# Several consoles at once


def test_two_consoles_writing_at_once_lose_nothing(db: Path, child) -> None:
    Store.create(db, seed())
    run_together([child("flip", db, "u1", 200), child("flip", db, "u2", 200)])
    view = Store(db).read()
    for uid in ("u1", "u2"):
        assert view.get("users", uid)["n"] == 200 and view.get("users", uid)["flag"] is False
        assert [e["i"] for e in view.all("audit") if e["user"] == uid] == list(range(200))
    assert [e["seq"] for e in view.all("audit")] == list(range(1, 401))
    assert view.version == 400


def test_concurrent_increments_on_shared_records_all_count(db: Path, child) -> None:
    Store.create(db, {"accounts": [{"id": f"c{k}", "partner": "p1", "n": 0} for k in range(3)]})
    run_together([child("count", db, me, 250) for me in range(4)])
    expected = {f"c{k}": sum((i + me) % 3 == k for me in range(4) for i in range(250))
                for k in range(3)}
    view = Store(db).read()
    assert {c["id"]: c["n"] for c in view.all("accounts")} == expected
    assert view.version == 1000


def test_console_killed_inside_a_transaction_does_not_block_the_others(db: Path, child) -> None:
    store = Store.create(db, seed())
    p = child("hold", db)
    assert p.stdout.readline().strip() == "locked"
    fd = os.open(db.with_name(db.name + ".lock"), os.O_RDONLY)
    try:
        with pytest.raises(BlockingIOError):  # it really holds the lock
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        p.stdin.write("die\n")
        p.stdin.flush()
        assert p.wait(timeout=30) == 0
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the kernel released it
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    set_plan(store, "after")
    assert Store(db).read().get("users", "u1")["plan"] == "after"
    assert b"uncommitted" not in journal(db).read_bytes()


def test_readers_open_and_reload_without_waiting_for_a_writer(db: Path, child,
                                                                monkeypatch) -> None:
    # A compaction (or an engineer's stopped console) holds the lock: reading consoles
    # and new commands must not wait for it (a wrong wait would fail within 1 s here).
    monkeypatch.setenv("MITEAM_LOCK_TIMEOUT", "1")
    store = Store.create(db, seed())
    set_plan(store, "v1")
    open_console = Store(db)
    set_plan(store, "v2")
    store.compact()  # the base is replaced: the open console must reload it whole
    p = child("hold", db)
    assert p.stdout.readline().strip() == "locked"
    try:
        assert Store(db).read().get("users", "u1")["plan"] == "v2"
        assert open_console.read().get("users", "u1")["plan"] == "v2"
        assert b"uncommitted" not in journal(db).read_bytes()
    finally:
        p.kill()
        p.wait(timeout=30)


# ---------------------------------------------------------------------------
# Crashes, full disks, damaged files


@pytest.mark.parametrize("step", JOURNAL_STEPS + COMPACT_STEPS)
def test_crash_at_any_write_step_leaves_the_old_or_the_new_state(db: Path, child, step) -> None:
    Store.create(db, seed())
    p = child("crash", db, step)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 17, err
    store = Store(db)
    view = store.read()
    state = (view.get("users", "u1")["plan"], view.count("audit"), view.version)
    assert state in {("old", 0, 0), ("new", 1, 1)}
    # Not killed by a power cut, so the outcome is exact: only a half-written line is lost.
    assert state == (("old", 0, 0) if step == "journal-write" else ("new", 1, 1))
    with store.transaction() as tx:
        tx.append("audit", {"account": "a1", "what": "after the crash"})
    assert_journal_lines_valid(db)  # a torn tail was cut, not built upon
    again = Store(db).read()
    assert again.count("audit") == state[1] + 1 and again.version == state[2] + 1
    store.compact()
    store.compact()  # the files of the core before this one go too
    assert db_files(db) == ["db.json", "db.json.journal", "db.json.lock", PARTS]


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EACCES])
@pytest.mark.parametrize("step", JOURNAL_STEPS + COMPACT_STEPS)
def test_disk_full_or_permission_denied_keeps_the_saved_data(
    db: Path, monkeypatch: pytest.MonkeyPatch, step: str, err: int
) -> None:
    store = Store.create(db, seed())
    set_plan(store, "saved")
    before, disk, core = records(store.read()), journal(db).read_bytes(), named(db)

    def hook(s: str) -> None:
        if s == step:
            raise OSError(err, os.strerror(err))

    monkeypatch.setattr(F, "FAULT_HOOK", hook)
    with pytest.raises(StoreError) as e:
        if step in JOURNAL_STEPS:
            with store.transaction() as tx:
                tx.put("users", {**tx.get("users", "u1"), "plan": "lost"})
                tx.append("audit", {"account": "a1"})
        else:
            store.compact()
    monkeypatch.setattr(F, "FAULT_HOOK", None)
    assert os.strerror(err) in str(e.value) and "\n" not in str(e.value)
    # No file of the failed compaction is left, unless its core (naming it) is in place.
    assert db_files(db, core) == ["db.json", "db.json.journal", "db.json.lock", PARTS]
    if step in JOURNAL_STEPS:
        assert journal(db).read_bytes() == disk
    assert records(store.read()) == before and store.version == 1
    assert records(Store(db).read()) == before
    set_plan(store, "next")  # and the console carries on
    assert Store(db).read().get("users", "u1")["plan"] == "next"


def test_failed_automatic_compaction_does_not_fail_the_saved_change(
    db: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    store = Store.create(db, seed())
    monkeypatch.setattr(F, "COMPACT_COMMITS", 0)

    def hook(step: str) -> None:
        if step == "compact-replace":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(F, "FAULT_HOOK", hook)
    set_plan(store, "pro")  # durable once the journal line is synced: no error
    assert "compaction postponed" in caplog.text and "No space left" in caplog.text
    assert Store(db).read().get("users", "u1")["plan"] == "pro"
    assert db_files(db) == ["db.json", "db.json.journal", "db.json.lock", PARTS]
    monkeypatch.setattr(F, "FAULT_HOOK", None)
    set_plan(store, "team")  # compacts this time
    assert journal(db).read_bytes() == b""
    assert Store(db).read().get("users", "u1")["plan"] == "team"


@pytest.mark.parametrize(
    "tail",
    [
        b'{"v":2,"crc":123,"ops":[["users","1",{"id":"u1","pl',  # killed mid-append
        b'{"v":2,"crc":123,"ops":[["users","1",{"id":"u1"}]]}',  # killed before the newline
    ],
)
def test_half_written_journal_line_is_ignored_then_cut_off(db: Path, tail: bytes) -> None:
    store = Store.create(db, seed())
    set_plan(store, "v1")
    good = journal(db).read_bytes()
    with open(journal(db), "ab") as f:
        f.write(tail)
    other = Store(db)
    assert other.read().get("users", "u1")["plan"] == "v1" and other.version == 1
    assert journal(db).read_bytes() == good + tail  # reading writes nothing
    set_plan(other, "v2")
    data = journal(db).read_bytes()
    assert data.startswith(good) and assert_journal_lines_valid(db) == 2
    assert Store(db).read().get("users", "u1")["plan"] == "v2"
    assert store.read().get("users", "u1")["plan"] == "v2" and store.version == 2


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"{not json", "not JSON (Expecting property name"),
        (b"", "the file is empty"),
        (b"[]", "the top level is not a JSON object"),
        (b'{"users": []}', "table 'users' is not a JSON object"),
        (b'{"users": {"x": {"id": "u1"}}}', "table 'users' has a record under 'x'"),
        (b'{"users": {"1": {"name": "no id"}}}', "users record #1 has no string 'id'"),
        (b'{"users": {"1": {"id": "u1"}, "2": {"id": "u1"}}}', "two users records have the id"),
    ],
)
def test_damaged_database_file_is_reported_by_name_and_left_alone(
    db: Path, content: bytes, problem: str
) -> None:
    store = Store.create(db, seed())
    set_plan(store, "pro")
    db.write_bytes(content)
    disk = journal(db).read_bytes()
    with pytest.raises(StoreError) as e:
        Store(db)
    assert str(e.value).startswith(f"{db}: not a valid database: ")
    assert problem in str(e.value) and e.value.path == db and "\n" not in str(e.value)
    # An open console notices at its next read or transaction, and writes nothing.
    with pytest.raises(StoreError, match="not a valid database"):
        store.read()
    with pytest.raises(StoreError, match="not a valid database"), store.transaction():
        pass
    assert db.read_bytes() == content and journal(db).read_bytes() == disk


@pytest.mark.parametrize(
    "damage, problem",
    [
        (lambda line: line.replace(b'"plan":"v2"', b'"plan":"vX"'), "checksum mismatch"),
        (lambda line: b"garbage", "not a journal entry"),
        (lambda line: line.replace(b'{"v":2,', b'{"v":5,'), "version 5 follows version 1"),
    ],
)
def test_damaged_journal_line_is_reported_with_file_and_line(
    db: Path, damage: Callable[[bytes], bytes], problem: str
) -> None:
    store = Store.create(db, seed())
    for plan in ("v1", "v2", "v3"):
        set_plan(store, plan)
    lines = journal(db).read_bytes().split(b"\n")
    lines[1] = damage(lines[1])
    journal(db).write_bytes(b"\n".join(lines))
    with pytest.raises(StoreError) as e:
        Store(db)
    assert str(e.value) == f"{journal(db)}: the journal is damaged at line 2: {problem}"
    assert e.value.path == journal(db)


def test_complete_journal_line_with_a_bad_checksum_is_damage_never_cut_silently(
    db: Path,
) -> None:
    store = Store.create(db, seed())
    set_plan(store, "v1")
    good = journal(db).read_bytes()
    bad = b'{"v":2,"crc":123,"ops":[["users","1",{"id":"u1"}]]}\n'  # ends in its newline
    with open(journal(db), "ab") as f:
        f.write(bad)
    with pytest.raises(StoreError, match="damaged at line 2: checksum mismatch"):
        Store(db)
    with pytest.raises(StoreError, match="damaged at line 2"), store.transaction():
        pass  # an open console refuses to write over it too
    assert journal(db).read_bytes() == good + bad  # nothing was cut
    # `db repair` keeps the valid prefix and the cut bytes in a side file.
    from rules.records.store.repair import repair

    done = repair(db)
    assert done.kept == 1 and done.cut_bytes == len(bad) and "checksum mismatch" in done.problem
    assert done.side_file.read_bytes() == bad and journal(db).read_bytes() == good
    assert Store(db).read().get("users", "u1")["plan"] == "v1"
    assert repair(db).side_file is None  # sound now: nothing more to cut


def test_journal_damaged_in_the_middle_is_salvaged_up_to_the_damage(db: Path) -> None:
    from rules.records.store.repair import repair

    store = Store.create(db, seed())
    for plan in ("v1", "v2", "v3"):
        set_plan(store, plan)
    lines = journal(db).read_bytes().split(b"\n")
    lines[1] = lines[1].replace(b'"plan":"v2"', b'"plan":"vX"')
    journal(db).write_bytes(b"\n".join(lines))
    done = repair(db)
    assert done.kept == 1 and done.problem == "line 2: checksum mismatch"
    assert done.side_file.read_bytes() == b"\n".join(lines[1:])
    assert Store(db).read().get("users", "u1")["plan"] == "v1"


def test_absurd_meta_version_is_refused_on_open(db: Path) -> None:
    # A version too long for the journal's lines would make every later commit vanish.
    db.write_text('{"_meta": {"1": {"version": 1000000000000000000, "next_id": {}}},'
                  ' "users": {}}')
    with pytest.raises(StoreError, match="beyond what the journal can hold"):
        Store(db)


def test_json_nested_too_deeply_is_reported_not_a_crash(db: Path) -> None:
    db.write_text('{"users": ' + "[" * 100_000 + "]" * 100_000 + "}")
    with pytest.raises(StoreError, match="nested too deeply"):
        Store(db)


def test_compaction_keeps_the_database_group(db: Path) -> None:
    store = Store.create(db, seed())
    other_gid = next(g for g in (1, 2, 3, 4, 100, 1000) if g != os.getgid())
    try:
        os.chown(db, -1, other_gid)
    except PermissionError:
        pytest.skip("needs a second group this user belongs to")
    journal(db).unlink()  # created again by the next commit: with the database's group
    set_plan(store, "v1")
    assert journal(db).stat().st_gid == other_gid
    store.compact()
    assert db.stat().st_gid == other_gid


# ---------------------------------------------------------------------------
# Cost and compatibility


def test_commit_cost_does_not_grow_with_the_audit_trail(db: Path) -> None:
    trail = [{"account": f"a{i % 2 + 1}", "what": "seeded", "i": i} for i in range(20_000)]
    store = Store.create(db, {**seed(), "audit": trail})
    with store.transaction() as tx:
        tx.append("audit", {"account": "a1", "what": "first"})

    def sizes() -> dict[str, int]:
        return {name: (db.parent / name).stat().st_size for name in os.listdir(db.parent)}

    before, base = sizes(), db.stat()
    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "plan": "pro"})
        assert tx.append("audit", {"account": "a1", "what": "plan changed"}) == 20_002
    after = sizes()
    line = journal(db).read_bytes()[before["db.json.journal"]:]
    # The user, the audit entry, and the two accounts' counts.
    assert line.count(b"\n") == 1 and len(line) < 600
    assert sum(after.values()) - sum(before.values()) == len(line)
    now = db.stat()
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (
        base.st_ino, base.st_size, base.st_mtime_ns)


def test_compacted_database_opens_in_stock_tinydb(db: Path) -> None:
    store = Store.create(db, seed())
    with store.transaction() as tx:
        tx.put("users", {"id": "u9", "account": "a2", "name": "Jürgen"})
        tx.delete("users", "u2")
        tx.append("audit", {"account": "a2", "what": "added u9"})
    store.compact()
    assert journal(db).read_bytes() == b""
    view = store.read()
    with TinyDB(db) as stock:  # the core: the small tables
        for table in ("partners", "accounts", "orders", "operators"):
            assert stock.table(table).all() == view.all(table)
    # Each account's users, and its audit entries, in a file of their own.
    current = named(db)
    for table in ("users", "audit"):
        found = []
        for f in (db.parent / PARTS / table).iterdir():
            if f.name in current:
                with TinyDB(f) as stock:
                    found += [(d.doc_id, dict(d)) for d in stock.table(table).all()]
        assert [d for _, d in sorted(found, key=lambda x: x[0])] == view.all(table)
    assert [e["seq"] for e in view.all("audit")] == [1]
    assert records(Store(db).read()) == records(store.read())


def test_database_written_by_stock_tinydb_opens_in_the_store(db: Path) -> None:
    with TinyDB(db) as stock:
        stock.table("users").insert_multiple([{"id": "u1", "account": "a1"}, {"id": "u2"}])
        stock.table("users").remove(doc_ids=[2])
    store = Store(db)
    assert store.version == 0 and store.read().all("users") == [{"id": "u1", "account": "a1"}]
    with store.transaction() as tx:
        tx.put("users", {"id": "u3", "account": "a1"})
    assert [u["id"] for u in Store(db).read().by("users", "account", "a1")] == ["u1", "u3"]


@pytest.fixture(autouse=True)
def _no_fault_hook() -> Iterator[None]:
    # A failing test must not leave the hook set for the next one.
    yield
    F.FAULT_HOOK = None
