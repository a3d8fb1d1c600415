"""Whole-process figures for `miteam bench`: what a user waits for at the shell.

In-process medians hide what every one-off command pays before it does anything: start
the interpreter, import, load the rules, open the database. So each command here is run
as a fresh process, as a user would run it, and timed from start to exit, with its peak
memory (``wait4``'s ``ru_maxrss``). The same commands run against the SQLite peer
(`sqlite.py`: the same CLI, rules and context code; only the store differs), and
``miteam --version`` and a bare ``python -c pass`` give the fixed costs beside them.
One warm-up run of each fills the caches (the checked rules, Lark's tables), as any
earlier command of the user would have.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Every timed process runs through this: the real `miteam` command line (or nothing, or
# the same command line with the store opener swapped for the SQLite peer), and at exit
# its own peak memory (VmHWM) on stderr. Not wait4's ru_maxrss: Linux carries that over
# from the forking parent, which is the bench itself, holding the whole database.
_CHILD = """
import atexit, os, sys
def _hwm():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                os.write(2, ('\\nHWM ' + line.split()[1] + '\\n').encode())
atexit.register(_hwm)
mode, args = sys.argv[1], sys.argv[2:]
if mode == 'sqlite':
    from rules.bench import sqlite as bench_sqlite
    from rules.records import database
    path, args = args[0], args[1:]
    database.open_or_first_run = lambda _path, _login: bench_sqlite.SqliteStore(path)
if mode != 'pass':
    from rules.cli import main
    code = main(args)
    sys.stdout.flush()
    sys.exit(code)
"""

VERSION_RATIO_MAX = 3.0
SQLITE_RATIO_MAX = 1.3
DATA_PART_MAX = 0.05
PEAK_MB_MAX = 80.0


def run_once(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, peak MB) of one process."""
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", _CHILD, *argv], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, check=False)
    seconds = time.perf_counter() - t
    err = p.stderr.decode("utf-8", "replace").strip()
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(argv[-4:])} exited {p.returncode}: {err[-300:]}")
    last = err.splitlines()[-1] if err else ""
    kb = int(last.split()[1]) if last.startswith("HWM ") else 0
    return seconds, kb / 1024


def measure(argvs: Callable[[int], list[str]], runs: int) -> tuple[list[float], float]:
    """Times of ``runs`` runs (after one warm-up) and the largest peak memory, in MB."""
    run_once(argvs(-1))
    times, peak = [], 0.0
    for i in range(runs):
        s, mb = run_once(argvs(i))
        times.append(s)
        peak = max(peak, mb)
    return times, peak


def figures(db: Path, sqlite_db: Path | None, operator: str, big: str, uid: str,
            runs: int) -> list:
    """The whole-process rows of the bench (``bench.Figure``s)."""
    from . import Figure, _fmt

    miteam = ["miteam", "--db", str(db), "--operator", operator]
    peer = (["sqlite", str(sqlite_db), "--operator", operator]
            if sqlite_db is not None else None)
    out: list = []
    bare, _ = measure(lambda _i: ["pass"], runs)
    version, version_mb = measure(lambda _i: ["miteam", "--version"], runs)
    ratio = statistics.median(version) / statistics.median(bare)
    out.append(Figure("process: miteam --version", version, bare, versus="python -c pass",
                      target=f"<= {VERSION_RATIO_MAX:.0f}x python -c pass",
                      met=ratio <= VERSION_RATIO_MAX,
                      note=f"peak {version_mb:.0f} MB; the fixed cost of any command"))
    commands: list[tuple[str, Callable[[int], list[str]]]] = [
        ("user show", lambda _i: ["user", "show", uid]),
        # Alternating on and off: every timed run changes the license (and audits it).
        ("license set", lambda i: ["license", "set", uid, "miteam",
                                   "on" if i % 2 else "off"]),
        (f"user list --account {big}", lambda _i: ["user", "list", "--account", big]),
    ]
    for name, args in commands:
        times, mb = measure(lambda i, a=args: [*miteam, *a(i)], runs)
        peer_times, peer_mb = (measure(lambda i, a=args: [*peer, *a(i)], runs)
                               if peer is not None else ([], 0.0))
        median = statistics.median(times)
        target, met = f"<= {PEAK_MB_MAX:.0f} MB", mb <= PEAK_MB_MAX
        if peer_times and not name.startswith("user list"):
            target = f"<= {SQLITE_RATIO_MAX}x SQLite, {target}"
            met = met and median / statistics.median(peer_times) <= SQLITE_RATIO_MAX
        data_part = median - statistics.median(version)
        note = (f"peak {mb:.0f} MB" + (f" (SQLite {peer_mb:.0f} MB)" if peer_times else "")
                + f"; data part (minus --version) {_fmt(data_part)}")
        out.append(Figure(f"process: {name}", times, peer_times, target=target, met=met,
                          note=note, versus="SQLite"))
        if name == "user show":
            out.append(Figure("  data part of user show (minus --version)", [data_part],
                              target=f"<= {_fmt(DATA_PART_MAX)}",
                              met=data_part <= DATA_PART_MAX))
    return out
