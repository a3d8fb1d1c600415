"""The store's protocol, on both backends: what rules, operations and the console rely on
(`read`, `transaction`, `get / by / all / tail / count / count_flags`, `put / delete /
append`, versions, ids never reused). The embedded store's file-level behaviour (journal,
crashes at each write step) is in test_store.py; PostgreSQL's in test_postgres.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rules.records import database
from rules.records.store import StoreError, records
from rules.records.store.protocol import StoreProtocol, TxProtocol, ViewProtocol


def seed() -> dict[str, list[dict]]:
    return {
        "partners": [{"id": "p1", "name": "P"}],
        "accounts": [{"id": "a1", "partner": "p1"}, {"id": "a2", "partner": "p1"}],
        "users": [
            {"id": "u1", "account": "a1", "flag": False, "licenses": {"miteam": True}},
            {"id": "u2", "account": "a1", "flag": False, "licenses": {"miteam": False}},
            {"id": "u3", "account": "a2", "flag": False, "licenses": {}},
        ],
        "operators": [{"id": "o1", "partner": "p1", "account": None}],
    }


@pytest.fixture
def target(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    return request.getfixturevalue("pg_url") if backend == "postgresql" \
        else tmp_path / "db.json"


@pytest.fixture
def make(target) -> Callable[..., Any]:
    """make(records) creates the database; make() opens it again (another console)."""
    opened: list[Any] = []

    def _make(recs: dict | None = None, **kw: Any) -> Any:
        store = database.create_store(target, recs, **kw) if recs is not None \
            else database.open_store(target)
        opened.append(store)
        return store

    yield _make
    for s in opened:
        s.close()


def ids(docs: list[dict]) -> list[str]:
    return [d["id"] for d in docs]


def test_both_backends_implement_the_one_protocol(make) -> None:
    store = make(seed())
    assert isinstance(store, StoreProtocol) and isinstance(store.read(), ViewProtocol)
    with store.transaction() as tx:
        assert isinstance(tx, TxProtocol)


def test_a_saved_change_is_seen_by_another_console_and_after_reopening(make) -> None:
    one = make(seed())
    two = make()
    start = two.read().version
    with one.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "plan": "pro"})
    assert two.read().get("users", "u1")["plan"] == "pro"
    assert two.read().version == start + 1
    with two.transaction() as tx:  # decisions start from the fresh state
        assert tx.get("users", "u1")["plan"] == "pro"


def test_reads_inside_a_transaction_see_its_own_writes(make) -> None:
    store = make(seed())
    with store.transaction() as tx:
        tx.put("users", {"id": "u9", "account": "a2"})
        assert tx.get("users", "u9") == {"id": "u9", "account": "a2"}
        assert ids(tx.by("users", "account", "a2")) == ["u3", "u9"]
        tx.delete("users", "u1")
        assert tx.get("users", "u1") is None and tx.count("users") == 3


def test_a_failed_operation_leaves_no_trace_and_a_quiet_one_no_version(make) -> None:
    store = make(seed())
    before, version = records(store.read()), store.read().version
    with pytest.raises(RuntimeError, match="denied"), store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "account": "a2"})
        tx.delete("users", "u2")
        tx.append("audit", {"account": "a1"})
        raise RuntimeError("denied")
    with store.transaction() as tx:
        tx.get("users", "u1")
        tx.delete("users", "nobody")
    assert records(store.read()) == before and store.read().version == version
    with make().transaction() as tx:  # nothing holds the writers' turn
        tx.put("users", {"id": "u4", "account": "a1"})


def test_unknown_tables_and_records_without_ids_are_refused(make) -> None:
    store = make(seed())
    with pytest.raises(StoreError, match="unknown table 'licences'"):
        store.read().get("licences", "x")
    with pytest.raises(StoreError, match="needs a string 'id'"), store.transaction() as tx:
        tx.put("users", {"account": "a1"})
    with pytest.raises(StoreError, match="with append"), store.transaction() as tx:
        tx.put("audit", {"id": "1"})


def test_creating_over_an_existing_database_needs_overwrite(make) -> None:
    make(seed())
    with pytest.raises(StoreError, match="already exists"):
        make({})
    make({"users": [{"id": "u7", "account": "a1"}]}, overwrite=True)
    assert ids(make().read().all("users")) == ["u7"]


def test_audit_seq_is_never_reused(make) -> None:
    store = make(seed())
    with store.transaction() as tx:
        entry = {"account": "a1", "what": "x"}
        assert [tx.append("audit", entry), tx.append("audit", {"account": "a2"})] == [1, 2]
        assert entry["seq"] == 1
    with store.transaction() as tx:
        tx.delete("audit", 2)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        assert tx.append("audit", {"account": "a1"}) == 3
        raise RuntimeError("rolled back")
    with make().transaction() as tx:  # a committed seq is never issued again
        assert tx.append("audit", {"account": "a1"}) >= 3
    assert [a["seq"] for a in store.read().all("audit")][0] == 1
    assert database.next_ids(store.read())["audit"] > 3


def test_lookups_by_field_follow_moves_and_keep_insertion_order(make) -> None:
    store = make(seed())
    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "account": "a2"})
        tx.put("users", {**tx.get("users", "u2"), "plan": "pro"})
        tx.put("users", {"id": "u4", "account": "a1"})
    view = make().read()
    assert ids(view.by("users", "account", "a1")) == ["u2", "u4"]
    assert ids(view.by("users", "account", "a2")) == ["u1", "u3"]
    assert view.by("users", "plan", "pro") == [view.get("users", "u2")]  # not indexed
    assert view.by("users", "id", "u3") == [view.get("users", "u3")]
    assert ids(view.by("operators", "account", None)) == ["o1"]
    assert ids(view.all("accounts")) == ["a1", "a2"] and view.count("users") == 4


def test_counts_by_field_are_what_the_lookup_would_return(make) -> None:
    # The console counts an account's users on every accounts list: without building them.
    store = make(seed())
    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u1"), "account": "a2", "plan": "pro"})
        assert tx.count("users", "account", "a2") == 2  # a transaction sees its own writes
    view = make().read()
    for field, value in [("account", "a1"), ("account", "a2"), ("account", "a9"),
                         ("account", None), ("plan", "pro"), ("id", "u3"), ("id", "u9")]:
        assert view.count("users", field, value) == len(view.by("users", field, value))
    assert view.count("users", "account", "a2") == 2
    assert view.count("operators", "account", None) == 1


def test_license_counts_per_account_follow_every_change(make) -> None:
    store = make(seed())
    assert store.read().count_flags("users", "account", "a1", "licenses") == {"miteam": 1}
    with store.transaction() as tx:
        tx.put("users", {**tx.get("users", "u2"), "licenses": {"miteam": True, "x": 0}})
        tx.put("users", {**tx.get("users", "u3"), "account": "a1"})
    assert make().read().count_flags("users", "account", "a1", "licenses") == {"miteam": 2}
    assert make().read().count_flags("users", "account", "a2", "licenses") == {}


def test_the_audit_tail_shows_the_newest_entries_last(make) -> None:
    store = make(seed())
    with store.transaction() as tx:
        for i in range(10):
            tx.append("audit", {"account": f"a{i % 2 + 1}", "i": i})
    view = store.read()
    assert [a["i"] for a in view.tail("audit", 3)] == [7, 8, 9]
    assert [a["i"] for a in view.tail("audit", 2, field="account", value="a1")] == [6, 8]
    assert [a["i"] for a in view.tail("audit", 2, field="i", value=3)] == [3]
    assert view.tail("audit", 0) == [] and view.get("audit", "4")["i"] == 3


def test_values_read_back_as_they_were_written(make) -> None:
    store = make(seed())
    odd = {"id": "u5", "account": "a1", "big": 2**70, "ratio": 0.1, "name": "Zoë 🎧 \"q\"",
           "nested": {"list": [1, None, True, {"x": []}]}}
    with store.transaction() as tx:
        tx.put("users", odd)
    assert make().read().get("users", "u5") == odd
