"""Rule files that reload when they change, without ever replacing good rules by broken ones.

The console polls this: an edit that breaks a rule file leaves the last good rules in force
and exposes the error; the fixed file takes effect on the next poll, no restart needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..lang.errors import Diagnostic, RuleError, Span
from .ruleset import RuleSet, rule_files


def _stamp(paths: list[Path] | None) -> tuple:
    files = rule_files(paths)
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append((str(f), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(f), None, None))
    return tuple(out)


class RuleSource:
    """The rules in force, plus the error of the last failed reload (None when good)."""

    def __init__(self, paths: Iterable[Path | str] | None = None) -> None:
        self.paths = [Path(p) for p in paths] if paths is not None else None
        self._stamp = _stamp(self.paths)
        self.current = RuleSet.load(self.paths)  # the first load must succeed
        self.error: RuleError | None = None

    def poll(self) -> bool:
        """Reload if any rule file changed. True when new rules took effect."""
        stamp = _stamp(self.paths)
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            self.current = RuleSet.load(self.paths)
        except RuleError as exc:
            self.error = exc
            return False
        except Exception as exc:  # noqa: BLE001 - no rule file may take a console down
            # The language reports what it knows as RuleError (limits included); anything
            # else (a directory gone, a recursion the limits did not foresee) is reported the
            # same way, and the last good rules stay in force.
            where = ", ".join(str(p) for p in self.paths) if self.paths else "the rules"
            self.error = RuleError([Diagnostic(
                "error", f"cannot load the rules: {type(exc).__name__}: {exc}"[:500],
                Span(where, 1, 1, 1, 2))])
            return False
        self.error = None
        return True
