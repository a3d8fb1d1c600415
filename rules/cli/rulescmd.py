"""`miteam rules ...`: the rule author's tools."""

from __future__ import annotations

import argparse
import json

from ..engine import RuleSet
from ..lang.errors import RuleError
from .env import Env


def register(sub: argparse._SubParsersAction) -> None:
    rules = sub.add_parser("rules", help="check the rule files")
    rsub = rules.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    check = rsub.add_parser(
        "check", help="check rule files against the record schema: every error and warning")
    check.add_argument("paths", nargs="*", metavar="PATH",
                       help="rule files or directories (default: the rules in use)")
    check.set_defaults(handler=cmd_check)


def cmd_check(env: Env) -> int:
    paths = env.args.paths or env.rules_paths()
    try:
        rules = RuleSet.load(paths)
        diagnostics, sources, ok = rules.warnings, rules.sources, True
    except RuleError as exc:
        diagnostics, sources, ok = exc.diagnostics, exc.sources, False
    if env.json:
        print(json.dumps({"ok": ok, "diagnostics": [
            {"severity": d.severity, "message": d.message, "at": str(d.span), "hint": d.hint}
            for d in diagnostics]}, ensure_ascii=False, indent=2), file=env.out)
    else:
        for d in diagnostics:
            print(d.render(sources.get(d.span.file)), file=env.err if not ok else env.out)
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = len(diagnostics) - errors
        print(f"{errors} error(s), {warnings} warning(s)", file=env.err if not ok else env.out)
    return 0 if ok else 2
