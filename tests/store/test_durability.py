"""Durability through the real operations: license switches (rules, store, audit) by
several processes at once, killed at every write step, on a full disk, stale edits
between two consoles, and a lock holder that dies. The store-level versions of these
are in test_store.py; here the whole path of `Session.apply(SetLicense(...))` is on trial.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from rules.engine.ruleset import RuleSet
from rules.errors import NotFound, Refused
from rules.ops.actions import AddOperator, AddPartner, SetIntegration, SetLicense
from rules.ops.session import Session
from rules.records import verify
from rules.records.store import Store, records
from rules.records.store import files as F
from tests.miteam_command import Miteam
from tests.store.files_left import COMPACT_STEPS, JOURNAL_STEPS, db_files, named

ROOT = Path(__file__).resolve().parents[2]
USERS = [f"u{i}" for i in range(8)]
STEPS = JOURNAL_STEPS + COMPACT_STEPS

CHILD = r'''
import json, os, sys, time
from rules.records import store as S
from rules.records.store import files as F
from rules.engine.ruleset import RuleSet
from rules.errors import Refused
from rules.ops.actions import SetLicense
from rules.ops.session import Session

mode, path = sys.argv[1], sys.argv[2]
session = Session(S.Store(path), RuleSet.load(), "tester")
if mode == "switch":
    me, n, users = int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split(",")
    print("ready", flush=True)
    sys.stdin.readline()
    done, stale = [], 0
    for i in range(n):
        uid = users[(i * 3 + me) % len(users)]
        while True:  # as an engineer would: look, switch; if refused as stale, look again
            seen = session.user(uid)["licenses"]["miteam"]
            try:
                out = session.apply(SetLicense(uid, "miteam", not seen), expect=seen)
            except Refused as e:
                assert e.key == "stale_edit", e
                stale += 1
                continue
            assert out.changed and len(out.audit) == 1
            done.append([uid, seen, not seen, out.audit[0]])
            break
    print(json.dumps({"done": done, "stale": stale}), flush=True)
elif mode == "crash":
    step = sys.argv[3]
    if step not in ("journal-write", "journal-fsync"):
        F.COMPACT_COMMITS = 0  # this commit compacts, and dies at that step
    def hook(s):
        if s == step:
            os._exit(17)
    F.FAULT_HOOK = hook
    session.apply(SetLicense("u1", "miteam", True))
    sys.exit(3)
elif mode == "hold":
    with session.store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u2"), "name": "uncommitted"})
        print("locked", flush=True)
        time.sleep(120)
'''


def standalone() -> dict[str, list[dict]]:
    """One standalone account with more licenses than users: every switch is allowed."""
    return {
        "partners": [{"id": "p1", "name": "Partner"}],
        "accounts": [{"id": "a1", "name": "Standalone Ltd", "partner": "p1",
                      "integrations": {"micollab": False, "miteam": True}}],
        "orders": [{"id": "o1", "partner": "p1", "product": "miteam", "quantity": 20,
                    "state": "assigned", "account": "a1", "expires": None}],
        "users": [{"id": u, "account": "a1", "name": f"User {u}", "email": None,
                   "licenses": {"miteam": i % 2 == 0}, "set_by": {"miteam": None}}
                  for i, u in enumerate(USERS)],
        "operators": [{"id": op, "name": op, "role": "support", "partner": None,
                       "account": None} for op in ("tester", "other")],
    }


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "db.json"
    Store.create(path, standalone()).close()
    return path


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.load()


@pytest.fixture
def child(tmp_path: Path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT),
                                                         os.environ.get("PYTHONPATH", "")])}
    started: list[subprocess.Popen[str]] = []

    def start(*args: object) -> subprocess.Popen[str]:
        p = subprocess.Popen([sys.executable, str(script), *map(str, args)], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        started.append(p)
        return p

    yield start
    for p in started:
        if p.poll() is None:
            p.kill()
        p.communicate()


@pytest.fixture(autouse=True)
def _no_fault_hook():
    yield
    F.FAULT_HOOK = None


# ---------------------------------------------------------------------------------------
# Several consoles switching at once


def test_four_consoles_switching_overlapping_users_apply_each_switch_exactly_once(db, child):
    procs = [child("switch", db, me, 250, ",".join(USERS)) for me in range(4)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    done = [tuple(d) for r in results for d in r["done"]]
    assert len(done) == 1000

    view = Store(db).read()
    trail = [e for e in view.all("audit") if e["operation"] == "license.set"]
    # Each applied switch has exactly one audit entry, and each entry one switch.
    assert sorted(seq for *_, seq in done) == [e["seq"] for e in trail]
    assert len(trail) == 1000 and view.count("audit") == 1000
    by_seq = {e["seq"]: e for e in trail}
    for uid, before, after, seq in done:
        e = by_seq[seq]
        assert (e["target"], e["before"], e["after"]) == (f"user:{uid}", before, after)
    # No switch was lost or applied on a stale view: per user, each entry starts from
    # where the previous one left off, and the stored state is where the last one ended.
    initial = {u["id"]: u["licenses"]["miteam"] for u in standalone()["users"]}
    for uid in USERS:
        chain = [e for e in trail if e["target"] == f"user:{uid}"]
        state = initial[uid]
        for e in chain:
            assert e["before"] == state and e["after"] == (not state)
            state = e["after"]
        assert view.get("users", uid)["licenses"]["miteam"] == state
        assert state == initial[uid] ^ (len(chain) % 2 == 1)
    assert verify.verify(db).ok


# ---------------------------------------------------------------------------------------
# Stale edits


def test_stale_edit_between_two_consoles_is_refused_and_names_who_changed_it(db, rules):
    first = Session(Store(db), rules, "other")
    second = Session(Store(db), rules, "tester")
    # Both consoles show u1 (stored off) to their engineers.
    seen_first = first.user("u1")["licenses"]["miteam"]
    seen_second = second.user("u1")["licenses"]["miteam"]
    assert seen_first is seen_second is False
    assert first.apply(SetLicense("u1", "miteam", True), expect=seen_first).changed
    journal = db.with_name(db.name + ".journal").read_bytes()
    with pytest.raises(Refused) as refused:
        second.apply(SetLicense("u1", "miteam", True), expect=seen_second)
    message = str(refused.value)
    assert refused.value.key == "stale_edit" and refused.value.exit_code == 1
    assert "u1" in message and "ON now" in message and "changed by other" in message
    assert db.with_name(db.name + ".journal").read_bytes() == journal  # nothing written
    # Without `expected` (a script that means it), the switch is simply applied.
    assert not second.apply(SetLicense("u1", "miteam", True)).changed
    # Looking again and switching works.
    seen = second.user("u1")["licenses"]["miteam"]
    assert second.apply(SetLicense("u1", "miteam", False), expect=seen).changed


def test_stale_integration_switch_is_refused(db, rules):
    a, b = Session(Store(db), rules, "other"), Session(Store(db), rules, "tester")
    assert a.apply(SetIntegration("a1", "micollab", True), expect=False).changed
    before = records(Store(db).read())
    with pytest.raises(Refused) as refused:
        b.apply(SetIntegration("a1", "micollab", True), expect=False)
    assert refused.value.key == "stale_edit"
    assert "MiCollab integration of account 'a1'" in str(refused.value)
    assert "changed by other" in str(refused.value)
    assert records(Store(db).read()) == before


def test_stale_edit_from_the_command_line_exits_1_in_the_operators_language(db, capsys):
    miteam = Miteam(db, capsys)
    assert miteam("license", "set", "u1", "miteam", "on", "--expect", "off").code == 0
    before = miteam.snapshot()
    r = miteam("license", "set", "u1", "miteam", "on", "--expect", "off", operator="other",
               lang="de")
    assert r.code == 1 and r.json["ok"] is False
    assert "wurde geändert" in r.err and "geändert von tester" in r.err
    r = miteam("micollab", "set", "u1", "miteam", "on", "--expect", "off")
    assert r.code == 1  # refused (no MiCollab integration) without changing anything
    r = miteam("integration", "set", "a1", "miteam", "off", "--expect", "off")
    assert r.code == 1 and "MiTeam Meetings integration of account 'a1'" in r.err
    assert miteam.snapshot() == before
    r = miteam("license", "set", "u1", "miteam", "off", "--expect", "maybe")
    assert r.code == 2


def test_stale_check_tells_nothing_to_an_operator_outside_the_account(db, capsys, rules):
    store = Store(db)
    Session(store, rules, "tester").apply(AddPartner("p2", "Someone Else"))
    Session(store, rules, "tester").apply(AddOperator("stranger", "partner", partner="p2"))
    Session(store, rules, "tester").apply(SetLicense("u1", "miteam", True))
    # Outside their scope the user is unknown to them: nothing said of who changed it.
    with pytest.raises(NotFound) as unknown:
        Session(store, rules, "stranger").apply(SetLicense("u1", "miteam", True), expect=False)
    assert str(unknown.value) == "unknown user 'u1'"


# ---------------------------------------------------------------------------------------
# Crashes and full disks


@pytest.mark.parametrize("step", STEPS)
def test_console_killed_at_any_step_of_a_switch_leaves_old_or_new_state(db, child, step,
                                                                        rules):
    p = child("crash", db, step)
    _, err = p.communicate(timeout=120)
    assert p.returncode == 17, err
    store = Store(db)
    view = store.read()
    on = view.get("users", "u1")["licenses"]["miteam"]
    entries = [e for e in view.all("audit") if e["target"] == "user:u1"]
    # The license and its audit entry are one commit: both or neither.
    assert (on, len(entries)) in {(False, 0), (True, 1)}
    assert (on, len(entries)) == ((False, 0) if step == "journal-write" else (True, 1))
    assert verify.verify(db).ok
    # The next console carries on, and cleans up after the dead one.
    Session(store, rules, "tester").apply(SetLicense("u1", "miteam", not on))
    store.compact()
    store.compact()  # the files of the core before this one go too
    assert db_files(db) == ["db.json", "db.json.journal", "db.json.lock", "db.json.parts"]
    assert Store(db).read().get("users", "u1")["licenses"]["miteam"] is (not on)


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EACCES])
@pytest.mark.parametrize("step", STEPS)
def test_full_disk_during_a_switch_keeps_the_saved_data_and_leaves_no_temp_file(
        db, capsys, monkeypatch, step, err):
    miteam = Miteam(db, capsys)
    before, core = miteam.snapshot(), named(db)
    if step not in ("journal-write", "journal-fsync"):
        monkeypatch.setattr(F, "COMPACT_COMMITS", 0)  # the switch's commit compacts

    def hook(s: str) -> None:
        if s == step:
            raise OSError(err, os.strerror(err))

    monkeypatch.setattr(F, "FAULT_HOOK", hook)
    r = miteam("license", "set", "u1", "miteam", "on")
    monkeypatch.setattr(F, "FAULT_HOOK", None)
    after = miteam.snapshot()
    if step in ("journal-write", "journal-fsync"):
        # The commit itself failed: one message, exit 2, nothing changed.
        assert r.code == 2 and os.strerror(err) in r.err and r.err.count("\n") == 1
        assert after == before
    else:
        # Committed before compacting: the switch stands; compaction waits for next time.
        assert r.code == 0, r.err
        assert after["users"][1]["licenses"]["miteam"] is True
        assert {t: after[t] for t in after if t not in ("users", "audit")} == \
            {t: before[t] for t in before if t not in ("users", "audit")}
    assert db_files(db, core) == ["db.json", "db.json.journal", "db.json.lock",
                                  "db.json.parts"]
    assert verify.verify(db).ok


# ---------------------------------------------------------------------------------------
# A console that dies holding the lock


def test_lock_holder_killed_never_wedges_the_other_consoles(db, child, rules):
    session = Session(Store(db), rules, "tester")  # a console already open
    p = child("hold", db)
    assert p.stdout.readline().strip() == "locked"
    outcome: list = []
    waiting = threading.Thread(
        target=lambda: outcome.append(session.apply(SetLicense("u1", "miteam", True))))
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive() and not outcome  # it waits for the holder...
    p.send_signal(signal.SIGKILL)  # ...which dies without a chance to clean up
    p.wait(timeout=30)
    waiting.join(60)
    assert not waiting.is_alive() and outcome and outcome[0].changed
    view = Store(db).read()
    assert view.get("users", "u1")["licenses"]["miteam"] is True
    assert view.get("users", "u2")["name"] == "User u2"  # the dead one's change is gone


# ---------------------------------------------------------------------------------------
# A sweeping change carries what it previewed (issue 13, defect 1)


def test_s8_preview_goes_stale_when_another_console_switches_a_user_meanwhile(db, rules):
    first = Session(Store(db), rules, "tester")
    second = Session(Store(db), rules, "other")
    off = SetIntegration("a1", "miteam", False)
    preview = first.apply(off, dry_run=True)  # console 1 shows the S8 preview...
    (effect,) = preview.effects
    assert sorted(effect.users) == ["u0", "u2", "u4", "u6"]
    second.apply(SetLicense("u1", "miteam", True))  # ...console 2 switches u1 on...
    before = records(Store(db).read())
    with pytest.raises(Refused) as refused:  # ...console 1 confirms what it was shown
        first.apply(off, expect_preview=preview.preview)
    assert refused.value.key == "stale_preview" and refused.value.exit_code == 1
    message = str(refused.value)
    assert "5 users' licenses" in message and "u1" in message
    assert records(Store(db).read()) == before  # u1's license was not revoked
    # Previewed again, it applies what the new preview shows.
    again = first.apply(off, dry_run=True)
    assert again.preview != preview.preview
    done = first.apply(off, expect_preview=again.preview)
    assert sorted(done.effects[0].users) == ["u0", "u1", "u2", "u4", "u6"]


def test_an_unchanged_preview_applies_and_the_command_line_takes_it(db, capsys):
    miteam = Miteam(db, capsys)
    dry = miteam("integration", "set", "a1", "miteam", "off", "--dry-run")
    assert dry.code == 0 and dry.json["dry_run"]
    digest = dry.json["preview"]
    text = miteam("integration", "set", "a1", "miteam", "off", "--dry-run", json_out=False)
    assert f"--expect-preview {digest}" in text.out
    assert miteam("license", "set", "u3", "miteam", "on", operator="other").code == 0
    before = miteam.snapshot()
    r = miteam("integration", "set", "a1", "miteam", "off", "--expect-preview", digest,
               lang="de")
    assert r.code == 1 and "seit der Vorschau geändert" in r.err and "u3" in r.err
    assert miteam.snapshot() == before
    digest = miteam("integration", "set", "a1", "miteam", "off", "--dry-run").json["preview"]
    r = miteam("integration", "set", "a1", "miteam", "off", "--expect-preview", digest)
    assert r.code == 0 and len(r.json["consequences"][0]["users"]) == 5


def test_stopped_lock_holder_names_itself_and_the_wait_ends_with_exit_2(db, child, capsys,
                                                                       monkeypatch):
    # An engineer's console suspended with Ctrl-Z keeps the lock: the others must say who
    # holds it and give up at the deadline, never hang without a word.
    from rules.records.store import lock

    monkeypatch.setattr(lock, "WARN_AFTER", 0.2)
    monkeypatch.setenv("MITEAM_LOCK_TIMEOUT", "1")
    miteam = Miteam(db, capsys)
    before = miteam.snapshot()
    p = child("hold", db)
    assert p.stdout.readline().strip() == "locked"
    p.send_signal(signal.SIGSTOP)
    try:
        r = miteam("license", "set", "u1", "miteam", "on")
        assert r.code == 2
        assert f"waiting for the database lock, held by pid {p.pid} (" in r.err
        assert "child.py hold" in r.err  # the holder's command, as it noted it
        assert "gave up waiting for the database lock" in r.err
        assert "Traceback" not in r.err
    finally:
        p.send_signal(signal.SIGCONT)
    p.kill()
    p.wait(timeout=30)
    assert miteam.snapshot() == before
