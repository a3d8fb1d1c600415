"""How long the console takes to its first screen with rows: `python -m tui.firstpaint`.

Opens the console headless at 80x24 on a copy of the demo database (or `--db FILE`, read
as it is) as `--operator`, and waits until the place on top shows its first row; prints
the median and the slowest of `--runs` starts. A figure to report, not a test (the
machines are shared; timed assertions would be flaky).

`--tmux` measures it as a person sees it: the real `miteam tui` command started in a tmux
window of `--size` (Python's start, imports, rules, store and all), timed until the screen
first shows the console's frame (top bar and footer) and until it shows a row.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rules.engine.reload import RuleSource
from rules.ops.session import Session
from rules.paths import DEMO_DB
from rules.records.store import Store

from .app import ConsoleApp
from .widgets import ResourceTable


async def _once(db: Path, operator: str) -> float:
    start = time.perf_counter()
    store = Store(db)
    try:
        source = RuleSource(None)
        app = ConsoleApp(Session(store, source.current, operator), rules=source,
                         poll_interval=None)
        async with app.run_test(size=(80, 24)) as pilot:
            while True:
                tables = list(app.screen.query(ResourceTable)) if app.place else []
                if any(t.total for t in tables):
                    return time.perf_counter() - start
                await pilot.pause(0.005)
    finally:
        store.close()


def _tmux(db: Path, operator: str, size: str) -> tuple[float, float]:
    """(seconds to the first frame, seconds to the first row) of one start in tmux."""
    width, height = size.split("x")
    name = f"miteam-firstpaint-{os.getpid()}"
    command = [str(Path(sys.executable).with_name("miteam")), "--db", str(db),
               "--operator", operator, "tui"]
    start = time.perf_counter()
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", width, "-y", height,
                    shlex.join(command)], check=True)
    frame = None
    try:
        while time.perf_counter() - start < 30:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", name],
                                    capture_output=True, text=True).stdout
            lines = [line for line in screen.splitlines() if line.strip()]
            framed = len(lines) > 1 and operator in lines[0] and "^p" in lines[-1]
            if framed and frame is None:
                frame = time.perf_counter() - start
            if framed and any(line.startswith("› ") for line in lines):
                return frame or 0.0, time.perf_counter() - start
            time.sleep(0.005)  # polling the terminal, not waiting for a result
        raise SystemExit(f"no screen with rows after 30 s:\n{screen}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database (default: a copy of the demo)")
    parser.add_argument("--operator", default="anna.huber")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tmux", action="store_true",
                        help="start the real command in tmux and watch its screen")
    parser.add_argument("--size", default="80x24", help="the tmux window (--tmux)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "demo.json"
            shutil.copy(DEMO_DB, db)
        if args.tmux:
            runs = [_tmux(db, args.operator, args.size) for _ in range(args.runs)]
            frames, rows = [r[0] for r in runs], [r[1] for r in runs]
            print(f"miteam tui in tmux {args.size} ({args.operator}, {db.name}): "
                  f"frame median {statistics.median(frames):.2f} s, rows median "
                  f"{statistics.median(rows):.2f} s, slowest {max(rows):.2f} s over "
                  f"{len(rows)} runs")
            return
        times = [asyncio.run(_once(db, args.operator)) for _ in range(args.runs)]
    print(f"first screen ({args.operator}, {db.name}): median {statistics.median(times):.2f} s,"
          f" slowest {max(times):.2f} s over {len(times)} runs")


if __name__ == "__main__":
    main()
