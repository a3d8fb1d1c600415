"""Replaying a scenario against a fresh temporary database, one step at a time.

`Player` is what both drivers use: `miteam scenario run` plays every step to the end; the
console steps through (next, previous, run to end) and shows each step's transcript lines.
A step runs the operation through `Session` exactly as the command or the console would,
then checks the expectations written after it (`expect.py`). Its transcript lines
(`transcript.py`) name the outcome (done, or refused with the rule and reason), what
followed (consequence rules and the users they changed) and whose Products and Licenses
now shows something else, then each expectation with ok or FAIL (expected vs got).

Deterministic by construction: the date is the scenario's, the database is a fresh copy
in a temporary directory, and no clock, path or host name reaches a transcript.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.ruleset import RuleSet
from ..errors import CoreError, Refused
from ..i18n import t
from ..ops.context import Contexts
from ..ops.session import Outcome, Session
from ..records import database
from ..records.store import Store, records
from ..schema import PRODUCTS
from ..text import printable
from . import expect as checks
from .many import MANY_STEPS, Many
from .model import DEFAULT_OPERATOR, Action, Scenario, Step
from .parser import parse_file
from .start import apply_given, base_records, resolve, start_problem, with_support
from .transcript import Failure, Run, StepReport, expected_got, listing, mark, title
from .writer import (
    Recorded,
    format_action,
    format_change,
    format_display,
    format_expectation,
    format_given,
)

__all__ = ["Failure", "Player", "Result", "Run", "StartFailed", "StepReport", "run",
           "run_file"]

PRODUCT = PRODUCTS[0]


class StartFailed(Exception):
    """`start after OTHER`: OTHER does not end as it says. The message names where."""


@dataclass
class Result:
    """What one step did: its outcome and what it changed. Kept for expectations."""

    kind: str  # done | unchanged | dry_run | refused | error | checks
    outcome: Outcome | None = None
    reason: str = ""
    rule: str | None = None
    key: str | None = None
    # A step of many actions (`many.py`): each action's part. Refused when any part is
    # (the first refusal's rule and reason), as the command exits 1 then.
    many: Many | None = None

    @property
    def wrote(self) -> bool:
        return self.kind == "done" or (self.many is not None and self.many.wrote)

    def describe(self) -> str:
        """The outcome in scenario words (`refused by RULE because KEY "..."`)."""
        if self.kind == "refused":
            return format_expectation("refused", {"by": self.rule, "because": self.key,
                                                  "text": self.reason}).removeprefix("expect ")
        if self.kind == "error":
            return format_expectation("error", {"text": self.reason}).removeprefix("expect ")
        return "unchanged" if self.kind == "unchanged" else "done"

    def effects(self) -> list[tuple[str, str, list[str]]]:
        outcomes = self.many.outcomes() if self.many is not None else [self.outcome]
        return [(e.action, e.rule.name, e.users) for o in outcomes if o is not None
                for e in o.effects]


class Player:
    """A scenario on its own temporary database, played one step at a time.

    `steps` are the scenario's steps; `index` how many have been applied. `next()`
    applies one and returns its report; `previous()` goes back one (by replaying from the
    start: the database is rebuilt, so what the console reads is exactly that state);
    `run_to_end()` applies the rest. `session()` reads as the operator in force; `store`
    and `path` are the temporary database, which stays the same file throughout.
    Use as a context manager, or call `close()`: it removes the temporary database.
    Raises ScenarioError for a start that cannot be built (a `given` record naming what is
    not there) and StartFailed when the scenario it starts after does not hold.
    """

    def __init__(self, scenario: Scenario, rules: RuleSet, *, db: str | None = None,
                 _chain: tuple[Path, ...] = ()) -> None:
        self.scenario = scenario
        self.rules = rules
        self.steps = scenario.steps
        self.index = 0
        self.reports: list[StepReport] = []
        self.start_note = ""
        self._chain = _chain
        self._dir = Path(tempfile.mkdtemp(prefix="miteam-scenario-"))
        self.path = self._dir / "scenario.json"
        # `db`: play on this (empty) database instead, a postgresql:// URL say; what the
        # scenario starts after is still played in a temporary file.
        self.db: Path | str = db or self.path
        self.store: Store | None = None
        try:
            self._start_records = self._build_start()
            self.store = database.create_store(self.db, self._start_records,
                                               overwrite=db is not None)
        except BaseException:
            self.close()
            raise

    # Start ------------------------------------------------------------------------
    def _build_start(self) -> dict[str, list[dict]]:
        sc = self.scenario
        if sc.start.kind != "after":
            return apply_given(with_support(base_records(sc.start.kind)), sc)
        ref = sc.start.ref or ""
        path = resolve(ref, sc)
        if path is None:
            raise start_problem(sc, f"there is no scenario '{ref}' to start after",
                                "name a .scenario file beside this one, or a shipped one "
                                "(miteam scenario list)")
        here = sc.path.resolve() if sc.path else None
        chain = (*self._chain, *([here] if here else []))
        if path.resolve() in chain:
            raise start_problem(sc, f"'{ref}' starts, in the end, after this scenario: "
                                "a loop", "one of them must start from demo or empty")
        other = parse_file(path)
        with Player(other, self.rules, _chain=chain) as before:
            before.run_to_end()
            failed = [f for r in before.reports for f in r.failures]
            if failed:
                f = failed[0]
                raise StartFailed(t("scenario_start_failed", sc.language, name=ref,
                                    step=f.step, line=f.line, text=f.text, got=f.got))
            self.start_note = t("scenario_start_after", sc.language,
                                count=len(before.steps))
            end = records(before.store.read())
        return apply_given(with_support(end), sc)

    # Driving ----------------------------------------------------------------------
    @property
    def finished(self) -> bool:
        return self.index >= len(self.steps)

    @property
    def operator(self) -> str:
        """The operator in force: the one of the next step, else of the last."""
        if not self.steps:
            return DEFAULT_OPERATOR
        return self.steps[min(self.index, len(self.steps) - 1)].operator

    def session(self, operator: str | None = None) -> Session:
        assert self.store is not None
        return Session(self.store, self.rules, operator or self.operator,
                       self.scenario.language, on=self.scenario.on)

    def next(self) -> StepReport:
        if self.finished:
            raise IndexError("the scenario has no more steps")
        report = self._apply(self.steps[self.index])
        self.reports.append(report)
        self.index += 1
        return report

    def previous(self) -> None:
        """Back one step: the database as it was before the last applied step."""
        if self.index == 0:
            return
        target = self.index - 1
        self.reset()
        while self.index < target:
            self.next()

    def reset(self) -> None:
        """Back to the start state: no step applied. The database file is rewritten in
        place, so a `Store` or `Session` the console holds stays valid and reads it."""
        database.create_store(self.db, self._start_records, overwrite=True).close()
        self.index = 0
        self.reports = []

    def run_to_end(self) -> list[StepReport]:
        while not self.finished:
            self.next()
        return self.reports

    def recorded(self) -> list[Recorded]:
        """The operations applied so far, as a recorder writes them (refusals included)."""
        out = []
        for report in self.reports:
            action = report.step.action
            failed = report.result.kind == "error"
            if action is None or action.dry_run or (failed and not report.result.wrote):
                continue
            refused = (report.result.rule or "") if report.result.kind == "refused" else None
            out.append(Recorded(report.step.operator, action.do, refused, failed))
        return out

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Player:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # One step ---------------------------------------------------------------------
    def _apply(self, step: Step) -> StepReport:
        lang = self.scenario.language
        session = self.session(step.operator)
        action_text = (format_action(step.action.do, step.action.dry_run)
                       if step.action else t("scenario_checks", lang))
        lines = [t("scenario_step", lang, number=step.number, operator=step.operator,
                   action=action_text)]
        if step.action is None:
            result = Result("checks")
        else:
            before = self._screens(step.operator)
            result = _perform(session, step.action, self.scenario.path)
            lines.extend("  " + line for line in self._outcome_lines(result))
            if result.wrote:
                lines.extend("  " + line for line in self._changed_screens(
                    before, self._screens(step.operator)))
        failures: list[Failure] = []
        count = 0
        implied = step.action is not None and not any(
            e.kind in ("refused", "error") for e in step.expectations)
        if implied and result.kind in ("refused", "error"):
            failures.append(self._failure(step, step.span, "expect done", "done",
                                          result.describe()))
            lines.append(f"  {mark(lang, False)}  expect done  ("
                         + t("scenario_implied", lang, line=step.span.line) + ")")
            lines.extend(expected_got(lang, "done", result.describe()))
        count += int(implied)
        for e in step.expectations:
            count += 1
            text = format_expectation(e.kind, e.args)
            ok, expected, got = checks.check(e, result, session, self)
            if ok:
                lines.append(f"  {mark(lang, True)}  {text}")
                continue
            failures.append(self._failure(step, e.span, text, expected, got))
            lines.append(f"  {mark(lang, False)}  {text}  ("
                         + t("scenario_line", lang, line=e.span.line) + ")")
            lines.extend(expected_got(lang, expected, got))
        # A transcript quotes what the core said, which may quote stored text.
        return StepReport(step, result, [printable(line) for line in lines], count, failures)

    def _failure(self, step: Step, span: Any, text: str, expected: str, got: str) -> Failure:
        return Failure(self.scenario.name, step.number, span.line, span.column, text,
                       expected, got)

    def _outcome_lines(self, r: Result) -> list[str]:
        lang = self.scenario.language
        if r.many is not None:
            return self._many_lines(r.many)
        if r.kind == "refused":
            if r.rule:
                return [t("scenario_refused", lang, rule=r.rule, reason=r.reason)]
            return [t("scenario_refused_plain", lang, reason=r.reason)]
        if r.kind == "error":
            return [t("scenario_error", lang, message=r.reason)]
        o = r.outcome
        assert o is not None
        rule = o.rule.name if o.rule else "-"
        what = format_change(o)
        key = {"done": "scenario_done", "unchanged": "scenario_unchanged",
               "dry_run": "scenario_dry_run"}[r.kind]
        out = [t(key, lang, rule=rule, what=what)]
        for action, by, users in r.effects():
            out.extend(listing(t(f"scenario_effect_{action}", lang, rule=by,
                                  count=len(users)), users))
        return out

    def _many_lines(self, m: Many) -> list[str]:
        """A summary, then each part as a single action's outcome reads, then what it
        would come to (nothing written: a dry run, or not all of it went through)."""
        lang = self.scenario.language
        count = {k: sum(p.outcome == k for p in m.parts)
                 for k in ("done", "unchanged", "refused", "error")}
        out = [m.summary or t("scenario_many", lang, count=len(m.parts), done=count["done"],
                                unchanged=count["unchanged"], refused=count["refused"],
                                errors=count["error"])]
        for p in m.parts:
            if p.outcome in ("refused", "error"):
                text = (t("scenario_error", lang, message=p.reason) if p.outcome == "error"
                        else t("scenario_refused", lang, rule=p.rule, reason=p.reason)
                        if p.rule else t("scenario_refused_plain", lang, reason=p.reason))
            elif p.result is None:
                text = p.note or p.outcome
            else:
                key = "scenario_unchanged" if p.outcome == "unchanged" else \
                    "scenario_dry_run" if m.dry_run else \
                    "scenario_many_would" if m.withheld else "scenario_done"
                text = t(key, lang, rule=p.result.rule.name if p.result.rule else "-",
                         what=format_change(p.result))
            out.append(f"  {p.label}: {text}")
            if p.result is not None:
                out.extend("  " + line for action, by, users in
                           [(e.action, e.rule.name, e.users) for e in p.result.effects]
                           for line in listing(t(f"scenario_effect_{action}", lang, rule=by,
                                                 count=len(users)), users))
        if m.dry_run:
            out.append(t("scenario_many_dry_run", lang))
        elif m.withheld:
            out.append(t("scenario_many_withheld", lang))
        return out

    # What Products and Licenses shows, for every user -------------------------------
    def _screens(self, operator: str) -> dict[str, tuple[str, str]] | None:
        """Per user: what Products and Licenses shows this operator, and which rule
        decided. None when the operator is not registered (nothing can change then)."""
        assert self.store is not None
        ctxs = Contexts(self.store.read(), self.scenario.on,
                        expiring_days=self.rules.expiring_days)
        doc = ctxs.view.get("operators", operator)
        if doc is None:
            return None
        op = ctxs.operator(doc)
        out = {}
        for user in ctxs.view.all("users"):
            v = self.rules.view(PRODUCT, {**ctxs.for_user(op, user), "product": PRODUCT})
            out[user["id"]] = (self.describe_view(v.display, v.on, v.mode, v.message),
                               v.rule.name)
        return out

    def describe_view(self, display: str, on: bool, mode: str | None,
                      message_key: str | None) -> str:
        message = self.rules.message(message_key, self.scenario.language) if message_key \
            else None
        return format_display({"display": display, "on": on, "mode": mode,
                               "message": message})

    def _changed_screens(self, before: dict | None, after: dict | None) -> list[str]:
        if before is None or after is None:
            return []
        groups: dict[tuple[str, str, str], list[str]] = {}
        for uid, (shown, rule) in after.items():
            old = before.get(uid)
            if old is not None and old[0] == shown:
                continue
            key = (old[0] if old else "-", shown, rule)
            groups.setdefault(key, []).append(uid)
        lang = self.scenario.language
        return [line for (b, a, rule), users in groups.items()
                for line in listing(t("scenario_shown", lang, count=len(users), before=b,
                                       after=a, rule=rule), users)]

    # The transcript's head ----------------------------------------------------------
    def header(self) -> list[str]:
        sc = self.scenario
        start = f"start {sc.start.kind}" + (f" {sc.start.ref}" if sc.start.ref else "")
        if self.start_note:
            start += f" ({self.start_note})"
        lines = [f"{sc.file_name}: {title(sc)}",
                 f"{start}, date {sc.on.isoformat()}, language {sc.language}"]
        lines.extend("  " + format_given(g) for g in sc.given)
        return [printable(line) for line in lines]


def _perform(session: Session, action: Action, scenario_path: Path | None) -> Result:
    try:
        if isinstance(action.do, MANY_STEPS):
            base = scenario_path.parent if scenario_path is not None else None
            return _many_result(action.do.run(session, action.dry_run, base))
        o = session.apply(action.do, dry_run=action.dry_run)
    except Refused as exc:
        return Result("refused", None, str(exc),
                      exc.decision.rule.name if exc.decision else None, exc.key)
    except CoreError as exc:
        return Result("error", None, str(exc))
    kind = "dry_run" if o.dry_run else ("done" if o.changed else "unchanged")
    return Result(kind, o)


def _many_result(m: Many) -> Result:
    first = m.first_refusal
    if first is not None:
        return Result(first.outcome, None, f"{first.label}: {first.reason}", first.rule,
                      first.key, m)
    if m.dry_run:
        return Result("dry_run", None, many=m)
    done = any(p.outcome == "done" for p in m.parts)
    return Result("done" if done else "unchanged", None, many=m)


def run(scenario: Scenario, rules: RuleSet, db: str | None = None) -> Run:
    """Play a scenario to the end on a fresh temporary database (or on `db`, which it
    fills). A malformed start (an unknown record in `given`, a missing `start after`
    file) raises ScenarioError."""
    try:
        player = Player(scenario, rules, db=db)
    except StartFailed as exc:
        head = [f"{scenario.file_name}: {title(scenario)}"]
        return Run(scenario, head, [], str(exc))
    with player:
        player.run_to_end()
        return Run(scenario, player.header(), list(player.reports))


def run_file(path: Path | str, rules: RuleSet) -> Run:
    return run(parse_file(path), rules)
