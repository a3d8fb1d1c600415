"""`miteam scenario ...`: replay scenarios headless, check them, list the shipped ones.

A scenario always runs on a fresh temporary database (never the one `--db` names): the
command reads only the rules (`--rules DIR` for another rule set).
Exit codes: 0 every expectation holds; 1 an expectation failed (stderr names the file,
line, step, expected and got); 2 a malformed scenario (file:line:column, line, caret).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..engine.ruleset import RuleSet
from ..errors import BadInput
from ..i18n import t
from ..paths import SCENARIOS_DIR, display_name
from ..scenario import Run, ScenarioError, parse_file, run
from ..scenario.model import Scenario
from ..scenario.parser import SUFFIX
from ..scenario.transcript import compare
from . import junit
from .env import Env


def register(sub: argparse._SubParsersAction) -> None:
    sc = sub.add_parser("scenario", help="replay scenarios: scripted sessions with expectations")
    ssub = sc.add_subparsers(dest="scenario_command", metavar="COMMAND", required=True)
    rules_help = "replay with these rule files (the same as `miteam --rules DIR`)"

    r = ssub.add_parser(
        "run", help="replay scenarios on a fresh temporary database and print transcripts",
        description="Replay each scenario on a fresh temporary database (never yours) and "
                    "print its transcript. Exit 0: every expectation holds; 1: one failed; "
                    "2: a malformed scenario.")
    r.add_argument("files", nargs="*", metavar="FILE",
                   help="scenario files, directories of them, or names of shipped scenarios "
                        "(default: every shipped scenario)")
    r.add_argument("--rules", dest="rules", metavar="DIR", default=argparse.SUPPRESS,
                   help=rules_help)
    r.add_argument("--diff", action="store_true",
                   help="with --rules: show, step by step, what those rules change compared "
                        "with the shipped ones")
    r.add_argument("-q", "--quiet", action="store_true",
                   help="one line per scenario, and the failures")
    r.add_argument("--junit", metavar="FILE",
                   help="also write the results as JUnit XML (for CI)")
    r.set_defaults(handler=cmd_run)

    c = ssub.add_parser("check", help="check that scenario files are well-formed (no replay)")
    c.add_argument("files", nargs="*", metavar="FILE",
                   help="scenario files or directories (default: every shipped scenario)")
    c.set_defaults(handler=cmd_check)

    ls = ssub.add_parser("list", help="the shipped example scenarios")
    ls.set_defaults(handler=cmd_list)


def _targets(env: Env, names: list[str]) -> list[Path]:
    """Files named, directories of them, or shipped scenarios by name; default: shipped."""
    if not names:
        return sorted(SCENARIOS_DIR.glob(f"*{SUFFIX}"))
    out: list[Path] = []
    for name in names:
        path = Path(name).expanduser()
        if path.is_dir():
            found = sorted(path.glob(f"*{SUFFIX}"))
            if not found:
                raise BadInput(t("scenario_none_in", env.lang, path=name))
            out.extend(found)
        elif path.is_file():
            out.append(path)
        elif (SCENARIOS_DIR / name).is_file():
            out.append(SCENARIOS_DIR / name)
        elif (SCENARIOS_DIR / f"{name}{SUFFIX}").is_file():
            out.append(SCENARIOS_DIR / f"{name}{SUFFIX}")
        else:
            raise BadInput(t("scenario_not_found", env.lang, name=name))
    return out


def _parse_all(env: Env, paths: list[Path]) -> tuple[list[Scenario], list[ScenarioError]]:
    parsed, broken = [], []
    for path in paths:
        try:
            parsed.append(parse_file(path))
        except ScenarioError as exc:
            broken.append(exc)
    return parsed, broken


def _report_broken(env: Env, broken: list[ScenarioError]) -> None:
    if not env.json:
        for exc in broken:
            print(exc.render(), file=env.err)


def _broken_json(broken: list[ScenarioError]) -> list[dict]:
    return [{"file": d.span.file, "at": str(d.span), "error": d.message, "hint": d.hint}
            for exc in broken for d in exc.diagnostics]


def _play(env: Env, scenario: Scenario, rules: RuleSet,
          broken: list[ScenarioError]) -> Run | None:
    try:
        return run(scenario, rules)
    except ScenarioError as exc:  # the start: a given record naming what is not there
        broken.append(exc)
        return None


def cmd_run(env: Env) -> int:
    paths = _targets(env, env.args.files)
    rules = env.rules  # a broken rule file is reported before anything runs
    if env.args.diff:
        if env.rules_paths() is None:
            raise BadInput(t("scenario_diff_needs_rules", env.lang))
        return _run_diff(env, paths, rules)
    scenarios, broken = _parse_all(env, paths)
    runs = []
    for scenario in scenarios:
        result = _play(env, scenario, rules, broken)
        if result is None:
            continue
        runs.append(result)
        if not env.json:
            _print_run(env, result)
    code = 2 if broken else (0 if all(r.passed for r in runs) else 1)
    _report_broken(env, broken)
    if env.args.junit:
        cases = [junit.Case(r.scenario.name, r.scenario.file_name,
                            ([str(r.start_failure)] if r.start_failure is not None else [])
                            + [f"{f.file}:{f.line}:{f.column}: step {f.step}: {f.text}\n"
                               f"expected {f.expected}\ngot {f.got}" for f in r.failures])
                 for r in runs]
        cases += [junit.Case(d.span.file, d.span.file, [f"{d.span}: {d.message}"])
                  for exc in broken for d in exc.diagnostics]
        junit.write(env.args.junit, "miteam scenario run", cases)
    if env.json:
        print(json.dumps({"ok": code == 0, "exit": code,
                          "scenarios": [r.as_dict() for r in runs],
                          "malformed": _broken_json(broken)},
                         ensure_ascii=False, indent=2), file=env.out)
    elif len(runs) + len(broken) > 1:
        passed = sum(r.passed for r in runs)
        print(t("scenario_summary", env.lang, count=len(runs) + len(broken), passed=passed,
                failed=len(runs) + len(broken) - passed), file=env.out)
    return code


def _print_run(env: Env, result: Run) -> None:
    if env.args.quiet:
        print(f"{result.scenario.file_name}: {result.summary()}", file=env.out)
        for report in result.reports:
            if report.failures:
                print("\n".join(report.lines), file=env.out)
    else:
        print(result.text(), file=env.out)
    _print_failures(env, result)


def _print_failures(env: Env, result: Run) -> None:
    if env.json:
        return
    if result.start_failure is not None:
        span = result.scenario.start.span
        print(f"miteam: {span}: {result.start_failure}", file=env.err)
    for f in result.failures:
        print(f"miteam: {f.file}:{f.line}:{f.column}: "
              + t("scenario_expectation_failed", env.lang, step=f.step, text=f.text,
                  expected=f.expected, got=f.got), file=env.err)


def _run_diff(env: Env, paths: list[Path], rules: RuleSet) -> int:
    """Each scenario under the shipped rules and under --rules: the steps that differ."""
    shipped = RuleSet.load(None)
    scenarios, broken = _parse_all(env, paths)
    documents, runs = [], []
    for scenario in scenarios:
        base = _play(env, scenario, shipped, broken)
        new = _play(env, scenario, rules, broken) if base is not None else None
        if base is None or new is None:
            continue
        runs.append(new)
        changes = compare(base, new)
        name = scenario.file_name
        documents.append({"file": scenario.name, "passed": new.passed,
                          "changed": [c.as_dict() for c in changes]})
        if env.json:
            continue
        if not changes:
            print(t("scenario_diff_same", env.lang, name=name), file=env.out)
        else:
            print(t("scenario_diff_changed", env.lang, name=name, count=len(changes),
                    steps=t("count_steps_of", env.lang, count=len(scenario.steps))),
                  file=env.out)
            for change in changes:
                print(f"  {change.heading}", file=env.out)
                # Each line keeps its own indentation after the mark: wrapped ids and
                # expected/got stay under what they belong to.
                print("\n".join([
                    *(f"  - {line.removeprefix('  ')}" for line in change.removed),
                    *(f"  + {line.removeprefix('  ')}" for line in change.added)]),
                    file=env.out)
        print(f"  {new.summary()}", file=env.out)
        _print_failures(env, new)
    code = 2 if broken else (0 if all(r.passed for r in runs) else 1)
    _report_broken(env, broken)
    if env.json:
        print(json.dumps({"ok": code == 0, "exit": code, "scenarios": documents,
                          "malformed": _broken_json(broken)}, ensure_ascii=False, indent=2),
              file=env.out)
    return code


def cmd_check(env: Env) -> int:
    scenarios, broken = _parse_all(env, _targets(env, env.args.files))
    rows = []
    for sc in scenarios:
        checks = sum(len(s.expectations) for s in sc.steps)
        rows.append({"file": sc.name, "steps": len(sc.steps), "expectations": checks})
        if not env.json:
            print(t("scenario_well_formed", env.lang, name=sc.name,
                    steps=t("count_steps", env.lang, count=len(sc.steps)),
                    checks=t("count_expectations", env.lang, count=checks)), file=env.out)
    _report_broken(env, broken)
    if env.json:
        print(json.dumps({"ok": not broken, "scenarios": rows,
                          "malformed": _broken_json(broken)}, ensure_ascii=False, indent=2),
              file=env.out)
    return 2 if broken else 0


def cmd_list(env: Env) -> int:
    scenarios, broken = _parse_all(env, sorted(SCENARIOS_DIR.glob(f"*{SUFFIX}")))
    rows = [{"name": Path(sc.name).stem, "cases": sc.cases, "title": sc.title,
             "path": display_name(sc.path) if sc.path else sc.name} for sc in scenarios]
    env.emit(rows, env.table([[r["name"], " ".join(r["cases"]) or "-", r["title"]]
                              for r in rows], ["NAME", "CASE", "TITLE"]))
    _report_broken(env, broken)
    return 2 if broken else 0
