"""The PostgreSQL backend's own guarantees, on a real server (tests/backends.py): the
counterparts of the embedded store's file-level tests. Concurrent processes switching the
same users, a process killed inside a transaction, LISTEN/NOTIFY between consoles, a
server that is down or a driver that is missing, schema set-up, and `db copy` both ways.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from rules.cli import main
from rules.records import database
from rules.records.postgres import PgStore
from rules.records.store import records

ROOT = Path(__file__).resolve().parents[2]
KRANICH = [f"u-{n}" for n in range(1029, 1037)]  # a-kranich: standalone, anna.huber's

# Another console, as another process: switches users' MiTeam licenses through the
# operations (rules, stale-edit check, audit), and prints each switch it applied.
SWITCHER = r'''
import json, sys
from rules.engine.ruleset import RuleSet
from rules.errors import Refused
from rules.ops.actions import SetLicense
from rules.ops.session import Session
from rules.records.postgres import PgStore
url, me, n, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].split(",")
store = PgStore(url)
session = Session(store, RuleSet.load(), "anna.huber")
print("ready", flush=True)
sys.stdin.readline()
applied = []
for i in range(n):
    uid = users[(i * 3 + me) % len(users)]
    seen = bool(store.read().get("users", uid)["licenses"].get("miteam"))
    try:
        outcome = session.apply(SetLicense(uid, "miteam", not seen), expect=seen)
    except Refused:
        continue  # stale (another process switched it first) or no license left
    assert outcome.changed
    applied.append([uid, outcome.audit[0], not seen])
print(json.dumps(applied))
'''

# A process that dies inside a transaction, after writing a change and its audit entry.
DIER = r'''
import sys, time
from rules.records.postgres import PgStore
store = PgStore(sys.argv[1])
with store.transaction() as tx:
    tx.put("users", {**tx.get("users", "u-1029"), "name": "half done"})
    tx.append("audit", {"operation": "half", "account": "a-kranich"})
    print("inside", flush=True)
    time.sleep(600)
'''


def child(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


@pytest.fixture
def demo_url(pg_server) -> str:
    from tests.backends import DEMO

    url = pg_server.fresh(DEMO)
    yield url
    pg_server.drop(url)


def licensed(url: str) -> dict[str, bool]:
    with PgStore(url) as store:
        view = store.read()
        return {u: bool(view.get("users", u)["licenses"].get("miteam")) for u in KRANICH}


def test_four_processes_switching_the_same_users_apply_each_switch_once(demo_url):
    before = licensed(demo_url)
    procs = [child(SWITCHER, demo_url, str(me), "250", ",".join(KRANICH)) for me in range(4)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:  # all at once
        p.stdin.write("go\n")
        p.stdin.flush()
    applied = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        applied += json.loads(out)
    assert len(applied) > 100  # they did overlap and most switches went through
    with PgStore(demo_url) as store:
        view = store.read()
        audit = {a["seq"]: a for a in view.all("audit")}
        switches = [a for a in audit.values() if a["operation"] == "license.set"]
        # One audit entry per applied switch, each naming its user and new state.
        assert len(switches) == len(applied) == len({seq for _, seq, _ in applied})
        for uid, seq, on in applied:
            assert (audit[seq]["target"], audit[seq]["after"]) == (f"user:{uid}", on)
        # No switch lost: each user's state is its start, flipped once per switch.
        for uid in KRANICH:
            flips = sum(1 for u, _, _ in applied if u == uid)
            assert licensed(demo_url)[uid] == (before[uid] ^ (flips % 2 == 1))
    assert main(["--db", demo_url, "db", "verify"]) in (0, 1)  # readable, counts agree
    report = json.loads(_run(["--db", demo_url, "--json", "db", "verify"]))
    assert not [p for p in report["problems"] if "counts" in p["problem"]]


def _run(argv: list[str]) -> str:
    proc = subprocess.run([sys.executable, "-m", "rules.cli", *argv], cwd=ROOT, text=True,
                          capture_output=True, timeout=120)
    return proc.stdout


def test_a_process_killed_inside_a_transaction_leaves_nothing_half_done(demo_url):
    with PgStore(demo_url) as store:
        before = records(store.read())
    p = child(DIER, demo_url)
    assert p.stdout.readline().strip() == "inside", p.stderr.read()
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=30)
    # The server rolls the dead connection's transaction back and frees the writers' turn
    # (lock_timeout: a lock never freed fails the test instead of hanging it).
    url = f"{demo_url}&options={quote('-c lock_timeout=20s')}"
    with PgStore(url) as store:
        assert records(store.read()) == before
        with store.transaction() as tx:
            tx.put("users", {**tx.get("users", "u-1030"), "name": "next writer"})
        assert store.read().get("users", "u-1030")["name"] == "next writer"


def test_a_console_hears_another_hosts_commit_and_a_dropped_connection(demo_url, pg_server):
    heard: queue.Queue[tuple[str, str]] = queue.Queue()
    with PgStore(demo_url) as console, PgStore(demo_url) as other:
        console.subscribe(lambda event, detail: heard.put((event, detail)))
        event, version = heard.get(timeout=10)  # connected: the version it starts from
        assert event == "changed" and int(version) == console.read().version
        with other.transaction() as tx:
            tx.put("users", {**tx.get("users", "u-1030"), "name": "renamed"})
        assert heard.get(timeout=10) == ("changed", str(int(version) + 1))
        assert console.read().version == int(version) + 1  # without asking the server
        # The server drops the listening connection: the console is told, and told again
        # when it is back, with the commit made meanwhile.
        name = demo_url.split("/")[3].split("?")[0]
        pg_server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                      f"datname = '{name}' AND application_name = 'miteam-listen'")
        event, message = heard.get(timeout=10)
        assert event == "lost" and "PostgreSQL" in message
        with other.transaction() as tx:
            tx.append("audit", {"operation": "meanwhile", "account": None})
        assert heard.get(timeout=10) == ("back", console.path)
        assert heard.get(timeout=10) == ("changed", str(int(version) + 2))


def test_connections_the_server_dropped_are_replaced_on_next_use(demo_url, pg_server):
    name = demo_url.split("/")[3].split("?")[0]

    def drop_connections() -> None:  # as a server restart or a network cut does
        pg_server.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                      f"datname = '{name}'")

    with PgStore(demo_url) as store:
        assert store.read().get("users", "u-1030") is not None
        drop_connections()
        assert store.read().get("users", "u-1030")["id"] == "u-1030"
        drop_connections()
        with store.transaction() as tx:
            tx.put("users", {**tx.get("users", "u-1030"), "name": "after"})
        assert store.read().get("users", "u-1030")["name"] == "after"


def test_a_command_on_the_server_prints_its_answer_and_nothing_else(demo_url):
    proc = subprocess.run([sys.executable, "-m", "rules.cli", "--db", demo_url, "--operator",
                           "anna.huber", "user", "show", "u-1030"], cwd=ROOT, text=True,
                          capture_output=True, timeout=120)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout.startswith("u-1030  ")


def test_the_service_accounts_config_file_may_name_the_server(demo_url, capsys):
    from rules.cli.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'db = "{demo_url}"\n', encoding="utf-8")
    assert main(["--operator", "anna.huber", "--json", "user", "show", "u-1030"]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == "u-1030"


def test_a_command_whose_server_is_down_names_it_and_exits_2(capsys):
    from tests.backends import free_port

    port = free_port()  # nothing listens there
    code = main(["--db", f"postgresql://ops:topsecret@127.0.0.1:{port}/licensing",
                 "user", "show", "u-1001"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == (f"miteam: cannot reach PostgreSQL 127.0.0.1:{port}/licensing: "
                   "Connection refused\n")


def test_without_the_driver_a_postgresql_url_names_the_extra(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg fails
    code = main(["--db", "postgresql://ops@db.example/licensing", "user", "show", "u-1001"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "pip install 'miteam-console[postgresql]'" in err


def test_init_and_migrate_create_the_schema_and_refuse_an_uninitialised_one(
        pg_server, capsys, monkeypatch):
    pg_server.sql("CREATE DATABASE blank")
    url = pg_server.url("blank")
    try:
        assert main(["--db", url, "user", "show", "u-1001"]) == 2
        assert "no miteam database yet: create it with `miteam db init`" in \
            capsys.readouterr().err
        assert main(["--db", url, "--json", "db", "migrate"]) == 0
        assert json.loads(capsys.readouterr().out)["from"] == 0
        assert main(["--db", url, "--json", "db", "migrate"]) == 0  # nothing left to do
        assert json.loads(capsys.readouterr().out)["from"] == 1
        assert main(["--db", url, "--operator", "tester", "db", "init"]) == 0
        assert main(["--db", url, "--operator", "tester", "db", "init"]) == 2
        assert "exists already" in capsys.readouterr().err
        assert main(["--db", url, "--operator", "tester", "--json", "user", "show",
                     "u-1001"]) == 0
        capsys.readouterr()
        monkeypatch.setenv("MITEAM_DB", url)  # the service account's setting, as --db
        assert main(["--operator", "tester", "--json", "db", "path"]) == 0
        assert json.loads(capsys.readouterr().out)["path"].startswith("PostgreSQL ")
    finally:
        pg_server.drop(url)


def test_db_copy_moves_every_record_and_the_audit_both_ways(demo_db, pg_url, tmp_path,
                                                           capsys):
    def dump(target) -> tuple:
        store = database.open_store(target)
        try:
            view = store.read()
            return records(view), database.next_ids(view)
        finally:
            store.close()

    assert main(["--db", str(demo_db), "--operator", "anna.huber", "integration", "set",
                 "a-kranich", "miteam", "off"]) == 0
    original = dump(demo_db)
    assert len(original[0]["audit"]) > 1
    assert main(["db", "copy", str(demo_db), pg_url, "--force"]) == 0
    back = tmp_path / "back.json"
    assert main(["db", "copy", pg_url, str(back)]) == 0
    assert dump(pg_url) == dump(back) == original  # records, audit and next ids
    for target in (pg_url, str(back)):
        assert main(["--db", target, "db", "verify"]) == 0
    assert main(["db", "copy", str(demo_db), str(back)]) == 2
    assert "already exists" in capsys.readouterr().err
    # A backup of the server is a file like the embedded store's, and restores anywhere.
    saved, restored = tmp_path / "saved.json", tmp_path / "restored.json"
    assert main(["--db", pg_url, "db", "backup", str(saved)]) == 0
    assert main(["--db", str(restored), "db", "restore", str(saved)]) == 0
    got = dump(restored)
    assert got[0]["audit"][:-1] == original[0]["audit"]  # + the restore's own entry
    assert {t: docs for t, docs in got[0].items() if t != "audit"} == \
        {t: docs for t, docs in original[0].items() if t != "audit"}
