"""Steps that are many actions at once (issue 12), each run the way the command runs it:

    license set u-1030 u-1031 u-1032 miteam on [all-or-nothing]   # miteam license set U...
    license set account a-kranich [where shown off ...] miteam on  # --account A --where
    revert 57 | revert last                                      # miteam revert SEQ
    user import new-staff.csv account a-kranich [skip-errors]     # miteam user import

A single action (`license set u-1030 miteam on`) is an `ops.Action`, applied by
`Session.apply`; these go through `Session.apply_many`, `Session.revert` and
`Session.import_users`, so a scenario proves what the command does. Each answers with
`Many`: one line per action (or CSV row) in scenario words, and what it adds up to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from ..errors import BadInput
from ..i18n import t
from ..ops.bulk import BulkResult, license_actions
from ..ops.outcome import Outcome
from ..ops.userimport import ImportResult, read_bytes
from ..paths import SCENARIOS_DIR

if TYPE_CHECKING:
    from ..ops.session import Session


@dataclass(frozen=True)
class Part:
    """One action of the set (or one CSV row), as the transcript and expectations see it."""

    label: str  # the user (or the CSV line) it is about
    outcome: str  # done | unchanged | refused | error
    rule: str | None = None
    reason: str | None = None
    key: str | None = None
    result: Outcome | None = None  # what a done (or previewed) action changed
    note: str | None = None  # an imported row's status, in the operator's language


@dataclass
class Many:
    """What a step of many actions did."""

    parts: list[Part]
    dry_run: bool = False
    # Nothing was written although parts would go through: all or nothing, or an import
    # with rows in error.
    withheld: bool = False
    summary: str = ""  # the command's own summary line, when it has one (an import)

    @property
    def first_refusal(self) -> Part | None:
        return next((p for p in self.parts if p.outcome in ("refused", "error")), None)

    @property
    def wrote(self) -> bool:
        return not self.dry_run and not self.withheld and any(
            p.outcome == "done" for p in self.parts)

    def outcomes(self) -> list[Outcome]:
        return [p.result for p in self.parts if p.result is not None]


def _from_bulk(b: BulkResult) -> Many:
    names = {"switched": "done", "unchanged": "unchanged", "refused": "refused",
             "error": "error"}
    return Many([Part(line.target, names[line.outcome], line.rule, line.reason, line.key,
                      line.result) for line in b.lines], b.dry_run, b.withheld)


@dataclass(frozen=True)
class SwitchMany:
    """`license set USER... PRODUCT on|off [all-or-nothing]`, or `license set account A
    [where KEY VALUE]... PRODUCT on|off`: the account's users in those states (`--where
    shown=off`), as the command selects them. Each user is decided as if switched alone,
    in order (S12 applies to the set)."""

    users: tuple[str, ...]
    product: str
    on: bool
    all_or_nothing: bool = False
    account: str | None = None
    where: tuple[tuple[str, str], ...] = ()
    words: ClassVar[tuple[str, ...]] = ("license", "set")
    dry_runnable: ClassVar[bool] = True

    def run(self, s: Session, dry_run: bool, base: Path | None) -> Many:
        users = list(self.users)
        if self.account is not None:
            users += s.select_users(self.account, dict(self.where), self.product)
        if not users:
            raise BadInput(s.tr("bulk_no_users"))
        return _from_bulk(s.apply_many(license_actions(list(dict.fromkeys(users)),
                                                       self.product, self.on),
                                       dry_run=dry_run, all_or_nothing=self.all_or_nothing))


@dataclass(frozen=True)
class Revert:
    """`revert SEQ`: the inverse of audit entry SEQ (of the whole operation it belongs
    to), decided by today's rules, all or nothing. `revert last`: of the newest entry the
    operator may read, so a scenario need not know the numbers its start state gave."""

    seq: int | None  # None: last
    words: ClassVar[tuple[str, ...]] = ("revert",)
    dry_runnable: ClassVar[bool] = True

    def run(self, s: Session, dry_run: bool, base: Path | None) -> Many:
        seq = self.seq
        if seq is None:
            newest = s.audit(limit=1)
            if not newest:
                raise BadInput(s.tr("revert_nothing"))
            seq = int(newest[0]["seq"])
        return _from_bulk(s.revert(seq, dry_run=dry_run).result)


@dataclass(frozen=True)
class ImportUsers:
    """`user import FILE account ACCOUNT [skip-errors]`: a CSV file beside the scenario
    (or a path, or a shipped scenario's), imported as `miteam user import FILE --account
    ACCOUNT` imports it."""

    file: str
    account: str
    skip_errors: bool = False
    words: ClassVar[tuple[str, ...]] = ("user", "import")
    dry_runnable: ClassVar[bool] = True

    def run(self, s: Session, dry_run: bool, base: Path | None) -> Many:
        # As `start after` finds its scenario: beside this one, else as given, else a
        # shipped one's (so that a recorded copy of a shipped scenario replays).
        path = Path(self.file)
        beside = [base / path] if base is not None else []
        path = next((p for p in (*beside, path, SCENARIOS_DIR / path) if p.is_file()), path)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise BadInput(s.tr("bad_users_file", path=self.file,
                                error=exc.strerror or exc)) from None
        result = s.import_users(self.account, read_bytes(s, raw, self.file),
                                dry_run=dry_run, skip_errors=self.skip_errors)
        return _from_import(s, result)



def _from_import(s: Session, r: ImportResult) -> Many:
    names = {"new": "done", "changed": "done", "unchanged": "unchanged", "error": "error"}
    parts = []
    for row in r.rows:
        label = f"{t('import_line', s.lang, line=row.line)} {row.id or '-'}"
        status = t(f"import_status_{row.status}", s.lang)
        parts.append(Part(label, names[row.status], row.rule, row.reason, note=status))
    summary = t("import_summary", s.lang, count=len(r.rows), new=r.count("new"),
                changed=r.count("changed"), unchanged=r.count("unchanged"),
                errors=r.count("error"))
    return Many(parts, r.dry_run, not r.dry_run and not r.applied, summary)


# The steps of many actions, as the parser and the writer know them.
MANY_STEPS = (SwitchMany, Revert, ImportUsers)
ManyStep = SwitchMany | Revert | ImportUsers
