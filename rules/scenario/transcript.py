"""Transcripts: what a replay prints, per step and as a whole, and how two replays differ.

Steps, outcomes and expectations are quoted in scenario words (the same words a scenario
is written in, like rule names in the rule language), so a transcript line can be pasted
into a scenario; only the labels around them are translated (rules/i18n.py).
"""

from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..i18n import t
from .model import Scenario, Step
from .writer import format_action, quote

if TYPE_CHECKING:
    from .runner import Result

# Transcript lines wrap here (the ids listed after a change), for an 80-100 column terminal.
WIDTH = 100


@dataclass
class Failure:
    """An expectation that does not hold, with everything needed to say so clearly."""

    file: str  # the scenario file as given
    step: int
    line: int
    column: int
    text: str  # the expectation, as a scenario line
    expected: str
    got: str

    def as_dict(self) -> dict:
        return {"step": self.step, "line": self.line, "column": self.column,
                "expectation": self.text, "expected": self.expected, "got": self.got}


@dataclass
class StepReport:
    """One applied step: what it did, its transcript lines, the expectations that failed."""

    step: Step
    result: Result
    lines: list[str]
    checks: int  # expectations checked, the implied `expect done` included
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures

    def as_dict(self) -> dict:
        r = self.result
        rule = r.rule if r.kind == "refused" else (
            r.outcome.rule.name if r.outcome and r.outcome.rule else None)
        action = self.step.action
        return {
            "step": self.step.number, "line": self.step.span.line,
            "operator": self.step.operator,
            "action": format_action(action.do, action.dry_run) if action
            else None,
            "outcome": r.kind, "rule": rule, "reason": r.reason or None,
            "consequences": [{"action": a, "rule": by, "users": users}
                             for a, by, users in r.effects()],
            "lines": self.lines, "passed": self.passed,
            "failures": [f.as_dict() for f in self.failures],
        }


@dataclass
class Run:
    """A scenario played to the end (or stopped at its start): its whole transcript."""

    scenario: Scenario
    header: list[str]
    reports: list[StepReport]
    start_failure: str | None = None

    @property
    def failures(self) -> list[Failure]:
        return [f for r in self.reports for f in r.failures]

    @property
    def passed(self) -> bool:
        return self.start_failure is None and not self.failures

    @property
    def checks(self) -> int:
        return sum(r.checks for r in self.reports)

    def summary(self) -> str:
        lang = self.scenario.language
        if self.start_failure is not None:
            return t("scenario_result_start", lang, reason=self.start_failure)
        if self.passed:
            return t("scenario_result_ok", lang, **self._counts(lang))
        at: dict[int, list[str]] = {}
        for f in self.failures:
            at.setdefault(f.step, []).append(str(f.line))
        where = ", ".join(t("scenario_step_at", lang, number=step, line=", ".join(lines))
                          for step, lines in at.items())
        return t("scenario_result_failed", lang, **self._counts(lang),
                 failed=len(self.failures), where=where)

    def _counts(self, lang: str) -> dict[str, str]:
        return {"steps": t("count_steps", lang, count=len(self.reports)),
                "checks": t("count_expectations", lang, count=self.checks)}

    def lines(self) -> list[str]:
        out = list(self.header)
        for report in self.reports:
            out.extend(report.lines)
        out.append(self.summary())
        return out

    def text(self) -> str:
        return "\n".join(self.lines()) + "\n"

    def as_dict(self) -> dict:
        sc = self.scenario
        return {"file": sc.name, "title": sc.title, "cases": sc.cases, "passed": self.passed,
                "start_failure": self.start_failure,
                "steps": [r.as_dict() for r in self.reports],
                "failures": [f.as_dict() for f in self.failures],
                "transcript": self.lines()}


@dataclass
class Change:
    """A step whose transcript differs between two replays (step 0: the start)."""

    step: int
    heading: str  # the step's first line
    removed: list[str]  # lines only in the first replay
    added: list[str]  # lines only in the second

    def as_dict(self) -> dict:
        return {"step": self.step, "heading": self.heading, "removed": self.removed,
                "added": self.added}


def compare(base: Run, new: Run) -> list[Change]:
    """Step by step, the transcript lines that differ between two replays of a scenario
    (under the shipped rules and under a rule author's, say)."""
    out = []
    if base.start_failure != new.start_failure:
        out.append(Change(0, "start", [f"  {x}" for x in [base.start_failure] if x],
                          [f"  {x}" for x in [new.start_failure] if x]))
    for a, b in zip(base.reports, new.reports, strict=False):
        if a.lines == b.lines:
            continue
        change = Change(a.step.number, a.lines[0], [], [])
        matcher = difflib.SequenceMatcher(a=a.lines[1:], b=b.lines[1:], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                change.removed.extend(a.lines[1 + i1:1 + i2])
                change.added.extend(b.lines[1 + j1:1 + j2])
        out.append(change)
    return out


# Pieces of a transcript ------------------------------------------------------------------


def title(sc: Scenario) -> str:
    return quote(sc.title) + (f" (case {' '.join(sc.cases)})" if sc.cases else "")


def mark(lang: str, ok: bool) -> str:
    """ok / FAIL, padded to one width so that the expectations line up."""
    width = max(len(t("scenario_ok", lang)), len(t("scenario_fail", lang)))
    return t("scenario_ok" if ok else "scenario_fail", lang).ljust(width)


def listing(head: str, ids: list[str]) -> list[str]:
    """`head: id, id, ...`, wrapped: a transcript stays readable in a terminal."""
    if not ids:
        return [head]
    return textwrap.wrap(head + ": " + ", ".join(ids), width=WIDTH - 2,
                         subsequent_indent="    ", break_long_words=False,
                         break_on_hyphens=False)


def expected_got(lang: str, expected: str, got: str) -> list[str]:
    a, b = t("scenario_expected", lang), t("scenario_got", lang)
    width = max(len(a), len(b)) + 1
    return [f"        {(a + ':').ljust(width)} {expected}",
            f"        {(b + ':').ljust(width)} {got}"]
