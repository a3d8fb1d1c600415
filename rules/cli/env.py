"""What every command needs: the global options resolved, the store, rules, session, output."""

from __future__ import annotations

import argparse
import csv
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
    _store: Store | None = None
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
    def db_path(self) -> Path | None:
        if self.args.db:
            return Path(self.args.db).expanduser()
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
    def store(self) -> Store:
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

    @property
    def csv(self) -> bool:
        return getattr(self.args, "format", None) == "csv"

    def emit_rows(self, data: Any, header: list[str], rows: list[list[Any]],
                  text: str | list[str]) -> None:
        """A list: JSON with --json, CSV with --format csv (`csv_rows`), else `text`."""
        if self.csv and not self.json:
            write_csv(self.out, header, rows)
        else:
            self.emit(data, text)

    def table(self, rows: list[list[str]], header: list[str]) -> list[str]:
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
        fmt = "  ".join(f"{{:<{w}}}" for w in widths)
        return [fmt.format(*header).rstrip(),
                *(fmt.format(*map(str, r)).rstrip() for r in rows)]


# A cell a spreadsheet would run as a formula (CSV injection: a hostile company or user
# name like `=HYPERLINK(...)` in another tenant's export) is written with a leading '.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else "off"
    if not isinstance(value, str):
        return str(value)  # a number, -3 included, is a number
    return "'" + value if value.startswith(_FORMULA) else value


def write_csv(out: Any, header: list[str], rows: list[list[Any]]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([csv_cell(v) for v in row] for row in rows)


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "csv"), default="text",
                        help="csv: one row per record with a header, for spreadsheets")
