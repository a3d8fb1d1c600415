"""`miteam rules verify`: prove the rules' properties over every abstract state.

Prints the state space (each field the rules read and the cells they tell apart, per
space), then each violated property with its smallest counter-example as records;
`--scenario FILE` writes the first counter-example as a scenario that replays the failure
(`miteam scenario run --rules DIR FILE`). Exit 0: every property holds; 1: one does
not; 2: the rules do not load, or the scenario file cannot be written.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from .. import schema
from ..engine.ruleset import RuleSet
from ..engine.verify import Finding, Report, verify
from ..errors import BadInput
from ..paths import SHIPPED_RULES_DIR, display_name
from ..scenario.counterexample import scenario_text
from ..text import counted
from .env import Env


def register(rsub: argparse._SubParsersAction) -> None:
    v = rsub.add_parser(
        "verify", help="prove the rules' properties over every state they can observe",
        description="Enumerate every abstract state the rules observe (from the record "
                    "schema and the constants the rules compare with) and check the built-in "
                    "properties and the rule files' `assert` blocks. Exit 0: all hold; 1: a "
                    "property is violated (with its smallest counter-example); 2: the rules "
                    "do not load.")
    v.add_argument("--rules", dest="rules", metavar="DIR", default=argparse.SUPPRESS,
                   help="verify these rule files (the same as `miteam --rules DIR`)")
    v.add_argument("--scenario", metavar="FILE",
                   help="write the first counter-example as a scenario that replays it")
    v.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="one JSON document")
    v.set_defaults(handler=cmd_verify)


def cmd_verify(env: Env) -> int:
    paths = env.rules_paths() or [SHIPPED_RULES_DIR]
    rules = RuleSet.load(paths)  # a RuleError is reported by the CLI, exit 2
    report = verify(rules)
    written = None
    target = env.args.scenario
    if target:
        first = next((f for f in report.findings if f.state is not None and _replayable(f)),
                     None)
        if first is not None:
            written = _write(Path(target), scenario_text(
                first, lambda key: rules.message(key, "en")))
    if env.json:
        doc = report.as_dict()
        doc["rules"] = [display_name(p) for p in paths]
        doc["scenario"] = written
        print(json.dumps(doc, ensure_ascii=False, indent=2), file=env.out)
    else:
        _print(env, report, paths, written)
    return 1 if report.findings else 0


def _replayable(f: Finding) -> bool:
    return f.shown is not None and (f.op in (schema.LICENSE_SET, schema.INTEGRATION_SET)
                                    or f.prop == "toggle_shows_stored")


def _write(path: Path, text: str) -> str:
    if path.exists() and path.is_dir():
        raise BadInput(f"--scenario {path}: is a directory")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BadInput(f"--scenario {path}: cannot write ({exc.strerror})") from None
    return str(path)


def _print(env: Env, report: Report, paths: list[Path], written: str | None) -> None:
    out = env.out
    print("rules: " + ", ".join(display_name(p) for p in paths), file=out)
    for space in report.spaces:
        print(f"space {space.name}: {counted(len(space.states), 'abstract state')} "
              f"({counted(space.tried, 'record set')} tried)", file=out)
        for path, cells in space.partitions():
            values = [c for c in cells if not c.startswith("(")]
            notes = [c for c in cells if c.startswith("(")]
            print(f"  {path}: {' | '.join(values)}" + "".join(f"  {n}" for n in notes),
                  file=out)
    print(f"{counted(report.size, 'abstract state')} in {counted(len(report.spaces), 'space')}; "
          f"{len(report.checked)} propert(ies) checked: {', '.join(report.checked)}", file=out)
    stream = env.err if report.findings else out
    for f in report.findings:
        print("", file=stream)
        print(f"FAIL {f.prop}: {f.text}", file=stream)
        for r in f.rules:
            print(f"  rule {r}", file=stream)
        lines = f.record_lines()
        if lines:
            more = f" (the smallest of {counted(f.states, 'state')})" if f.states > 1 else ""
            print(f"  counter-example in space {f.space}{more}:", file=stream)
            for line in lines:
                print(f"    {line}", file=stream)
    if written:
        print(f"\ncounter-example scenario written to {written}: "
              f"miteam scenario run --rules DIR {written}", file=stream)
    if report.findings:
        print(f"\n{len(report.findings)} propert(ies) violated", file=stream)
    else:
        print("every property holds", file=out)
