"""How long the console takes to its first screen with rows: `python -m tui.firstpaint`.

Opens the console headless at 80x24 on a copy of the demo database (or `--db FILE`, read
as it is) as `--operator`, and waits until the place on top shows its first row; prints
the median and the slowest of `--runs` starts. A figure to report, not a test (the
machines are shared; timed assertions would be flaky).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database (default: a copy of the demo)")
    parser.add_argument("--operator", default="anna.huber")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "demo.json"
            shutil.copy(DEMO_DB, db)
        times = [asyncio.run(_once(db, args.operator)) for _ in range(args.runs)]
    print(f"first screen ({args.operator}, {db.name}): median {statistics.median(times):.2f} s,"
          f" slowest {max(times):.2f} s over {len(times)} runs")


if __name__ == "__main__":
    main()
