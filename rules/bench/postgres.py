"""`miteam bench --db postgresql://...`: the PostgreSQL backend beside the embedded store,
on the same generated records, the same operations through `Session`, in one run.

Rows: what a console and a command do (open, first screen, switch a license, show a user,
a large account's views and pages, all accounts), the same commands as fresh processes
(`miteam user show`, `miteam license set`: what a forced-command login costs), and how
soon a commit on one connection reaches a console listening on another. Targets (issue
"Beyond one host"): a fresh process within 1.5x of the embedded store, a 10,000-user
account's views <= 0.2 s, a change seen by another console <= 0.5 s.

The bench replaces the records of the database it is given, so it refuses a database
that holds anything but an earlier bench's records.
"""

from __future__ import annotations

import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.ruleset import RuleSet
from ..errors import BadInput
from ..ops.actions import SetLicense
from ..ops.session import Session
from ..records import database, generate
from ..records.postgres import PgStore
from ..records.store import Store
from . import OPERATOR, _fmt, _times

FRESH_RATIO_MAX = 1.5
VIEWS_MAX = 0.2
NOTIFY_MAX = 0.5


@dataclass
class Row:
    name: str
    embedded: list[float] = field(default_factory=list)
    postgres: list[float] = field(default_factory=list)
    target: str = ""
    met: bool | None = None

    @staticmethod
    def _median(runs: list[float]) -> float | None:
        return statistics.median(runs) if runs else None

    @property
    def ratio(self) -> float | None:
        e, p = self._median(self.embedded), self._median(self.postgres)
        return p / e if e and p else None

    def as_dict(self) -> dict:
        return {"name": self.name, "embedded_median_s": self._median(self.embedded),
                "postgresql_median_s": self._median(self.postgres), "ratio": self.ratio,
                "target": self.target, "met": self.met}


@dataclass
class PgResult:
    accounts: int
    users: int
    seed: int
    server: str
    sizes: dict[str, Any]
    rows: list[Row] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"accounts": self.accounts, "users": self.users, "seed": self.seed,
                "server": self.server, "sizes": self.sizes,
                "rows": [r.as_dict() for r in self.rows]}

    def lines(self) -> list[str]:
        s = self.sizes
        out = [f"miteam bench: {self.accounts} accounts, {self.users} users (seed "
               f"{self.seed}), the embedded store beside {self.server}; largest account "
               f"{s['big_account']} with {s['big_users']} users",
               f"  written in {s['embedded_write_s']:.1f} s (file), "
               f"{s['postgres_write_s']:.1f} s (PostgreSQL)", "",
               f"{'operation':<48} {'embedded':>10} {'postgresql':>10} {'ratio':>7}  target"]
        for r in self.rows:
            ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
            verdict = "" if r.met is None else ("met" if r.met else "NOT MET")
            out.append(f"{r.name:<48} {_fmt(Row._median(r.embedded)):>10} "
                       f"{_fmt(Row._median(r.postgres)):>10} {ratio:>7}  "
                       f"{r.target} {verdict}".rstrip())
        targets = [r for r in self.rows if r.met is not None]
        out += ["", f"targets met: {sum(1 for r in targets if r.met)} of {len(targets)}"]
        return out


def _guard(url: str) -> None:
    """Refuse to replace real records: only an empty database or an earlier bench's."""
    store = PgStore(url, check=False)
    try:
        if not store.has_records():
            return
        store.close()
        store = PgStore(url)
        if store.read().get("operators", OPERATOR) is None:
            raise BadInput(f"{store.path} holds records: the bench replaces them, so it "
                           "runs only on an empty database (or an earlier bench's)")
    finally:
        store.close()


def run(url: str, accounts: int, users: int, seed: int, *, rules: RuleSet, repeat: int,
        workdir: Path | None = None, progress: Callable[[str], None] | None = None
        ) -> PgResult:
    say = progress or (lambda _msg: None)
    _guard(url)
    own = workdir is None
    work = Path(tempfile.mkdtemp(prefix="miteam-bench-")) if own else Path(workdir)
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run(url, accounts, users, seed, rules, repeat, work, say)
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)


def _run(url: str, accounts: int, users: int, seed: int, rules: RuleSet, repeat: int,
         work: Path, say: Callable[[str], None]) -> PgResult:
    say(f"generating {accounts} accounts, {users} users")
    gen = generate.generate(accounts, users, seed)
    gen.records["operators"].append({"id": OPERATOR, "name": OPERATOR, "role": "support",
                                     "partner": None, "account": None})
    big = gen.big_account
    if big is None:
        raise BadInput("the benchmark needs at least one account with users")
    big_users = [u["id"] for u in gen.records["users"] if u["account"] == big]
    off = [u["id"] for u in gen.records["users"]
           if u["account"] == big and not u["licenses"]["miteam"]]
    if not off:
        raise BadInput("the large account has no user without a license to switch")
    path = work / "bench.json"
    say("writing the file")
    t = time.perf_counter()
    Store.create(path, gen.records, overwrite=True).close()
    file_s = time.perf_counter() - t
    say("writing PostgreSQL")
    t = time.perf_counter()
    database.create_store(url, gen.records, overwrite=True).close()
    pg_s = time.perf_counter() - t
    del gen
    result = PgResult(accounts, users, seed, database.describe(url), {
        "big_account": big, "big_users": len(big_users), "embedded_write_s": file_s,
        "postgres_write_s": pg_s})
    measured = {}
    for side, target in (("embedded", path), ("postgres", url)):
        say(f"measuring {side}")
        measured[side] = _measure(target, rules, big, big_users, off, accounts, repeat)
    for name, (runs, target, limit) in measured["embedded"].items():
        row = Row(name, runs, measured["postgres"][name][0], target)
        if limit == "ratio":
            row.met = row.ratio is not None and row.ratio <= FRESH_RATIO_MAX
        elif limit is not None:
            row.met = statistics.median(row.postgres) <= limit
        result.rows.append(row)
    say("notifications")
    seen = _notify_times(url, off, max(5, min(repeat, 20)))
    result.rows.append(Row("a commit seen by another console (LISTEN/NOTIFY)", [], seen,
                           f"<= {_fmt(NOTIFY_MAX)}", statistics.median(seen) <= NOTIFY_MAX))
    return result


def _measure(target: Path | str, rules: RuleSet, big: str, big_users: list[str],
             off: list[str], accounts: int, repeat: int) -> dict[str, tuple]:
    """name -> (runs, target text, limit: seconds, "ratio" or None)."""
    out: dict[str, tuple] = {}
    out["open the database"] = (_times(lambda: database.open_store(target).close(), 3),
                                "", None)

    def first_screen() -> None:
        store = database.open_store(target)
        Session(store, rules, OPERATOR).partners()
        store.close()

    out["console: open + first screen (partners)"] = (_times(first_screen, 3), "", None)
    store = database.open_store(target)
    try:
        session = Session(store, rules, OPERATOR)
        cycle = iter(off * (repeat // len(off) + 2))

        def switch_pair() -> None:
            uid = next(cycle)
            assert session.apply(SetLicense(uid, "miteam", True)).changed
            session.apply(SetLicense(uid, "miteam", False))

        out["switch one license (rules + write + audit)"] = (
            [p / 2 for p in _times(switch_pair, max(1, repeat // 2))], "", None)
        users = iter(big_users * (repeat // len(big_users) + 2))
        out["show one user"] = (_times(lambda: session.user(next(users)), repeat), "", None)
        out[f"views of every user of the large account ({len(big_users)})"] = (
            _times(lambda: session.users(big), max(3, min(repeat, 15))),
            f"<= {_fmt(VIEWS_MAX)}", VIEWS_MAX)
        out["console: account information of the large account"] = (
            _times(lambda: session.account(big), max(3, repeat // 10)), "", None)
        out["console: first page (100) of its users"] = (
            _times(lambda: session.users_page(big, 0, 100), max(3, repeat // 10)), "", None)
        out[f"console: all {accounts} accounts with their counts"] = (
            _times(session.accounts, 3), "", None)
    finally:
        store.close()
    # Whole processes, as a forced-command login runs them: start, open, answer, exit.
    env = {**os.environ, "MITEAM_OPERATOR": OPERATOR, "MITEAM_DB": str(target)}
    runs = max(3, min(repeat // 20, 7))

    def command(*argv: str) -> Callable[[], None]:
        def go() -> None:
            done = subprocess.run([sys.executable, "-m", "rules.cli", *argv], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True, check=False)
            if done.returncode != 0:  # a failure is no figure: say what went wrong
                raise BadInput(f"`miteam {' '.join(argv)}` failed while measuring: "
                               f"{done.stderr.strip()}")
        return go

    out["fresh process: miteam user show"] = (
        _times(command("user", "show", big_users[0]), runs),
        f"<= {FRESH_RATIO_MAX}x embedded", "ratio")
    flips = iter([True, False] * runs)
    out["fresh process: miteam license set"] = (
        _times(lambda: command("license", "set", off[0], "miteam",
                               "on" if next(flips) else "off")(), runs),
        f"<= {FRESH_RATIO_MAX}x embedded", "ratio")
    return out


def _notify_times(url: str, off: list[str], runs: int) -> list[float]:
    """From one connection's commit to another's console hearing of it."""
    heard: queue.Queue[str] = queue.Queue()
    listening, writing = PgStore(url), PgStore(url)
    try:
        listening.subscribe(lambda event, detail: heard.put(event))
        assert heard.get(timeout=10) == "changed"  # connected
        times = []
        for i in range(runs):
            t = time.perf_counter()
            with writing.transaction() as tx:
                user = tx.get("users", off[0])
                tx.put("users", {**user, "name": f"{user['name'].split(' #')[0]} #{i}"})
            heard.get(timeout=10)
            times.append(time.perf_counter() - t)
        return times
    finally:
        listening.close()
        writing.close()
