"""Drive the `miteam` command in-process, the way scripts do: argv in, exit code and JSON out."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from rules.cli import main


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def json(self):
        return json.loads(self.out)


class Miteam:
    def __init__(self, db: Path | str, capsys: pytest.CaptureFixture[str]) -> None:
        self.db = db
        self.capsys = capsys

    def __call__(self, *args: str, operator: str = "tester", lang: str = "en",
                 json_out: bool = True, rules: Path | None = None) -> Result:
        argv = ["--db", str(self.db), "--operator", operator, "--lang", lang]
        if rules is not None:
            argv += ["--rules", str(rules)]
        if json_out:
            argv.append("--json")
        self.capsys.readouterr()
        code = main([*argv, *args])
        captured = self.capsys.readouterr()
        return Result(code, captured.out, captured.err)

    def configure(self, **settings: object) -> Path:
        """Write the administrator's config file (~/.config/miteam/config.toml): the rules
        that changing commands run under are configured there, never passed per command."""
        from rules.cli.config import config_path

        path = config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{k} = {json.dumps(str(v))}\n" for k, v in settings.items()),
                        encoding="utf-8")
        return path

    def user(self, user_id: str, **kw) -> dict:
        r = self("user", "show", user_id, **kw)
        assert r.code == 0, r.err
        return r.json

    def account(self, account_id: str, **kw) -> dict:
        r = self("account", "show", account_id, **kw)
        assert r.code == 0, r.err
        return r.json

    def users_of(self, account_id: str, licensed: bool | None = None) -> list[dict]:
        r = self("user", "list", "--account", account_id)
        assert r.code == 0, r.err
        return [u for u in r.json if licensed is None or u["licenses"]["miteam"] == licensed]

    def snapshot(self) -> dict:
        """Every record, to prove a refusal changed nothing."""
        from rules.records.database import open_store

        store = open_store(self.db)
        try:
            view = store.read()
            return {t: view.all(t) for t in ("partners", "accounts", "orders", "users",
                                              "operators", "audit")}
        finally:
            store.close()


@pytest.fixture
def miteam(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> Miteam:
    return Miteam(demo_db, capsys)
