"""Shell completion (issue 12): every command of the daily-work contract completes the ids
and company names it takes, only those the operator may read, from the database file as
it is (no lock: a console holding it never makes a shell wait)."""

from __future__ import annotations

import io
from pathlib import Path

import argcomplete
import pytest

from rules.cli import build_parser
from rules.cli.complete import attach
from rules.records.database import open_store


class _Answered(Exception):
    pass


class _Finder(argcomplete.CompletionFinder):
    """argcomplete's own finder, its debug output kept off file descriptor 9 (which it
    would take from pytest: argcomplete's documented way to run it in-process)."""

    def _init_debug_stream(self) -> None:
        argcomplete.io.debug_stream = io.StringIO()


def complete(monkeypatch, db: Path, operator: str, line: str) -> list[str]:
    """What the shell is offered for `miteam --db DB --operator OPERATOR LINE`, answered
    in this process as argcomplete answers a shell."""
    cmd = f"miteam --db {db} --operator {operator} {line}"
    for name, value in {"_ARGCOMPLETE": "1", "_ARGCOMPLETE_IFS": "\n", "COMP_LINE": cmd,
                        "COMP_POINT": str(len(cmd)), "COMP_TYPE": "9"}.items():
        monkeypatch.setenv(name, value)
    parser = build_parser("*")
    attach(parser)
    out = io.StringIO()

    def answered(code: int = 0) -> None:
        raise _Answered

    with pytest.raises(_Answered):
        _Finder()(parser, exit_method=answered, output_stream=out)
    return [w.replace("\\ ", " ").strip() for w in out.getvalue().split("\n") if w.strip()]


@pytest.mark.parametrize("line, offered, hidden", [
    # license set USER... / --account A
    ("license set u-1036 u-103", {"u-1037", "u-1030"}, {"u-1099"}),
    ("license set --account a-", {"a-kranich", "a-lindenhof"}, {"a-oakridge"}),
    # user import FILE --account A, user export --account A
    ("user import staff.csv --account Kra", {"Kranich Logistik GmbH"}, set()),
    ("user export --account a-", {"a-kranich"}, {"a-oakridge"}),
    # user remove USER..., user move USER --to ACCOUNT
    ("user remove u-1029 u-10", {"u-1030"}, {"u-1099"}),
    ("user move u-1030 --to a-", {"a-lindenhof"}, {"a-harbour"}),
    # report licenses --partner P --account A
    ("report licenses --partner p-", {"p-alpen"}, {"p-northbridge"}),
    ("report licenses --partner Alp", set(), {"Northbridge"}),
    ("report licenses --account a-", {"a-seeblick"}, {"a-copperfield"}),
    # audit --account A --user U
    ("audit --account a-", {"a-kranich"}, {"a-oakridge"}),
    ("audit --user u-104", {"u-1047"}, set()),
])
def test_each_daily_work_command_completes_what_its_operator_may_read(
        monkeypatch, demo_db, line, offered, hidden):
    got = set(complete(monkeypatch, demo_db, "anna.huber", line))
    assert offered <= got, got
    assert not (hidden & got)
    if line.endswith("Alp"):
        assert {name for name in got if name.startswith("Alp")}, got


def test_audit_operators_and_revert_entries_are_those_of_readable_entries(monkeypatch,
                                                                          miteam, demo_db):
    assert miteam("license", "set", "u-1036", "miteam", "on", operator="anna.huber").code == 0
    assert miteam("license", "set", "u-1094", "miteam", "off", operator="james.cole").code == 0
    entries = {e["operator"]: str(e["seq"]) for e in miteam("audit", "--limit", "2").json}
    assert set(entries) == {"anna.huber", "james.cole"}
    operators = complete(monkeypatch, demo_db, "anna.huber", "audit --operator ")
    assert "anna.huber" in operators and "james.cole" not in operators
    seqs = complete(monkeypatch, demo_db, "anna.huber", "revert ")
    assert entries["anna.huber"] in seqs and entries["james.cole"] not in seqs


def test_completion_answers_while_a_console_holds_the_lock(monkeypatch, demo_db):
    monkeypatch.setenv("MITEAM_LOCK_TIMEOUT", "1")
    store = open_store(demo_db)
    try:
        with store.transaction():
            got = complete(monkeypatch, demo_db, "anna.huber", "user remove u-103")
    finally:
        store.close()
    assert "u-1030" in got
