"""What every command needs: the global options resolved, the store, rules, session, output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.ruleset import RuleSet
from ..i18n import default_language
from ..ops.session import Session
from ..records import database
from ..records.store import Store


def default_operator() -> str:
    for var in ("MITEAM_OPERATOR",):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


@dataclass
class Env:
    args: argparse.Namespace
    out: Any = field(default_factory=lambda: sys.stdout)
    err: Any = field(default_factory=lambda: sys.stderr)
    _store: Any = None  # a Store, or a PgStore for a postgresql:// URL
    _rules: RuleSet | None = None

    @property
    def lang(self) -> str:
        return self.args.lang or default_language()

    @property
    def operator(self) -> str:
        return self.args.operator or default_operator()

    @property
    def json(self) -> bool:
        return bool(self.args.json)

    @property
    def db_path(self) -> database.Target | None:
        """`--db`, else MITEAM_DB: a file's path, or a postgresql:// URL as it is."""
        if self.args.db:
            return database.target(self.args.db)
        return database.env_db_path()

    def rules_paths(self) -> list[Path] | None:
        value = self.args.rules or os.environ.get("MITEAM_RULES")
        return [Path(p).expanduser() for p in value.split(os.pathsep)] if value else None

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._rules = RuleSet.load(self.rules_paths())
        return self._rules

    @property
    def store(self) -> Store:  # or a PgStore: the same protocol
        if self._store is None:
            self._store = database.open_or_first_run(self.db_path, self.operator)
        return self._store

    def session(self) -> Session:
        # Rules first: a broken rule file is reported before the database is touched.
        rules = self.rules
        return Session(self.store, rules, self.operator, self.lang)

    # Output -----------------------------------------------------------------
    def emit(self, data: Any, text: str | list[str] | None = None) -> None:
        if self.json:
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str), file=self.out)
        elif text is not None:
            print(text if isinstance(text, str) else "\n".join(text), file=self.out)

    def table(self, rows: list[list[str]], header: list[str]) -> list[str]:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        return [fmt.format(*header).rstrip(),
                *(fmt.format(*map(str, r)).rstrip() for r in rows)]
