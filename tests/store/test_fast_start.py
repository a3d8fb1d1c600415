"""A fresh process pays for what its command uses: `--version` loads no data, no rules and
no command module; a command imports its own group only."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from rules import cli

ROOT = Path(__file__).resolve().parents[2]


def loaded_after(*argv: str, env: dict[str, str] | None = None) -> list[str]:
    code = ("import sys, json, contextlib, io\n"
            "from rules.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main({list(argv)!r})\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('rules', 'tui', "
            "'lark', 'tinydb')))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, **(env or {})}, check=True, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_version_touches_no_data_no_rules_and_no_command_module():
    loaded = loaded_after("--version")
    assert not [m for m in loaded if m.startswith(("rules.records", "rules.lang",
                                                   "rules.engine", "rules.cli.", "lark",
                                                   "tinydb", "tui"))], loaded


def test_a_users_command_does_not_load_the_rule_authors_or_bench_tools(tmp_path):
    db = tmp_path / "db.json"
    loaded = loaded_after("--db", str(db), "user", "list")
    assert "rules.cli.records" in loaded
    assert not {"rules.cli.rulescmd", "rules.cli.scenario", "rules.cli.dbtools",
                "rules.bench", "tui.app"} & set(loaded)


def test_each_group_registers_exactly_the_commands_it_is_listed_for():
    for name, commands in cli.COMMAND_GROUPS.items():
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        if name == "dbtools":
            cli.group("db").register(sub)
            before = {"db"}
        else:
            before = set()
        cli.group(name).register(sub)
        assert set(sub.choices) == set(commands) | before, name


def test_second_command_takes_the_checked_rules_from_the_cache_without_lark(tmp_path):
    db = tmp_path / "db.json"
    first = loaded_after("--db", str(db), "user", "list")
    assert "lark" in first  # parsed: nothing cached yet
    cached = list((Path(os.environ["HOME"]) / ".cache" / "miteam").glob("rules-*.pickle"))
    assert len(cached) == 1
    second = loaded_after("--db", str(db), "user", "list")
    assert "lark" not in second and "rules.lang.parser" not in second


def test_an_edited_rule_file_is_parsed_again_not_taken_from_the_cache(tmp_path, rules_dir):
    import shutil

    from rules.engine.ruleset import RuleSet

    mine = tmp_path / "rules"
    shutil.copytree(rules_dir, mine)
    before = RuleSet.load([mine])
    some = sorted(mine.glob("*.rules"))[0]
    some.write_text(some.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    after = RuleSet.load([mine])
    assert after.sources != before.sources
    assert any("# edited" in text for text in after.sources.values())


def test_a_cache_file_others_may_write_is_never_loaded(tmp_path):
    from rules.engine import cache
    from rules.engine.ruleset import RuleSet, rule_files

    RuleSet.load()
    entry = next((Path(os.environ["HOME"]) / ".cache" / "miteam").glob("rules-*.pickle"))
    k = cache.key(rule_files(None))
    assert cache.load(k) is not None
    entry.chmod(0o666)  # anyone could have put a pickle (code) here
    assert cache.load(k) is None
    entry.chmod(0o600)
    entry.write_bytes(b"not a pickle")
    assert cache.load(k) is None and RuleSet.load().sources  # parsed again instead
