"""What every command needs: the global options resolved, the store, rules, session, output."""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.ruleset import RuleSet
from ..errors import BadInput
from ..i18n import default_language, t
from ..ops.admin import Caller
from ..ops.session import Session
from ..records import database
from ..records.store import Store
from ..text import json_safe, printable, printable_lines
from . import config
from .config import Config
from .helplang import language
from .trust import is_administrator, os_login, require_strict

# Commands that change nothing in the database, for which `--rules` (or MITEAM_RULES) may
# name other rules than the configured ones: rule authors' tools on files ("files"), and
# reads of the database ("reads": only the administrator, who can read the file anyway;
# for anyone else other rules could open other tenants' records). Every other command
# runs under the configured rules.
RULE_AUTHOR_COMMANDS = {
    ("rules", "check"): "files", ("rules", "fmt"): "files", ("rules", "test"): "files",
    ("scenario", "run"): "files", ("scenario", "check"): "files", ("bench",): "files",
    ("explain",): "reads",
    # Issue 15: proving and comparing rule files reads only the files.
    ("rules", "verify"): "files", ("rules", "diff"): "files", ("rules", "lsp"): "files",
}


def command_path(args: argparse.Namespace) -> tuple[str, ...]:
    """The command as typed: ("license", "set"), ("audit",), ..."""
    if not getattr(args, "command", None):
        return ()
    sub = next((getattr(args, d) for d in ("sub", "db_command", "scenario_command", "keys_command")
                if getattr(args, d, None)), None)
    return (args.command, sub) if sub else (args.command,)


@dataclass
class Env:
    args: argparse.Namespace
    out: Any = field(default_factory=lambda: sys.stdout)
    err: Any = field(default_factory=lambda: sys.stderr)
    # `miteam shell OPERATOR` (an SSH login): the identity its key is pinned to, and the
    # rules the administrator named before `shell`. Nothing the caller sends changes them.
    pinned: str | None = None
    service_rules: list[Path] | None = None
    _store: Any = None  # a Store, or a PgStore for a postgresql:// URL
    _rules: RuleSet | None = None
    _config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = config.load(self.args.lang or default_language())
        return self._config

    @property
    def lang(self) -> str:
        return language(self.args.lang, lambda: self.config.lang)

    # Identity ---------------------------------------------------------------
    @property
    def real(self) -> str:
        """The OS login running this: the kernel's word, never the environment's."""
        return os_login()

    def _requested(self) -> str | None:
        return self.args.operator or os.environ.get("MITEAM_OPERATOR") or None

    @property
    def administrator(self) -> bool:
        """Root or the owner of the database; never an SSH login (pinned)."""
        return self.pinned is None and is_administrator(self.db_path or
                                                        database.default_db_path())

    def caller(self) -> Caller:
        """The caller as the rules see it (`caller.*` of administrative commands)."""
        return Caller(self.real, self.administrator, ssh=self.pinned is not None)

    def check_identity(self) -> None:
        """`--operator`/MITEAM_OPERATOR is the administrator's alone (exit 2 otherwise)."""
        requested = self._requested()
        if requested is None or command_path(self.args) == ("shell",):
            return  # `shell` drops the environment and refuses --operator itself
        if self.pinned is not None:
            raise BadInput(t("shell_refused_option", self.lang, option="--operator"))
        if requested != self.real and not self.administrator:
            raise BadInput(t("operator_not_admin", self.lang, login=self.real,
                             path=self.db_path or database.default_db_path()))

    @property
    def operator(self) -> str:
        if self.pinned is not None:
            return self.pinned
        requested = self._requested()
        if requested is not None:
            self.check_identity()
            return requested
        return self.real

    @property
    def json(self) -> bool:
        return bool(self.args.json)

    @property
    def db_path(self) -> database.Target | None:
        """`--db`, else MITEAM_DB: a file's path, or a postgresql:// URL as it is."""
        if self.args.db:
            return database.target(self.args.db)
        return database.env_db_path() or self.config.db

    # Rules ------------------------------------------------------------------
    def _override(self) -> list[Path] | None:
        value = self.args.rules or os.environ.get("MITEAM_RULES")
        return [Path(p).expanduser() for p in value.split(os.pathsep)] if value else None

    def _override_kind(self) -> str | None:
        path = command_path(self.args)
        if path == ("tui",) and getattr(self.args, "replay", None):
            return "files"  # a replay runs on a temporary database
        if getattr(self.args, "dry_run", False):
            return "reads"
        return RULE_AUTHOR_COMMANDS.get(path)

    def rules_paths(self) -> list[Path] | None:
        """The rule files in force: the configured ones (the config file's, or the shipped
        rules), held to StrictModes. Other rules only for commands that change nothing."""
        override = self._override()
        if override is not None:
            kind = self._override_kind()
            command = " ".join(command_path(self.args)) or "tui"
            if kind is None:
                raise BadInput(t("rules_override_refused", self.lang, command=command))
            if kind == "reads" and not self.administrator:
                raise BadInput(t("rules_override_admin", self.lang, command=command))
            return override
        configured = self.service_rules or self.config.rules
        if configured:
            require_strict(configured, self.lang)
        return configured

    @property
    def rules(self) -> RuleSet:
        if self._rules is None:
            self._rules = RuleSet.load(self.rules_paths())
        return self._rules

    def strict_db(self, path: Path | str) -> None:
        """StrictModes for a database: the file, its journal and its directory (a
        PostgreSQL database has none: the server guards its own files)."""
        if isinstance(path, str) and database.is_url(path):
            return
        path = Path(path)
        require_strict([path, path.with_name(path.name + ".journal")], self.lang)

    @property
    def store(self) -> Store:  # or a PgStore: the same protocol
        if self._store is None:
            self.strict_db(self.db_path or database.default_db_path())
            self._store = database.open_or_first_run(self.db_path, self.operator)
        return self._store

    def session(self, rules: RuleSet | None = None) -> Session:
        # Rules first: a broken rule file is reported before the database is touched.
        rules = rules or self.rules
        return Session(self.store, rules, self.operator, self.lang, real=self.real)

    # Output -----------------------------------------------------------------
    def emit(self, data: Any, text: str | list[str] | None = None) -> None:
        # JSON keeps every stored value exactly; text is escaped for the terminal
        # (show.py escapes each value, so a newline in a name cannot fake a line).
        if self.json:
            print(json_safe(json.dumps(data, ensure_ascii=False, indent=2, default=str)),
                  file=self.out)
        elif text is not None:
            print(printable_lines(text if isinstance(text, str) else "\n".join(text)),
                  file=self.out)

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
        rows = [[printable(c) for c in r] for r in rows]
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
