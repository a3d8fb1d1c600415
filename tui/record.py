"""Recording a console session as a scenario (`miteam tui --record FILE`).

The console is the ordinary one, on the operator's own database; the recorder listens to
`ConsoleApp.change()` (every change goes through it, see `app.observers`) and writes the
scenario after each change and on exit (`rules/scenario/recording.py` decides what the
scenario starts from and writes it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.engine.reload import RuleSource
from rules.errors import BadInput
from rules.ops.actions import Action
from rules.records.orders import today
from rules.records.store import records
from rules.scenario.recording import Recording

from .app import Changed, ConsoleApp
from .words import t


def as_step(change: Changed) -> tuple[Action, str | None] | None:
    """(action, refused_by) for a change worth a step: applied, or refused by a rule. None
    for what a replay cannot reproduce: a read-only console's or a store's refusal, a
    stale edit (no rule decided those)."""
    if change.outcome is None and not change.rule:
        return None
    return change.action, None if change.outcome is not None else change.rule


class RecordingConsole(ConsoleApp):
    """The ordinary console, marked REC on the top line: what you do is being written."""

    def markers(self) -> tuple[str, ...]:
        return (*super().markers(), self.tr("tui_record_marker"))


class Recorder:
    """Observes one console; `path` is rewritten after every recorded change."""

    def __init__(self, app: ConsoleApp, recording: Recording, path: Path) -> None:
        self.app = app
        self.recording = recording
        self.path = path
        app.observers.append(self)

    def __call__(self, change: Changed) -> None:
        step = as_step(change)
        if step is None:
            return
        action, refused_by = step
        self.recording.add(action, refused_by, operator=self.app.operator["id"])
        self.save()

    def save(self) -> bool:
        try:
            self.recording.save(self.path)
        except OSError as exc:
            self.app.notify(t("tui_record_cannot_write", self.app.lang, path=self.path,
                              error=exc.strerror or exc), severity="error")
            return False
        return True


def run(env: Any, path: Path) -> int:
    """`miteam tui --record FILE`: the console for `env`'s operator and database, with
    every change written to `path` as a scenario."""
    source = RuleSource(env.rules_paths())  # a broken rule file: reported, exit 2
    session = env.session(source.current)
    operator = session.whoami()  # an unknown operator: refused before the screen opens
    recording = Recording(records(env.store.read()), operator["id"], lang=env.lang,
                          on=today())
    try:
        recording.save(path)  # a file that cannot be written: said now, not after the work
    except OSError as exc:
        raise BadInput(t("tui_record_cannot_write", env.lang, path=path,
                         error=exc.strerror or exc)) from None
    app = RecordingConsole(session, rules=source)
    recorder = Recorder(app, recording, path)
    app.run()
    recorder.save()
    print(t("tui_record_saved", env.lang, count=len(recording.steps), path=path),
          file=env.err)
    return int(app.return_code or 0)
