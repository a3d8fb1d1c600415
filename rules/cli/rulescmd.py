"""`miteam rules ...`: the rule author's tools: check, fmt, test.

- `check`: every problem in the rule files (and the tests beside them), located, with a
  caret and a hint; exit 2 on any error (with --strict, on any warning too).
- `fmt`: one canonical layout, comments kept; --check for CI (exit 1 when a file would
  change), --diff to see the change without writing.
- `test`: the `*.test` files beside the rules; failures show expected, got and the trace;
  --coverage lists the rules and condition branches no test reached.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from ..engine.ruleset import RuleSet, rule_files
from ..engine.tester import check_tests, find_test_files, run_tests
from ..errors import BadInput
from ..lang.coverage import Coverage
from ..lang.errors import Diagnostic, RuleError, Span
from ..lang.formatter import diff, format_source
from ..lang.ruletests import TEST_SUFFIX, RuleTestFile, parse_test_file
from ..paths import SHIPPED_RULES_DIR, display_name
from ..text import counted
from . import junit, rulescmd_diff, rulescmd_verify
from .env import Env


def register(sub: argparse._SubParsersAction) -> None:
    rules = sub.add_parser("rules", help="the rule author's tools: check, fmt, test, verify, diff")
    rsub = rules.add_subparsers(dest="sub", metavar="COMMAND", required=True)
    paths_help = ("rule files, test files or directories (default: the rules in use and "
                  "the tests beside them)")

    check = rsub.add_parser(
        "check", help="check rule files against the record schema: every error and warning")
    check.add_argument("paths", nargs="*", metavar="PATH", help=paths_help)
    check.add_argument("--strict", action="store_true",
                       help="treat warnings as errors (exit 2 on any)")
    check.set_defaults(handler=cmd_check)

    fmt = rsub.add_parser("fmt", help="rewrite rule files in the canonical layout")
    fmt.add_argument("paths", nargs="*", metavar="PATH",
                     help="rule files or directories (default: the rules in use)")
    fmt.add_argument("--check", action="store_true",
                     help="write nothing; exit 1 if any file would change (for CI)")
    fmt.add_argument("--diff", action="store_true",
                     help="write nothing; print what would change as a diff")
    fmt.set_defaults(handler=cmd_fmt)

    test = rsub.add_parser("test", help="run the rule tests (*.test) beside the rules")
    test.add_argument("paths", nargs="*", metavar="PATH", help=paths_help)
    test.add_argument("--coverage", action="store_true",
                      help="report the rules and condition branches no test reached")
    test.add_argument("--threshold", type=float, metavar="PERCENT",
                      help="fail (exit 1) when fewer rules fired than this (implies --coverage)")
    test.add_argument("--run", metavar="REGEX", help="only the tests whose name matches")
    test.add_argument("-v", "--verbose", action="store_true", help="list every test")
    test.add_argument("--junit", metavar="FILE",
                      help="also write the results as JUnit XML (for CI)")
    test.set_defaults(handler=cmd_test)

    rulescmd_verify.register(rsub)
    rulescmd_diff.register(rsub)
    lsp = rsub.add_parser("lsp", help="a language server for rule files over stdio "
                                      "(editors; needs the `lsp` extra: pygls)")
    lsp.set_defaults(handler=cmd_lsp)


# Which files ----------------------------------------------------------------------------


def _targets(env: Env) -> tuple[list[Path], list[Path]]:
    """(rule paths, test files) named on the command line, else the rules in use and the
    tests beside them. A directory stands for its `*.rules` and its `*.test`."""
    rules: list[Path] = []
    tests: list[Path] = []
    for p in map(Path, env.args.paths or []):
        if p.is_dir():
            rules.append(p)
            tests.extend(find_test_files([p]))
        elif p.suffix == TEST_SUFFIX:
            tests.append(p)
        else:
            rules.append(p)
    if not rules:
        rules = env.rules_paths() or [SHIPPED_RULES_DIR]
        if not env.args.paths:
            tests = find_test_files([r if r.is_dir() else r.parent for r in rules])
    return rules, tests


def _load_tests(paths: list[Path]) -> tuple[list[RuleTestFile], list[Diagnostic], dict]:
    files: list[RuleTestFile] = []
    problems: list[Diagnostic] = []
    sources: dict[str, str] = {}
    for path in paths:
        try:
            tf = parse_test_file(path, display_name(path))
        except RuleError as exc:
            problems.extend(exc.diagnostics)
            sources.update(exc.sources)
            continue
        files.append(tf)
        sources[tf.path] = tf.source
    return files, problems, sources


def _print_diagnostics(env: Env, diagnostics: list[Diagnostic], sources: dict[str, str],
                       stream) -> None:
    for d in diagnostics:
        print(d.render(sources.get(d.span.file)), file=stream)


def _diagnostics_json(diagnostics: list[Diagnostic]) -> list[dict]:
    return [{"severity": d.severity, "message": d.message, "at": str(d.span),
             "line": d.span.line, "column": d.span.column, "hint": d.hint}
            for d in diagnostics]


# check ----------------------------------------------------------------------------------


def cmd_check(env: Env) -> int:
    rule_paths, test_paths = _targets(env)
    rules: RuleSet | None = None
    try:
        rules = RuleSet.load(rule_paths)
        diagnostics, sources = list(rules.warnings), dict(rules.sources)
    except RuleError as exc:
        diagnostics, sources = list(exc.diagnostics), dict(exc.sources)
    if rules is not None and test_paths:
        files, problems, test_sources = _load_tests(test_paths)
        diagnostics += problems + check_tests(files, rules)
        sources.update(test_sources)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    ok = errors == 0 and not (env.args.strict and warnings)
    if env.json:
        print(json.dumps({"ok": ok, "errors": errors, "warnings": warnings,
                          "diagnostics": _diagnostics_json(diagnostics)},
                         ensure_ascii=False, indent=2), file=env.out)
    else:
        stream = env.out if ok else env.err
        _print_diagnostics(env, diagnostics, sources, stream)
        print(f"{counted(errors, 'error')}, {counted(warnings, 'warning')}", file=stream)
    return 0 if ok else 2


# fmt ------------------------------------------------------------------------------------


def cmd_fmt(env: Env) -> int:
    a = env.args
    paths = [Path(p) for p in a.paths] if a.paths else (env.rules_paths() or [SHIPPED_RULES_DIR])
    write = not (a.check or a.diff)
    changed: list[str] = []
    report: list[dict] = []
    problems: list[Diagnostic] = []
    sources: dict[str, str] = {}
    for path in rule_files(paths):
        name = display_name(path)
        try:
            old = path.read_text(encoding="utf-8")
            new = format_source(old, name)
        except RuleError as exc:
            problems.extend(exc.diagnostics)
            sources.update(exc.sources)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or exc
            problems.append(Diagnostic("error", f"cannot read rule file: {reason}",
                                       Span(name, 1, 1, 1, 2)))
            continue
        report.append({"path": name, "changed": new != old})
        if new == old:
            continue
        changed.append(name)
        if a.diff and not env.json:
            print(diff(old, new, name), end="", file=env.out)
        if write:
            try:
                path.write_text(new, encoding="utf-8")
            except OSError as exc:
                problems.append(Diagnostic("error", f"cannot write: {exc.strerror}",
                                           Span(name, 1, 1, 1, 2)))
    if problems:
        if env.json:
            print(json.dumps({"ok": False, "files": report,
                              "diagnostics": _diagnostics_json(problems)},
                             ensure_ascii=False, indent=2), file=env.out)
        else:
            _print_diagnostics(env, problems, sources, env.err)
            bad = len({d.span.file for d in problems})
            print(f"{counted(bad, 'file')} could not be formatted", file=env.err)
        return 2
    if env.json:
        print(json.dumps({"ok": not (a.check and changed), "files": report,
                          "changed": changed}, ensure_ascii=False, indent=2), file=env.out)
    elif a.check:
        for name in changed:
            print(f"would reformat {name}", file=env.err)
        if not changed:
            print(f"{counted(len(report), 'file')} already formatted", file=env.out)
    elif write:
        for name in changed:
            print(f"formatted {name}", file=env.out)
        if not changed:
            print(f"{counted(len(report), 'file')} already formatted", file=env.out)
    return 1 if a.check and changed else 0


# test -----------------------------------------------------------------------------------


def cmd_test(env: Env) -> int:
    a = env.args
    if a.run is not None:
        try:
            re.compile(a.run)
        except re.error as exc:
            raise BadInput(f"--run {a.run!r}: not a regular expression ({exc})") from None
    rule_paths, test_paths = _targets(env)
    rules = RuleSet.load(rule_paths)  # a RuleError is reported by the CLI, exit 2
    files, problems, sources = _load_tests(test_paths)
    problems += check_tests(files, rules)
    sources.update(rules.sources)
    if any(d.severity == "error" for d in problems):
        raise RuleError(problems, sources)
    if not files:
        where = ", ".join(str(p) for p in rule_paths)
        raise RuleError([Diagnostic(
            "error", f"no rule tests (*{TEST_SUFFIX}) found beside {where}",
            Span(where, 1, 1, 1, 2),
            "write one: `test \"NAME\" { given ... expect ... }` in a .test file")])
    want_coverage = a.coverage or a.threshold is not None
    coverage = Coverage(rules.program) if want_coverage else None
    results = run_tests(files, rules, coverage, a.run)
    failed = [r for r in results if not r.passed]
    if a.junit:
        junit.write(a.junit, "miteam rules test", [
            junit.Case(r.test.name, f"{r.test.span.file}:{r.test.span.line}",
                       [f"{f.expect.span}: expected {f.expected}\ngot {f.got}\n"
                        + "\n".join(f.trace) for f in r.failures])
            for r in results])
    below = (a.threshold is not None and coverage is not None
             and coverage.summary().rule_percent < a.threshold)
    if env.json:
        print(json.dumps({
            "ok": not failed and not below, "passed": len(results) - len(failed),
            "failed": len(failed), "results": [r.as_dict() for r in results],
            "warnings": _diagnostics_json(problems),
            "coverage": coverage.as_dict() if coverage is not None else None,
        }, ensure_ascii=False, indent=2, default=str), file=env.out)
    else:
        _print_diagnostics(env, problems, sources, env.err)
        out = env.out
        for r in results:
            if a.verbose or not r.passed:
                print(f"{'PASS' if r.passed else 'FAIL'}  {r.test.span.file}:"
                      f"{r.test.span.line}  {r.test.name}", file=out)
            for f in r.failures:
                line = f.expect.span
                print(f"  {line}: expected {f.expected}", file=out)
                print(f"  {' ' * len(str(line))}  got      {f.got}", file=out)
                print("  trace:", file=out)
                for t in f.trace:
                    print(f"    {t}" if t else "", file=out)
        print(f"{len(results) - len(failed)}/{counted(len(results), 'test')} passed"
              + (f", {len(failed)} failed" if failed else ""), file=out)
        if coverage is not None:
            for line in coverage.report():
                print(line, file=out)
        if below:
            print(f"rule coverage {coverage.summary().rule_percent:.0f}% is below the "  # type: ignore[union-attr]
                  f"threshold {a.threshold:g}%", file=env.err)
    return 1 if failed or below else 0


# lsp ------------------------------------------------------------------------------------


def cmd_lsp(env: Env) -> int:
    try:
        from ..lsp.server import main
    except ImportError as exc:
        raise BadInput(f"the language server needs pygls ({exc.name} is missing): "
                       "pip install 'miteam[lsp]'") from None
    main()
    return 0
