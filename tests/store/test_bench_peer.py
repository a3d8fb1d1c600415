"""The bench's SQLite peer runs the same rules and operations as the product's store and
must give the same answers, or the comparison would be unfair."""

from __future__ import annotations

from rules.bench import sqlite as bench_sqlite
from rules.engine.ruleset import RuleSet
from rules.errors import Refused
from rules.ops.actions import SetLicense
from rules.ops.session import Session
from rules.records import database
from rules.records.store import records
from rules.records.store.protocol import StoreProtocol, TxProtocol, ViewProtocol


def test_sqlite_peer_answers_and_switches_exactly_like_the_store(tmp_path):
    rules = RuleSet.load()
    store = database.create(tmp_path / "demo.json", "tester", demo=True, force=False)
    data = records(store.read())
    bench_sqlite.create(tmp_path / "peer.sqlite", data)
    peer = bench_sqlite.SqliteStore(tmp_path / "peer.sqlite")
    assert isinstance(peer, StoreProtocol) and isinstance(peer.read(), ViewProtocol)
    ours, theirs = Session(store, rules, "tester"), Session(peer, rules, "tester")
    assert ours.accounts() == theirs.accounts()
    switched = 0
    for user in data["users"]:
        uid = user["id"]
        assert ours.user(uid) == theirs.user(uid)
        outcomes = []
        for session in (ours, theirs):
            try:
                out = session.apply(SetLicense(uid, "miteam", not user["licenses"]["miteam"]))
                outcomes.append((out.changed, out.after, len(out.audit)))
            except Refused as e:
                outcomes.append(e.key)
        assert outcomes[0] == outcomes[1], uid
        switched += isinstance(outcomes[0], tuple) and outcomes[0][0]
    assert switched > 0
    assert ours.accounts() == theirs.accounts()
    with peer.transaction() as tx:
        assert isinstance(tx, TxProtocol)
    assert store.read().count("audit") == peer.read().count("audit")
    assert [e["operation"] for e in store.read().tail("audit", 5)] == [
        e["operation"] for e in peer.read().tail("audit", 5)]
