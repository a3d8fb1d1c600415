"""Progress for long commands (`db generate|verify|backup|restore`, `bench`): on a
terminal only, on stderr, gone when the command ends. Piped, redirected or with `--json`,
nothing extra is printed. The steps are named; a step's length is not known ahead (the
records do not report their progress), so the bar runs indeterminate with the elapsed
time beside the step's name."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def steps(env: Any, title: str) -> Iterator[Callable[[str], None]]:
    """Yields ``say(step)``: shows ``title: step`` with a running bar and elapsed time."""
    err = getattr(env, "err", sys.stderr)
    if env.json or not (hasattr(err, "isatty") and err.isatty()):
        yield lambda _step: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=Console(file=err), transient=True) as bar:
        task = bar.add_task(title, total=None)

        def say(step: str) -> None:
            bar.update(task, description=f"{title}: {step}")

        yield say
